//! Getting notifications to receivers: the validation handshake a subscription must pass before
//! it exists, and the POSTs of change and lifecycle notifications with retries. Each subscription
//! has one delivery task fed by a queue, so its notifications arrive in order; whatever queued up
//! while a POST was in flight goes out together in the next one (Graph batches too). Tasks hold
//! only a weak reference to the simulator: removing the subscription or stopping the simulator
//! drops the queue and the task ends.

use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::http::header;
use serde_json::{Value, json};
use sim_support::webhook::{self, RetryPolicy};
use tokio::sync::mpsc;

use crate::error::GraphError;
use crate::ids;
use crate::state::{Shared, Sim};
use crate::subscriptions::DeliveredNotification;

/// Graph retries a 5xx or no answer; anything else is final.
fn retryable(status: u16) -> bool {
    (500..600).contains(&status)
}

/// Where and how one subscription's notifications are delivered, fixed at creation.
pub(crate) struct Target {
    pub subscription_id: String,
    pub url: String,
    pub retry: RetryPolicy,
    pub timeout: Duration,
}

impl Target {
    pub fn new(subscription_id: &str, url: &str, config: &crate::config::SimConfig) -> Self {
        Target {
            subscription_id: subscription_id.to_owned(),
            url: url.to_owned(),
            retry: config.notifications.policy(retryable),
            timeout: config.notifications.timeout,
        }
    }
}

fn validation_failed(detail: &str) -> GraphError {
    GraphError::bad_request(
        "ValidationError",
        format!(
            "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. {detail}"
        ),
    )
}

/// POSTs `url?validationToken=…` and demands the decoded token back as `text/plain` with 200
/// within `timeout`. The token contains spaces and colons, so a receiver that echoes the raw
/// query value fails, as it would against Graph.
pub(crate) async fn validate(http: &reqwest::Client, url: &str, timeout: Duration) -> Result<(), GraphError> {
    let token = format!(
        "Validation: Testing client application reachability for subscription Request-Id: {}",
        ids::guid()
    );
    let mut target = url::Url::parse(url).map_err(|_| validation_failed("Invalid notification URL."))?;
    target.query_pairs_mut().append_pair("validationToken", &token);
    let response = http
        .post(target)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .timeout(timeout)
        .send()
        .await
        .map_err(|e| validation_failed(&e.to_string()))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let body = response.text().await.map_err(|e| validation_failed(&e.to_string()))?;
    if status != 200 {
        return Err(validation_failed(&format!("The endpoint answered {status}.")));
    }
    if !content_type.starts_with("text/plain") {
        return Err(validation_failed("The response must be text/plain."));
    }
    if body != token {
        return Err(validation_failed(
            "The response body did not contain the validation token.",
        ));
    }
    Ok(())
}

async fn post(http: &reqwest::Client, target: &Target, payload: &Value) -> Result<u16, String> {
    http.post(&target.url)
        .timeout(target.timeout)
        .header(header::CONTENT_TYPE, "application/json")
        .body(payload.to_string())
        .send()
        .await
        .map(|r| r.status().as_u16())
        .map_err(|e| e.to_string())
}

fn record(sim: &Weak<Shared>, target: &Target, kind: &str, payload: Value, outcome: webhook::Outcome) {
    let Some(shared) = sim.upgrade() else { return };
    let entry = DeliveredNotification {
        subscription_id: target.subscription_id.clone(),
        notification_url: target.url.clone(),
        kind: kind.to_owned(),
        payload,
        status: outcome.status,
        error: outcome.error,
        attempts: outcome.attempts,
    };
    shared.lock().notifications.push(entry);
}

/// The delivery task of one subscription's change notifications.
pub(crate) async fn deliver_changes(sim: Weak<Shared>, mut queue: mpsc::UnboundedReceiver<Value>, target: Target) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while let Ok(next) = queue.try_recv() {
            batch.push(next);
        }
        let payload = json!({"value": batch});
        let Some(http) = sim.upgrade().map(|s| s.http.clone()) else {
            return;
        };
        let still_wanted = || {
            sim.upgrade()
                .is_some_and(|s| s.lock().subscriptions.contains_key(&target.subscription_id))
        };
        let Some(outcome) = webhook::deliver(target.retry, still_wanted, || post(&http, &target, &payload)).await
        else {
            return;
        };
        record(&sim, &target, "change", payload, outcome);
    }
}

/// Sends one lifecycle notification (it may concern a subscription that no longer exists).
pub(crate) fn deliver_lifecycle(sim: &Sim, target: Target, payload: Value) {
    let weak = Arc::downgrade(sim);
    let http = sim.http.clone();
    sim.runtime.spawn(async move {
        let alive = || weak.upgrade().is_some();
        if let Some(outcome) = webhook::deliver(target.retry, alive, || post(&http, &target, &payload)).await {
            record(&weak, &target, "lifecycle", payload, outcome);
        }
    });
}
