//! OAuth 2.0 with Google and Microsoft through the `oauth2` crate: authorization code with PKCE
//! (S256), offline access, refresh (Microsoft rotates the refresh token on every refresh) and,
//! where the provider has it, revocation.

use super::settings::ProviderSettings;
use super::{Provider, ProviderError};
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope, TokenResponse, TokenUrl,
};

/// Least privilege: write events, list calendars, read free/busy; nothing else of the account.
const GOOGLE_SCOPES: [&str; 3] = [
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.calendarlist.readonly",
    "https://www.googleapis.com/auth/calendar.freebusy",
];

/// Graph has no narrower permission that both reads free/busy and writes events; `User.Read`
/// names the account, `offline_access` yields a refresh token.
const MICROSOFT_SCOPES: [&str; 3] = ["offline_access", "User.Read", "Calendars.ReadWrite"];

/// What Microsoft prefixes to Graph scopes in token answers.
const GRAPH_RESOURCE: &str = "https://graph.microsoft.com/";

pub(crate) fn scopes(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::Google => &GOOGLE_SCOPES,
        Provider::Microsoft => &MICROSOFT_SCOPES,
        Provider::Caldav => &[],
    }
}

/// Whether the grant carries every scope asked for. Google's granular consent lets members untick
/// some; Microsoft writes Graph scopes with their resource prefix and leaves `offline_access` out
/// (the refresh token is the proof of it).
pub(crate) fn grants_everything(provider: Provider, granted: &[String]) -> bool {
    let normal = |scope: &str| scope.trim_start_matches(GRAPH_RESOURCE).to_ascii_lowercase();
    let granted: Vec<String> = granted.iter().map(|s| normal(s)).collect();
    scopes(provider)
        .iter()
        .filter(|s| **s != "offline_access")
        .all(|s| granted.contains(&normal(s)))
}

type Client = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// Tokens as the provider issued them. `refresh` is absent on Google's refreshes (no rotation)
/// and present on Microsoft's (the old one is then spent).
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

fn client(settings: &ProviderSettings, redirect: &url::Url) -> Client {
    BasicClient::new(ClientId::new(settings.client_id.clone()))
        .set_client_secret(ClientSecret::new(settings.client_secret.0.clone()))
        .set_auth_uri(AuthUrl::from_url(settings.endpoints.authorize.clone()))
        .set_token_uri(TokenUrl::from_url(settings.endpoints.token.clone()))
        .set_redirect_uri(RedirectUrl::from_url(redirect.clone()))
}

fn scope_list(provider: Provider) -> impl Iterator<Item = Scope> {
    scopes(provider).iter().map(|s| Scope::new((*s).to_owned()))
}

/// Google: `access_type=offline` with `prompt=consent` issues a refresh token on every connect,
/// also after the member revoked. Microsoft: `offline_access` does that, and `select_account`
/// lets a member signed in to several accounts pick the right one. `login_hint` preselects the
/// account when reconnecting.
pub(crate) fn authorize(
    provider: Provider,
    settings: &ProviderSettings,
    redirect: &url::Url,
    login_hint: Option<&str>,
) -> Authorization {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let client = client(settings, redirect);
    let mut request = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(scope_list(provider))
        .set_pkce_challenge(challenge);
    request = match provider {
        Provider::Google => request
            .add_extra_param("access_type", "offline")
            .add_extra_param("prompt", "consent"),
        Provider::Microsoft => request
            .add_extra_param("response_mode", "query")
            .add_extra_param("prompt", "select_account"),
        Provider::Caldav => request,
    };
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
    settings: &ProviderSettings,
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

/// Microsoft wants the scopes again on a refresh; Google keeps the granted ones.
pub(crate) async fn refresh(
    http: &reqwest::Client,
    provider: Provider,
    settings: &ProviderSettings,
    redirect: &url::Url,
    refresh_token: String,
) -> Result<Grant, ProviderError> {
    let client = client(settings, redirect);
    let token = RefreshToken::new(refresh_token);
    let mut request = client.exchange_refresh_token(&token);
    if provider == Provider::Microsoft {
        request = request.add_scopes(scope_list(provider));
    }
    let answer = request.request_async(http).await.map_err(token_error)?;
    Ok(grant(&answer))
}

/// Revokes the grant (a refresh token takes its access tokens with it), as Google documents it:
/// `POST revoke` with the token as a form field. Sent directly because `oauth2` refuses
/// plain-http revocation URLs, which the local simulator uses. A token the provider no longer
/// knows (400 `invalid_token`) is as good as revoked.
pub(crate) async fn revoke(
    http: &reqwest::Client,
    revoke: &url::Url,
    refresh_token: &str,
) -> Result<(), ProviderError> {
    let response = http
        .post(revoke.clone())
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

/// `invalid_grant` means the grant is gone for good (revoked, expired, or a used code; Microsoft
/// adds an AADSTS code to the description); everything else may pass.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(scopes: &[&str]) -> Vec<String> {
        scopes.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_google_grant_missing_an_unticked_scope_is_incomplete() {
        assert!(grants_everything(Provider::Google, &owned(&GOOGLE_SCOPES)));
        assert!(!grants_everything(Provider::Google, &owned(&GOOGLE_SCOPES[..2])));
    }

    #[test]
    fn microsoft_scopes_count_with_or_without_the_graph_prefix_and_without_offline_access() {
        let prefixed = owned(&[
            "https://graph.microsoft.com/Calendars.ReadWrite",
            "https://graph.microsoft.com/User.Read",
        ]);
        assert!(grants_everything(Provider::Microsoft, &prefixed));
        assert!(grants_everything(
            Provider::Microsoft,
            &owned(&["user.read", "calendars.readwrite"])
        ));
        assert!(!grants_everything(
            Provider::Microsoft,
            &owned(&["User.Read", "Calendars.Read"])
        ));
    }
}
