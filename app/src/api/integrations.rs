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
}

#[server]
pub async fn load_integrations() -> Result<IntegrationsView, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let page = services.integrations(&viewer, viewer.id).await?;
    let now = services.clock().now();
    let cards = page
        .providers
        .into_iter()
        .map(|setup| ProviderCard {
            provider: setup.provider.as_str().to_owned(),
            label: setup.provider.label().to_owned(),
            configured: setup.configured,
            redirect_uri: setup.redirect_uri,
            connection: page
                .connections
                .iter()
                .find(|c| c.provider == setup.provider)
                .map(|c| connection_row(c, now)),
        })
        .collect();
    Ok(IntegrationsView { cards })
}

#[cfg(feature = "ssr")]
fn connection_row(c: &services::calendars::Connection, now: i64) -> ConnectionRow {
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
    }
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
    let provider = services::calendars::Provider::parse(&provider).ok_or(AppError::NotFound)?;
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

#[server]
pub async fn disconnect_calendar(provider: String) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let provider = services::calendars::Provider::parse(&provider).ok_or(AppError::NotFound)?;
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
    if viewer.role.is_admin() {
        let team = services.team_calendars(&viewer).await?;
        alerts.extend(
            team.iter()
                .filter(|c| c.member_id != viewer.id)
                .filter_map(|c| calendar_alert(Some(&c.member_name), c.provider.label(), c.health)),
        );
    }
    Ok(alerts)
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
