//! OAuth bookkeeping: pending consent screens, authorization codes, grants and tokens.
//! Tokens are grouped in *families* (one authorization-code exchange and every access token its
//! refresh token mints) because revoking any member revokes the family, as Google does.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, TimeDelta, Utc};
use sim_support::TokenInfo;
use sim_support::pkce::Challenge;
use sim_support::tokens::{AccessTokens, Grant, Owner};

use crate::config::SimConfig;
use crate::ids;

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
    pub pending: HashMap<String, AuthRequest>,
    pub codes: HashMap<String, AuthCode>,
    /// Scopes each (user, client) pair has consented to, accumulated over authorizations.
    pub grants: HashMap<(String, String), BTreeSet<String>>,
    pub access_tokens: AccessTokens<TokenOwner>,
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

    pub fn issue_access(&mut self, owner: TokenOwner, now: DateTime<Utc>, config: &SimConfig) -> String {
        let token = ids::secret("ya29.a0");
        let expires_at = now + delta(config.access_token_lifetime);
        self.access_tokens.insert(token.clone(), owner, expires_at);
        token
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
        let within =
            |start: DateTime<Utc>, limit: Option<std::time::Duration>| limit.is_none_or(|l| now < start + delta(l));
        !token.revoked
            && within(token.issued_at, config.refresh_token_lifetime)
            && within(token.last_used, config.refresh_token_idle_lifetime)
    }

    pub fn has_live_refresh(&self, user: &str, client_id: &str, now: DateTime<Utc>, config: &SimConfig) -> bool {
        self.refresh_tokens
            .values()
            .any(|r| r.owner.is(user, client_id) && self.refresh_alive(r, now, config))
    }

    pub fn revoke_family(&mut self, family: u64, now: DateTime<Utc>) {
        self.access_tokens.revoke(now, |owner| owner.family == family);
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
        let matches =
            |u: &str, c: &str| user.is_none_or(|x| x.eq_ignore_ascii_case(u)) && client_id.is_none_or(|x| x == c);
        let owned = |owner: &TokenOwner| matches(&owner.grant.user, &owner.grant.client_id);
        let live_refresh: usize = self
            .refresh_tokens
            .values()
            .filter(|t| owned(&t.owner) && self.refresh_alive(t, now, config))
            .count();
        let revoked = live_refresh + self.access_tokens.revoke(now, owned);
        for token in self.refresh_tokens.values_mut().filter(|t| owned(&t.owner)) {
            token.revoked = true;
        }
        self.grants.retain(|(u, c), _| !matches(u, c));
        revoked
    }

    pub fn token_infos(&self, now: DateTime<Utc>, config: &SimConfig) -> Vec<TokenInfo> {
        let mut out: Vec<TokenInfo> = self.access_tokens.infos(now).collect();
        out.extend(self.refresh_tokens.iter().map(|(token, t)| {
            let expires_at = config.refresh_token_lifetime.map(|l| t.issued_at + delta(l));
            let dead = !self.refresh_alive(t, now, config);
            TokenInfo::new("refresh", token, t.owner.grant(), expires_at, dead)
        }));
        TokenInfo::sorted(out)
    }
}
