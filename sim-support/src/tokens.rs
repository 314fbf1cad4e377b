//! Access tokens as both authorization servers keep them: whose they are, when they expire,
//! whether they were revoked. Refresh tokens differ too much between providers to share
//! (Google never rotates them; Microsoft always does).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::oauth::{TokenInfo, expire_now};

/// Whose a token is and what it allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub user: String,
    pub client_id: String,
    pub scopes: Vec<String>,
}

impl Grant {
    /// Whether `user` (any case) and `client_id` select this grant; `None` selects every one.
    pub fn matches(&self, user: Option<&str>, client_id: Option<&str>) -> bool {
        user.is_none_or(|u| u.eq_ignore_ascii_case(&self.user)) && client_id.is_none_or(|c| c == self.client_id)
    }
}

/// What a provider records about a token's owner: at least the grant.
pub trait Owner {
    fn grant(&self) -> &Grant;
}

impl Owner for Grant {
    fn grant(&self) -> &Grant {
        self
    }
}

pub struct AccessToken<O> {
    pub owner: O,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
}

impl<O> AccessToken<O> {
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        !self.revoked && self.expires_at > now
    }
}

/// Issued access tokens by their string.
pub struct AccessTokens<O>(HashMap<String, AccessToken<O>>);

impl<O> Default for AccessTokens<O> {
    fn default() -> Self {
        AccessTokens(HashMap::new())
    }
}

impl<O: Owner> AccessTokens<O> {
    pub fn insert(&mut self, token: String, owner: O, expires_at: DateTime<Utc>) {
        let access = AccessToken {
            owner,
            expires_at,
            revoked: false,
        };
        self.0.insert(token, access);
    }

    pub fn get(&self, token: &str) -> Option<&AccessToken<O>> {
        self.0.get(token)
    }

    /// Revokes every token whose owner `selects`; returns how many of them were live.
    pub fn revoke(&mut self, now: DateTime<Utc>, selects: impl Fn(&O) -> bool) -> usize {
        let mut live = 0;
        for token in self.0.values_mut().filter(|t| selects(&t.owner)) {
            live += usize::from(token.is_live(now));
            token.revoked = true;
        }
        live
    }

    /// Makes live tokens (all, or `user`'s) expired now; returns how many.
    pub fn expire(&mut self, user: Option<&str>, now: DateTime<Utc>) -> usize {
        self.0
            .values_mut()
            .filter(|t| t.owner.grant().matches(user, None))
            .map(|t| expire_now(&mut t.expires_at, now))
            .filter(|was_live| *was_live)
            .count()
    }

    pub fn infos(&self, now: DateTime<Utc>) -> impl Iterator<Item = TokenInfo> + '_ {
        self.0
            .iter()
            .map(move |(token, t)| TokenInfo::access(token, t.owner.grant(), t.expires_at, t.revoked, now))
    }
}
