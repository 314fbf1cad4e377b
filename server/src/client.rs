//! The client's address for limits and logs, resolved once per request (see
//! [`services::limits::TrustedProxies`]).

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::FORWARDED;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use services::Services;
use services::limits::ClientAddr;
use std::convert::Infallible;
use std::net::SocketAddr;

/// Puts the [`ClientAddr`] into the request's extensions, where server functions find it too.
pub async fn resolve(State(services): State<Services>, mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let headers = request.headers();
        let values = |name| {
            headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
        };
        let client = services.config().limits.trusted_proxies.client(
            peer.ip(),
            &values(FORWARDED.as_str()),
            &values("x-forwarded-for"),
        );
        request.extensions_mut().insert(client);
    }
    next.run(request).await
}

/// The resolved client of a JSON API request; `None` when served without a socket (tests that
/// call the router directly).
pub struct Client(pub Option<ClientAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(parts.extensions.get::<ClientAddr>().copied()))
    }
}
