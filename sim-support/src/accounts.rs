//! The accounts and app registrations every simulated provider starts from.

use serde::{Deserialize, Serialize};

use crate::error::SimError;
use crate::oauth::OAuthClient;

/// An account known to a simulator; it gets a primary (default) calendar.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserSpec {
    pub email: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// Zone of the account's calendar: an IANA name (ms-sim also takes Windows names).
    #[serde(default = "utc")]
    pub time_zone: String,
}

fn utc() -> String {
    "UTC".to_owned()
}

impl UserSpec {
    pub fn new(email: impl Into<String>) -> Self {
        Self {
            email: email.into(),
            display_name: None,
            time_zone: utc(),
        }
    }

    pub fn time_zone(mut self, zone: impl Into<String>) -> Self {
        self.time_zone = zone.into();
        self
    }

    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Whether this account can be added to a world where `taken` says if the address is in use.
    pub fn check_new(&self, taken: bool) -> Result<(), SimError> {
        if taken {
            return Err(SimError::AlreadyExists(self.email.clone()));
        }
        if !self.email.contains('@') {
            return Err(SimError::Invalid(format!("{} is not an email address", self.email)));
        }
        Ok(())
    }
}

/// The registered OAuth clients, looked up by id.
#[derive(Clone, Debug, Default)]
pub struct Clients(Vec<OAuthClient>);

impl Clients {
    pub fn new(clients: Vec<OAuthClient>) -> Self {
        Clients(clients)
    }

    pub fn get(&self, client_id: &str) -> Option<&OAuthClient> {
        self.0.iter().find(|c| c.client_id == client_id)
    }

    /// Registers `client`, replacing one with the same id.
    pub fn upsert(&mut self, client: OAuthClient) {
        self.0.retain(|c| c.client_id != client.client_id);
        self.0.push(client);
    }
}
