//! Refuses requests carrying a NUL character anywhere we would read text from: the path, the
//! query, or the body (raw, percent-encoded in a form, or `\u0000` in JSON). PostgreSQL cannot
//! store NUL in text, so such a value would otherwise fail deep inside a write as a 500; no
//! honest client sends one. Runs inside the body-size limits, so buffering is bounded.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_nul(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let path_and_query = parts.uri.path_and_query().map_or("", |p| p.as_str());
    if has_percent_nul(path_and_query.as_bytes()) {
        return refused();
    }
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let encoded_nul = if content_type.contains("json") {
        has_json_nul(&bytes)
    } else {
        content_type.starts_with("application/x-www-form-urlencoded") && has_percent_nul(&bytes)
    };
    if bytes.contains(&0) || encoded_nul {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// In the JSON API's error shape, which every other client can read too.
fn refused() -> Response {
    crate::api::ApiError::new(
        StatusCode::BAD_REQUEST,
        "nul_character",
        "Text may not contain NUL characters.",
    )
    .into_response()
}

/// `%00`, as paths, queries and forms carry a NUL.
fn has_percent_nul(bytes: &[u8]) -> bool {
    bytes.windows(3).any(|w| w == b"%00")
}

/// `\u0000` in a JSON string: a `u0000` after an odd run of backslashes (after an even run the
/// backslashes escape each other and the text is literal).
fn has_json_nul(bytes: &[u8]) -> bool {
    (1..bytes.len()).any(|i| {
        bytes[i..].starts_with(b"u0000") && bytes[..i].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_raw_percent_encoded_and_json_escaped() {
        assert!(has_percent_nul(b"/acme/%00demo"));
        assert!(!has_percent_nul(b"/acme/demo?x=%100&y=%2500"));
        assert!(has_json_nul(br#"{"notes":"a\u0000b"}"#));
        assert!(
            !has_json_nul(br#"{"notes":"a\\u0000b"}"#),
            "a literal backslash, then text"
        );
        assert!(has_json_nul(br#"{"notes":"a\\\u0000b"}"#));
        assert!(!has_json_nul(br#"{"notes":"a\u00e9b"}"#));
    }
}
