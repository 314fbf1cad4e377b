//! Token strings shaped like Entra's. Access tokens for Graph are JWTs of one to two kilobytes
//! (clients that squeeze them into short columns fail here, not in production), but their
//! signature is random: a client must treat them as opaque, as Microsoft asks. ID tokens are
//! unsigned (`alg: none`) — decode their claims, do not verify them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::ids;
use crate::state::User;

/// The application id of Microsoft Graph, the `aud` of its access tokens.
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// Who a token is for and when it is valid.
pub(crate) struct Subject<'a> {
    pub tenant_id: &'a str,
    pub client_id: &'a str,
    pub client_name: &'a str,
    pub user: &'a User,
    pub issued: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

fn segment(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

fn times(subject: &Subject<'_>) -> (i64, i64) {
    (subject.issued.timestamp(), subject.expires.timestamp())
}

/// A Graph access token with `scp` listing the Graph scopes.
pub(crate) fn access_token(subject: &Subject<'_>, graph_scopes: &[String]) -> String {
    let (iat, exp) = times(subject);
    let header =
        json!({"typ": "JWT", "nonce": ids::state_token(), "alg": "RS256", "x5t": "simulator", "kid": "simulator"});
    let claims = json!({
        "aud": GRAPH_APP_ID,
        "iss": format!("https://sts.windows.net/{}/", subject.tenant_id),
        "iat": iat, "nbf": iat, "exp": exp,
        "app_displayname": subject.client_name,
        "appid": subject.client_id,
        "idtyp": "user",
        "name": subject.user.display_name,
        "oid": subject.user.id,
        "scp": graph_scopes.join(" "),
        "sub": ids::stable_guid(&format!("{}:{}", subject.user.email, subject.client_id)),
        "tid": subject.tenant_id,
        "unique_name": subject.user.email,
        "upn": subject.user.email,
        "uti": ids::state_token(),
        "ver": "1.0",
    });
    let signature = URL_SAFE_NO_PAD.encode(ids::random_bytes(256));
    format!("{}.{}.{signature}", segment(&header), segment(&claims))
}

/// An OpenID Connect ID token for the client (`openid` granted), with `email` if that was granted.
pub(crate) fn id_token(subject: &Subject<'_>, nonce: Option<&str>, with_email: bool) -> String {
    let (iat, exp) = times(subject);
    let mut claims = json!({
        "aud": subject.client_id,
        "iss": format!("https://login.microsoftonline.com/{}/v2.0", subject.tenant_id),
        "iat": iat, "nbf": iat, "exp": exp,
        "name": subject.user.display_name,
        "oid": subject.user.id,
        "preferred_username": subject.user.email,
        "sub": ids::stable_guid(&format!("{}:{}", subject.user.email, subject.client_id)),
        "tid": subject.tenant_id,
        "ver": "2.0",
    });
    if let Some(nonce) = nonce {
        claims["nonce"] = json!(nonce);
    }
    if with_email {
        claims["email"] = json!(subject.user.email);
    }
    format!(
        "{}.{}.",
        segment(&json!({"typ": "JWT", "alg": "none"})),
        segment(&claims)
    )
}
