//! Bearer authentication of Graph calls: which account and app a token belongs to, and whether
//! its scopes allow the call.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::error::GraphError;
use crate::scopes::Permission;
use crate::state::{Calendar, Sim, State};

/// The account and app behind a valid access token.
#[derive(Clone, Debug)]
pub(crate) struct Caller {
    pub user: String,
    pub client_id: String,
    pub scopes: Vec<String>,
}

impl FromRequestParts<Sim> for Caller {
    type Rejection = GraphError;

    async fn from_request_parts(parts: &mut Parts, sim: &Sim) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|token| !token.is_empty())
            .ok_or_else(|| GraphError::invalid_token("Access token is empty."))?;
        let state = sim.lock();
        let access = state
            .identity
            .auth
            .access_tokens
            .get(token)
            .ok_or_else(|| GraphError::invalid_token("Access token validation failure. Invalid audience."))?;
        if access.revoked {
            return Err(GraphError::invalid_token(
                "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp",
            ));
        }
        if access.expires_at <= state.now() {
            return Err(GraphError::invalid_token(
                "Lifetime validation failed, the token is expired.",
            ));
        }
        Ok(Caller {
            user: access.owner.user.clone(),
            client_id: access.owner.client_id.clone(),
            scopes: access.owner.scopes.clone(),
        })
    }
}

impl Caller {
    /// 403 unless one granted scope allows `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), GraphError> {
        if self.scopes.iter().any(|s| permission.accepted().contains(&s.as_str())) {
            Ok(())
        } else if permission == Permission::ReadProfile {
            Err(GraphError::new(
                axum::http::StatusCode::FORBIDDEN,
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.",
            ))
        } else {
            Err(GraphError::access_denied())
        }
    }

    /// One of the caller's calendars (`None`: the default one); another mailbox's is 404.
    pub fn calendar<'a>(
        &self,
        state: &'a State,
        id: Option<&str>,
        permission: Permission,
    ) -> Result<&'a Calendar, GraphError> {
        self.require(permission)?;
        let calendar = match id {
            None => state.default_calendar(&self.user),
            Some(id) => state.calendar(id).filter(|c| c.owner.eq_ignore_ascii_case(&self.user)),
        };
        calendar.ok_or_else(GraphError::not_found)
    }
}
