//! `POST /token` (authorization-code and refresh-token grants) and `POST /revoke`.
//! Codes are single-use and short-lived, PKCE is verified, refresh tokens are not rotated, and
//! revocation kills the whole token family: the behaviours an integration must survive.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sim_support::oauth::{client_credentials, token_response};

use crate::error::OAuthError;
use crate::oauth_state::TokenOwner;
use crate::query::Params;
use crate::state::{Sim, State as World};
use sim_support::tokens::{CodeRefusal, Grant, expiry};

#[derive(Serialize)]
struct TokenResponse {
    access_token: String,
    expires_in: u64,
    scope: String,
    token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token_expires_in: Option<i64>,
}

fn authenticate_client(state: &World, headers: &HeaderMap, params: &Params) -> Result<String, OAuthError> {
    let (id, secret) = client_credentials(headers, params.get("client_id"), params.get("client_secret"));
    let id = id.ok_or_else(|| OAuthError::invalid_request("Could not determine client ID from request."))?;
    let client = state
        .plumbing
        .clients
        .get(&id)
        .ok_or_else(|| OAuthError::invalid_client("The OAuth client was not found."))?;
    if secret.as_deref() != Some(client.client_secret.as_str()) {
        return Err(OAuthError::invalid_client("Unauthorized"));
    }
    Ok(id)
}

pub(crate) async fn token(State(sim): State<Sim>, headers: HeaderMap, body: Bytes) -> Response {
    let params = Params::parse(&body);
    let mut state = sim.lock();
    let result = authenticate_client(&state, &headers, &params).and_then(|client_id| match params.get("grant_type") {
        None => Err(OAuthError::invalid_request("Missing required parameter: grant_type")),
        Some("authorization_code") => exchange_code(&mut state, &client_id, &params),
        Some("refresh_token") => refresh(&mut state, &client_id, &params),
        Some(other) => Err(OAuthError::unsupported_grant_type(other)),
    });
    token_response(result)
}

fn refresh_token_expires_in(state: &World) -> Option<i64> {
    state.config.refresh_token_lifetime.map(|l| l.as_secs() as i64)
}

fn exchange_code(state: &mut World, client_id: &str, params: &Params) -> Result<TokenResponse, OAuthError> {
    let now = state.now();
    let code = params
        .get("code")
        .ok_or_else(|| OAuthError::invalid_request("Missing required parameter: code"))?;
    let request = match state.oauth.auth.codes.redeemable(code, now) {
        Ok(request) => request.clone(),
        Err(CodeRefusal::Unknown) => return Err(OAuthError::invalid_grant("Malformed auth code.")),
        Err(CodeRefusal::AlreadyRedeemed) => return Err(OAuthError::invalid_grant("Bad Request")),
        Err(CodeRefusal::Expired) => return Err(OAuthError::expired_or_revoked()),
    };
    if request.client_id != client_id {
        return Err(OAuthError::invalid_grant("Bad Request"));
    }
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or_else(|| OAuthError::invalid_request("Missing parameter: redirect_uri"))?;
    if redirect_uri != request.redirect_uri {
        return Err(OAuthError::other(
            StatusCode::BAD_REQUEST,
            "redirect_uri_mismatch",
            "Bad Request",
        ));
    }
    if let Some(challenge) = &request.challenge {
        let verifier = params
            .get("code_verifier")
            .ok_or_else(|| OAuthError::invalid_grant("Missing code verifier."))?;
        if !challenge.verifies(verifier) {
            return Err(OAuthError::invalid_grant("Invalid code verifier."));
        }
    }
    state.oauth.auth.codes.redeem(code);
    let granted = request.scopes.clone();
    let config = state.config.clone();
    let wants_refresh = request.options.offline
        && (!config.refresh_token_only_on_first_consent
            || request.options.prompt_consent
            || !state.oauth.has_live_refresh(&request.user, client_id, now, &config));
    let owner = TokenOwner {
        grant: Grant {
            user: request.user.clone(),
            client_id: client_id.to_owned(),
            scopes: granted.clone(),
        },
        family: state.oauth.new_family(),
    };
    let access_token = state.oauth.issue_access(owner.clone(), now, &config);
    let refresh_token = wants_refresh.then(|| state.oauth.issue_refresh(owner, now, &config));
    Ok(TokenResponse {
        access_token,
        expires_in: config.oauth.access_token_lifetime.as_secs(),
        scope: granted.join(" "),
        token_type: "Bearer",
        refresh_token_expires_in: refresh_token.as_ref().and_then(|_| refresh_token_expires_in(state)),
        refresh_token,
    })
}

fn refresh(state: &mut World, client_id: &str, params: &Params) -> Result<TokenResponse, OAuthError> {
    let now = state.now();
    let config = state.config.clone();
    let token = params
        .get("refresh_token")
        .ok_or_else(|| OAuthError::invalid_request("Missing required parameter: refresh_token"))?;
    let entry = state
        .oauth
        .refresh_tokens
        .get(token)
        .ok_or_else(OAuthError::expired_or_revoked)?;
    if !state.oauth.refresh_alive(entry, now, &config) {
        return Err(OAuthError::expired_or_revoked());
    }
    if entry.owner.grant.client_id != client_id {
        return Err(OAuthError::other(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            "Unauthorized",
        ));
    }
    // An optional `scope` narrows the new access token to a subset of the grant.
    let scopes: Vec<String> = match params.get("scope") {
        None => entry.owner.grant.scopes.clone(),
        Some(raw) => {
            let asked: Vec<String> = raw.split_whitespace().map(str::to_owned).collect();
            if asked.iter().any(|s| !entry.owner.grant.scopes.contains(s)) {
                return Err(OAuthError::other(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    "Some requested scopes were invalid.",
                ));
            }
            asked
        }
    };
    let mut owner = entry.owner.clone();
    owner.grant.scopes = scopes.clone();
    let issued_at = entry.issued_at;
    if let Some(entry) = state.oauth.refresh_tokens.get_mut(token) {
        entry.last_used = now;
    }
    let access_token = state.oauth.issue_access(owner, now, &config);
    Ok(TokenResponse {
        access_token,
        expires_in: config.oauth.access_token_lifetime.as_secs(),
        scope: scopes.join(" "),
        token_type: "Bearer",
        refresh_token: None,
        refresh_token_expires_in: config
            .refresh_token_lifetime
            .map(|l| (expiry(issued_at, l) - now).num_seconds()),
    })
}

/// Revokes the family of an access or refresh token; 400 `invalid_token` if it is not live.
pub(crate) fn revoke_token(state: &mut World, token: &str) -> Result<(), OAuthError> {
    let now = state.now();
    let owner = if let Some(access) = state.oauth.auth.access_tokens.get(token) {
        (!access.revoked && access.expires_at > now).then(|| access.owner.clone())
    } else if let Some(refresh) = state.oauth.refresh_tokens.get(token) {
        state
            .oauth
            .refresh_alive(refresh, now, &state.config)
            .then(|| refresh.owner.clone())
    } else {
        None
    };
    let TokenOwner { family, grant } = owner.ok_or_else(OAuthError::invalid_token)?;
    let Grant { user, client_id, .. } = grant;
    state.oauth.revoke_family(family, now);
    // With no refresh token left the app has no lasting access: the next authorization asks for
    // consent again and hands out a fresh refresh token.
    if !state.oauth.has_live_refresh(&user, &client_id, now, &state.config) {
        state.oauth.auth.consents.forget(Some(&user), Some(&client_id));
    }
    Ok(())
}

/// `POST /revoke?token=…` (the token may also come in the form body).
pub(crate) async fn revoke(State(sim): State<Sim>, RawQuery(query): RawQuery, body: Bytes) -> Response {
    let from_query = Params::from_query(query.as_deref());
    let from_body = Params::parse(&body);
    let Some(token) = from_query
        .get("token")
        .or_else(|| from_body.get("token"))
        .map(str::to_owned)
    else {
        return OAuthError::invalid_request("Missing required parameter: token").into_response();
    };
    let mut state = sim.lock();
    match revoke_token(&mut state, &token) {
        Ok(()) => StatusCode::OK.into_response(),
        Err(error) => error.into_response(),
    }
}
