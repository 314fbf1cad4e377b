//! Server-only glue for server functions: the request's services, session and response.

use crate::error::AppError;
use http::header::{COOKIE, SET_COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};
use leptos::prelude::*;
use services::Services;
use services::accounts::Member;
use services::sessions::{SESSION_COOKIE, SESSION_TTL_SECS};

pub mod availability;
mod zone;

pub use zone::Zone;

pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from the Leptos context");
        AppError::Internal
    })
}

/// Sets the response status, except for a plain HTML form post (a submit before the page became
/// interactive): Leptos answers those with a redirect back to the form carrying the error, which a
/// status override would turn into a dead end.
pub fn set_status(code: u16) {
    status_setter()(code);
}

/// Awaits a service call and maps its error, setting the response status through a setter taken
/// before the first await (see [`status_setter`]).
pub async fn answer<T>(
    work: impl std::future::Future<Output = Result<T, services::ServiceError>>,
) -> Result<T, AppError> {
    work.await.map_err(failure_setter())
}

/// Maps a service error to the response: status, and `Retry-After` for errors that say when.
/// Taken before the first await, like [`status_setter`].
pub fn failure_setter() -> impl Fn(services::ServiceError) -> AppError + Send + Sync + 'static {
    let set_status = status_setter();
    let response = use_context::<leptos_axum::ResponseOptions>();
    move |e| {
        let (status, error) = AppError::classify(e);
        set_status(status);
        if let (Some(seconds), Some(response)) = (error.retry_after(), &response) {
            response.insert_header(http::header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        error
    }
}

/// [`set_status`] for later: the request's context is only reliable before the first `.await` of
/// a server function, so code that decides the status after awaiting captures this first.
pub fn status_setter() -> impl Fn(u16) + Send + Sync + 'static {
    let plain_form_post = is_plain_form_post();
    let response = use_context::<leptos_axum::ResponseOptions>();
    move |code| {
        if let (false, Some(response), Ok(status)) = (plain_form_post, &response, StatusCode::from_u16(code)) {
            response.set_status(status);
        }
    }
}

fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.method == http::Method::POST
            && parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    })
}

fn request_parts() -> Result<http::request::Parts, AppError> {
    use_context::<http::request::Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the Leptos context");
        AppError::Internal
    })
}

/// Rejects a form whose fields failed to parse, with 422 and every field's message.
pub fn invalid(errors: domain::FieldErrors) -> AppError {
    set_status(422);
    AppError::Validation(errors)
}

/// The member whose session cookie came with this request.
///
/// Server functions take `services()` (and anything else from the context) *before* awaiting
/// this: the server may poll a resource's fetch after its owner was disposed, and a context
/// lookup after an await then fails.
pub async fn signed_in() -> Result<Member, AppError> {
    let parts = request_parts()?;
    let Some(secret) = session_cookie(&parts.headers) else {
        set_status(401);
        return Err(AppError::Unauthenticated);
    };
    Ok(services()?.session_member(&secret).await?)
}

/// As [`signed_in`], and the member must be an admin.
pub async fn signed_in_admin() -> Result<Member, AppError> {
    let set_status = status_setter();
    let member = signed_in().await?;
    if member.role.is_admin() {
        Ok(member)
    } else {
        set_status(403);
        Err(AppError::Forbidden)
    }
}

/// Allows only our own scripts: the bundle, and the inline hydration scripts Leptos writes with
/// this response's nonce; WASM may compile. Framing is decided separately (server `framing`).
pub fn content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// The client's address as the server resolved it (behind trusted proxies, the forwarded one).
pub fn client_addr() -> Option<services::limits::ClientAddr> {
    use_context::<http::request::Parts>()?
        .extensions
        .get::<services::limits::ClientAddr>()
        .copied()
}

/// Lets this request's client do `action`, or refuses with 429 and `Retry-After`.
pub fn admit(action: services::limits::PublicAction<'_>) -> Result<(), AppError> {
    services()?.admit(action, client_addr()).map_err(failure_setter())
}

pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}

/// Sets the session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site
/// POSTs), Secure when the public URL is https.
pub fn start_session_cookie(secret: &str) -> Result<(), AppError> {
    let secure = if services()?.config().secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    set_cookie(format!(
        "{SESSION_COOKIE}={secret}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_TTL_SECS}{secure}"
    ))
}

pub fn clear_session_cookie() -> Result<(), AppError> {
    set_cookie(format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"))
}

fn set_cookie(value: String) -> Result<(), AppError> {
    let response = expect_context::<leptos_axum::ResponseOptions>();
    let value = HeaderValue::from_str(&value).map_err(|_| AppError::Internal)?;
    response.append_header(SET_COOKIE, value);
    Ok(())
}

/// A unix time as a calendar date in `zone`, e.g. "Mon 30 Nov 2026".
/// Members as options of a select (value: id, label: name).
pub fn member_choices(members: Vec<Member>) -> Vec<crate::api::Choice> {
    members
        .into_iter()
        .map(|m| crate::api::Choice {
            value: m.id.to_string(),
            label: m.name,
        })
        .collect()
}

/// The zone's offset from UTC at an instant, like "UTC+05:45" (shown beside zone names).
pub fn utc_offset(unix_seconds: i64, zone: &str) -> String {
    use chrono::Offset;
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    let seconds = chrono::DateTime::from_timestamp(unix_seconds, 0)
        .map(|t| t.with_timezone(&tz).offset().fix().local_minus_utc())
        .unwrap_or(0);
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The local date of an instant in `zone`, as `YYYY-MM-DD`.
pub fn local_day(unix_seconds: i64, zone: &str) -> String {
    local_naive_date(unix_seconds, zone.parse().unwrap_or(chrono_tz::UTC)).to_string()
}

pub use services::public_pages::rfc3339;

/// The local date of an instant in `zone`.
pub fn local_naive_date(unix_seconds: i64, zone: chrono_tz::Tz) -> chrono::NaiveDate {
    chrono::DateTime::from_timestamp(unix_seconds, 0)
        .map(|t| t.with_timezone(&zone).date_naive())
        .unwrap_or_default()
}

pub fn local_date(unix_seconds: i64, zone: &str) -> String {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    chrono::DateTime::from_timestamp(unix_seconds, 0)
        .map(|t| t.with_timezone(&tz).format("%a %-d %b %Y").to_string())
        .unwrap_or_default()
}

/// "just now", "5 minutes ago", "3 hours ago", "2 days ago".
pub fn time_ago(seconds: i64) -> String {
    let (count, unit) = match seconds {
        ..60 => return "just now".to_owned(),
        60..3600 => (seconds / 60, "minute"),
        3600..86_400 => (seconds / 3600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    format!("{count} {unit}{} ago", if count == 1 { "" } else { "s" })
}

/// Where to go after signing in: only a local path, so a crafted link cannot send people elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if is_local_path(path) => path.to_owned(),
        _ => "/dashboard".to_owned(),
    }
}

/// A path on this site however a browser reads it: one leading slash, and visible ASCII only.
/// Browsers drop tabs and newlines from URLs (`/\t/evil.example` becomes `//evil.example`, another
/// host) and read `\\` as `/`; and only visible ASCII makes a valid `Location` header.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

#[cfg(test)]
mod tests {
    #[test]
    fn offsets_show_sign_hours_and_minutes() {
        let july = 1_783_000_000; // 2026-07-02
        assert_eq!(super::utc_offset(july, "Asia/Kathmandu"), "UTC+05:45");
        assert_eq!(super::utc_offset(july, "America/St_Johns"), "UTC-02:30");
        assert_eq!(super::utc_offset(july, "Pacific/Chatham"), "UTC+12:45");
    }

    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/dashboard/members")), "/dashboard/members");
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "dashboard"] {
            assert_eq!(safe_next(Some(bad)), "/dashboard", "{bad}");
        }
        // What browsers strip or cannot send in a Location header.
        for bad in [
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/a b",
            "/caf\u{e9}",
            "/\u{7f}x",
        ] {
            assert_eq!(safe_next(Some(bad)), "/dashboard", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/dashboard");
        assert_eq!(
            safe_next(Some("/dashboard/bookings?tab=past&q=a%20b")),
            "/dashboard/bookings?tab=past&q=a%20b"
        );
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("theme=dark; rdv_session=abc123; x=y"));
        assert_eq!(session_cookie(&headers).as_deref(), Some("abc123"));
        headers.insert(COOKIE, HeaderValue::from_static("rdv_session="));
        assert_eq!(session_cookie(&headers), None);
    }
}
