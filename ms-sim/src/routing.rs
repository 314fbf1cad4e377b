//! The URL map. Microsoft serves these from two hosts (login.microsoftonline.com and
//! graph.microsoft.com); the simulator serves both from one base URL, so a client configured with
//! the URLs from [`crate::Endpoints`] works unchanged.

use axum::Router;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::error::GraphError;
use crate::state::Sim;
use crate::{authorize, consent, control, delta, events, me, schedule, subscriptions, token, view};

fn graph_api() -> Router<Sim> {
    let event = || get(events::get).patch(events::update).delete(events::delete);
    Router::new()
        .route("/v1.0/me", get(me::me))
        .route("/v1.0/me/calendars", get(me::calendars))
        .route("/v1.0/me/calendar", get(me::calendar))
        .route("/v1.0/me/calendars/{calendar}", get(me::calendar))
        .route("/v1.0/me/calendar/getSchedule", post(schedule::get_schedule))
        .route("/v1.0/me/events", post(events::create))
        .route("/v1.0/me/calendar/events", post(events::create))
        .route("/v1.0/me/calendars/{calendar}/events", post(events::create))
        .route("/v1.0/me/events/{event}", event())
        .route("/v1.0/me/calendar/events/{event}", event())
        .route("/v1.0/me/calendars/{calendar}/events/{event}", event())
        .route("/v1.0/me/calendarView", get(view::calendar_view))
        .route("/v1.0/me/calendar/calendarView", get(view::calendar_view))
        .route("/v1.0/me/calendars/{calendar}/calendarView", get(view::calendar_view))
        .route("/v1.0/me/calendarView/delta", get(delta::delta))
        .route(
            "/v1.0/subscriptions",
            post(subscriptions::create).get(subscriptions::list),
        )
        .route(
            "/v1.0/subscriptions/{id}",
            get(subscriptions::get)
                .patch(subscriptions::renew)
                .delete(subscriptions::remove),
        )
        .route("/v1.0/subscriptions/{id}/reauthorize", post(subscriptions::reauthorize))
}

pub(crate) fn router(sim: Sim) -> Router {
    let identity = Router::new()
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize::authorize))
        .route(consent::CONSENT_PATH, post(authorize::decide))
        .route("/{tenant}/oauth2/v2.0/token", post(token::token));
    sim_support::app(sim, identity, graph_api(), control::router(), not_found)
}

/// Unknown Graph paths get Graph's JSON 400 for an unresolvable segment; anything else a plain 404.
async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/v1.0/") {
        GraphError::bad_request(
            "BadRequest",
            format!(
                "Resource not found for the segment '{}'.",
                uri.path().rsplit('/').next().unwrap_or("")
            ),
        )
        .into_response()
    } else {
        (axum::http::StatusCode::NOT_FOUND, "Not Found").into_response()
    }
}
