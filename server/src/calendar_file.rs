//! `GET /booking/{uid}/invite.ics?token=…`: the attendee's "add to calendar" file, the same
//! invitation the emails carry. The manage token authorizes it; a wrong one is a plain 404.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use services::{ServiceError, Services};

#[derive(Deserialize)]
pub struct Token {
    token: Option<String>,
}

pub async fn invite(State(services): State<Services>, Path(uid): Path<String>, Query(query): Query<Token>) -> Response {
    let token = query.token.unwrap_or_default();
    match services.invitation_file(&uid, &token).await {
        Ok(ics) => {
            let mut response = ics.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"invite.ics\""),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(ServiceError::NotFound) => (StatusCode::NOT_FOUND, "No booking with this link.").into_response(),
        Err(e) => {
            tracing::error!(error = format!("{:#}", anyhow::Error::new(e)), "calendar file failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
