//! Request guards that run before any page or server function.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use services::{ServiceError, Services};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Page {
    Root,
    Setup,
    Login,
    Dashboard,
    Other,
}

fn classify(path: &str) -> Page {
    match path {
        "/" => Page::Root,
        "/setup" => Page::Setup,
        "/login" => Page::Login,
        p if p == "/dashboard" || p.starts_with("/dashboard/") => Page::Dashboard,
        _ => Page::Other,
    }
}

/// Sends full page loads where they belong before anything renders: to setup until the team
/// exists, to sign-in (and back afterwards) for dashboard pages without a valid session.
pub async fn page_access(State(services): State<Services>, request: Request, next: Next) -> Response {
    let page = classify(request.uri().path());
    if request.method() != Method::GET || page == Page::Other {
        return next.run(request).await;
    }
    let target = decide(&services, request.headers(), request.uri(), page).await;
    match target {
        Ok(None) => next.run(request).await,
        Ok(Some(target)) => Redirect::to(&target).into_response(),
        Err(e) => {
            tracing::error!(error = format!("{:#}", anyhow::Error::new(e)), "page guard failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The member whose valid session cookie came with the request, and the cookie's secret.
pub(crate) async fn session(
    services: &Services,
    headers: &HeaderMap,
) -> Result<Option<(services::accounts::Member, String)>, ServiceError> {
    let Some(secret) = app::ssr::session_cookie(headers) else {
        return Ok(None);
    };
    match services.session_member(&secret).await {
        Ok(member) => Ok(Some((member, secret))),
        Err(ServiceError::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

async fn decide(
    services: &Services,
    headers: &HeaderMap,
    uri: &Uri,
    page: Page,
) -> Result<Option<String>, ServiceError> {
    if !services.is_set_up().await? {
        return Ok((page != Page::Setup).then(|| "/setup".to_owned()));
    }
    let signed_in = session(services, headers).await?.is_some();
    Ok(match (page, signed_in) {
        (Page::Setup | Page::Root | Page::Login, true) => Some("/dashboard".to_owned()),
        (Page::Setup | Page::Root, false) => Some("/login".to_owned()),
        (Page::Dashboard, false) => {
            let here = uri.path_and_query().map_or("/dashboard", |p| p.as_str());
            let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
            Some(format!("/login?next={next}"))
        }
        _ => None,
    })
}

/// CSRF defence for cookie-authenticated writes: the browser's `Origin` (or `Referer`) must be this
/// site. Together with SameSite=Lax cookies this stops cross-site form posts. The public JSON API
/// under `/api/v1/` uses bearer keys or link tokens, never cookies, and is exempt (as are the
/// calendar webhooks, which are routed around this guard).
///
/// "This site" is the public URL's origin, or the `Host` the request came to when that is an
/// address or `localhost` (a server reached as `127.0.0.1` while configured as `localhost`). A
/// `Host` that is any other name proves nothing: through DNS rebinding an attacker's page on
/// `attacker.example` reaches our port with `Host` and `Origin` both naming `attacker.example`.
pub async fn same_origin_writes(State(services): State<Services>, request: Request, next: Next) -> Response {
    let safe_method = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe_method || request.uri().path().starts_with("/api/v1/") {
        return next.run(request).await;
    }
    let headers = request.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| url::Url::parse(v).ok())
        .map(|u| u.origin().ascii_serialization());
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| cannot_be_rebound(h));
    let allowed = claimed.as_deref().is_some_and(|origin| {
        origin == services.config().public_origin()
            || host.is_some_and(|h| origin == format!("http://{h}") || origin == format!("https://{h}"))
    });
    if allowed {
        next.run(request).await
    } else {
        tracing::warn!(origin = ?claimed, path = request.uri().path(), "refused a cross-origin write");
        (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response()
    }
}

/// Whether `host` (`name[:port]`) is an IP literal or `localhost`, names no one else controls.
fn cannot_be_rebound(host: &str) -> bool {
    let Ok(authority) = host.parse::<http::uri::Authority>() else {
        return false;
    };
    let name = authority.host();
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok()
        || name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .is_some_and(|n| n.parse::<std::net::Ipv6Addr>().is_ok())
}
