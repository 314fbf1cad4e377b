//! The identity platform's bookkeeping: pending consent screens, authorization codes, consent
//! grants and tokens. Refresh tokens rotate: each redemption issues a new one and retires the old
//! one (after [`SimConfig::replaced_refresh_token_grace`]). Revocation is per cause, because the
//! AADSTS code a client sees tells it what happened.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, TimeDelta, Utc};
use sim_support::TokenInfo;
use sim_support::pkce::Challenge;
use sim_support::tokens::{AccessTokens, Grant};

use crate::config::SimConfig;
use crate::error::IdentityError;
use crate::ids;

/// How the authorization response travels back to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ResponseMode {
    Query,
    FormPost,
}

/// What the authorize request asked for, kept between the consent page and its answer.
#[derive(Clone, Debug)]
pub(crate) struct AuthRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub response_mode: ResponseMode,
    pub user: String,
    /// Canonical short names, deduplicated, in request order.
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub challenge: Option<Challenge>,
}

pub(crate) struct AuthCode {
    pub request: AuthRequest,
    pub expires_at: DateTime<Utc>,
    pub redeemed: bool,
}

/// Why a refresh token stopped working before idling out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Revocation {
    /// Password change or "revoke sessions": AADSTS50173.
    Sessions,
    /// The user or an admin removed the app's permissions: AADSTS65001.
    Consent,
}

pub(crate) struct RefreshToken {
    pub owner: Grant,
    pub last_used: DateTime<Utc>,
    /// When a redemption replaced it with a newer token.
    pub replaced_at: Option<DateTime<Utc>>,
    pub revoked: Option<Revocation>,
}

#[derive(Default)]
pub(crate) struct Identity {
    pub pending: HashMap<String, AuthRequest>,
    pub codes: HashMap<String, AuthCode>,
    /// Scopes each (user, client) pair has consented to, accumulated over authorizations.
    consents: HashMap<(String, String), BTreeSet<String>>,
    pub access_tokens: AccessTokens<Grant>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
}

fn delta(duration: std::time::Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

fn consent_key(user: &str, client_id: &str) -> (String, String) {
    (user.to_ascii_lowercase(), client_id.to_owned())
}

impl Identity {
    pub fn consented(&self, user: &str, client_id: &str) -> BTreeSet<String> {
        self.consents
            .get(&consent_key(user, client_id))
            .cloned()
            .unwrap_or_default()
    }

    pub fn record_consent(&mut self, user: &str, client_id: &str, scopes: &[String]) {
        self.consents
            .entry(consent_key(user, client_id))
            .or_default()
            .extend(scopes.iter().cloned());
    }

    pub fn issue_code(&mut self, request: AuthRequest, now: DateTime<Utc>, config: &SimConfig) -> String {
        let code = ids::secret("0.AXcA", 300);
        let expires_at = now + delta(config.code_lifetime);
        self.codes.insert(
            code.clone(),
            AuthCode {
                request,
                expires_at,
                redeemed: false,
            },
        );
        code
    }

    pub fn issue_refresh(&mut self, owner: Grant, now: DateTime<Utc>) -> String {
        let token = ids::secret("1.AXcA", 600);
        let refresh = RefreshToken {
            owner,
            last_used: now,
            replaced_at: None,
            revoked: None,
        };
        self.refresh_tokens.insert(token.clone(), refresh);
        token
    }

    /// Why `token` may not be redeemed now, with the error Entra gives for that cause.
    pub fn refusal(token: &RefreshToken, now: DateTime<Utc>, config: &SimConfig) -> Option<IdentityError> {
        match token.revoked {
            Some(Revocation::Sessions) => {
                return Some(IdentityError::invalid_grant(
                    50173,
                    "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.",
                ));
            }
            Some(Revocation::Consent) => {
                return Some(IdentityError::invalid_grant(
                    65001,
                    "The user or administrator has not consented to use the application. Send an interactive authorization request for this user and resource.",
                ));
            }
            None => {}
        }
        let replaced = token.replaced_at.is_some_and(|at| {
            config
                .replaced_refresh_token_grace
                .is_some_and(|grace| now >= at + delta(grace))
        });
        if replaced {
            return Some(IdentityError::invalid_grant(
                70000,
                "The provided grant is invalid: this refresh token was already redeemed and replaced by a newer one.",
            ));
        }
        let idle = config
            .refresh_token_idle_lifetime
            .is_some_and(|limit| now >= token.last_used + delta(limit));
        idle.then(|| {
            IdentityError::invalid_grant(
                700082,
                "The refresh token has expired due to inactivity. The token was issued on an earlier date and was inactive for too long.",
            )
        })
    }

    fn revoke(
        &mut self,
        user: Option<&str>,
        client_id: Option<&str>,
        cause: Revocation,
        now: DateTime<Utc>,
        config: &SimConfig,
    ) -> usize {
        let mut revoked = 0;
        for token in self
            .refresh_tokens
            .values_mut()
            .filter(|t| t.revoked.is_none() && t.owner.matches(user, client_id))
        {
            token.revoked = Some(cause);
            revoked += 1;
        }
        if config.revocation_kills_access_tokens {
            revoked += self.access_tokens.revoke(now, |owner| owner.matches(user, client_id));
        }
        revoked
    }

    /// "Revoke sessions" / a password reset: every refresh token of the user dies with
    /// AADSTS50173, but consent stays, so signing in again needs no consent page.
    pub fn revoke_sessions(&mut self, user: &str, now: DateTime<Utc>, config: &SimConfig) -> usize {
        self.revoke(Some(user), None, Revocation::Sessions, now, config)
    }

    /// The app's permissions are removed: tokens die with AADSTS65001 and the next authorization
    /// shows the consent page again. `None` matches every user or client.
    pub fn revoke_consent(
        &mut self,
        user: Option<&str>,
        client_id: Option<&str>,
        now: DateTime<Utc>,
        config: &SimConfig,
    ) -> usize {
        self.consents
            .retain(|(u, c), _| !(user.is_none_or(|x| x.eq_ignore_ascii_case(u)) && client_id.is_none_or(|x| x == c)));
        self.revoke(user, client_id, Revocation::Consent, now, config)
    }

    pub fn token_infos(&self, now: DateTime<Utc>, config: &SimConfig) -> Vec<TokenInfo> {
        let mut out: Vec<TokenInfo> = self.access_tokens.infos(now).collect();
        out.extend(self.refresh_tokens.iter().map(|(token, t)| {
            let expires_at = config.refresh_token_idle_lifetime.map(|l| t.last_used + delta(l));
            let dead = Self::refusal(t, now, config).is_some();
            TokenInfo::new("refresh", token, &t.owner, expires_at, dead)
        }));
        TokenInfo::sorted(out)
    }
}
