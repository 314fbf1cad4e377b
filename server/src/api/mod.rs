//! The public JSON API under `/api/v1`: no cookies, CORS open, errors as JSON with a stable
//! `error` code. Handlers parse into `domain` types, call one service and map the error.

mod dto;
mod error;
mod openapi;
mod public;

use axum::Router;
use axum::routing::{get, post};
use services::Services;
use tower_http::cors::{Any, CorsLayer};

pub use error::ApiError;

pub fn routes() -> Router<Services> {
    let cors = CorsLayer::new().allow_origin(Any).allow_methods(Any).allow_headers(Any);
    Router::new()
        .route("/api/v1/event-types/{team}/{slug}", get(public::event_type))
        .route("/api/v1/slots", get(public::slots))
        .route("/api/v1/bookings", post(public::create_booking))
        .route("/api/v1/bookings/{uid}/cancel", post(public::cancel_booking))
        .route("/api/v1/bookings/{uid}/reschedule", post(public::reschedule_booking))
        .route("/api/v1/openapi.json", get(openapi::document))
        .layer(cors)
}
