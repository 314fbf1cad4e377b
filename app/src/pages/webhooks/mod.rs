//! Webhooks (admins): the team's endpoints with an Add form (`/dashboard/webhooks`), and one
//! endpoint's delivery log and settings (`/dashboard/webhooks/:id`).

mod deliveries;
mod endpoint;
mod fields;
mod manage;

pub use endpoint::WebhookPage;

use crate::api::{
    CreateWebhook, EndpointChoices, EndpointForm, EndpointStatus, EndpointView, Health, NewSecret, list_webhooks,
};
use crate::components::{CopyField, ErrorBanner, PageError, SubmitButton, count_successes, failure, form_error};
use crate::error::AppError;
use crate::lang::{Dash, d, df};
use fields::EndpointFields;
use leptos::either::Either;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let create = ServerAction::<CreateWebhook>::new();
    let added = RwSignal::new(0_u32);
    count_successes(create.value(), added);
    let list = Resource::new(move || added.get(), |_| list_webhooks());
    let adding = RwSignal::new(false);
    Effect::new(move |_| {
        if added.get() > 0 {
            adding.set(false);
        }
    });
    let url_field = NodeRef::<Input>::new();
    let open_form = move |_| {
        adding.set(true);
        request_animation_frame(move || {
            if let Some(input) = url_field.get_untracked() {
                let _ = input.focus();
            }
        });
    };
    view! {
        <Title text=d(Dash::WebhooksTitle)/>
        <header class="page-header">
            <div>
                <h1>{d(Dash::WebhooksTitle)}</h1>
                <p class="muted">{d(Dash::WebhooksIntro)}</p>
            </div>
            <button type="button" class="button button-primary" aria-expanded=move || adding.get().to_string()
                aria-controls="add-endpoint" on:click=open_form>
                {d(Dash::WebhooksAddEndpoint)}
            </button>
        </header>
        <IssuedSecret create/>
        {loaded(list, move |list| view! {
            <AddEndpoint choices=list.choices.clone() create adding url_field/>
            <EndpointList endpoints=list.endpoints/>
        })}
        <HowItWorks/>
    }
}

/// The resource's view once loaded; an error shows as the page's error (admins only, …).
fn loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    let page_error = |error: AppError| view! { <PageError error forbidden=d(Dash::WebhooksAdminsOnly)/> };
    crate::components::loaded_or(resource, render, page_error)
}

/// The Add form, opened from the header. The list around it is drawn anew once an endpoint is
/// added, which also clears the form.
#[component]
fn AddEndpoint(
    choices: EndpointChoices,
    create: ServerAction<CreateWebhook>,
    adding: RwSignal<bool>,
    url_field: NodeRef<Input>,
) -> impl IntoView {
    let failed = failure(create.value());
    let starting = EndpointForm {
        enabled: Some("on".into()),
        ..EndpointForm::default()
    };
    view! {
        <section class="card" id="add-endpoint" aria-labelledby="add-endpoint-heading" hidden=move || !adding.get()>
            <h2 id="add-endpoint-heading">{d(Dash::WebhooksAddTitle)}</h2>
            <ActionForm action=create attr:class="form wh-form">
                <ErrorBanner message=form_error(failed)/>
                <EndpointFields form=starting choices failed url_field/>
                <div class="form-actions">
                    <SubmitButton label=d(Dash::WebhooksCreateEndpoint) busy_label=d(Dash::WebhooksCreating) pending=create.pending()/>
                    <button type="button" class="button" on:click=move |_| adding.set(false)>{d(Dash::WebhooksCancel)}</button>
                </div>
            </ActionForm>
        </section>
    }
}

/// The new endpoint's signing secret, shown once, and where to try it.
#[component]
fn IssuedSecret(create: ServerAction<CreateWebhook>) -> impl IntoView {
    let issued = move || create.value().get().and_then(Result::ok);
    move || {
        issued().map(|secret| {
            let details = format!("/dashboard/webhooks/{}", secret.id);
            view! {
                <SecretOnce secret intro=d(Dash::WebhooksEndpointAdded)>
                    <p><a href=details>{d(Dash::WebhooksSendTestLink)}</a>" "{d(Dash::WebhooksToTryIt)}</p>
                </SecretOnce>
            }
        })
    }
}

/// A signing secret with a Copy button, and the warning that it is shown only now.
#[component]
fn SecretOnce(secret: NewSecret, intro: &'static str, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let copy_now = df(Dash::WebhooksCopySecretNow, &[("url", &secret.url)]);
    view! {
        <div class="banner banner-success wh-secret" role="status">
            <p>
                <strong>{intro}</strong>
                " "{copy_now}
            </p>
            <CopyField id="new-signing-secret" label=d(Dash::WebhooksNewSecret) value=secret.secret button=d(Dash::WebhooksCopySecret)/>
            <p>{d(Dash::WebhooksSignatureCheck)}" "<code>"Rendezvous-Signature"</code>" "{d(Dash::WebhooksSignatureHeader)}</p>
            {children.map(|children| children())}
        </div>
    }
}

#[component]
fn EndpointList(endpoints: Vec<EndpointView>) -> impl IntoView {
    if endpoints.is_empty() {
        return Either::Left(view! {
            <section class="card empty-state">
                <p class="empty-title">{d(Dash::WebhooksNoEndpoints)}</p>
                <p class="muted">{d(Dash::WebhooksNoEndpointsHint)}</p>
            </section>
        });
    }
    let items = endpoints
        .into_iter()
        .map(|endpoint| view! { <EndpointItem endpoint/> })
        .collect_view();
    Either::Right(view! { <ul class="wh-list" aria-label=d(Dash::WebhooksEndpoints)>{items}</ul> })
}

#[component]
fn EndpointItem(endpoint: EndpointView) -> impl IntoView {
    let href = format!("/dashboard/webhooks/{}", endpoint.id);
    let (heading, labelled_by) = (format!("wh-{}-url", endpoint.id), format!("wh-{}-url", endpoint.id));
    let open_label = df(Dash::WebhooksOpenLabel, &[("url", &endpoint.url)]);
    view! {
        <li>
            <article class="wh-card" aria-labelledby=labelled_by>
                <header class="wh-card-head">
                    <h2 id=heading><a href=href.clone()>{endpoint.url}</a></h2>
                    <StatusBadge status=endpoint.status.clone()/>
                </header>
                {(!endpoint.description.is_empty()).then(|| view! { <p class="wh-description">{endpoint.description}</p> })}
                <Subscriptions events=endpoint.events event_types=endpoint.event_types/>
                <StatusDetail status=endpoint.status/>
                <a class="button wh-open" href=href aria-label=open_label>{d(Dash::WebhooksOpen)}</a>
            </article>
        </li>
    }
}

/// What the endpoint receives: its events and for which event types.
#[component]
fn Subscriptions(events: Vec<String>, event_types: String) -> impl IntoView {
    let chips = events
        .into_iter()
        .map(|label| view! { <li class="chip">{label}</li> })
        .collect_view();
    view! {
        <dl class="facts wh-facts">
            <dt>{d(Dash::WebhooksEvents)}</dt>
            <dd><ul class="chips">{chips}</ul></dd>
            <dt>{d(Dash::WebhooksEventTypes)}</dt>
            <dd>{event_types}</dd>
        </dl>
    }
}

#[component]
fn StatusBadge(status: EndpointStatus) -> impl IntoView {
    let class = match status.health {
        Health::Active => "wh-status wh-status-active",
        Health::Failing => "wh-status wh-status-failing",
        Health::Disabled => "wh-status wh-status-disabled",
    };
    view! { <span class=class>{status.label}</span> }
}

#[component]
fn StatusDetail(status: EndpointStatus) -> impl IntoView {
    let class = match status.health {
        Health::Disabled | Health::Failing => "wh-status-detail wh-status-detail-problem",
        Health::Active => "wh-status-detail",
    };
    status.detail.map(|detail| view! { <p class=class>{detail}</p> })
}

/// Where to read about the payload and how to check a signature.
#[component]
fn HowItWorks() -> impl IntoView {
    view! {
        <section class="card wh-help" aria-labelledby="wh-help-heading">
            <h2 id="wh-help-heading">{d(Dash::WebhooksHelpTitle)}</h2>
            <p>
                {d(Dash::WebhooksHelpPost)}" "<code>"Rendezvous-Delivery"</code>" "{d(Dash::WebhooksHelpRepeats)}
            </p>
            <p>
                {d(Dash::WebhooksHelpVerify)}" "<code>"t"</code>" "{d(Dash::WebhooksHelpAnd)}" "<code>"v1"</code>" "
                {d(Dash::WebhooksHelpFromThe)}" "<code>"Rendezvous-Signature"</code>" "{d(Dash::WebhooksHelpCompute)}" "
                <code>"{t}.{body}"</code>" "{d(Dash::WebhooksHelpCompare)}" "<code>"v1"</code>{d(Dash::WebhooksHelpReject)}" "
                <code>"t"</code>" "{d(Dash::WebhooksHelpTooOld)}
            </p>
            <p>
                {d(Dash::WebhooksHelpDocs)}" "<a href="/api/docs" rel="external">{d(Dash::WebhooksHelpApiReference)}</a>
                " "{d(Dash::WebhooksHelpDocsAnd)}" "<a href="/api/v1/openapi.json" rel="external">{d(Dash::WebhooksHelpOpenapi)}</a>
                {d(Dash::WebhooksHelpReadme)}
            </p>
        </section>
    }
}
