//! Finding a member's calendars from the address they typed (RFC 6764 §5, RFC 5397, RFC 4791
//! §6.2.1): ask that address for the `current-user-principal`, and failing that the server's
//! `/.well-known/caldav`; then ask the principal for its `calendar-home-set`. Redirects are
//! followed here, a few at most (the client follows none by itself, so each hop goes through the
//! same address checks); iCloud, for one, sends each account to its own host.

use super::super::ProviderError;
use super::{classify, method, xml};
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, LOCATION};

/// More redirects than this and the server is going in circles.
const MOST_REDIRECTS: usize = 5;

/// The member's calendar home.
pub(crate) async fn calendar_home(
    http: &reqwest::Client,
    start: &url::Url,
    credential: &str,
) -> Result<url::Url, ProviderError> {
    let principal = match propfind(http, start, credential, xml::PRINCIPAL).await {
        Ok((at, answer)) => principal_in(&answer).map(|href| at.join(&href)),
        Err(ProviderError::Rejected { .. }) => None,
        Err(other) => return Err(other),
    };
    let principal = match principal {
        Some(found) => found,
        None => {
            let well_known = start
                .join("/.well-known/caldav")
                .map_err(|_| ProviderError::Other("not a web address".into()))?;
            let (at, answer) = propfind(http, &well_known, credential, xml::PRINCIPAL).await?;
            principal_in(&answer)
                .map(|href| at.join(&href))
                .ok_or_else(|| no_calendars(start))?
        }
    }
    .map_err(|_| no_calendars(start))?;
    let (at, answer) = propfind(http, &principal, credential, xml::HOME_SET).await?;
    let home = answer
        .responses
        .into_iter()
        .find_map(|r| r.home)
        .ok_or_else(|| no_calendars(start))?;
    at.join(&home).map_err(|_| no_calendars(start))
}

fn principal_in(answer: &xml::MultiStatus) -> Option<String> {
    answer.responses.iter().find_map(|r| r.principal.clone())
}

fn no_calendars(start: &url::Url) -> ProviderError {
    ProviderError::Rejected {
        status: 404,
        reason: format!("no CalDAV calendars were found at {start}"),
    }
}

/// A `Depth: 0` PROPFIND, following redirects; returns where it was answered and the answer.
async fn propfind(
    http: &reqwest::Client,
    start: &url::Url,
    credential: &str,
    body: &'static str,
) -> Result<(url::Url, xml::MultiStatus), ProviderError> {
    let mut at = start.clone();
    for _ in 0..=MOST_REDIRECTS {
        let response = http
            .request(method("PROPFIND"), at.clone())
            .header(AUTHORIZATION, credential)
            .header("Depth", "0")
            .header(CONTENT_TYPE, "application/xml; charset=utf-8")
            .body(body)
            .send()
            .await
            .map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| ProviderError::Other("a redirect without a location".into()))?;
            at = at
                .join(location)
                .map_err(|_| ProviderError::Other(format!("an unusable redirect: {location}")))?;
            continue;
        }
        let text = response.text().await.unwrap_or_default();
        if status != StatusCode::MULTI_STATUS && !status.is_success() {
            return Err(classify(status, None, &text));
        }
        return Ok((at, xml::multistatus(&text).map_err(ProviderError::Other)?));
    }
    Err(ProviderError::Other("the server redirected too many times".into()))
}
