use crate::api::{ConnectionRow, DisconnectCalendar, IntegrationsView, SaveCalendars, load_integrations};
use crate::components::{ErrorBanner, SubmitButton, failure, form_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Calendar connections of the signed-in member: connect Google (or read how an admin enables
/// it), choose the calendars checked for conflicts and the one receiving bookings, see problems,
/// disconnect.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let save = ServerAction::<SaveCalendars>::new();
    let disconnect = ServerAction::<DisconnectCalendar>::new();
    let page = Resource::new(
        move || (save.version().get(), disconnect.version().get()),
        |_| load_integrations(),
    );
    let outcome = move || use_query_map().read().get("google");
    view! {
        <Title text="Integrations"/>
        <header class="page-header">
            <h1>"Integrations"</h1>
            <p class="muted">"Connect your calendar so your meetings block booking times and new bookings land in it."</p>
        </header>
        {move || outcome().map(|code| view! { <Outcome code/> })}
        <Suspense fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                page.await.map(|page| view! { <GoogleCard page save disconnect/> })
            })}
        </Suspense>
    }
}

#[component]
fn Outcome(code: String) -> impl IntoView {
    let (class, text) = match code.as_str() {
        "connected" => ("banner banner-success", "Google Calendar is connected."),
        "declined" => ("banner banner-error", "You declined access, so nothing was connected."),
        "expired" => (
            "banner banner-error",
            "That connection attempt expired. Please connect again.",
        ),
        "permissions" => (
            "banner banner-error",
            "Rendezvous needs every permission it asks for. Connect again and leave all boxes ticked.",
        ),
        "unreachable" => (
            "banner banner-error",
            "Google could not be reached. Please try again in a moment.",
        ),
        "unavailable" => (
            "banner banner-error",
            "Google Calendar is not configured on this server.",
        ),
        _ => (
            "banner banner-error",
            "Google Calendar could not be connected. Please try again.",
        ),
    };
    let role = if code == "connected" { "status" } else { "alert" };
    view! { <div class=class role=role>{text}</div> }
}

#[component]
fn GoogleCard(
    page: IntegrationsView,
    save: ServerAction<SaveCalendars>,
    disconnect: ServerAction<DisconnectCalendar>,
) -> impl IntoView {
    let connection = page.connections.into_iter().find(|c| c.provider == "google");
    let body = match (connection, page.google_configured) {
        (Some(connection), _) => view! { <Connected connection save disconnect/> }.into_any(),
        (None, true) => view! {
            <p>"Not connected."</p>
            <form method="post" action="/integrations/google/connect">
                <button type="submit" class="button button-primary">"Connect Google Calendar"</button>
            </form>
        }
        .into_any(),
        (None, false) => view! { <NotConfigured redirect_uri=page.redirect_uri/> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby="google-heading">
            <h2 id="google-heading">"Google Calendar"</h2>
            {body}
        </section>
    }
}

#[component]
fn NotConfigured(redirect_uri: String) -> impl IntoView {
    view! {
        <p>"Google Calendar is not set up on this server yet. An administrator enables it once:"</p>
        <ol class="steps">
            <li>"In the Google Cloud console, create an OAuth client of type “Web application” and enable the Google Calendar API."</li>
            <li>"Add this authorized redirect URI: "<code>{redirect_uri}</code></li>
            <li>"Set "<code>"RENDEZVOUS_GOOGLE_CLIENT_ID"</code>" and "<code>"RENDEZVOUS_GOOGLE_CLIENT_SECRET"</code>" and restart Rendezvous."</li>
        </ol>
    }
}

#[component]
fn Connected(
    connection: ConnectionRow,
    save: ServerAction<SaveCalendars>,
    disconnect: ServerAction<DisconnectCalendar>,
) -> impl IntoView {
    let save_error = form_error(failure(save.value()));
    let saved = move || save.value().get().is_some_and(|r| r.is_ok()) && !save.pending().get();
    let status = match (&connection.problem, connection.reconnect_needed) {
        (Some(problem), true) => view! {
            <div class="banner banner-error" role="alert">
                <p><strong>"Reconnect needed. "</strong>{problem.clone()}</p>
                <form method="post" action="/integrations/google/connect">
                    <button type="submit" class="button button-primary">"Reconnect Google Calendar"</button>
                </form>
            </div>
        }
        .into_any(),
        _ => view! { <p>"Connected as "<strong>{connection.account.clone()}</strong>"."</p> }.into_any(),
    };
    let synced = connection.synced.clone().map(|ago| format!("Busy time read {ago}."));
    let writable: Vec<_> = connection.calendars.iter().filter(|c| c.writable).cloned().collect();
    let destination = connection.destination.clone().unwrap_or_else(|| "none".into());
    let checks = connection
        .calendars
        .iter()
        .map(|c| {
            let id = format!("conflict-{}", c.id);
            view! {
                <div class="check">
                    <input type="checkbox" id=id.clone() name="conflicts[]" value=c.id.clone() checked=c.check_conflicts/>
                    <label for=id>{c.name.clone()}{c.primary.then_some(" (primary)")}</label>
                </div>
            }
        })
        .collect_view();
    let options = writable
        .into_iter()
        .map(|c| {
            let selected = c.id == destination;
            view! { <option value=c.id selected=selected>{c.name}</option> }
        })
        .collect_view();
    view! {
        {status}
        {connection.stale_warning.map(|warning| view! { <div class="banner banner-error" role="alert">{warning}</div> })}
        {synced.map(|s| view! { <p class="muted">{s}</p> })}
        <ActionForm action=save attr:class="form">
            <ErrorBanner message=save_error/>
            <input type="hidden" name="provider" value="google"/>
            <fieldset>
                <legend>"Check these calendars for conflicts"</legend>
                {checks}
            </fieldset>
            <div class="field">
                <label for="destination">"Add new bookings to"</label>
                <select id="destination" name="destination">
                    {options}
                    <option value="none" selected=destination == "none">"Don't add bookings to a calendar"</option>
                </select>
            </div>
            <div class="form-actions">
                <SubmitButton label="Save calendars" busy_label="Saving…" pending=save.pending()/>
                <p class="saved" role="status" hidden=move || !saved()>"Saved."</p>
            </div>
        </ActionForm>
        <ActionForm action=disconnect attr:class="disconnect">
            <input type="hidden" name="provider" value="google"/>
            <p class="muted">"Disconnecting keeps your bookings; Rendezvous stops reading and writing this calendar."</p>
            <button type="submit" class="button button-danger">"Disconnect Google Calendar"</button>
        </ActionForm>
    }
}
