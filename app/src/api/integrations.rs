use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One calendar of a connected account with the member's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarRow {
    pub id: String,
    pub name: String,
    pub primary: bool,
    pub writable: bool,
    pub check_conflicts: bool,
}

/// A connected account as the Integrations page shows it; tokens never leave the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionRow {
    /// `google`.
    pub provider: String,
    pub label: String,
    pub account: String,
    pub reconnect_needed: bool,
    pub problem: Option<String>,
    pub calendars: Vec<CalendarRow>,
    pub destination: Option<String>,
    /// "Busy time read 5 minutes ago", in the viewer's words.
    pub synced: Option<String>,
    /// Set while busy time is too old to trust: the member is not offered for booking.
    pub stale_warning: Option<String>,
    /// "Updates: instant (renews 12 May)", "Updates: every minute (no public HTTPS address)", …
    pub updates: String,
    /// "Last synced 2 minutes ago".
    pub last_sync: Option<String>,
    /// "Last error at 14:05 on 3 Dec: …", while syncing fails.
    pub sync_error: Option<String>,
}

/// One provider on the Integrations page: its connection, or how to connect or enable it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderCard {
    /// `google` or `microsoft`, as in the connect address.
    pub provider: String,
    pub label: String,
    pub configured: bool,
    /// What an admin registers with the provider.
    pub redirect_uri: String,
    pub connection: Option<ConnectionRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationsView {
    pub cards: Vec<ProviderCard>,
    /// "When I move or delete a booked meeting in my calendar": `apply` or `flag`.
    pub host_changes: String,
}

#[server]
pub async fn load_integrations() -> Result<IntegrationsView, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let page = services.integrations(&viewer, viewer.id).await?;
    let now = services.clock().now();
    let zone = crate::ssr::Zone::new(&viewer.timezone);
    let mut rows = Vec::with_capacity(page.connections.len());
    for connection in &page.connections {
        let follow = services.follow_status(connection).await?;
        rows.push(connection_row(connection, &follow, (now, &zone)));
    }
    let cards = page
        .providers
        .into_iter()
        .map(|setup| ProviderCard {
            provider: setup.provider.as_str().to_owned(),
            label: setup.provider.label().to_owned(),
            configured: setup.configured,
            redirect_uri: setup.redirect_uri,
            connection: rows.iter().find(|c| c.provider == setup.provider.as_str()).cloned(),
        })
        .collect();
    let host_changes = match services.host_changes(&viewer, viewer.id).await? {
        services::calendars::HostChanges::Apply => "apply",
        services::calendars::HostChanges::Flag => "flag",
    };
    Ok(IntegrationsView {
        cards,
        host_changes: host_changes.to_owned(),
    })
}

#[cfg(feature = "ssr")]
fn connection_row(
    c: &services::calendars::Connection,
    follow: &services::calendars::FollowStatus,
    (now, zone): (i64, &crate::ssr::Zone),
) -> ConnectionRow {
    ConnectionRow {
        provider: c.provider.as_str().to_owned(),
        label: c.provider.label().to_owned(),
        reconnect_needed: c.status == services::calendars::ConnectionStatus::ReconnectNeeded,
        stale_warning: c.busy_is_stale(now).then(|| stale_warning(c.busy_error.as_deref())),
        synced: c.busy_synced_at.map(|at| crate::ssr::time_ago(now - at)),
        calendars: c
            .calendars
            .iter()
            .map(|k| CalendarRow {
                id: k.id.clone(),
                name: k.name.clone(),
                primary: k.primary,
                writable: k.writable,
                check_conflicts: k.check_conflicts,
            })
            .collect(),
        account: c.account.clone(),
        problem: c.problem.clone(),
        destination: c.destination.clone(),
        updates: updates(&follow.updates, c.provider.company(), zone),
        last_sync: follow
            .last_synced_at
            .map(|at| format!("Last synced {}.", crate::ssr::time_ago(now - at))),
        sync_error: follow
            .last_error
            .as_ref()
            .map(|(error, at)| format!("Last error at {}: {error}", zone.format(*at, "%H:%M on %-d %b"))),
    }
}

/// How changes in the calendar reach Rendezvous, in the member's words.
#[cfg(feature = "ssr")]
fn updates(updates: &services::calendars::Updates, company: &str, zone: &crate::ssr::Zone) -> String {
    use services::calendars::{PollReason, Updates};
    match updates {
        Updates::Instant { renews_at } => format!("Updates: instant (renews {})", zone.format(*renews_at, "%-d %b")),
        Updates::Polled { every_secs, why } => {
            let every = match every_secs {
                60 => "every minute".to_owned(),
                s if s % 60 == 0 => format!("every {} minutes", s / 60),
                s => format!("every {s} seconds"),
            };
            let why = match why {
                PollReason::NoPublicHttps => "no public HTTPS address".to_owned(),
                PollReason::PushOff => "push notifications are switched off".to_owned(),
                PollReason::NoChannel(Some(refusal)) => format!("{company} refused push notifications: {refusal}"),
                PollReason::NoChannel(None) => "push notifications are being set up".to_owned(),
            };
            format!("Updates: {every} ({why})")
        }
        Updates::Paused => "Updates: paused".to_owned(),
    }
}

/// The provider a form names (`google`); anything else is not a page we have.
#[cfg(feature = "ssr")]
fn provider_named(raw: &str) -> Result<services::calendars::Provider, AppError> {
    services::calendars::Provider::parse(raw).ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
fn stale_warning(error: Option<&str>) -> String {
    let why = error.map(|e| format!(" (last attempt: {e})")).unwrap_or_default();
    format!(
        "Your busy time could not be read for over an hour{why}. Until it can, prospects are not offered \
         your times, so nothing can clash with your calendar."
    )
}

/// Saves which calendars are checked for conflicts and which receives bookings (`none`: none).
#[server]
pub async fn save_calendars(
    provider: String,
    conflicts: Option<Vec<String>>,
    destination: String,
) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let provider = provider_named(&provider)?;
    let destination = (destination != "none").then_some(destination);
    services
        .choose_calendars(
            &viewer,
            viewer.id,
            provider,
            &conflicts.unwrap_or_default(),
            destination.as_deref(),
        )
        .await?;
    Ok(())
}

/// "Sync now": reads busy time at once and syncs the connection's calendars (rate limited).
#[server]
pub async fn sync_calendar_now(provider: String) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let provider = provider_named(&provider)?;
    services.sync_now(&viewer, viewer.id, provider).await?;
    Ok(())
}

/// "When I move or delete a booked meeting in my calendar": `apply` or `flag`.
#[server]
pub async fn save_host_changes(choice: String) -> Result<(), AppError> {
    use services::calendars::HostChanges;
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let choice = match choice.as_str() {
        "apply" => HostChanges::Apply,
        "flag" => HostChanges::Flag,
        _ => return Err(AppError::NotFound),
    };
    services.set_host_changes(&viewer, viewer.id, choice).await?;
    Ok(())
}

#[server]
pub async fn disconnect_calendar(provider: String) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let provider = provider_named(&provider)?;
    services.disconnect(&viewer, viewer.id, provider).await?;
    Ok(())
}

/// Calendar problems the viewer should hear about on the overview: their own, and for admins
/// every member's.
#[server]
pub async fn calendar_alerts() -> Result<Vec<String>, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let now = services.clock().now();
    let own = services.integrations(&viewer, viewer.id).await?.connections;
    let mut alerts: Vec<String> = own
        .iter()
        .filter_map(|c| calendar_alert(None, c.provider.label(), c.health(now)))
        .collect();
    for connection in &own {
        if services.follow_status(connection).await?.failing() {
            alerts.push(sync_alert(None, connection.provider.label()));
        }
    }
    alerts.extend(
        services
            .missing_meetings(&viewer)
            .await?
            .iter()
            .map(|missing| meeting_alert(missing, viewer.id)),
    );
    if viewer.role.is_admin() {
        let team = services.team_calendars(&viewer).await?;
        let others = || team.iter().filter(|c| c.member_id != viewer.id);
        alerts.extend(others().filter_map(|c| calendar_alert(Some(&c.member_name), c.provider.label(), c.health)));
        alerts.extend(
            others()
                .filter(|c| c.sync_failing)
                .map(|c| sync_alert(Some(&c.member_name), c.provider.label())),
        );
    }
    Ok(alerts)
}

/// Upcoming bookings that have no video meeting because the provider would not make one.
#[cfg(feature = "ssr")]
fn meeting_alert(missing: &services::conferencing::MissingMeetings, viewer: i64) -> String {
    let whose = if missing.member_id == viewer {
        "your".to_owned()
    } else {
        format!("{}'s", missing.member_name)
    };
    let count = match missing.bookings {
        1 => "1 upcoming booking".to_owned(),
        n => format!("{n} upcoming bookings"),
    };
    format!(
        "{count} in {whose} calendar could not get a {} meeting: send the attendees a link to join (each \
         booking's page says why).",
        missing.kind.label()
    )
}

/// Syncing a calendar keeps failing: the member's changes there do not reach their bookings.
#[cfg(feature = "ssr")]
fn sync_alert(whose: Option<&str>, calendar: &str) -> String {
    let (owner, their) = match whose {
        None => ("Your".to_owned(), "you make"),
        Some(name) => (format!("{name}'s"), "they make"),
    };
    format!(
        "{owner} {calendar} could not be synced lately: changes {their} there may not reach Rendezvous yet. \
         Busy time is still read; see Integrations for the error."
    )
}

/// What a calendar's problem means for bookings, said to its member (`whose` is `None`) or about
/// them to an admin.
#[cfg(feature = "ssr")]
fn calendar_alert(whose: Option<&str>, calendar: &str, health: services::calendars::CalendarHealth) -> Option<String> {
    use services::calendars::CalendarHealth;
    let (owner, they, their) = match whose {
        None => ("Your".to_owned(), "you", "your"),
        Some(name) => (format!("{name}'s"), "they", "their"),
    };
    match health {
        CalendarHealth::Healthy => None,
        CalendarHealth::ReconnectNeeded => Some(format!(
            "{owner} {calendar} needs to be reconnected: bookings are not added to it, and an hour after it was \
             last read {they} stop being offered for booking."
        )),
        CalendarHealth::Stale => Some(format!(
            "{owner} {calendar} could not be read for over an hour, so {their} times are not offered meanwhile."
        )),
    }
}
