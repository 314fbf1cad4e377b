//! Static files. Each gets an explicit route because the booking pages own `/{team}` and
//! `/{team}/{event}`: without one, `/embed.js` would be read as a team and `/pkg/x.js` as an
//! event type. Bundles under `/pkg` are sent precompressed (brotli, gzip) when the release build
//! made copies, and content-hashed names are cached for a year.

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL};
use leptos::prelude::LeptosOptions;
use services::Services;
use std::collections::HashMap;
use std::path::PathBuf;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

pub fn routes(options: &LeptosOptions) -> Router<Services> {
    let root = PathBuf::from(options.site_root.as_ref());
    let embed_js = ServiceBuilder::new()
        .layer(header(
            CACHE_CONTROL,
            "public, max-age=300, stale-while-revalidate=86400",
        ))
        .layer(header(ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .layer(header(
            http::HeaderName::from_static("cross-origin-resource-policy"),
            "cross-origin",
        ))
        .service(ServeFile::new(root.join("embed.js")));
    let bundles = ServeDir::new(root.join(options.site_pkg_dir.as_ref()))
        .precompressed_br()
        .precompressed_gzip();
    let pkg = Router::new()
        .nest_service("/pkg", bundles)
        .layer(axum::middleware::from_fn(cache_by_name));
    Router::new()
        .merge(pkg)
        .route_service("/favicon.svg", ServeFile::new(root.join("favicon.svg")))
        .route_service("/embed.js", embed_js)
}

fn header(name: http::HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
}

/// The file stem of `bundle` in the pkg folder: `bundle.<hash>` after a release build (from
/// `assets.json`), else `bundle` itself. `cargo leptos watch` (DEV) rebuilds only the plain names.
pub fn bundle_stem(options: &LeptosOptions, bundle: &str) -> String {
    if options.env == leptos::config::Env::DEV {
        return bundle.to_owned();
    }
    let manifest = PathBuf::from(options.site_root.as_ref())
        .join(options.site_pkg_dir.as_ref())
        .join("assets.json");
    std::fs::read(manifest)
        .ok()
        .and_then(|raw| serde_json::from_slice::<HashMap<String, String>>(&raw).ok())
        .and_then(|mut stems| stems.remove(bundle))
        .unwrap_or_else(|| bundle.to_owned())
}

/// A year for content-hashed names (`booking.0123456789abcdef.wasm`), revalidation otherwise.
async fn cache_by_name(request: Request, next: Next) -> Response {
    let hashed = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .and_then(|name| name.split('.').nth(1))
        .is_some_and(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()));
    let mut response = next.run(request).await;
    let policy = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}
