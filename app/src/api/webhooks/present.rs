//! Endpoints and deliveries worded for the dashboard, and its forms read into service input.

use super::{
    DeliveryLog, DeliveryRow, DeliveryState, EndpointChoices, EndpointForm, EndpointStatus, EndpointView, Health,
    NewSecret,
};
use crate::api::Choice;
use crate::lang::{Dash, d, df};
use crate::ssr::Zone;
use domain::FieldErrors;
use services::accounts::Member;
use services::webhooks::{Delivery, Endpoint, EndpointInput, IssuedSecret, WebhookEvent};
use services::{ServiceError, Services};

/// How long after a delivery was queued or last tried the log keeps checking for its answer;
/// later answers are retries minutes apart, for Refresh.
const SETTLING_SECS: i64 = 120;

/// What wording endpoints needs beyond the endpoint itself: the team's event type titles, the
/// viewer's zone and the time.
pub struct Lookup {
    event_types: Vec<(i64, String)>,
    zone: Zone,
    now: i64,
}

impl Lookup {
    pub async fn new(services: &Services, admin: &Member) -> Result<Self, ServiceError> {
        let event_types = services
            .team_event_types(admin)
            .await?
            .into_iter()
            .map(|managed| (managed.event_type.id, managed.event_type.title))
            .collect();
        Ok(Self {
            event_types,
            zone: Zone::new(&admin.timezone),
            now: services.clock().now(),
        })
    }

    pub fn choices(&self) -> EndpointChoices {
        EndpointChoices {
            events: WebhookEvent::SUBSCRIBABLE
                .into_iter()
                .map(|event| Choice {
                    value: event.as_str().to_owned(),
                    label: event.label().to_owned(),
                })
                .collect(),
            event_types: self
                .event_types
                .iter()
                .map(|(id, title)| Choice {
                    value: id.to_string(),
                    label: title.clone(),
                })
                .collect(),
        }
    }

    pub fn endpoint(&self, endpoint: &Endpoint) -> EndpointView {
        EndpointView {
            id: endpoint.id,
            url: endpoint.url.clone(),
            description: endpoint.description.clone(),
            events: endpoint.events.iter().map(|e| e.label().to_owned()).collect(),
            event_types: self.event_type_names(&endpoint.event_type_ids),
            enabled: endpoint.enabled,
            status: status(endpoint, &self.zone),
            rotation: endpoint
                .previous_secret_until
                .filter(|until| *until > self.now)
                .map(|until| df(Dash::WebhooksRotationUntil, &[("when", &self.zone.moment(until))])),
            form: form(endpoint),
        }
    }

    fn event_type_names(&self, ids: &[i64]) -> String {
        if ids.is_empty() {
            return d(Dash::WebhooksAllEventTypes).to_owned();
        }
        let names: Vec<&str> = self
            .event_types
            .iter()
            .filter(|(id, _)| ids.contains(id))
            .map(|(_, title)| title.as_str())
            .collect();
        names.join(", ")
    }
}

fn status(endpoint: &Endpoint, zone: &Zone) -> EndpointStatus {
    let (health, label, detail) = match (endpoint.enabled, &endpoint.disabled_reason, endpoint.failing_since) {
        (false, Some(reason), _) => (
            Health::Disabled,
            d(Dash::WebhooksHealthDisabledFailures).to_owned(),
            Some(reason.clone()),
        ),
        (false, None, _) => (
            Health::Disabled,
            d(Dash::WebhooksHealthDisabledByYou).to_owned(),
            Some(d(Dash::WebhooksHealthDisabledHint).to_owned()),
        ),
        (true, _, Some(since)) => (
            Health::Failing,
            df(Dash::WebhooksHealthFailing, &[("when", &zone.moment(since))]),
            Some(d(Dash::WebhooksHealthFailingHint).to_owned()),
        ),
        (true, _, None) => (Health::Active, d(Dash::WebhooksHealthActive).to_owned(), None),
    };
    EndpointStatus { health, label, detail }
}

/// The edit form's starting values.
fn form(endpoint: &Endpoint) -> EndpointForm {
    let input = endpoint.input();
    EndpointForm {
        url: input.url,
        description: input.description,
        events: input.events,
        event_type_ids: input.event_type_ids.iter().map(i64::to_string).collect(),
        enabled: input.enabled.then(|| "on".to_owned()),
    }
}

/// The form read for the service, which checks the rest.
pub fn input(form: &EndpointForm) -> Result<EndpointInput, FieldErrors> {
    let event_type_ids = form
        .event_type_ids
        .iter()
        .map(|id| id.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| FieldErrors::single("event_type_ids", d(Dash::WebhooksInvalidEventTypes)))?;
    Ok(EndpointInput {
        url: form.url.clone(),
        description: form.description.clone(),
        events: form.events.clone(),
        event_type_ids,
        enabled: form.enabled.is_some(),
    })
}

/// Hours as chosen, in seconds; the service checks the range.
pub fn overlap_secs(hours: &str) -> Result<i64, FieldErrors> {
    hours
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|hours| hours.checked_mul(3600))
        .ok_or_else(|| FieldErrors::single("overlap_hours", d(Dash::WebhooksInvalidOverlap)))
}

pub fn new_secret(issued: IssuedSecret) -> NewSecret {
    NewSecret {
        id: issued.endpoint.id,
        url: issued.endpoint.url,
        secret: issued.secret,
    }
}

pub fn delivery_log(deliveries: Vec<Delivery>, zone: &Zone, now: i64) -> DeliveryLog {
    let settling = deliveries
        .iter()
        .any(|d| d.state == "pending" && now - d.updated_at < SETTLING_SECS);
    DeliveryLog {
        deliveries: deliveries.into_iter().map(|d| delivery_row(d, zone)).collect(),
        settling,
    }
}

fn delivery_row(delivery: Delivery, zone: &Zone) -> DeliveryRow {
    let (state, state_label) = match delivery.state.as_str() {
        "delivered" => (DeliveryState::Delivered, Dash::WebhooksDeliveryDelivered),
        "failed" => (DeliveryState::Failed, Dash::WebhooksDeliveryFailed),
        _ => (DeliveryState::Pending, Dash::WebhooksDeliveryPending),
    };
    DeliveryRow {
        id: delivery.id,
        event: delivery.event,
        state,
        state_label: d(state_label).to_owned(),
        response: delivery
            .response_status
            .map_or_else(|| "—".to_owned(), |status| status.to_string()),
        attempts: delivery.attempts,
        when: zone.moment(delivery.created_at),
        excerpt: delivery.response_excerpt.filter(|e| !e.trim().is_empty()),
        error: delivery.last_error,
        resendable: state != DeliveryState::Pending,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tuesday 2027-01-19 09:00 UTC, 10:00 in Berlin.
    const NINE_UTC: i64 = 1_800_349_200;

    fn endpoint() -> Endpoint {
        Endpoint {
            id: 7,
            url: "https://crm.example.com/hooks".into(),
            description: "CRM".into(),
            events: vec![WebhookEvent::BookingCreated, WebhookEvent::BookingCancelled],
            event_type_ids: vec![2],
            enabled: true,
            disabled_reason: None,
            failing_since: None,
            previous_secret_until: None,
            created_at: NINE_UTC,
        }
    }

    fn lookup() -> Lookup {
        Lookup {
            event_types: vec![(1, "Intro call".into()), (2, "Product demo".into())],
            zone: Zone::new("Europe/Berlin"),
            now: NINE_UTC,
        }
    }

    fn delivery(state: &str, updated_at: i64) -> Delivery {
        Delivery {
            id: 3,
            uid: "dlv_1".into(),
            event: "booking.created".into(),
            state: state.into(),
            attempts: 1,
            response_status: Some(200),
            response_excerpt: Some("ok".into()),
            last_error: None,
            created_at: NINE_UTC,
            updated_at,
        }
    }

    #[test]
    fn an_endpoint_is_worded_with_its_events_event_types_and_status() {
        let view = lookup().endpoint(&endpoint());
        assert_eq!(view.events, ["Booking created", "Booking cancelled"]);
        assert_eq!(view.event_types, "Product demo");
        assert_eq!(
            (view.status.health, view.status.label.as_str()),
            (Health::Active, "Active")
        );
        assert_eq!(view.rotation, None);
        let every = Endpoint {
            event_type_ids: Vec::new(),
            ..endpoint()
        };
        assert_eq!(lookup().endpoint(&every).event_types, "All event types");
    }

    #[test]
    fn the_status_tells_failing_from_disabled_by_an_admin_and_by_the_server() {
        let berlin = Zone::new("Europe/Berlin");
        let failing = Endpoint {
            failing_since: Some(NINE_UTC),
            ..endpoint()
        };
        let off = Endpoint {
            enabled: false,
            ..failing.clone()
        };
        let given_up = Endpoint {
            disabled_reason: Some("Disabled after three days of failed deliveries.".into()),
            ..off.clone()
        };
        let worded = |endpoint: &Endpoint| {
            let status = status(endpoint, &berlin);
            (status.health, status.label, status.detail)
        };
        let (health, label, _) = worded(&failing);
        assert_eq!(
            (health, label.as_str()),
            (Health::Failing, "Failing since Tue 19 Jan 2027, 10:00")
        );
        let (health, label, _) = worded(&off);
        assert_eq!((health, label.as_str()), (Health::Disabled, "Disabled by you"));
        let (health, label, detail) = worded(&given_up);
        assert_eq!((health, label.as_str()), (Health::Disabled, "Disabled after failures"));
        assert_eq!(
            detail.as_deref(),
            Some("Disabled after three days of failed deliveries.")
        );
    }

    #[test]
    fn a_rotation_is_mentioned_while_the_old_secret_still_signs() {
        let rotated = Endpoint {
            previous_secret_until: Some(NINE_UTC + 3600),
            ..endpoint()
        };
        assert_eq!(
            lookup().endpoint(&rotated).rotation.as_deref(),
            Some("The previous secret also signs until Tue 19 Jan 2027, 11:00.")
        );
        let over = Endpoint {
            previous_secret_until: Some(NINE_UTC),
            ..endpoint()
        };
        assert_eq!(lookup().endpoint(&over).rotation, None);
    }

    #[test]
    fn the_edit_form_starts_from_the_endpoint_and_reads_back_to_the_same_input() {
        let form = lookup().endpoint(&endpoint()).form;
        assert_eq!(form.events, ["booking.created", "booking.cancelled"]);
        assert_eq!(form.event_type_ids, ["2"]);
        assert_eq!(form.enabled.as_deref(), Some("on"));
        let input = input(&form).unwrap();
        assert_eq!(input.event_type_ids, [2]);
        assert_eq!(
            (input.url.as_str(), input.description.as_str(), input.enabled),
            ("https://crm.example.com/hooks", "CRM", true)
        );
        let unticked = EndpointForm { enabled: None, ..form };
        assert!(!super::input(&unticked).unwrap().enabled);
    }

    #[test]
    fn a_malformed_event_type_or_overlap_is_a_field_error() {
        let form = EndpointForm {
            event_type_ids: vec!["2".into(), "two".into()],
            ..EndpointForm::default()
        };
        let errors = input(&form).unwrap_err();
        assert_eq!(errors.get("event_type_ids"), Some("Choose event types of this team."));
        assert_eq!(overlap_secs("24"), Ok(86_400));
        assert_eq!(overlap_secs(" 0 "), Ok(0));
        assert!(overlap_secs("a day").unwrap_err().get("overlap_hours").is_some());
    }

    #[test]
    fn deliveries_are_worded_and_only_settled_ones_can_be_resent() {
        let berlin = Zone::new("Europe/Berlin");
        let failed = Delivery {
            state: "failed".into(),
            response_status: None,
            response_excerpt: Some("  ".into()),
            last_error: Some("Connection refused".into()),
            ..delivery("failed", NINE_UTC)
        };
        let log = delivery_log(
            vec![delivery("pending", NINE_UTC), delivery("delivered", NINE_UTC), failed],
            &berlin,
            NINE_UTC,
        );
        let states: Vec<_> = log
            .deliveries
            .iter()
            .map(|d| (d.state_label.as_str(), d.resendable))
            .collect();
        assert_eq!(states, [("Pending", false), ("Delivered", true), ("Failed", true)]);
        let delivered = &log.deliveries[1];
        assert_eq!(
            (delivered.response.as_str(), delivered.when.as_str()),
            ("200", "Tue 19 Jan 2027, 10:00")
        );
        assert_eq!(delivered.excerpt.as_deref(), Some("ok"));
        let failed = &log.deliveries[2];
        assert_eq!((failed.response.as_str(), failed.excerpt.as_deref()), ("—", None));
        assert_eq!(failed.error.as_deref(), Some("Connection refused"));
    }

    #[test]
    fn the_log_keeps_checking_only_while_something_was_just_queued_or_tried() {
        let berlin = Zone::new("Europe/Berlin");
        let just_queued = vec![delivery("pending", NINE_UTC - 5), delivery("delivered", NINE_UTC - 5)];
        assert!(delivery_log(just_queued, &berlin, NINE_UTC).settling);
        let retrying_later = vec![delivery("pending", NINE_UTC - SETTLING_SECS)];
        assert!(!delivery_log(retrying_later, &berlin, NINE_UTC).settling);
        let answered = vec![delivery("delivered", NINE_UTC), delivery("failed", NINE_UTC)];
        assert!(!delivery_log(answered, &berlin, NINE_UTC).settling);
    }
}
