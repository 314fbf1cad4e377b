//! `Authorization: Bearer rdv_…` for the management endpoints. The key acts as its member.

use super::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use services::Services;
use services::accounts::Member;

/// The member whose API key came with the request.
pub struct ApiActor(pub Member);

/// Like [`ApiActor`] for endpoints that also accept other proof (a booking's manage token): no
/// header is `None`, but a header with a bad key is still refused.
pub struct MaybeApiActor(pub Option<Member>);

pub struct Unauthorized(ApiError);

impl IntoResponse for Unauthorized {
    fn into_response(self) -> Response {
        let mut response = self.0.into_response();
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        response
    }
}

fn unauthorized(message: &str) -> Unauthorized {
    Unauthorized(ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message))
}

async fn authenticate(parts: &Parts, services: &Services) -> Result<Option<Member>, Unauthorized> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let secret = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| unauthorized("Send the API key as `Authorization: Bearer rdv_…`."))?;
    match services.member_for_api_key(secret).await {
        Ok(member) => Ok(Some(member)),
        Err(services::ServiceError::Unauthenticated) => Err(unauthorized("This API key is unknown or revoked.")),
        Err(other) => Err(Unauthorized(other.into())),
    }
}

impl FromRequestParts<Services> for ApiActor {
    type Rejection = Unauthorized;

    async fn from_request_parts(parts: &mut Parts, services: &Services) -> Result<Self, Self::Rejection> {
        authenticate(parts, services)
            .await?
            .map(Self)
            .ok_or_else(|| unauthorized("This endpoint needs an API key: `Authorization: Bearer rdv_…`."))
    }
}

impl FromRequestParts<Services> for MaybeApiActor {
    type Rejection = Unauthorized;

    async fn from_request_parts(parts: &mut Parts, services: &Services) -> Result<Self, Self::Rejection> {
        authenticate(parts, services).await.map(Self)
    }
}
