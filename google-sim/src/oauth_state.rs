//! OAuth bookkeeping: pending consent screens, authorization codes, grants and tokens.
//! Tokens are grouped in *families* (one authorization-code exchange and every access token its
//! refresh token mints) because revoking any member revokes the family, as Google does.

use std::collections::{BTreeSet, HashMap};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::SimConfig;
use crate::ids;

/// PKCE transformation named by `code_challenge_method`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChallengeMethod {
    S256,
    Plain,
}

#[derive(Clone, Debug)]
pub(crate) struct Challenge {
    pub value: String,
    pub method: ChallengeMethod,
}

impl Challenge {
    /// RFC 7636 §4.6: `BASE64URL(SHA256(verifier)) == challenge` (or equality for `plain`).
    pub fn verifies(&self, verifier: &str) -> bool {
        match self.method {
            ChallengeMethod::S256 => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == self.value,
            ChallengeMethod::Plain => verifier == self.value,
        }
    }
}

/// RFC 7636 §4.1: 43–128 characters of `[A-Za-z0-9-._~]` (challenges follow the same rule).
pub(crate) fn is_valid_verifier(value: &str) -> bool {
    (43..=128).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// What the authorize request asked for, kept between the consent page and its decision.
#[derive(Clone, Debug)]
pub(crate) struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub user: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub challenge: Option<Challenge>,
    pub offline: bool,
    pub prompt_consent: bool,
    pub include_granted_scopes: bool,
}

pub(crate) struct AuthCode {
    pub request: AuthRequest,
    /// Scopes the user actually granted (a subset under granular consent).
    pub granted: Vec<String>,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

pub(crate) struct AccessToken {
    pub user: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub family: u64,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
}

pub(crate) struct RefreshToken {
    pub user: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub family: u64,
    pub issued_at: DateTime<Utc>,
    pub last_used: DateTime<Utc>,
    pub revoked: bool,
}

/// A token as tests see it (`ControlHandle::tokens`, `GET /_control/tokens`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// `access` or `refresh`.
    pub kind: String,
    pub token: String,
    pub user: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// True once revoked, expired, or dropped for exceeding the per-grant limit.
    pub dead: bool,
}

#[derive(Default)]
pub(crate) struct OAuthState {
    pub pending: HashMap<String, AuthRequest>,
    pub codes: HashMap<String, AuthCode>,
    /// Scopes each (user, client) pair has consented to, accumulated over authorizations.
    pub grants: HashMap<(String, String), BTreeSet<String>>,
    pub access_tokens: HashMap<String, AccessToken>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    next_family: u64,
}

fn delta(duration: std::time::Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

pub(crate) fn grant_key(user: &str, client_id: &str) -> (String, String) {
    (user.to_ascii_lowercase(), client_id.to_owned())
}

impl OAuthState {
    pub fn new_family(&mut self) -> u64 {
        self.next_family += 1;
        self.next_family
    }

    pub fn granted(&self, user: &str, client_id: &str) -> BTreeSet<String> {
        self.grants
            .get(&grant_key(user, client_id))
            .cloned()
            .unwrap_or_default()
    }

    pub fn issue_code(
        &mut self,
        request: AuthRequest,
        granted: Vec<String>,
        now: DateTime<Utc>,
        config: &SimConfig,
    ) -> String {
        let code = ids::secret("4/0A");
        let expires_at = now + delta(config.code_lifetime);
        self.codes.insert(
            code.clone(),
            AuthCode {
                request,
                granted,
                expires_at,
                used: false,
            },
        );
        code
    }

    pub fn issue_access(
        &mut self,
        user: &str,
        client_id: &str,
        scopes: &[String],
        family: u64,
        now: DateTime<Utc>,
        config: &SimConfig,
    ) -> String {
        let token = ids::secret("ya29.a0");
        let expires_at = now + delta(config.access_token_lifetime);
        let access = AccessToken {
            user: user.to_owned(),
            client_id: client_id.to_owned(),
            scopes: scopes.to_vec(),
            family,
            expires_at,
            revoked: false,
        };
        self.access_tokens.insert(token.clone(), access);
        token
    }

    /// Issues a refresh token; beyond `max_refresh_tokens_per_grant` live ones the oldest family
    /// dies silently, which is how Google's 100-token limit surprises long-lived integrations.
    pub fn issue_refresh(
        &mut self,
        user: &str,
        client_id: &str,
        scopes: &[String],
        family: u64,
        now: DateTime<Utc>,
        config: &SimConfig,
    ) -> String {
        let mut live: Vec<(DateTime<Utc>, u64)> = self
            .refresh_tokens
            .values()
            .filter(|r| self.refresh_alive(r, now, config) && r.user == user && r.client_id == client_id)
            .map(|r| (r.issued_at, r.family))
            .collect();
        live.sort();
        let excess = (live.len() + 1).saturating_sub(config.max_refresh_tokens_per_grant.max(1));
        for (_, old_family) in live.into_iter().take(excess) {
            self.revoke_family(old_family);
        }
        let token = ids::secret("1//0g");
        let refresh = RefreshToken {
            user: user.to_owned(),
            client_id: client_id.to_owned(),
            scopes: scopes.to_vec(),
            family,
            issued_at: now,
            last_used: now,
            revoked: false,
        };
        self.refresh_tokens.insert(token.clone(), refresh);
        token
    }

    pub fn refresh_alive(&self, token: &RefreshToken, now: DateTime<Utc>, config: &SimConfig) -> bool {
        let within =
            |start: DateTime<Utc>, limit: Option<std::time::Duration>| limit.is_none_or(|l| now < start + delta(l));
        !token.revoked
            && within(token.issued_at, config.refresh_token_lifetime)
            && within(token.last_used, config.refresh_token_idle_lifetime)
    }

    pub fn has_live_refresh(&self, user: &str, client_id: &str, now: DateTime<Utc>, config: &SimConfig) -> bool {
        self.refresh_tokens
            .values()
            .any(|r| r.user == user && r.client_id == client_id && self.refresh_alive(r, now, config))
    }

    pub fn revoke_family(&mut self, family: u64) {
        for token in self.access_tokens.values_mut().filter(|t| t.family == family) {
            token.revoked = true;
        }
        for token in self.refresh_tokens.values_mut().filter(|t| t.family == family) {
            token.revoked = true;
        }
    }

    /// What "Remove access" in the user's Google Account does: every token of the pair dies and
    /// the next authorization shows the consent page (and yields a refresh token) again.
    /// `client_id: None` removes every app's access for the user; `user: None` every user's.
    /// Returns how many tokens were live.
    pub fn revoke_grants(
        &mut self,
        user: Option<&str>,
        client_id: Option<&str>,
        now: DateTime<Utc>,
        config: &SimConfig,
    ) -> usize {
        let matches =
            |u: &str, c: &str| user.is_none_or(|x| x.eq_ignore_ascii_case(u)) && client_id.is_none_or(|x| x == c);
        let live_refresh: usize = self
            .refresh_tokens
            .values()
            .filter(|t| matches(&t.user, &t.client_id) && self.refresh_alive(t, now, config))
            .count();
        let mut revoked = live_refresh;
        for token in self
            .access_tokens
            .values_mut()
            .filter(|t| !t.revoked && matches(&t.user, &t.client_id))
        {
            token.revoked = true;
            revoked += usize::from(token.expires_at > now);
        }
        for token in self
            .refresh_tokens
            .values_mut()
            .filter(|t| matches(&t.user, &t.client_id))
        {
            token.revoked = true;
        }
        self.grants.retain(|(u, c), _| !matches(u, c));
        revoked
    }

    /// Forces access tokens to be past their expiry, so the next API call gets 401 and the client
    /// must refresh. Returns how many were still live.
    pub fn expire_access_tokens(&mut self, user: Option<&str>, now: DateTime<Utc>) -> usize {
        let mut expired = 0;
        for token in self.access_tokens.values_mut() {
            if token.expires_at > now && user.is_none_or(|u| u.eq_ignore_ascii_case(&token.user)) {
                token.expires_at = now - TimeDelta::seconds(1);
                expired += 1;
            }
        }
        expired
    }

    pub fn token_infos(&self, now: DateTime<Utc>, config: &SimConfig) -> Vec<TokenInfo> {
        let mut out: Vec<TokenInfo> = self
            .access_tokens
            .iter()
            .map(|(token, t)| TokenInfo {
                kind: "access".to_owned(),
                token: token.clone(),
                user: t.user.clone(),
                client_id: t.client_id.clone(),
                scopes: t.scopes.clone(),
                expires_at: Some(t.expires_at),
                dead: t.revoked || t.expires_at <= now,
            })
            .collect();
        out.extend(self.refresh_tokens.iter().map(|(token, t)| TokenInfo {
            kind: "refresh".to_owned(),
            token: token.clone(),
            user: t.user.clone(),
            client_id: t.client_id.clone(),
            scopes: t.scopes.clone(),
            expires_at: config.refresh_token_lifetime.map(|l| t.issued_at + delta(l)),
            dead: !self.refresh_alive(t, now, config),
        }));
        out.sort_by(|a, b| (&a.kind, &a.user, &a.token).cmp(&(&b.kind, &b.user, &b.token)));
        out
    }
}
