//! The HTTP side of Rendezvous: routes, middleware and lifecycle. Handlers here are thin; rules
//! live in `services`, screens in `app`.
#![forbid(unsafe_code)]
// Leptos view types of the dashboard are deep; the release build needs more than the default.
#![recursion_limit = "256"]

mod api;
mod assets;
mod calendar_file;
pub mod cli;
mod client;
mod framing;
mod guards;
mod health;
mod integrations;
mod no_nul;
mod webhooks;

use anyhow::Context;
use app::{App, shell};
use axum::Router;
use axum::routing::get;
use leptos::config::Env;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use services::{Clock, Config, Db, Services};
use std::net::SocketAddr;
use std::sync::LazyLock;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Request bodies larger than this are refused before any handler reads them.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Connects storage, builds the router and returns the bound listener, ready to serve.
pub async fn prepare(mut config: Config, clock: Clock) -> anyhow::Result<(TcpListener, Router, Services)> {
    let db = Db::connect(&config.database_url).await?;
    let listener = TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("binding {}", config.bind))?;
    // Bound to port 0 (tests), a public URL derived from the bind address names the real port,
    // so that links and webhook addresses given to providers reach this server.
    if config.public_url.port() == Some(0) {
        let _ = config.public_url.set_port(Some(listener.local_addr()?.port()));
    }
    let services = Services::new(db, config, clock);
    let router = router(services.clone(), leptos_options());
    Ok((listener, router, services))
}

/// Serves (and runs background jobs) until `shutdown` resolves, then finishes in-flight requests
/// and closes the database. A job cut off by the shutdown is resumed after its lease runs out.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    services: Services,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let worker = services.spawn_worker();
    let served = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP");
    worker.abort();
    services.db().close().await;
    served
}

/// Tells browsers to use https only, when the public URL is https (over plain http the header
/// would be ignored, and a laptop's localhost must not be pinned to https).
fn strict_transport(config: &Config) -> Option<SetResponseHeaderLayer<http::HeaderValue>> {
    (config.public_url.scheme() == "https").then(|| {
        SetResponseHeaderLayer::overriding(
            http::header::STRICT_TRANSPORT_SECURITY,
            http::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        )
    })
}

/// The booking pages render from their own root (`BookingApp`) into their own shell, whole before
/// the first byte is sent: the status (404 for unknown pages) is then right, and the first
/// response already holds the month and the first free day's times. Registered by hand:
/// `leptos_routes_*` would register every server function a second time.
fn booking_pages(options: &LeptosOptions, context: impl Fn() + Clone + Send + Sync + 'static) -> Router<LeptosOptions> {
    let render = leptos_axum::render_app_async_with_context(
        {
            let options = options.clone();
            move || {
                provide_context(options.clone());
                context();
            }
        },
        {
            let options = options.clone();
            move || app::booking::booking_shell(options.clone())
        },
    );
    app::booking::PATHS
        .iter()
        .fold(Router::new(), |router, path| router.route(path, get(render.clone())))
}

/// Where the built site lives and how its assets are named. Defaults match `scripts/build.sh` run
/// from the workspace root; `LEPTOS_*` variables take precedence. The build names bundles by
/// content hash in `pkg/assets.json`.
pub fn leptos_options() -> LeptosOptions {
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let env = if var("LEPTOS_ENV", "PROD").eq_ignore_ascii_case("DEV") {
        Env::DEV
    } else {
        Env::PROD
    };
    let options = LeptosOptions::builder()
        .output_name(var("LEPTOS_OUTPUT_NAME", "rendezvous"))
        .site_root(var("LEPTOS_SITE_ROOT", "target/site"))
        .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR", "pkg"))
        .env(env)
        .build();
    let stem = assets::bundle_stem(&options, &options.output_name);
    with_bundle(options, stem)
}

fn with_bundle(mut options: LeptosOptions, stem: String) -> LeptosOptions {
    options.output_name = stem.into();
    options
}

/// The dashboard's route list, generated once per process. Generating
/// one switches off resource loading process-wide (a leptos global, leptos#4773): a page that
/// another server of the same process rendered meanwhile would wait forever, as tests that start
/// many servers in one process did.
static ROUTE_LIST: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));

pub fn router(services: Services, options: LeptosOptions) -> Router {
    let routes = ROUTE_LIST.clone();
    let context = {
        let services = services.clone();
        move || provide_context(services.clone())
    };
    let booking_options = with_bundle(options.clone(), assets::bundle_stem(&options, "booking"));
    let assets = assets::routes(&options);
    let pages = Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .merge(
            booking_pages(&booking_options, context).layer(axum::middleware::from_fn_with_state(
                services.clone(),
                framing::team_embedding,
            )),
        )
        .fallback(leptos_axum::file_and_error_handler(shell))
        .with_state(options);
    let app = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/booking/{uid}/invite.ics", get(calendar_file::invite))
        .route(
            "/integrations/{provider}/connect",
            axum::routing::post(integrations::connect),
        )
        .route("/integrations/{provider}/callback", get(integrations::callback))
        .merge(api::routes())
        .merge(assets)
        .merge(pages)
        .layer(axum::middleware::from_fn_with_state(
            services.clone(),
            guards::page_access,
        ))
        .layer(axum::middleware::from_fn_with_state(
            services.clone(),
            guards::same_origin_writes,
        ))
        .layer(axum::middleware::from_fn(no_nul::refuse_nul))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(api::json_body_limit));
    // Calendar notifications skip the cookie guards and have their own body limit.
    Router::new()
        .merge(app)
        .merge(webhooks::routes())
        .layer(axum::middleware::from_fn(framing::deny_by_default))
        .layer(SetResponseHeaderLayer::overriding(
            http::header::X_CONTENT_TYPE_OPTIONS,
            http::HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            http::header::REFERRER_POLICY,
            http::HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(tower::util::option_layer(strict_transport(services.config())))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(services.clone(), client::resolve))
        .layer(TraceLayer::new_for_http())
        .with_state(services)
}
