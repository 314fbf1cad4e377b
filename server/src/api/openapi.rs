//! The OpenAPI 3.1 document, generated from the handlers' annotations and the wire types.

use axum::Json;
use serde_json::{Value, json};
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
        super::bookings::detail,
        super::webhooks::list,
        super::webhooks::create,
        super::webhooks::detail,
        super::webhooks::update,
        super::webhooks::delete,
        super::webhooks::rotate_secret,
        super::webhooks::deliveries,
        super::webhooks::resend,
        super::webhooks::send_test
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
        super::error::ErrorBody,
        services::webhooks::payload::Envelope,
        services::webhooks::payload::BookingPayload,
        services::webhooks::payload::LocationPayload,
        services::webhooks::payload::EventTypePayload,
        services::webhooks::payload::HostPayload,
        services::webhooks::payload::AttendeePayload,
        services::webhooks::payload::AnswerPayload,
        services::webhooks::payload::HostUrls,
        services::webhooks::payload::CalendarChangePayload
    )),
    modifiers(&BearerKey),
    tags(
        (name = "public", description = "No authentication; CORS open."),
        (name = "members", description = "Team members (API key)."),
        (name = "availability", description = "Weekly hours and date overrides (API key)."),
        (name = "event types", description = "What prospects can book (API key; changes need an admin's key)."),
        (name = "bookings", description = "The team's bookings (API key)."),
        (name = "webhooks", description = "Endpoints that receive bookings as they change, and their delivery \
            logs (an admin's API key). The payloads are in this document's `webhooks` section.")
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

/// The document as served: utoipa's, plus the OpenAPI 3.1 `webhooks` section that utoipa does
/// not model, and the 400 every operation can answer.
pub fn document_value() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    document_nul_refusals(&mut doc);
    if let Some(root) = doc.as_object_mut() {
        root.insert("webhooks".into(), webhooks());
    }
    doc
}

/// Every request passes `no_nul::refuse_nul` before its handler, so every operation may answer
/// 400 `nul_character`; where an operation documents no 400 of its own, this one is added.
fn document_nul_refusals(doc: &mut Value) {
    let refused = json!({
        "description": "A text contains a NUL character (`nul_character`), or the request is malformed",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    });
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for operation in paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
    {
        if let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) {
            responses.entry("400").or_insert_with(|| refused.clone());
        }
    }
}

pub async fn document() -> Json<Value> {
    Json(document_value())
}

/// One `POST` per event, all with the same envelope and signed headers.
fn webhooks() -> Value {
    let header = |name: &str, description: &str| json!({"name": name, "in": "header", "required": true, "description": description, "schema": {"type": "string"}});
    let parameters = json!([
        header("Rendezvous-Event", "The event, as in the body's `event`."),
        header(
            "Rendezvous-Delivery",
            "The delivery's id, as in the body's `id`: the same on every retry and resend; drop a repeated one."
        ),
        header(
            "Rendezvous-Signature",
            "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\" keyed with the endpoint's secret>`; during a \
             secret rotation a second `v1` is signed with the previous secret. Reject a body whose signature does \
             not match or whose `t` is more than 5 minutes old."
        ),
    ]);
    let events = [
        ("booking.created", "A prospect booked."),
        (
            "booking.rescheduled",
            "The booking moved: by the attendee, from the dashboard, or by the host in their own calendar (`change_reason` says which).",
        ),
        (
            "booking.cancelled",
            "The booking was cancelled: by the attendee, an admin, or the host deleting it in their calendar.",
        ),
        (
            "booking.host_changed",
            "Same time, another host (a removed member's booking went to a colleague).",
        ),
        (
            "booking.host_calendar_changed",
            "A co-host of a collective booking moved or deleted their own copy; the booking stays as it is (`calendar_change`).",
        ),
        (
            "booking.video_link_ready",
            "The booking's video meeting link arrived after the message that should have carried it (a slow provider, or a new host's meeting): `booking.location.join_url`.",
        ),
        ("webhook.test", "Sent by \"Send test event\", with a made-up booking."),
    ];
    let mut out = serde_json::Map::new();
    for (event, description) in events {
        out.insert(
            event.into(),
            json!({"post": {
                "summary": event,
                "description": format!("{description} Answer with any 2xx within 10 seconds; network errors, 408, 429 (after its Retry-After) and 5xx are retried for up to three days, other answers are final. Deliveries may arrive out of order: compare `booking.sequence`."),
                "tags": ["webhooks"],
                "parameters": parameters,
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}}},
                "responses": {"2XX": {"description": "Received"}}
            }}),
        );
    }
    Value::Object(out)
}
