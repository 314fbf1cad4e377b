use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use services::Services;

/// Liveness and readiness in one: 200 only when the database answers.
pub async fn healthz(State(services): State<Services>) -> (StatusCode, Json<Value>) {
    match services.health().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "status": "ok" }))),
        Err(e) => {
            tracing::error!(error = format!("{:#}", anyhow::Error::new(e)), "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "unavailable" })),
            )
        }
    }
}
