//! The public JSON API under `/api/v1`: no cookies, CORS open, errors as JSON with a stable
//! `error` code. Handlers parse into `domain` types, call one service and map the error.

mod auth;
mod bookings;
mod dto;
mod error;
mod event_types;
mod manage_dto;
mod members;
mod openapi;
mod parse;
mod public;
mod reference;
mod webhook_dto;
mod webhooks;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use services::Services;
use tower_http::cors::{Any, CorsLayer};

pub use error::ApiError;

pub fn routes() -> Router<Services> {
    let cors = CorsLayer::new().allow_origin(Any).allow_methods(Any).allow_headers(Any);
    let v1 = Router::new()
        .route(
            "/event-types/{team}/{slug}",
            get(public::event_type)
                .patch(event_types::update)
                .delete(event_types::delete),
        )
        .route("/event-types", get(event_types::list).post(event_types::create))
        .route("/slots", get(public::slots))
        .route("/bookings", post(public::create_booking).get(bookings::list))
        .route("/bookings/{uid}", get(bookings::detail))
        .route("/bookings/{uid}/cancel", post(public::cancel_booking))
        .route("/bookings/{uid}/reschedule", post(public::reschedule_booking))
        .route("/me", get(members::me))
        .route("/members", get(members::list))
        .route("/members/{member}", patch(members::update))
        .route(
            "/members/{member}/schedule",
            get(members::schedule)
                .put(members::replace_schedule)
                .delete(members::clear_schedule),
        )
        .route("/members/{member}/overrides", get(members::overrides))
        .route(
            "/members/{member}/overrides/{date}",
            put(members::set_override).delete(members::delete_override),
        )
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route(
            "/webhooks/{id}",
            get(webhooks::detail).patch(webhooks::update).delete(webhooks::delete),
        )
        .route("/webhooks/{id}/rotate-secret", post(webhooks::rotate_secret))
        .route("/webhooks/{id}/deliveries", get(webhooks::deliveries))
        .route("/webhooks/{id}/deliveries/{delivery}/resend", post(webhooks::resend))
        .route("/webhooks/{id}/test", post(webhooks::send_test))
        .route("/openapi.json", get(openapi::document))
        .fallback(|| async { ApiError::not_found("This API path") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "This path does not accept that method.",
            )
        })
        .layer(cors);
    Router::new()
        .nest("/api/v1", v1)
        .route("/api/docs", get(reference::page))
}

/// The body-size limit (an outer layer) answers in plain text before any handler runs; API
/// clients get the same JSON error shape as everywhere else.
pub async fn json_body_limit(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/v1/");
    let response = next.run(request).await;
    if is_api && response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        let limit = crate::MAX_BODY_BYTES / 1024;
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("Request bodies are limited to {limit} KiB."),
        )
        .into_response();
    }
    response
}
