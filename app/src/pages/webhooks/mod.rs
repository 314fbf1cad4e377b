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
use fields::EndpointFields;
use leptos::either::Either;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_meta::Title;

const ADMINS_ONLY: &str = "Only admins can manage the team's webhooks.";

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
        <Title text="Webhooks"/>
        <header class="page-header">
            <div>
                <h1>"Webhooks"</h1>
                <p class="muted">"Send every new, moved and cancelled booking to your CRM or your own tools, as it happens."</p>
            </div>
            <button type="button" class="button button-primary" aria-expanded=move || adding.get().to_string()
                aria-controls="add-endpoint" on:click=open_form>
                "Add endpoint"
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
    let page_error = |error: AppError| view! { <PageError error forbidden=ADMINS_ONLY/> };
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
            <h2 id="add-endpoint-heading">"Add an endpoint"</h2>
            <ActionForm action=create attr:class="form wh-form">
                <ErrorBanner message=form_error(failed)/>
                <EndpointFields form=starting choices failed url_field/>
                <div class="form-actions">
                    <SubmitButton label="Create endpoint" busy_label="Creating…" pending=create.pending()/>
                    <button type="button" class="button" on:click=move |_| adding.set(false)>"Cancel"</button>
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
                <SecretOnce secret intro="Endpoint added.">
                    <p><a href=details>"Send a test event"</a>" to try it."</p>
                </SecretOnce>
            }
        })
    }
}

/// A signing secret with a Copy button, and the warning that it is shown only now.
#[component]
fn SecretOnce(secret: NewSecret, intro: &'static str, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <div class="banner banner-success wh-secret" role="status">
            <p>
                <strong>{intro}</strong>
                {format!(" Copy the signing secret of {} now: you won't see it again.", secret.url)}
            </p>
            <CopyField id="new-signing-secret" label="New signing secret" value=secret.secret button="Copy secret"/>
            <p>"Your receiver checks each delivery's "<code>"Rendezvous-Signature"</code>" header with it."</p>
            {children.map(|children| children())}
        </div>
    }
}

#[component]
fn EndpointList(endpoints: Vec<EndpointView>) -> impl IntoView {
    if endpoints.is_empty() {
        return Either::Left(view! {
            <section class="card empty-state">
                <p class="empty-title">"No endpoints yet"</p>
                <p class="muted">"Add one to have bookings sent to it as they happen."</p>
            </section>
        });
    }
    let items = endpoints
        .into_iter()
        .map(|endpoint| view! { <EndpointItem endpoint/> })
        .collect_view();
    Either::Right(view! { <ul class="wh-list" aria-label="Endpoints">{items}</ul> })
}

#[component]
fn EndpointItem(endpoint: EndpointView) -> impl IntoView {
    let href = format!("/dashboard/webhooks/{}", endpoint.id);
    let (heading, labelled_by) = (format!("wh-{}-url", endpoint.id), format!("wh-{}-url", endpoint.id));
    let open_label = format!("Deliveries and settings of {}", endpoint.url);
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
                <a class="button wh-open" href=href aria-label=open_label>"Deliveries and settings"</a>
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
            <dt>"Events"</dt>
            <dd><ul class="chips">{chips}</ul></dd>
            <dt>"Event types"</dt>
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
            <h2 id="wh-help-heading">"How deliveries work"</h2>
            <p>
                "Each change is POSTed as JSON. Answer with any 2xx within 10 seconds; network errors, 408, 429 and 5xx "
                "are retried for up to three days. The same "<code>"Rendezvous-Delivery"</code>" id can arrive twice: drop repeats."
            </p>
            <p>
                "To verify a delivery, take "<code>"t"</code>" and "<code>"v1"</code>" from the "
                <code>"Rendezvous-Signature"</code>" header, compute the hex HMAC-SHA256 of "<code>"{t}.{body}"</code>
                " with the endpoint's secret and compare it with "<code>"v1"</code>"; reject a "<code>"t"</code>
                " more than 5 minutes old."
            </p>
            <p>
                "The payload and every header are described in the "<a href="/api/docs" rel="external">"API reference"</a>
                " (webhooks) and the "<a href="/api/v1/openapi.json" rel="external">"OpenAPI document"</a>
                "; see also the README's Webhooks section."
            </p>
        </section>
    }
}
