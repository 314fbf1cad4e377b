//! The identity platform's bookkeeping: pending consent screens, authorization codes, consent
//! grants and tokens. Refresh tokens rotate: each redemption issues a new one and retires the old
//! one (after [`SimConfig::replaced_refresh_token_grace`]). Revocation is per cause, because the
//! AADSTS code a client sees tells it what happened.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sim_support::TokenInfo;
use sim_support::tokens::{Authorizations, Grant, expiry, outlived};

use crate::config::SimConfig;
use crate::error::IdentityError;
use crate::ids;

/// How the authorization response travels back to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ResponseMode {
    Query,
    FormPost,
}

/// What the authorize request asked for, kept between the consent page and its answer (scopes in
/// their canonical short names).
pub(crate) type AuthRequest = sim_support::oauth::AuthRequest<Options>;

/// What the identity platform's authorize request adds to OAuth's.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    pub response_mode: ResponseMode,
    /// Echoed in the ID token.
    pub nonce: Option<String>,
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
    /// Consent prompts awaiting an answer, codes, consent per (user, app) and access tokens.
    pub auth: Authorizations<AuthRequest, Grant>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
}

impl Identity {
    pub fn issue_code(&mut self, request: AuthRequest, now: DateTime<Utc>, config: &SimConfig) -> String {
        self.auth
            .issue_code(ids::secret("0.AXcA", 300), request, now, &config.oauth)
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
        let replaced = token
            .replaced_at
            .is_some_and(|at| outlived(at, config.replaced_refresh_token_grace, now));
        if replaced {
            return Some(IdentityError::invalid_grant(
                70000,
                "The provided grant is invalid: this refresh token was already redeemed and replaced by a newer one.",
            ));
        }
        let idle = outlived(token.last_used, config.oauth.refresh_token_idle_lifetime, now);
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
            revoked += self
                .auth
                .access_tokens
                .revoke(now, |owner| owner.matches(user, client_id));
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
        self.auth.consents.forget(user, client_id);
        self.revoke(user, client_id, Revocation::Consent, now, config)
    }

    pub fn token_infos(&self, now: DateTime<Utc>, config: &SimConfig) -> Vec<TokenInfo> {
        let mut out: Vec<TokenInfo> = self.auth.access_tokens.infos(now).collect();
        out.extend(self.refresh_tokens.iter().map(|(token, t)| {
            let expires_at = config.oauth.refresh_token_idle_lifetime.map(|l| expiry(t.last_used, l));
            let dead = Self::refusal(t, now, config).is_some();
            TokenInfo::new("refresh", token, &t.owner, expires_at, dead)
        }));
        TokenInfo::sorted(out)
    }
}
