//! Webhook endpoints and their delivery logs (an admin's key). Event types are named `team/slug`
//! here as everywhere in the API; the services keep their ids.

use super::ApiError;
use super::auth::ApiActor;
use super::error::ErrorBody;
use super::parse::{json_body, path_id, utc};
use super::webhook_dto::*;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use services::Services;
use services::accounts::Member;
use services::webhooks::{Delivery, Endpoint, EndpointInput, IssuedSecret};

/// The team's event types as (id, `team/slug`).
async fn event_type_names(services: &Services, actor: &Member) -> Result<Vec<(i64, String)>, ApiError> {
    let team = services.team().await?.slug;
    Ok(services
        .team_event_types(actor)
        .await?
        .into_iter()
        .map(|e| (e.event_type.id, format!("{team}/{}", e.event_type.slug)))
        .collect())
}

fn webhook_out(endpoint: Endpoint, names: &[(i64, String)]) -> WebhookOut {
    WebhookOut {
        id: endpoint.id,
        url: endpoint.url,
        description: endpoint.description,
        events: endpoint.events.iter().map(|e| e.as_str().to_owned()).collect(),
        event_types: endpoint
            .event_type_ids
            .iter()
            .filter_map(|id| {
                names
                    .iter()
                    .find(|(known, _)| known == id)
                    .map(|(_, name)| name.clone())
            })
            .collect(),
        enabled: endpoint.enabled,
        disabled_reason: endpoint.disabled_reason,
        failing_since: endpoint.failing_since.map(utc),
        previous_secret_until: endpoint.previous_secret_until.map(utc),
        created_at: utc(endpoint.created_at),
    }
}

fn delivery_out(d: Delivery) -> DeliveryOut {
    DeliveryOut {
        id: d.id,
        delivery_id: d.uid,
        event: d.event,
        state: d.state,
        attempts: d.attempts,
        response_status: d.response_status,
        response_excerpt: d.response_excerpt,
        last_error: d.last_error,
        created_at: utc(d.created_at),
        updated_at: utc(d.updated_at),
    }
}

/// Lays the fields present in `input` over `current`; unknown event types are a 422 naming them.
fn merge(current: EndpointInput, input: WebhookIn, names: &[(i64, String)]) -> Result<EndpointInput, ApiError> {
    let event_type_ids = match input.event_types {
        None => current.event_type_ids,
        Some(wanted) => wanted
            .iter()
            .map(|name| {
                names
                    .iter()
                    .find(|(_, known)| known == name.trim())
                    .map(|(id, _)| *id)
                    .ok_or_else(|| {
                        ApiError::validation(domain::FieldErrors::single(
                            "event_types",
                            format!("There is no event type {name:?}; name them as team/slug."),
                        ))
                    })
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(EndpointInput {
        url: input.url.unwrap_or(current.url),
        description: input.description.unwrap_or(current.description),
        events: input.events.unwrap_or(current.events),
        event_type_ids,
        enabled: input.enabled.unwrap_or(current.enabled),
    })
}

fn with_secret(issued: IssuedSecret, names: &[(i64, String)]) -> WebhookWithSecret {
    WebhookWithSecret {
        webhook: webhook_out(issued.endpoint, names),
        secret: issued.secret,
    }
}

fn missing(id: i64) -> impl FnOnce(services::ServiceError) -> ApiError {
    ApiError::missing(format!("Webhook {id}"))
}

#[utoipa::path(get, path = "/api/v1/webhooks", tag = "webhooks", security(("api_key" = [])),
    responses((status = 200, body = WebhookList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(State(services): State<Services>, ApiActor(actor): ApiActor) -> Result<Json<WebhookList>, ApiError> {
    let endpoints = services.webhook_endpoints(&actor).await?;
    let names = event_type_names(&services, &actor).await?;
    Ok(Json(WebhookList {
        webhooks: endpoints.into_iter().map(|e| webhook_out(e, &names)).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/webhooks", tag = "webhooks", security(("api_key" = [])),
    request_body = WebhookIn,
    responses((status = 201, body = WebhookWithSecret, description = "The secret is shown only here"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    body: Bytes,
) -> Result<(StatusCode, Json<WebhookWithSecret>), ApiError> {
    let input: WebhookIn = json_body(&body)?;
    let names = event_type_names(&services, &actor).await?;
    let defaults = EndpointInput {
        enabled: true,
        ..EndpointInput::default()
    };
    let issued = services
        .create_webhook_endpoint(&actor, &merge(defaults, input, &names)?)
        .await?;
    Ok((StatusCode::CREATED, Json(with_secret(issued, &names))))
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "webhooks", security(("api_key" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = WebhookOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<WebhookOut>, ApiError> {
    let id = path_id(&id, "Webhook")?;
    let endpoint = services.webhook_endpoint(&actor, id).await.map_err(missing(id))?;
    let names = event_type_names(&services, &actor).await?;
    Ok(Json(webhook_out(endpoint, &names)))
}

#[utoipa::path(patch, path = "/api/v1/webhooks/{id}", tag = "webhooks", security(("api_key" = [])),
    params(("id" = i64, Path)), request_body = WebhookIn,
    responses((status = 200, body = WebhookOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<WebhookOut>, ApiError> {
    let id = path_id(&id, "Webhook")?;
    let input: WebhookIn = json_body(&body)?;
    let current = services.webhook_endpoint(&actor, id).await.map_err(missing(id))?;
    let names = event_type_names(&services, &actor).await?;
    let merged = merge(current.input(), input, &names)?;
    let updated = services.update_webhook_endpoint(&actor, id, &merged).await?;
    Ok(Json(webhook_out(updated, &names)))
}

#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "webhooks", security(("api_key" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted with its delivery log"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, "Webhook")?;
    services
        .delete_webhook_endpoint(&actor, id)
        .await
        .map_err(missing(id))?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/rotate-secret", tag = "webhooks", security(("api_key" = [])),
    params(("id" = i64, Path)), request_body = RotateIn,
    responses((status = 200, body = WebhookWithSecret, description = "The new secret is shown only here"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn rotate_secret(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<WebhookWithSecret>, ApiError> {
    let id = path_id(&id, "Webhook")?;
    let input: RotateIn = if body.is_empty() {
        RotateIn::default()
    } else {
        json_body(&body)?
    };
    let overlap = input.overlap_hours.unwrap_or(24).saturating_mul(3600);
    let issued = services
        .rotate_webhook_secret(&actor, id, overlap)
        .await
        .map_err(missing(id))?;
    let names = event_type_names(&services, &actor).await?;
    Ok(Json(with_secret(issued, &names)))
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}/deliveries", tag = "webhooks", security(("api_key" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = DeliveryList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn deliveries(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<Json<DeliveryList>, ApiError> {
    let id = path_id(&id, "Webhook")?;
    let log = services.webhook_deliveries(&actor, id).await.map_err(missing(id))?;
    Ok(Json(DeliveryList {
        deliveries: log.into_iter().map(delivery_out).collect(),
    }))
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/deliveries/{delivery}/resend", tag = "webhooks",
    security(("api_key" = [])), params(("id" = i64, Path), ("delivery" = i64, Path)),
    responses((status = 202, description = "Queued again, with the same delivery id and body"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No such delivery, or it is still being tried")))]
pub async fn resend(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path((id, delivery)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, "Webhook")?;
    let delivery = path_id(&delivery, "Delivery")?;
    services
        .resend_webhook_delivery(&actor, id, delivery)
        .await
        .map_err(ApiError::missing(format!("Delivery {delivery} of webhook {id}")))?;
    Ok(StatusCode::ACCEPTED)
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks", security(("api_key" = [])),
    params(("id" = i64, Path)),
    responses((status = 202, description = "A `webhook.test` delivery with a made-up booking is queued"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn send_test(
    State(services): State<Services>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = path_id(&id, "Webhook")?;
    services.send_test_webhook(&actor, id).await.map_err(missing(id))?;
    Ok(StatusCode::ACCEPTED)
}
