mod caldav;

use crate::api::{
    ConnectCaldav, ConnectionRow, DisconnectCalendar, ProviderCard, SaveCalendars, SaveHostChanges, SyncCalendarNow,
    load_integrations,
};
use crate::components::{ErrorBanner, SubmitButton, count_successes, failure, form_error, succeeded};
use crate::lang::{Dash, d, df};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The providers, as they appear in addresses (`/integrations/google/connect`, `?google=…`).
const PROVIDERS: [&str; 3] = ["google", "microsoft", "caldav"];

/// The calendar's name and its company's, for messages about a provider.
fn names(provider: &str) -> (&'static str, &'static str) {
    match provider {
        "microsoft" => (d(Dash::IntegrationsOutlookCalendar), "Microsoft"),
        "caldav" => (d(Dash::IntegrationsCaldavCalendar), "CalDAV"),
        _ => (d(Dash::IntegrationsGoogleCalendar), "Google"),
    }
}

/// Each provider's own actions, kept by the page so their outcome survives the reload they cause.
#[derive(Clone, Copy)]
struct CardActions {
    /// Signing in to a CalDAV server (the OAuth providers connect through a redirect).
    caldav: ServerAction<ConnectCaldav>,
    save: ServerAction<SaveCalendars>,
    disconnect: ServerAction<DisconnectCalendar>,
    sync_now: ServerAction<SyncCalendarNow>,
}

/// Calendar connections of the signed-in member: connect Google or Outlook (or read how an admin
/// enables them), choose the calendars checked for conflicts and the one receiving bookings, see
/// problems, disconnect.
#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let caldav = ServerAction::<ConnectCaldav>::new();
    // Only a connection reloads the page: a refused sign-in keeps its form as typed.
    let caldav_connected = RwSignal::new(0_u32);
    count_successes(caldav.value(), caldav_connected);
    let actions = PROVIDERS.map(|provider| {
        let actions = CardActions {
            caldav,
            save: ServerAction::new(),
            disconnect: ServerAction::new(),
            sync_now: ServerAction::new(),
        };
        (provider, actions)
    });
    let host_changes = ServerAction::<SaveHostChanges>::new();
    let page = Resource::new(
        move || {
            let versions = actions
                .iter()
                .map(|(_, a)| a.save.version().get() + a.disconnect.version().get() + a.sync_now.version().get());
            versions.sum::<usize>() + host_changes.version().get() + caldav_connected.get() as usize
        },
        |_| load_integrations(),
    );
    let outcome = move || {
        let query = use_query_map().read();
        PROVIDERS.into_iter().find_map(|p| query.get(p).map(|code| (p, code)))
    };
    let actions_of = move |provider: &str| actions.iter().find(|(p, _)| *p == provider).map(|(_, a)| *a);
    view! {
        <Title text=d(Dash::IntegrationsTitle)/>
        <header class="page-header">
            <h1>{d(Dash::IntegrationsTitle)}</h1>
            <p class="muted">{d(Dash::IntegrationsIntro)}</p>
        </header>
        {move || outcome().map(|(provider, code)| view! { <Outcome provider code/> })}
        <Suspense fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                page.await.map(|page| {
                    let connected = page.cards.iter().any(|c| c.connection.is_some());
                    let cards = page
                        .cards
                        .into_iter()
                        .filter_map(|card| {
                            let actions = actions_of(&card.provider)?;
                            Some(view! { <Card card actions/> })
                        })
                        .collect_view();
                    let choice = page.host_changes;
                    view! {
                        {cards}
                        {connected.then(|| view! { <HostChangesCard choice action=host_changes/> })}
                    }
                })
            })}
        </Suspense>
    }
}

#[component]
fn Outcome(provider: &'static str, code: String) -> impl IntoView {
    let (calendar, company) = names(provider);
    let text = match code.as_str() {
        "connected" => df(Dash::IntegrationsOutcomeConnected, &[("calendar", calendar)]),
        "declined" => d(Dash::IntegrationsOutcomeDeclined).to_owned(),
        "expired" => d(Dash::IntegrationsOutcomeExpired).to_owned(),
        "permissions" => d(Dash::IntegrationsOutcomePermissions).to_owned(),
        "unreachable" => df(Dash::IntegrationsOutcomeUnreachable, &[("company", company)]),
        "unavailable" => df(Dash::IntegrationsOutcomeUnavailable, &[("calendar", calendar)]),
        _ => df(Dash::IntegrationsOutcomeFailed, &[("calendar", calendar)]),
    };
    let (class, role) = if code == "connected" {
        ("banner banner-success", "status")
    } else {
        ("banner banner-error", "alert")
    };
    view! { <div class=class role=role>{text}</div> }
}

#[component]
fn Card(card: ProviderCard, actions: CardActions) -> impl IntoView {
    let heading = format!("{}-heading", card.provider);
    let labelled_by = heading.clone();
    let connect = format!("/integrations/{}/connect", card.provider);
    let title = if card.provider == "caldav" {
        d(Dash::CaldavTitle).to_owned()
    } else {
        card.label.clone()
    };
    let body = match (card.connection, card.configured) {
        (Some(connection), _) => view! { <Connected connection actions/> }.into_any(),
        (None, _) if card.provider == "caldav" => view! {
            <p class="muted">{d(Dash::CaldavIntro)}</p>
            <caldav::CaldavForm action=actions.caldav/>
        }
        .into_any(),
        (None, true) => view! {
            <p>{d(Dash::IntegrationsNotConnected)}</p>
            <form method="post" action=connect>
                <button type="submit" class="button button-primary">{df(Dash::IntegrationsConnect, &[("label", &card.label)])}</button>
            </form>
        }
        .into_any(),
        (None, false) => view! { <NotConfigured provider=card.provider redirect_uri=card.redirect_uri/> }.into_any(),
    };
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            {body}
        </section>
    }
}

#[component]
fn NotConfigured(provider: String, redirect_uri: String) -> impl IntoView {
    let (calendar, _) = names(&provider);
    let (register, prefix) = if provider == "microsoft" {
        (d(Dash::IntegrationsRegisterMicrosoft), "MICROSOFT")
    } else {
        (d(Dash::IntegrationsRegisterGoogle), "GOOGLE")
    };
    view! {
        <p>{df(Dash::IntegrationsNotSetUp, &[("calendar", calendar)])}</p>
        <ol class="steps">
            <li>{register}</li>
            <li>{d(Dash::IntegrationsRedirectUri)}" "<code>{redirect_uri}</code></li>
            <li>
                {d(Dash::IntegrationsEnvSet)}" "<code>{format!("RENDEZVOUS_{prefix}_CLIENT_ID")}</code>" "{d(Dash::IntegrationsEnvAnd)}" "
                <code>{format!("RENDEZVOUS_{prefix}_CLIENT_SECRET")}</code>" "{d(Dash::IntegrationsEnvRestart)}
            </li>
        </ol>
    }
}

#[component]
fn Connected(connection: ConnectionRow, actions: CardActions) -> impl IntoView {
    let CardActions {
        caldav,
        save,
        disconnect,
        sync_now,
    } = actions;
    let provider = connection.provider.clone();
    let label = connection.label.clone();
    let save_error = form_error(failure(save.value()));
    let saved = succeeded(save.value(), save.pending());
    let reconnect = format!("/integrations/{provider}/connect");
    let reconnect_label = df(Dash::IntegrationsReconnect, &[("label", &label)]);
    let disconnect_label = df(Dash::IntegrationsDisconnect, &[("label", &label)]);
    let status = match (&connection.problem, connection.reconnect_needed) {
        (Some(problem), true) if provider == "caldav" => view! {
            <div class="banner banner-error" role="alert">
                <p><strong>{d(Dash::IntegrationsReconnectNeeded)}" "</strong>{problem.clone()}</p>
            </div>
            <caldav::CaldavForm action=caldav reconnect=true/>
        }
        .into_any(),
        (Some(problem), true) => view! {
            <div class="banner banner-error" role="alert">
                <p><strong>{d(Dash::IntegrationsReconnectNeeded)}" "</strong>{problem.clone()}</p>
                <form method="post" action=reconnect>
                    <button type="submit" class="button button-primary">{reconnect_label}</button>
                </form>
            </div>
        }
        .into_any(),
        _ => view! { <p>{d(Dash::IntegrationsConnectedAs)}" "<strong>{connection.account.clone()}</strong>"."</p> }
            .into_any(),
    };
    let synced = connection
        .synced
        .clone()
        .map(|ago| df(Dash::IntegrationsBusyTimeRead, &[("ago", &ago)]));
    let destination_id = format!("destination-{provider}");
    let hint_id = format!("{destination_id}-hint");
    let saving = provider.clone();
    view! {
        {status}
        {connection.stale_warning.clone().map(|warning| view! { <div class="banner banner-error" role="alert">{warning}</div> })}
        <div class="follow-status">
            <p>{connection.updates.clone()}</p>
            {connection.last_sync.clone().map(|s| view! { <p class="muted">{s}</p> })}
            {synced.map(|s| view! { <p class="muted">{s}</p> })}
            {connection.sync_error.clone().map(|e| view! { <p class="field-error">{e}</p> })}
        </div>
        <SyncNow provider=provider.clone() action=sync_now/>
        <ActionForm action=save attr:class="form">
            <ErrorBanner message=save_error/>
            <input type="hidden" name="provider" value=saving/>
            <fieldset>
                <legend>{d(Dash::IntegrationsCheckCalendars)}</legend>
                <ConflictChoices connection=connection.clone()/>
            </fieldset>
            <div class="field">
                <label for=destination_id.clone()>{d(Dash::IntegrationsAddBookingsTo)}</label>
                <select id=destination_id name="destination" aria-describedby=hint_id.clone()>
                    <DestinationOptions connection=connection.clone()/>
                </select>
                <p class="field-hint" id=hint_id>
                    {d(Dash::IntegrationsDestinationHint)}
                </p>
            </div>
            <div class="form-actions">
                <SubmitButton label=d(Dash::IntegrationsSaveCalendars) busy_label=d(Dash::IntegrationsSaving) pending=save.pending()/>
                <p class="saved" role="status" hidden=move || !saved.get()>{d(Dash::IntegrationsSaved)}</p>
            </div>
        </ActionForm>
        <ActionForm action=disconnect attr:class="disconnect">
            <input type="hidden" name="provider" value=provider/>
            <p class="muted">{d(Dash::IntegrationsDisconnectHint)}</p>
            <button type="submit" class="button button-danger">{disconnect_label}</button>
        </ActionForm>
    }
}

#[component]
fn ConflictChoices(connection: ConnectionRow) -> impl IntoView {
    connection
        .calendars
        .into_iter()
        .enumerate()
        .map(|(index, c)| {
            let id = format!("conflict-{}-{index}", connection.provider);
            view! {
                <div class="check">
                    <input type="checkbox" id=id.clone() name="conflicts[]" value=c.id checked=c.check_conflicts/>
                    <label for=id>
                        {c.color.map(|color| view! { <span class="calendar-swatch" style=format!("background:{color}") aria-hidden="true"></span> })}
                        {c.name}{c.primary.then(|| format!(" {}", d(Dash::IntegrationsPrimary)))}
                    </label>
                </div>
            }
        })
        .collect_view()
}

#[component]
fn DestinationOptions(connection: ConnectionRow) -> impl IntoView {
    let destination = connection.destination.unwrap_or_else(|| "none".into());
    let options = connection
        .calendars
        .into_iter()
        .filter(|c| c.writable)
        .map(|c| {
            let selected = c.id == destination;
            view! { <option value=c.id selected=selected>{c.name}</option> }
        })
        .collect_view();
    view! {
        {options}
        <option value="none" selected=destination == "none">{d(Dash::IntegrationsNoDestination)}</option>
    }
}

/// Syncs the connection at once; at most twice a minute.
#[component]
fn SyncNow(provider: String, action: ServerAction<SyncCalendarNow>) -> impl IntoView {
    let error = form_error(failure(action.value()));
    let done = succeeded(action.value(), action.pending());
    view! {
        <ActionForm action=action attr:class="sync-now">
            <input type="hidden" name="provider" value=provider/>
            <SubmitButton label=d(Dash::IntegrationsSyncNow) busy_label=d(Dash::IntegrationsSyncing) pending=action.pending()/>
            <p class="saved" role="status" hidden=move || !done.get()>{d(Dash::IntegrationsSynced)}</p>
            <ErrorBanner message=error/>
        </ActionForm>
    }
}

/// "When I move or delete a booked meeting in my calendar".
#[component]
fn HostChangesCard(choice: String, action: ServerAction<SaveHostChanges>) -> impl IntoView {
    let error = form_error(failure(action.value()));
    let saved = succeeded(action.value(), action.pending());
    let option = move |value: &'static str, label: &'static str| {
        let id = format!("host-changes-{value}");
        let checked = choice == value;
        view! {
            <div class="check">
                <input type="radio" id=id.clone() name="choice" value=value checked=checked/>
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="host-changes-heading">
            <h2 id="host-changes-heading">{d(Dash::IntegrationsHostChangesTitle)}</h2>
            <ActionForm action=action attr:class="form">
                <ErrorBanner message=error/>
                <fieldset aria-describedby="host-changes-hint">
                    <legend>{d(Dash::IntegrationsHostChangesLegend)}</legend>
                    {option("apply", d(Dash::IntegrationsHostChangesApply))}
                    {option("flag", d(Dash::IntegrationsHostChangesFlag))}
                    <p class="field-hint" id="host-changes-hint">
                        {d(Dash::IntegrationsHostChangesHint)}
                    </p>
                </fieldset>
                <div class="form-actions">
                    <SubmitButton label=d(Dash::IntegrationsSave) busy_label=d(Dash::IntegrationsSaving) pending=action.pending()/>
                    <p class="saved" role="status" hidden=move || !saved.get()>{d(Dash::IntegrationsSaved)}</p>
                </div>
            </ActionForm>
        </section>
    }
}
