//! The OpenAPI 3.1 document, generated from the handlers' annotations and the wire types.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Rendezvous API", description = "Scheduling: event types, free slots and bookings."),
    paths(
        super::public::event_type,
        super::public::slots,
        super::public::create_booking,
        super::public::cancel_booking,
        super::public::reschedule_booking
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
    tags((name = "public", description = "No authentication; CORS open."))
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
