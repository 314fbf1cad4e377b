//! What both authorization servers keep between requests: consent per (user, app), single-use
//! authorization codes, and access tokens (whose they are, when they expire, whether they were
//! revoked). Refresh tokens differ too much between providers to share (Google never rotates
//! them; Microsoft always does), but age by the same rules ([`expiry`], [`outlived`]).

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::OAuthConfig;
use crate::oauth::{TokenInfo, expire_now};

/// When something that started at `from` and lives `lifetime` dies (the end of time if never).
pub fn expiry(from: DateTime<Utc>, lifetime: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(lifetime)
        .ok()
        .and_then(|lifetime| from.checked_add_signed(lifetime))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Whether something that started at `since` is dead by `now` for having lived `lifetime`
/// (`None`: it never dies of age).
pub fn outlived(since: DateTime<Utc>, lifetime: Option<Duration>, now: DateTime<Utc>) -> bool {
    lifetime.is_some_and(|lifetime| now >= expiry(since, lifetime))
}

/// The scopes each (user, app) pair has consented to, accumulated over authorizations. User
/// addresses match in any case.
#[derive(Clone, Debug, Default)]
pub struct Consents(HashMap<(String, String), BTreeSet<String>>);

fn consent_key(user: &str, client_id: &str) -> (String, String) {
    (user.to_ascii_lowercase(), client_id.to_owned())
}

impl Consents {
    pub fn granted(&self, user: &str, client_id: &str) -> BTreeSet<String> {
        self.0.get(&consent_key(user, client_id)).cloned().unwrap_or_default()
    }

    pub fn record(&mut self, user: &str, client_id: &str, scopes: impl IntoIterator<Item = String>) {
        self.0.entry(consent_key(user, client_id)).or_default().extend(scopes);
    }

    /// Forgets the consent of the matching pairs (`None` matches every user or app): the next
    /// authorization shows the consent page again.
    pub fn forget(&mut self, user: Option<&str>, client_id: Option<&str>) {
        self.0
            .retain(|(u, c), _| !(user.is_none_or(|x| x.eq_ignore_ascii_case(u)) && client_id.is_none_or(|x| x == c)));
    }
}

/// An authorization code: the request it answers, until when it may be redeemed, and whether it
/// was.
#[derive(Clone, Debug)]
pub struct AuthCode<R> {
    pub request: R,
    pub expires_at: DateTime<Utc>,
    pub redeemed: bool,
}

/// Why an authorization code cannot be redeemed; each provider words it its own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeRefusal {
    Unknown,
    AlreadyRedeemed,
    Expired,
}

/// Issued authorization codes by their string: single use and short-lived.
#[derive(Clone, Debug)]
pub struct Codes<R>(HashMap<String, AuthCode<R>>);

impl<R> Default for Codes<R> {
    fn default() -> Self {
        Codes(HashMap::new())
    }
}

impl<R> Codes<R> {
    /// Records `code` for `request`; returns it.
    pub fn issue(&mut self, code: String, request: R, expires_at: DateTime<Utc>) -> String {
        let entry = AuthCode {
            request,
            expires_at,
            redeemed: false,
        };
        self.0.insert(code.clone(), entry);
        code
    }

    /// The request of `code` if it may still be redeemed at `now`.
    pub fn redeemable(&self, code: &str, now: DateTime<Utc>) -> Result<&R, CodeRefusal> {
        let entry = self.0.get(code).ok_or(CodeRefusal::Unknown)?;
        if entry.redeemed {
            return Err(CodeRefusal::AlreadyRedeemed);
        }
        if entry.expires_at <= now {
            return Err(CodeRefusal::Expired);
        }
        Ok(&entry.request)
    }

    /// Uses `code` up (once the provider's own checks of the token request passed).
    pub fn redeem(&mut self, code: &str) {
        if let Some(entry) = self.0.get_mut(code) {
            entry.redeemed = true;
        }
    }
}

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

/// What an authorization server keeps between requests, whatever the provider: consent pages
/// awaiting an answer (by the id their form posts back), issued codes, consent per (user, app),
/// and access tokens. `R` is the provider's authorize request, `O` what it records about a
/// token's owner; refresh tokens are the provider's own.
pub struct Authorizations<R, O> {
    pub pending: HashMap<String, R>,
    pub codes: Codes<R>,
    pub consents: Consents,
    pub access_tokens: AccessTokens<O>,
}

impl<R, O> Default for Authorizations<R, O> {
    fn default() -> Self {
        Self {
            pending: HashMap::new(),
            codes: Codes::default(),
            consents: Consents::default(),
            access_tokens: AccessTokens::default(),
        }
    }
}

impl<R, O: Owner> Authorizations<R, O> {
    /// Records `code` for `request`, redeemable for the configured lifetime; returns it.
    pub fn issue_code(&mut self, code: String, request: R, now: DateTime<Utc>, config: &OAuthConfig) -> String {
        self.codes.issue(code, request, expiry(now, config.code_lifetime))
    }

    /// Records access `token` for `owner`, live for the configured lifetime; returns it.
    pub fn issue_access(&mut self, token: String, owner: O, now: DateTime<Utc>, config: &OAuthConfig) -> String {
        let expires_at = expiry(now, config.access_token_lifetime);
        self.access_tokens.insert(token.clone(), owner, expires_at);
        token
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn a_code_is_redeemable_once_and_only_before_it_expires() {
        let mut codes = Codes::default();
        let code = codes.issue("c".into(), "request", at(600));
        assert_eq!(codes.redeemable(&code, at(599)), Ok(&"request"));
        assert_eq!(codes.redeemable(&code, at(600)), Err(CodeRefusal::Expired));
        assert_eq!(codes.redeemable("other", at(0)), Err(CodeRefusal::Unknown));
        codes.redeem(&code);
        assert_eq!(codes.redeemable(&code, at(0)), Err(CodeRefusal::AlreadyRedeemed));
    }

    #[test]
    fn consent_accumulates_per_pair_and_is_forgotten_by_user_or_app() {
        let mut consents = Consents::default();
        consents.record("Lin@Example.com", "app", ["a".to_owned()]);
        consents.record("lin@example.com", "app", ["b".to_owned()]);
        consents.record("lin@example.com", "other", ["a".to_owned()]);
        assert_eq!(consents.granted("LIN@example.com", "app").len(), 2);
        consents.forget(Some("lin@EXAMPLE.com"), Some("app"));
        assert!(consents.granted("lin@example.com", "app").is_empty());
        assert_eq!(consents.granted("lin@example.com", "other").len(), 1);
        consents.forget(None, None);
        assert!(consents.granted("lin@example.com", "other").is_empty());
    }

    #[test]
    fn lifetimes_too_long_to_add_never_end() {
        assert_eq!(expiry(at(0), Duration::from_secs(60)), at(60));
        assert_eq!(expiry(at(0), Duration::MAX), DateTime::<Utc>::MAX_UTC);
        assert!(outlived(at(0), Some(Duration::from_secs(60)), at(60)));
        assert!(!outlived(at(0), Some(Duration::from_secs(60)), at(59)));
        assert!(!outlived(at(0), None, at(1_000_000)));
    }
}
