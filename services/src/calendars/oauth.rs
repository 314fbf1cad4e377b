//! OAuth 2.0 with Google through the `oauth2` crate: authorization code with PKCE (S256), offline
//! access, refresh and revocation.

use super::ProviderError;
use super::settings::GoogleSettings;
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope, TokenResponse, TokenUrl,
};

/// Least privilege: write events, list calendars, read free/busy; nothing else of the account.
pub const GOOGLE_SCOPES: [&str; 3] = [
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.calendarlist.readonly",
    "https://www.googleapis.com/auth/calendar.freebusy",
];

type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// Tokens as Google issued them. `refresh` is absent on refreshes (Google does not rotate).
pub(crate) struct Grant {
    pub access: String,
    pub refresh: Option<String>,
    pub expires_in_secs: i64,
    /// As granted, which under granular consent may be fewer than asked for.
    pub scopes: Vec<String>,
}

/// Where to send the member, and what to keep (bound to their session) for the callback.
pub(crate) struct Authorization {
    pub url: url::Url,
    pub state: String,
    pub verifier: String,
}

fn client(settings: &GoogleSettings, redirect: &url::Url) -> Client {
    BasicClient::new(ClientId::new(settings.client_id.clone()))
        .set_client_secret(ClientSecret::new(settings.client_secret.0.clone()))
        .set_auth_uri(AuthUrl::from_url(settings.endpoints.authorize.clone()))
        .set_token_uri(TokenUrl::from_url(settings.endpoints.token.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect.clone()))
}

/// `prompt=consent` makes Google issue a refresh token on every connect, also after the member
/// revoked or reconnects; `login_hint` preselects the account when reconnecting.
pub(crate) fn authorize(settings: &GoogleSettings, redirect: &url::Url, login_hint: Option<&str>) -> Authorization {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let client = client(settings, redirect);
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(GOOGLE_SCOPES.map(|s| Scope::new(s.to_owned())))
        .set_pkce_challenge(challenge)
        .add_extra_param("access_type", "offline")
        .add_extra_param("prompt", "consent");
    if let Some(hint) = login_hint {
        request = request.add_extra_param("login_hint", hint);
    }
    let (url, state) = request.url();
    Authorization {
        url,
        state: state.secret().clone(),
        verifier: verifier.secret().clone(),
    }
}

pub(crate) async fn exchange(
    http: &reqwest::Client,
    settings: &GoogleSettings,
    redirect: &url::Url,
    code: String,
    verifier: String,
) -> Result<Grant, ProviderError> {
    let answer = client(settings, redirect)
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(http)
        .await
        .map_err(token_error)?;
    Ok(grant(&answer))
}

pub(crate) async fn refresh(
    http: &reqwest::Client,
    settings: &GoogleSettings,
    redirect: &url::Url,
    refresh_token: String,
) -> Result<Grant, ProviderError> {
    let answer = client(settings, redirect)
        .exchange_refresh_token(&RefreshToken::new(refresh_token))
        .request_async(http)
        .await
        .map_err(token_error)?;
    Ok(grant(&answer))
}

/// Revokes the grant at Google (a refresh token takes its access tokens with it), as Google
/// documents it: `POST revoke` with the token as a form field. Sent directly because `oauth2`
/// refuses plain-http revocation URLs, which the local simulator uses. A token Google no longer
/// knows (400 `invalid_token`) is as good as revoked.
pub(crate) async fn revoke(
    http: &reqwest::Client,
    settings: &GoogleSettings,
    refresh_token: &str,
) -> Result<(), ProviderError> {
    let response = http
        .post(settings.endpoints.revoke.clone())
        .form(&[("token", refresh_token)])
        .send()
        .await
        .map_err(|e| ProviderError::Unreachable(e.to_string()))?;
    match response.status().as_u16() {
        200..=299 | 400 => Ok(()),
        status => Err(ProviderError::Rejected {
            status,
            reason: "revocation failed".to_owned(),
        }),
    }
}

fn grant(answer: &oauth2::basic::BasicTokenResponse) -> Grant {
    Grant {
        access: answer.access_token().secret().clone(),
        refresh: answer.refresh_token().map(|t| t.secret().clone()),
        expires_in_secs: answer
            .expires_in()
            .map_or(3600, |d| i64::try_from(d.as_secs()).unwrap_or(3600)),
        scopes: answer
            .scopes()
            .map(|scopes| scopes.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
    }
}

/// `invalid_grant` means the grant is gone for good (revoked, expired, or a used code);
/// everything else may pass.
fn token_error<E: std::error::Error>(
    error: RequestTokenError<E, oauth2::StandardErrorResponse<BasicErrorResponseType>>,
) -> ProviderError {
    match error {
        RequestTokenError::ServerResponse(response) if *response.error() == BasicErrorResponseType::InvalidGrant => {
            ProviderError::Revoked(
                response
                    .error_description()
                    .cloned()
                    .unwrap_or_else(|| "invalid_grant".to_owned()),
            )
        }
        RequestTokenError::ServerResponse(response) => ProviderError::Other(response.error().to_string()),
        RequestTokenError::Request(e) => ProviderError::Unreachable(e.to_string()),
        other => ProviderError::Other(other.to_string()),
    }
}
