//! Connecting a CalDAV account (iCloud, Fastmail, Nextcloud, any server) from the Integrations
//! page: the password goes to the server once and is never sent back.

use crate::error::AppError;
use leptos::prelude::*;

/// Connects the signed-in member's CalDAV account. `preset`: `icloud`, `fastmail`, `nextcloud`
/// or `other`; `server` is read for the last two.
#[server]
pub async fn connect_caldav(
    preset: String,
    server: String,
    username: String,
    password: String,
) -> Result<(), AppError> {
    use services::calendars::{CaldavLogin, CaldavPreset};
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let preset = CaldavPreset::parse(&preset).ok_or(AppError::Malformed)?;
    let login = CaldavLogin {
        preset,
        server,
        username,
        password,
    };
    services
        .connect_caldav(&viewer, &login)
        .await
        .map_err(|failure| connect_error(failure, preset))
}

/// What the member reads when connecting did not work, on the field to change where there is one.
#[cfg(feature = "ssr")]
fn connect_error(failure: services::calendars::ConnectFailure, preset: services::calendars::CaldavPreset) -> AppError {
    use crate::lang::{Dash, d};
    use domain::FieldErrors;
    use services::ServiceError;
    use services::calendars::{CaldavPreset, ConnectFailure};
    use services::outbound::Refused;
    // Through `ServiceError`, so the answer carries its HTTP status (422, 409).
    let on = |field: &str, text: Dash| AppError::from(ServiceError::Validation(FieldErrors::single(field, d(text))));
    let conflict = |text: Dash| AppError::from(ServiceError::Conflict(d(text).to_owned()));
    match failure {
        ConnectFailure::WrongPassword if matches!(preset, CaldavPreset::Icloud | CaldavPreset::Fastmail) => {
            on("password", Dash::CaldavWrongAppPassword)
        }
        ConnectFailure::WrongPassword => on("password", Dash::CaldavWrongPassword),
        ConnectFailure::NoCalendars => on("server", Dash::CaldavNoCalendars),
        ConnectFailure::Address(Refused::NotHttps) => on("server", Dash::CaldavNotHttps),
        ConnectFailure::Address(Refused::PrivateAddress) => on("server", Dash::CaldavPrivateAddress),
        ConnectFailure::Address(Refused::Malformed) => on("server", Dash::CaldavServerMissing),
        ConnectFailure::Unreachable => conflict(Dash::CaldavUnreachable),
        ConnectFailure::Service(e) => e.into(),
        other => {
            tracing::warn!(error = %other, "connecting a CalDAV account failed");
            conflict(Dash::CaldavFailed)
        }
    }
}
