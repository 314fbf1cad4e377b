//! The browser's side of connecting a calendar: `POST /integrations/{provider}/connect` (a form
//! button, so cross-site posts are refused like every other write) redirects to the provider's
//! consent page, and the provider sends the browser back to
//! `GET /integrations/{provider}/callback`. Both belong to the signed-in member; the outcome
//! returns to the Integrations page as a short code (`?google=connected`).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use services::calendars::{CallbackOutcome, ConnectFailure, Provider};
use services::{ServiceError, Services};

const PAGE: &str = "/dashboard/integrations";

pub async fn connect(State(services): State<Services>, Path(provider): Path<String>, headers: HeaderMap) -> Response {
    let Some(provider) = Provider::parse(&provider) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (member, secret) = match crate::guards::session(&services, &headers).await {
        Ok(Some(found)) => found,
        Ok(None) => return sign_in(),
        Err(e) => return internal(e),
    };
    match services.start_connect(&member, provider, &secret).await {
        Ok(consent) => Redirect::to(consent.as_str()).into_response(),
        Err(ServiceError::Conflict(_)) => back(provider, "unavailable"),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize)]
pub struct Callback {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
}

pub async fn callback(
    State(services): State<Services>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    Query(answer): Query<Callback>,
) -> Response {
    let Some(provider) = Provider::parse(&provider) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (member, secret) = match crate::guards::session(&services, &headers).await {
        Ok(Some(found)) => found,
        Ok(None) => return sign_in(),
        Err(e) => return internal(e),
    };
    let outcome = match (answer.code, answer.error) {
        (Some(code), _) => CallbackOutcome::Code(code),
        (None, error) => CallbackOutcome::Refused(error.unwrap_or_else(|| "no code".to_owned())),
    };
    let state = answer.state.unwrap_or_default();
    match services
        .finish_connect(&member, provider, &secret, &state, outcome)
        .await
    {
        Ok(()) => back(provider, "connected"),
        Err(ConnectFailure::Service(e)) => internal(e),
        Err(failure) => {
            tracing::warn!(member = member.id, provider = provider.as_str(), reason = %failure, "connecting a calendar failed");
            back(provider, failure.code())
        }
    }
}

fn back(provider: Provider, code: &str) -> Response {
    Redirect::to(&format!("{PAGE}?{}={code}", provider.as_str())).into_response()
}

fn sign_in() -> Response {
    Redirect::to("/login?next=%2Fdashboard%2Fintegrations").into_response()
}

fn internal(error: ServiceError) -> Response {
    tracing::error!(
        error = format!("{:#}", anyhow::Error::new(error)),
        "calendar connection failed"
    );
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}
