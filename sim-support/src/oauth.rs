//! OAuth 2.0 pieces both providers' authorization servers share: authorization requests,
//! registered clients, client authentication (`client_secret_basic` or `client_secret_post`),
//! redirects back to the client, and how tests see issued tokens.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::pkce::Challenge;
use crate::tokens::Grant;

/// An authorization request as an authorization server keeps it between the consent page and
/// its answer, and then in the code it yields: the client, where the browser goes back to, the
/// signed-in account, the scopes, the client's `state`, its PKCE challenge, and what the
/// provider's request adds (`options`).
#[derive(Clone, Debug)]
pub struct AuthRequest<P> {
    pub client_id: String,
    pub redirect_uri: String,
    /// The signed-in account.
    pub user: String,
    /// The scopes asked for, deduplicated, in request order; in an issued code, the ones the user
    /// granted (a subset where consent is granular).
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub challenge: Option<Challenge>,
    pub options: P,
}

/// A registered OAuth client (an app registration in the provider's console).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct OAuthClient {
    pub client_id: String,
    pub client_secret: String,
    /// Shown on the consent page.
    pub name: String,
    /// Exact-match allow list. Empty accepts any absolute URI, because tests bind port 0 and
    /// cannot know their callback URL in advance; the token endpoint still demands the same URI.
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

impl OAuthClient {
    /// A client that accepts any redirect URI.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            name: name.into(),
            redirect_uris: Vec::new(),
        }
    }

    /// Whether the authorize request may send the browser back to `uri`.
    pub fn accepts_redirect(&self, uri: &str) -> bool {
        Url::parse(uri).is_ok() && (self.redirect_uris.is_empty() || self.redirect_uris.iter().any(|u| u == uri))
    }
}

/// `(client_id, client_secret)` from HTTP Basic if present, else from the form fields.
pub fn client_credentials(
    headers: &HeaderMap,
    form_id: Option<&str>,
    form_secret: Option<&str>,
) -> (Option<String>, Option<String>) {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| STANDARD.decode(b64.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|pair| {
            let (id, secret) = pair.split_once(':')?;
            let decode = |s: &str| {
                url::form_urlencoded::parse(format!("x={s}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
            };
            Some((decode(id)?, decode(secret)?))
        });
    match basic {
        Some((id, secret)) => (Some(id), Some(secret)),
        None => (form_id.map(str::to_owned), form_secret.map(str::to_owned)),
    }
}

/// `302 Found` to `redirect_uri` (already validated) with `pairs` appended to its query.
pub fn redirect(redirect_uri: &str, pairs: &[(&str, &str)]) -> Response {
    let mut url = Url::parse(redirect_uri).expect("redirect_uri was validated as a URL");
    {
        let mut query = url.query_pairs_mut();
        for (key, value) in pairs {
            query.append_pair(key, value);
        }
    }
    (StatusCode::FOUND, [(header::LOCATION, url.to_string())]).into_response()
}

/// A token endpoint's answer: the tokens with `Cache-Control: no-store` (RFC 6749 §5.1), or
/// the provider's error.
pub fn token_response(result: Result<impl Serialize, impl IntoResponse>) -> Response {
    match result {
        Ok(body) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")],
            axum::Json(body),
        )
            .into_response(),
        Err(error) => error.into_response(),
    }
}

/// A JSON error response with the headers both providers add: `WWW-Authenticate` (their
/// `challenge`) on 401s and `Retry-After` when throttling says when to come back.
pub fn api_error(
    status: StatusCode,
    body: serde_json::Value,
    challenge: &'static str,
    retry_after: Option<u64>,
) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    if status == StatusCode::UNAUTHORIZED {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
    }
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// Moves a still-live access token's expiry into the past (the next API call gets 401 and the
/// client must refresh); true if it was live.
pub fn expire_now(expires_at: &mut DateTime<Utc>, now: DateTime<Utc>) -> bool {
    if *expires_at <= now {
        return false;
    }
    *expires_at = now - chrono::TimeDelta::seconds(1);
    true
}

/// A token as tests see it (`ControlHandle::tokens`, `GET /_control/tokens`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// `access` or `refresh`.
    pub kind: String,
    pub token: String,
    pub user: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// True once revoked, expired, replaced or dropped.
    pub dead: bool,
}

impl TokenInfo {
    /// An access token's entry: dead once revoked or past `expires_at`.
    pub fn access(token: &str, grant: &Grant, expires_at: DateTime<Utc>, revoked: bool, now: DateTime<Utc>) -> Self {
        Self::new("access", token, grant, Some(expires_at), revoked || expires_at <= now)
    }

    /// Orders a token list the way the control API shows it: access tokens first, then by user.
    pub fn sorted(mut list: Vec<TokenInfo>) -> Vec<TokenInfo> {
        list.sort_by(|a, b| (&a.kind, &a.user, &a.token).cmp(&(&b.kind, &b.user, &b.token)));
        list
    }

    pub fn new(kind: &str, token: &str, grant: &Grant, expires_at: Option<DateTime<Utc>>, dead: bool) -> Self {
        TokenInfo {
            kind: kind.to_owned(),
            token: token.to_owned(),
            user: grant.user.clone(),
            client_id: grant.client_id.clone(),
            scopes: grant.scopes.clone(),
            expires_at,
            dead,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_basic_credentials_win_over_the_form_and_are_form_decoded() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Basic {}", STANDARD.encode("my%20app:s%3Acret"))).unwrap(),
        );
        assert_eq!(
            client_credentials(&headers, Some("form-id"), Some("form-secret")),
            (Some("my app".into()), Some("s:cret".into()))
        );
        assert_eq!(
            client_credentials(&HeaderMap::new(), Some("form-id"), None),
            (Some("form-id".into()), None)
        );
    }

    #[test]
    fn an_empty_redirect_allow_list_accepts_any_absolute_uri_and_a_list_is_exact() {
        let mut client = OAuthClient::new("id", "secret", "App");
        assert!(client.accepts_redirect("http://127.0.0.1:9/cb"));
        assert!(!client.accepts_redirect("/relative"));
        client.redirect_uris = vec!["https://app.example/cb".into()];
        assert!(client.accepts_redirect("https://app.example/cb"));
        assert!(!client.accepts_redirect("https://app.example/cb/"));
    }
}
