//! `POST /{tenant}/oauth2/v2.0/token`: the authorization-code grant (single-use, short-lived
//! codes, PKCE, the same redirect URI) and the refresh-token grant, which rotates the refresh
//! token on every use. Errors carry the AADSTS code a client needs to tell "sign in again"
//! from "try later".

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sim_support::oauth::{client_credentials, token_response};
use sim_support::params::Params;
use sim_support::tokens::{CodeRefusal, Grant, expiry};

use crate::authorize::known_tenant;
use crate::error::IdentityError;
use crate::identity::Identity;
use crate::jwt::{self, Subject};
use crate::scopes::{self, GRAPH_RESOURCE, OFFLINE_ACCESS};
use crate::state::{Sim, State as World};

#[derive(Serialize)]
struct TokenResponse {
    token_type: &'static str,
    scope: String,
    expires_in: u64,
    ext_expires_in: u64,
    access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

fn authenticate_client(state: &World, headers: &HeaderMap, params: &Params) -> Result<String, IdentityError> {
    let (id, secret) = client_credentials(headers, params.get("client_id"), params.get("client_secret"));
    let id = id.ok_or_else(|| IdentityError::missing("client_id"))?;
    let client = state.plumbing.clients.get(&id).ok_or_else(|| {
        IdentityError::new(
            "unauthorized_client",
            700016,
            format!("Application with identifier '{id}' was not found in the directory."),
        )
    })?;
    match secret {
        None => Err(IdentityError::invalid_client(
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        )),
        Some(secret) if secret != client.client_secret => Err(IdentityError::invalid_client(
            7000215,
            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.",
        )),
        Some(_) => Ok(id),
    }
}

pub(crate) async fn token(
    State(sim): State<Sim>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let params = Params::parse(&body);
    let mut state = sim.lock();
    if !known_tenant(&state, &tenant) {
        return IdentityError::new("invalid_request", 90002, format!("Tenant '{tenant}' not found.")).into_response();
    }
    let result = authenticate_client(&state, &headers, &params).and_then(|client_id| match params.get("grant_type") {
        None => Err(IdentityError::missing("grant_type")),
        Some("authorization_code") => redeem_code(&mut state, &client_id, &params),
        Some("refresh_token") => redeem_refresh(&mut state, &client_id, &params),
        Some(other) => Err(IdentityError::new(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{other}'."),
        )),
    });
    token_response(result)
}

fn redeem_code(state: &mut World, client_id: &str, params: &Params) -> Result<TokenResponse, IdentityError> {
    let now = state.now();
    let code = params.get("code").ok_or_else(|| IdentityError::missing("code"))?;
    let request = state.identity.auth.codes.redeemable(code, now).cloned().map_err(|refusal| match refusal {
        CodeRefusal::Unknown => {
            IdentityError::invalid_grant(70000, "The provided value for the 'code' parameter is not valid.")
        }
        CodeRefusal::AlreadyRedeemed => IdentityError::invalid_grant(
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        ),
        CodeRefusal::Expired => IdentityError::invalid_grant(
            70008,
            "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
        ),
    })?;
    if request.client_id != client_id {
        return Err(IdentityError::invalid_grant(
            70000,
            "The code was issued to another application.",
        ));
    }
    if params.get("redirect_uri") != Some(request.redirect_uri.as_str()) {
        return Err(IdentityError::invalid_grant(
            500112,
            "The reply address does not match the reply address provided when requesting the authorization code.",
        ));
    }
    if let Some(challenge) = &request.challenge {
        let verifier = params
            .get("code_verifier")
            .ok_or_else(|| IdentityError::missing("code_verifier"))?;
        if !challenge.verifies(verifier) {
            return Err(IdentityError::invalid_grant(
                50148,
                "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.",
            ));
        }
    }
    state.identity.auth.codes.redeem(code);
    let owner = Grant {
        user: request.user.clone(),
        client_id: client_id.to_owned(),
        scopes: request.scopes.clone(),
    };
    Ok(issue(state, owner, request.options.nonce.as_deref()))
}

/// The scopes a refresh asks for: all granted ones by default, or a granted subset.
fn refresh_scopes(raw: Option<&str>, granted: &[String]) -> Result<Vec<String>, IdentityError> {
    let Some(raw) = raw else {
        return Ok(granted.to_vec());
    };
    let mut asked: Vec<String> = Vec::new();
    for word in raw.split_whitespace() {
        let scope = scopes::canonical(word)
            .filter(|s| granted.iter().any(|g| g == s))
            .ok_or_else(|| {
                IdentityError::invalid_grant(
                    65001,
                    format!("The user or administrator has not consented to use the application with scope '{word}'."),
                )
            })?;
        asked.push(scope.to_owned());
    }
    // Refreshing never drops the ability to refresh again.
    if granted.iter().any(|g| g == OFFLINE_ACCESS) && !asked.iter().any(|a| a == OFFLINE_ACCESS) {
        asked.push(OFFLINE_ACCESS.to_owned());
    }
    Ok(asked)
}

fn redeem_refresh(state: &mut World, client_id: &str, params: &Params) -> Result<TokenResponse, IdentityError> {
    let now = state.now();
    let token = params
        .get("refresh_token")
        .ok_or_else(|| IdentityError::missing("refresh_token"))?;
    let entry = state
        .identity
        .refresh_tokens
        .get(token)
        .ok_or_else(|| IdentityError::malformed("Invalid request. Request is malformed or invalid."))?;
    if let Some(refusal) = Identity::refusal(entry, now, &state.config) {
        return Err(refusal);
    }
    if entry.owner.client_id != client_id {
        return Err(IdentityError::invalid_grant(
            70000,
            "The refresh token was issued to another application.",
        ));
    }
    if state.users.get(&entry.owner.user).is_some_and(|u| u.needs_interaction) {
        return Err(IdentityError::new(
            "interaction_required",
            50076,
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
        ));
    }
    let owner = Grant {
        scopes: refresh_scopes(params.get("scope"), &entry.owner.scopes)?,
        ..entry.owner.clone()
    };
    if let Some(entry) = state.identity.refresh_tokens.get_mut(token) {
        entry.last_used = now;
        entry.replaced_at.get_or_insert(now);
    }
    Ok(issue(state, owner, None))
}

/// An access token (always), a new refresh token (with `offline_access`) and an ID token (with
/// `openid`) for `owner`.
fn issue(state: &mut World, owner: Grant, nonce: Option<&str>) -> TokenResponse {
    let now = state.now();
    let config = state.config.clone();
    let expires = expiry(now, config.oauth.access_token_lifetime);
    let graph_scopes: Vec<String> = owner.scopes.iter().filter(|s| !scopes::is_oidc(s)).cloned().collect();
    let has = |scope: &str| owner.scopes.iter().any(|s| s == scope);
    let user = state.users.get(&owner.user).expect("tokens belong to known users");
    let client_name = state.plumbing.clients.name(&owner.client_id);
    let subject = Subject {
        tenant_id: &config.tenant_id,
        client_id: &owner.client_id,
        client_name: &client_name,
        user,
        issued: now,
        expires,
    };
    let access_token = jwt::access_token(&subject, &graph_scopes);
    let id_token = has(scopes::OPENID).then(|| jwt::id_token(&subject, nonce, has(scopes::EMAIL)));
    let mut scope: Vec<String> = graph_scopes
        .iter()
        .map(|s| {
            if config.qualified_scopes_in_token_response {
                format!("{GRAPH_RESOURCE}{s}")
            } else {
                s.clone()
            }
        })
        .collect();
    scope.extend(
        [scopes::OPENID, scopes::PROFILE, scopes::EMAIL]
            .into_iter()
            .filter(|s| has(s))
            .map(str::to_owned),
    );
    let wants_refresh = has(OFFLINE_ACCESS);
    let access_token = state
        .identity
        .auth
        .issue_access(access_token, owner.clone(), now, &config.oauth);
    let refresh_token = wants_refresh.then(|| state.identity.issue_refresh(owner, now));
    TokenResponse {
        token_type: "Bearer",
        scope: scope.join(" "),
        expires_in: config.oauth.access_token_lifetime.as_secs(),
        ext_expires_in: config.oauth.access_token_lifetime.as_secs(),
        access_token,
        refresh_token,
        id_token,
    }
}
