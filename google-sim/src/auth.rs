//! Bearer authentication and authorization of Calendar calls: which account and client a token
//! belongs to, whether its scopes allow the operation, and what the account may do to a calendar.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::scopes::Access;
use crate::state::{AccessRole, Sim, State};

/// The account and client behind a valid access token.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub user: String,
    pub client_id: String,
    pub scopes: Vec<String>,
}

impl FromRequestParts<Sim> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, sim: &Sim) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Err(ApiError::login_required());
        };
        let value = value.to_str().map_err(|_| ApiError::invalid_credentials())?;
        let (scheme, token) = value.split_once(' ').ok_or_else(ApiError::invalid_credentials)?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(ApiError::invalid_credentials());
        }
        let state = sim.lock();
        let now = state.now();
        match state.oauth.auth.access_tokens.get(token.trim()) {
            Some(t) if !t.revoked && t.expires_at > now => Ok(Caller {
                user: t.owner.grant.user.clone(),
                client_id: t.owner.grant.client_id.clone(),
                scopes: t.owner.grant.scopes.clone(),
            }),
            _ => Err(ApiError::invalid_credentials()),
        }
    }
}

impl Caller {
    /// 403 `insufficientPermissions` unless one granted scope allows `access`.
    pub fn require(&self, access: Access) -> Result<(), ApiError> {
        if self.scopes.iter().any(|s| access.accepted().contains(&s.as_str())) {
            Ok(())
        } else {
            Err(ApiError::insufficient_permissions())
        }
    }

    /// Resolves `calendar_id` (or `primary`) for this caller and checks the role it needs.
    /// A calendar the account cannot see is 404, like Google; seeing but not writing is 403.
    pub fn calendar(&self, state: &State, calendar_id: &str, access: Access) -> Result<(String, AccessRole), ApiError> {
        self.require(access)?;
        let (id, role) = state
            .resolve_calendar(&self.user, calendar_id)
            .ok_or_else(ApiError::not_found)?;
        if role < AccessRole::Reader && access != Access::FreeBusy {
            return Err(ApiError::not_found());
        }
        if access == Access::EventsWrite && role < AccessRole::Writer {
            return Err(ApiError::required_access_level());
        }
        if role != AccessRole::Owner && !access.reaches_unowned(&self.scopes) {
            return Err(ApiError::insufficient_permissions());
        }
        Ok((id, role))
    }
}
