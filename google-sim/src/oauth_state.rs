//! OAuth bookkeeping: pending consent screens, authorization codes, grants and tokens.
//! Tokens are grouped in *families* (one authorization-code exchange and every access token its
//! refresh token mints) because revoking any member revokes the family, as Google does.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sim_support::TokenInfo;
use sim_support::tokens::{Authorizations, Grant, Owner, expiry, outlived};

use crate::config::SimConfig;
use crate::ids;

/// What the authorize request asked for, kept between the consent page and its decision.
pub(crate) type AuthRequest = sim_support::oauth::AuthRequest<Options>;

/// What Google's authorize request adds to OAuth's.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// `access_type=offline`: the client wants a refresh token.
    pub offline: bool,
    pub prompt_consent: bool,
    pub include_granted_scopes: bool,
}

/// Whose a token is and what it may do; every token of one family has the same owner.
#[derive(Clone, Debug)]
pub(crate) struct TokenOwner {
    pub grant: Grant,
    pub family: u64,
}

impl Owner for TokenOwner {
    fn grant(&self) -> &Grant {
        &self.grant
    }
}

impl TokenOwner {
    fn is(&self, user: &str, client_id: &str) -> bool {
        self.grant.user == user && self.grant.client_id == client_id
    }
}

pub(crate) struct RefreshToken {
    pub owner: TokenOwner,
    pub issued_at: DateTime<Utc>,
    pub last_used: DateTime<Utc>,
    pub revoked: bool,
}

#[derive(Default)]
pub(crate) struct OAuthState {
    /// Consent pages awaiting an answer, codes, consent per (user, client) and access tokens.
    pub auth: Authorizations<AuthRequest, TokenOwner>,
    pub refresh_tokens: HashMap<String, RefreshToken>,
    next_family: u64,
}

impl OAuthState {
    pub fn new_family(&mut self) -> u64 {
        self.next_family += 1;
        self.next_family
    }

    /// A code for `request`, whose scopes are the granted ones.
    pub fn issue_code(&mut self, request: AuthRequest, now: DateTime<Utc>, config: &SimConfig) -> String {
        self.auth.issue_code(ids::secret("4/0A"), request, now, &config.oauth)
    }

    pub fn issue_access(&mut self, owner: TokenOwner, now: DateTime<Utc>, config: &SimConfig) -> String {
        self.auth
            .issue_access(ids::secret("ya29.a0"), owner, now, &config.oauth)
    }

    /// Issues a refresh token; beyond `max_refresh_tokens_per_grant` live ones the oldest family
    /// dies silently, which is how Google's 100-token limit surprises long-lived integrations.
    pub fn issue_refresh(&mut self, owner: TokenOwner, now: DateTime<Utc>, config: &SimConfig) -> String {
        let mut live: Vec<(DateTime<Utc>, u64)> = self
            .refresh_tokens
            .values()
            .filter(|r| self.refresh_alive(r, now, config) && r.owner.is(&owner.grant.user, &owner.grant.client_id))
            .map(|r| (r.issued_at, r.owner.family))
            .collect();
        live.sort();
        let excess = (live.len() + 1).saturating_sub(config.max_refresh_tokens_per_grant.max(1));
        for (_, old_family) in live.into_iter().take(excess) {
            self.revoke_family(old_family, now);
        }
        let token = ids::secret("1//0g");
        let refresh = RefreshToken {
            owner,
            issued_at: now,
            last_used: now,
            revoked: false,
        };
        self.refresh_tokens.insert(token.clone(), refresh);
        token
    }

    pub fn refresh_alive(&self, token: &RefreshToken, now: DateTime<Utc>, config: &SimConfig) -> bool {
        !token.revoked
            && !outlived(token.issued_at, config.refresh_token_lifetime, now)
            && !outlived(token.last_used, config.oauth.refresh_token_idle_lifetime, now)
    }

    pub fn has_live_refresh(&self, user: &str, client_id: &str, now: DateTime<Utc>, config: &SimConfig) -> bool {
        self.refresh_tokens
            .values()
            .any(|r| r.owner.is(user, client_id) && self.refresh_alive(r, now, config))
    }

    pub fn revoke_family(&mut self, family: u64, now: DateTime<Utc>) {
        self.auth.access_tokens.revoke(now, |owner| owner.family == family);
        for token in self.refresh_tokens.values_mut().filter(|t| t.owner.family == family) {
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
        let owned = |owner: &TokenOwner| owner.grant.matches(user, client_id);
        let live_refresh: usize = self
            .refresh_tokens
            .values()
            .filter(|t| owned(&t.owner) && self.refresh_alive(t, now, config))
            .count();
        let revoked = live_refresh + self.auth.access_tokens.revoke(now, owned);
        for token in self.refresh_tokens.values_mut().filter(|t| owned(&t.owner)) {
            token.revoked = true;
        }
        self.auth.consents.forget(user, client_id);
        revoked
    }

    pub fn token_infos(&self, now: DateTime<Utc>, config: &SimConfig) -> Vec<TokenInfo> {
        let mut out: Vec<TokenInfo> = self.auth.access_tokens.infos(now).collect();
        out.extend(self.refresh_tokens.iter().map(|(token, t)| {
            let expires_at = config.refresh_token_lifetime.map(|l| expiry(t.issued_at, l));
            let dead = !self.refresh_alive(t, now, config);
            TokenInfo::new("refresh", token, t.owner.grant(), expires_at, dead)
        }));
        TokenInfo::sorted(out)
    }
}
