//! The browser's side of connecting Google Calendar: `POST /integrations/google/connect` (a form
//! button, so cross-site posts are refused like every other write) redirects to Google's consent
//! page, and Google sends the browser back to `GET /integrations/google/callback`. Both belong to
//! the signed-in member; the outcome returns to the Integrations page as a short code.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use services::calendars::{CallbackOutcome, ConnectFailure};
use services::{ServiceError, Services};

const PAGE: &str = "/dashboard/integrations";

pub async fn connect(State(services): State<Services>, headers: HeaderMap) -> Response {
    let (member, secret) = match crate::guards::session(&services, &headers).await {
        Ok(Some(found)) => found,
        Ok(None) => return sign_in(),
        Err(e) => return internal(e),
    };
    match services.start_google_connect(&member, &secret).await {
        Ok(consent) => Redirect::to(consent.as_str()).into_response(),
        Err(ServiceError::Conflict(_)) => back("unavailable"),
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
    headers: HeaderMap,
    Query(answer): Query<Callback>,
) -> Response {
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
    match services.finish_google_connect(&member, &secret, &state, outcome).await {
        Ok(()) => back("connected"),
        Err(ConnectFailure::Service(e)) => internal(e),
        Err(failure) => {
            tracing::warn!(member = member.id, reason = %failure, "connecting Google Calendar failed");
            back(failure.code())
        }
    }
}

fn back(code: &str) -> Response {
    Redirect::to(&format!("{PAGE}?google={code}")).into_response()
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
