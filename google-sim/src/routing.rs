//! The URL map. Google serves these from three hosts (accounts.google.com,
//! oauth2.googleapis.com, www.googleapis.com); the simulator serves them all from one base URL,
//! so a client configured with the three endpoint URLs from [`crate::Endpoints`] works unchanged.

use axum::Router;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::error::ApiError;
use crate::state::Sim;
use crate::{calendar, consent, control, events, freebusy, listing, oauth, token, watch};

pub(crate) fn router(sim: Sim) -> Router {
    let calendar_api = Router::new()
        .route("/calendar/v3/users/me/calendarList", get(calendar::calendar_list))
        .route("/calendar/v3/freeBusy", post(freebusy::query))
        .route(
            "/calendar/v3/calendars/{calendar_id}/events",
            get(listing::list).post(events::insert),
        )
        .route("/calendar/v3/calendars/{calendar_id}/events/watch", post(watch::watch))
        .route(
            "/calendar/v3/calendars/{calendar_id}/events/{event_id}",
            get(events::get)
                .patch(events::modify)
                .put(events::modify)
                .delete(events::delete),
        )
        .route("/calendar/v3/channels/stop", post(watch::stop));
    let oauth_api = Router::new()
        .route("/o/oauth2/v2/auth", get(oauth::authorize))
        .route(consent::DECISION_PATH, post(oauth::decide))
        .route("/token", post(token::token))
        .route("/revoke", post(token::revoke));
    sim_support::app(sim, oauth_api, calendar_api, control::router(), not_found)
}

/// Unknown Calendar paths get Google's JSON 404; anything else a plain one.
async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/calendar/") {
        ApiError::not_found().into_response()
    } else {
        (axum::http::StatusCode::NOT_FOUND, "Not Found").into_response()
    }
}
