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

/// What a simulator records about an account, known by its address.
pub trait Account {
    fn email(&self) -> &str;
}

/// A simulator's accounts in creation order, found by address in any case (as both providers
/// treat sign-in names).
#[derive(Clone, Debug)]
pub struct Accounts<U>(Vec<U>);

impl<U> Default for Accounts<U> {
    fn default() -> Self {
        Accounts(Vec::new())
    }
}

impl<U: Account> Accounts<U> {
    pub fn get(&self, email: &str) -> Option<&U> {
        self.0.iter().find(|u| u.email().eq_ignore_ascii_case(email))
    }

    pub fn get_mut(&mut self, email: &str) -> Option<&mut U> {
        self.0.iter_mut().find(|u| u.email().eq_ignore_ascii_case(email))
    }

    /// The account a consent page signs in unless the request hints at another.
    pub fn first(&self) -> Option<&U> {
        self.0.first()
    }

    pub fn push(&mut self, account: U) {
        self.0.push(account);
    }

    pub fn iter(&self) -> impl Iterator<Item = &U> {
        self.0.iter()
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

    /// The name a consent page or token shows for `client_id` (empty for an unknown one).
    pub fn name(&self, client_id: &str) -> String {
        self.get(client_id).map(|c| c.name.clone()).unwrap_or_default()
    }

    /// Registers `client`, replacing one with the same id.
    pub fn upsert(&mut self, client: OAuthClient) {
        self.0.retain(|c| c.client_id != client.client_id);
        self.0.push(client);
    }
}
