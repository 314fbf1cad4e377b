//! Connecting a CalDAV account: the member picks a preset (Apple iCloud, Fastmail) or names
//! their server (Nextcloud, any other), and gives a username and password. The calendar home is
//! discovered (see `caldav::discovery`), the calendars listed, and the credential stored sealed
//! like OAuth tokens: it never leaves the services layer, is never logged, and never reaches
//! the browser. A CalDAV password does not expire; the server refusing it later marks the
//! connection "reconnect needed".

use super::caldav::{CaldavApi, basic_credential, discovery};
use super::connect::ConnectFailure;
use super::store::TokenPair;
use super::{Provider, ProviderError};
use crate::accounts::Member;
use crate::limits::PublicAction;
use crate::{Services, outbound};

/// Where a CalDAV account lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaldavPreset {
    /// Apple iCloud, with an app-specific password.
    Icloud,
    /// Fastmail, with an app password.
    Fastmail,
    /// Nextcloud: the member's server address.
    Nextcloud,
    /// Any other CalDAV server.
    Other,
}

impl CaldavPreset {
    /// The server a preset stands for; `None`: the member names it.
    pub fn server(self) -> Option<&'static str> {
        match self {
            Self::Icloud => Some("https://caldav.icloud.com/"),
            Self::Fastmail => Some("https://caldav.fastmail.com/"),
            Self::Nextcloud | Self::Other => None,
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "icloud" => Some(Self::Icloud),
            "fastmail" => Some(Self::Fastmail),
            "nextcloud" => Some(Self::Nextcloud),
            "other" => Some(Self::Other),
            _ => None,
        }
    }
}

/// What the member typed on the Integrations page.
pub struct CaldavLogin {
    pub preset: CaldavPreset,
    /// The server's address, for presets without one (`cloud.example.com` is read as https).
    pub server: String,
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for CaldavLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaldavLogin")
            .field("preset", &self.preset)
            .field("server", &self.server)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// The longest username or password accepted (a server never needs more; this bounds the work).
const MOST_CREDENTIAL_CHARS: usize = 512;

impl Services {
    /// Connects the signed-in member's CalDAV account, replacing an earlier one, then reads busy
    /// time and starts following the calendars, as an OAuth connection does.
    pub async fn connect_caldav(&self, member: &Member, login: &CaldavLogin) -> Result<(), ConnectFailure> {
        self.admit(PublicAction::CaldavConnect { member_id: member.id }, None)?;
        let username = login.username.trim();
        if username.is_empty()
            || login.password.is_empty()
            || username.len() > MOST_CREDENTIAL_CHARS
            || login.password.len() > MOST_CREDENTIAL_CHARS
        {
            return Err(ConnectFailure::WrongPassword);
        }
        let start = self.caldav_start(login)?;
        let credential = basic_credential(username, &login.password);
        let http = self.caldav_http();
        let home = discovery::calendar_home(http, &start, &credential)
            .await
            .map_err(caldav_failure)?;
        let home = outbound::check_url(home.as_str(), self.config().calendars.caldav_allow_private)
            .map_err(ConnectFailure::Address)?;
        let api = CaldavApi {
            http,
            home: &home,
            credential: &credential,
        };
        let calendars = api.calendars().await.map_err(caldav_failure)?;
        if calendars.is_empty() {
            return Err(ConnectFailure::NoCalendars);
        }
        let account = account_name(username, &home);
        let pair = TokenPair {
            access: credential,
            refresh: String::new(),
            access_expires_at: i64::MAX,
        };
        let connection_id = self
            .save_connection(
                member,
                Provider::Caldav,
                (&account, &calendars),
                &pair,
                "",
                Some(home.as_str()),
            )
            .await?;
        tracing::info!(member = member.id, connection_id, host = ?home.host_str(), "CalDAV calendar connected");
        self.refresh_busy(connection_id).await?;
        Ok(self.follow_calendars(connection_id).await?)
    }

    /// The address discovery starts from: the preset's, or the one the member typed (https when
    /// they gave no scheme), checked against private networks.
    fn caldav_start(&self, login: &CaldavLogin) -> Result<url::Url, ConnectFailure> {
        let typed = login.server.trim();
        let raw = match login.preset.server() {
            Some(server) => server.to_owned(),
            None if typed.is_empty() => return Err(ConnectFailure::Address(outbound::Refused::Malformed)),
            None if typed.contains("://") => typed.to_owned(),
            None => format!("https://{typed}"),
        };
        outbound::check_url(&raw, self.config().calendars.caldav_allow_private).map_err(ConnectFailure::Address)
    }
}

/// The account as the member reads it: their username when it is an address (iCloud, Fastmail),
/// else `username@host`.
fn account_name(username: &str, home: &url::Url) -> String {
    match home.host_str() {
        Some(host) if !username.contains('@') => format!("{username}@{host}"),
        _ => username.to_owned(),
    }
}

/// A failure while connecting, sorted for the member.
fn caldav_failure(error: ProviderError) -> ConnectFailure {
    match error {
        ProviderError::Revoked(_) | ProviderError::Unauthorized => ConnectFailure::WrongPassword,
        ProviderError::Unreachable(_) | ProviderError::Throttled { .. } => ConnectFailure::Unreachable,
        ProviderError::Rejected { status: 404 | 405, .. } => ConnectFailure::NoCalendars,
        other => ConnectFailure::Refused(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_is_the_address_the_member_signs_in_with() {
        let home = url::Url::parse("https://dav.example.com/calendars/sam/").unwrap();
        assert_eq!(account_name("sam", &home), "sam@dav.example.com");
        assert_eq!(account_name("sam@icloud.com", &home), "sam@icloud.com");
    }

    #[test]
    fn a_login_never_prints_its_password() {
        let login = CaldavLogin {
            preset: CaldavPreset::Other,
            server: "dav.example.com".into(),
            username: "sam".into(),
            password: "hunter2".into(),
        };
        assert!(!format!("{login:?}").contains("hunter2"));
    }
}
