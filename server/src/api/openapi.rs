//! The OpenAPI 3.1 document, generated from the handlers' annotations and the wire types.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Rendezvous API",
        description = "Scheduling: event types, free slots and bookings. Public endpoints need no \
            authentication and allow any origin. Management endpoints need an API key, created in the \
            dashboard (API keys) or with `rendezvous api-key create`, sent as `Authorization: Bearer rdv_…`; \
            a member's key acts as that member, an admin's key may act on anyone in the team."
    ),
    paths(
        super::public::event_type,
        super::public::slots,
        super::public::create_booking,
        super::public::cancel_booking,
        super::public::reschedule_booking,
        super::members::me,
        super::members::list,
        super::members::update,
        super::members::schedule,
        super::members::replace_schedule,
        super::members::clear_schedule,
        super::members::overrides,
        super::members::set_override,
        super::members::delete_override,
        super::event_types::list,
        super::event_types::create,
        super::event_types::update,
        super::event_types::delete,
        super::bookings::list,
        super::bookings::detail
    ),
    components(schemas(
        super::dto::PublicEventType,
        super::dto::Slots,
        super::dto::SlotTimes,
        super::dto::NewBooking,
        super::dto::AttendeeInput,
        super::dto::BookingCreated,
        super::dto::HostName,
        super::dto::ManageLinks,
        super::dto::CancelRequest,
        super::dto::RescheduleRequest,
        super::dto::Cancelled,
        super::error::ErrorBody
    )),
    modifiers(&BearerKey),
    tags(
        (name = "public", description = "No authentication; CORS open."),
        (name = "members", description = "Team members (API key)."),
        (name = "availability", description = "Weekly hours and date overrides (API key)."),
        (name = "event types", description = "What prospects can book (API key; changes need an admin's key)."),
        (name = "bookings", description = "The team's bookings (API key).")
    )
)]
pub struct ApiDoc;

/// Declares the `api_key` bearer scheme the management paths refer to.
struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("rdv_…".into());
        scheme.description = Some("An API key from the dashboard or `rendezvous api-key create`.".into());
        components.add_security_scheme("api_key", SecurityScheme::Http(scheme));
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
