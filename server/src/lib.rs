//! The HTTP side of Rendezvous: routes, middleware and lifecycle. Handlers here are thin; rules
//! live in `services`, screens in `app`.
#![forbid(unsafe_code)]

mod guards;
mod health;

use anyhow::Context;
use app::{App, shell};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use services::{Clock, Config, Db, Services};
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Request bodies larger than this are refused before any handler reads them.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Connects storage, builds the router and returns the bound listener, ready to serve.
pub async fn prepare(config: Config) -> anyhow::Result<(TcpListener, Router, Services)> {
    let db = Db::connect(&config.database_url).await?;
    let listener = TcpListener::bind(config.bind).await.with_context(|| format!("binding {}", config.bind))?;
    let services = Services::new(db, config, Clock::System);
    let router = router(services.clone(), leptos_options()?);
    Ok((listener, router, services))
}

/// Serves until `shutdown` resolves, then finishes in-flight requests and closes the database.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    services: Services,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")?;
    services.db().close().await;
    Ok(())
}

fn leptos_options() -> anyhow::Result<LeptosOptions> {
    Ok(get_configuration(None).context("reading Leptos configuration")?.leptos_options)
}

pub fn router(services: Services, options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let services = services.clone();
        move || provide_context(services.clone())
    };
    let pages = Router::new()
        .leptos_routes_with_context(&options, routes, context, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options);
    Router::new()
        .route("/healthz", get(health::healthz))
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(services.clone(), guards::page_access))
        .layer(axum::middleware::from_fn_with_state(services.clone(), guards::same_origin_writes))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            http::header::X_CONTENT_TYPE_OPTIONS,
            http::HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            http::header::REFERRER_POLICY,
            http::HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(services)
}
