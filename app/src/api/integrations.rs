use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::lang::{Dash, d, df};
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
    /// `#rrggbb` as the member's own calendar app shows it (checked by the services layer).
    pub color: Option<String>,
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
                color: k.color.clone(),
            })
            .collect(),
        account: c.account.clone(),
        problem: c.problem.clone(),
        destination: c.destination.clone(),
        updates: updates(&follow.updates, c.provider.company(), zone),
        last_sync: follow.last_synced_at.map(|at| {
            df(
                Dash::IntegrationsLastSynced,
                &[("ago", &crate::ssr::time_ago(now - at))],
            )
        }),
        sync_error: follow.last_error.as_ref().map(|(error, at)| {
            let when = zone.format(*at, d(Dash::FormatsErrorTime));
            df(Dash::IntegrationsLastError, &[("when", &when), ("error", error)])
        }),
    }
}

/// How changes in the calendar reach Rendezvous, in the member's words.
#[cfg(feature = "ssr")]
fn updates(updates: &services::calendars::Updates, company: &str, zone: &crate::ssr::Zone) -> String {
    use services::calendars::{PollReason, Updates};
    match updates {
        Updates::Instant { renews_at } => df(
            Dash::IntegrationsUpdatesInstant,
            &[("date", &zone.format(*renews_at, d(Dash::FormatsRenews)))],
        ),
        Updates::Polled { every_secs, why } => {
            let every = match every_secs {
                60 => d(Dash::IntegrationsEveryMinute).to_owned(),
                s if s % 60 == 0 => df(Dash::IntegrationsEveryMinutes, &[("n", &(s / 60).to_string())]),
                s => df(Dash::IntegrationsEverySeconds, &[("n", &s.to_string())]),
            };
            let why = match why {
                PollReason::NoPublicHttps => d(Dash::IntegrationsWhyNoPublicHttps).to_owned(),
                PollReason::PushOff => d(Dash::IntegrationsWhyPushOff).to_owned(),
                PollReason::NoChannel(Some(refusal)) => df(
                    Dash::IntegrationsWhyRefused,
                    &[("company", company), ("refusal", refusal)],
                ),
                PollReason::NoChannel(None) => d(Dash::IntegrationsWhySettingUp).to_owned(),
                PollReason::NotOffered => d(Dash::IntegrationsWhyNoPush).to_owned(),
            };
            df(Dash::IntegrationsUpdatesPolled, &[("every", &every), ("why", &why)])
        }
        Updates::Paused => d(Dash::IntegrationsUpdatesPaused).to_owned(),
    }
}

/// The provider a form names (`google`); anything else is not a page we have.
#[cfg(feature = "ssr")]
fn provider_named(raw: &str) -> Result<services::calendars::Provider, AppError> {
    services::calendars::Provider::parse(raw).ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
fn stale_warning(error: Option<&str>) -> String {
    match error {
        Some(error) => df(Dash::IntegrationsStaleWarningError, &[("error", error)]),
        None => d(Dash::IntegrationsStaleWarning).to_owned(),
    }
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
    use Dash as D;
    let text = match (missing.member_id == viewer, missing.bookings == 1) {
        (true, true) => D::IntegrationsAlertMeetingOwnOne,
        (true, false) => D::IntegrationsAlertMeetingOwnOther,
        (false, true) => D::IntegrationsAlertMeetingMemberOne,
        (false, false) => D::IntegrationsAlertMeetingMemberOther,
    };
    df(
        text,
        &[
            ("n", &missing.bookings.to_string()),
            ("name", &missing.member_name),
            ("meeting", missing.kind.label()),
        ],
    )
}

/// Syncing a calendar keeps failing: the member's changes there do not reach their bookings.
#[cfg(feature = "ssr")]
fn sync_alert(whose: Option<&str>, calendar: &str) -> String {
    about(
        whose,
        (Dash::IntegrationsAlertSyncOwn, Dash::IntegrationsAlertSyncMember),
        calendar,
    )
}

/// What a calendar's problem means for bookings, said to its member (`whose` is `None`) or about
/// them to an admin.
#[cfg(feature = "ssr")]
fn calendar_alert(whose: Option<&str>, calendar: &str, health: services::calendars::CalendarHealth) -> Option<String> {
    use services::calendars::CalendarHealth;
    let texts = match health {
        CalendarHealth::Healthy => return None,
        CalendarHealth::ReconnectNeeded => (
            Dash::IntegrationsAlertReconnectOwn,
            Dash::IntegrationsAlertReconnectMember,
        ),
        CalendarHealth::Stale => (Dash::IntegrationsAlertStaleOwn, Dash::IntegrationsAlertStaleMember),
    };
    Some(about(whose, texts, calendar))
}

/// An alert about `calendar`: said to its member (`whose` is `None`) in the first text's words,
/// else to an admin about the member named `whose` in the second's.
#[cfg(feature = "ssr")]
fn about(whose: Option<&str>, (own, member): (Dash, Dash), calendar: &str) -> String {
    match whose {
        None => df(own, &[("calendar", calendar)]),
        Some(name) => df(member, &[("name", name), ("calendar", calendar)]),
    }
}
