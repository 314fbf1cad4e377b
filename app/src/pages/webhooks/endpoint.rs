//! One endpoint (`/dashboard/webhooks/:id`): its status with Enable / Disable, the delivery log,
//! its settings, its signing secret and Delete.

use super::deliveries::{Deliveries, DeliveriesCard};
use super::fields::EndpointFields;
use super::manage::{DeleteEndpoint, EnableSwitch, SigningSecret};
use super::{StatusBadge, StatusDetail, loaded};
use crate::api::{
    DeleteWebhook, EndpointChoices, EndpointView, RotateWebhookSecret, SetWebhookEnabled, UpdateWebhook,
    WebhookDetails, load_webhook,
};
use crate::components::{ErrorBanner, SubmitButton, count_successes, failure, form_error, succeeded};
use crate::lang::{Dash, d};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// What changes the endpoint, kept by the page so outcomes (a new secret, "Saved.") outlive the
/// reload each success causes.
#[derive(Clone, Copy)]
pub struct EndpointActions {
    pub update: ServerAction<UpdateWebhook>,
    pub enable: ServerAction<SetWebhookEnabled>,
    pub rotate: ServerAction<RotateWebhookSecret>,
    pub delete: ServerAction<DeleteWebhook>,
}

impl EndpointActions {
    fn new() -> Self {
        Self {
            update: ServerAction::new(),
            enable: ServerAction::new(),
            rotate: ServerAction::new(),
            delete: ServerAction::new(),
        }
    }
}

#[component]
pub fn WebhookPage() -> impl IntoView {
    let params = use_params_map();
    // An id that is not a number finds nothing, like one of another team.
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let actions = EndpointActions::new();
    let changed = RwSignal::new(0_u32);
    count_successes(actions.update.value(), changed);
    count_successes(actions.enable.value(), changed);
    count_successes(actions.rotate.value(), changed);
    let details = Resource::new(move || (id.get(), changed.get()), |(id, _)| load_webhook(id));
    // Created here, outside the Transitions: resources created in their children would be
    // created again on every check.
    let deliveries = Deliveries::new(id);
    view! {
        <Title text=d(Dash::WebhooksEndpointTitle)/>
        <a class="back-link" href="/dashboard/webhooks">{d(Dash::WebhooksBack)}</a>
        {loaded(details, move |details| view! {
            <Summary endpoint=details.endpoint.clone() actions/>
            <DeliveriesCard id=details.endpoint.id deliveries/>
            <Management details actions/>
        })}
    }
}

/// The heading: address, description, status and the switch.
#[component]
fn Summary(endpoint: EndpointView, actions: EndpointActions) -> impl IntoView {
    view! {
        <header class="page-header wh-header">
            <div class="wh-heading">
                <p class="wh-kicker">{d(Dash::WebhooksEndpointTitle)}</p>
                <h1 class="wh-url">{endpoint.url.clone()}</h1>
                {(!endpoint.description.is_empty()).then(|| view! { <p class="muted">{endpoint.description.clone()}</p> })}
            </div>
            <div class="button-row">
                <StatusBadge status=endpoint.status.clone()/>
                <EnableSwitch id=endpoint.id enabled=endpoint.enabled action=actions.enable/>
            </div>
        </header>
        <ErrorBanner message=form_error(failure(actions.enable.value()))/>
        <StatusDetail status=endpoint.status/>
        {endpoint.rotation.map(|note| view! { <p class="wh-rotation">{note}</p> })}
    }
}

#[component]
fn Management(details: WebhookDetails, actions: EndpointActions) -> impl IntoView {
    let WebhookDetails { endpoint, choices } = details;
    let (id, url) = (endpoint.id, endpoint.url.clone());
    view! {
        <Settings endpoint choices action=actions.update/>
        <SigningSecret id action=actions.rotate/>
        <DeleteEndpoint id url action=actions.delete/>
    }
}

/// The Edit form, filled with the endpoint's settings.
#[component]
fn Settings(endpoint: EndpointView, choices: EndpointChoices, action: ServerAction<UpdateWebhook>) -> impl IntoView {
    let failed = failure(action.value());
    let saved = succeeded(action.value(), action.pending());
    view! {
        <section class="card" aria-labelledby="wh-settings-heading">
            <h2 id="wh-settings-heading">{d(Dash::WebhooksSettings)}</h2>
            <ActionForm action attr:class="form wh-form">
                <ErrorBanner message=form_error(failed)/>
                <input type="hidden" name="id" value=endpoint.id/>
                <EndpointFields form=endpoint.form choices failed/>
                <div class="form-actions">
                    <SubmitButton label=d(Dash::WebhooksSaveChanges) busy_label=d(Dash::WebhooksSaving) pending=action.pending()/>
                    <p class="saved" role="status" hidden=move || !saved.get()>{d(Dash::WebhooksSaved)}</p>
                </div>
            </ActionForm>
        </section>
    }
}
