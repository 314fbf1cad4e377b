//! HTML of the consent screen and of authorization error pages: one real `<form>` in which every
//! control has a visible, associated label and the decision is a named button.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use sim_support::html::{escape, page};

use crate::scopes;

pub(crate) const DECISION_PATH: &str = "/o/oauth2/v2/auth/decision";

/// What the consent page needs to know.
pub(crate) struct ConsentView<'a> {
    pub request_id: &'a str,
    pub client_name: &'a str,
    pub account: &'a str,
    pub scopes: &'a [String],
    /// Checkboxes per scope (Google's granular consent) instead of a fixed list.
    pub granular: bool,
}

pub(crate) fn consent_page(view: &ConsentView<'_>) -> Html<String> {
    let client = escape(view.client_name);
    let mut items = String::new();
    for (index, scope) in view.scopes.iter().enumerate() {
        let value = escape(scope);
        let label = escape(scopes::describe(scope));
        let short = escape(scope.strip_prefix(scopes::PREFIX).unwrap_or(scope));
        if view.granular {
            items.push_str(&format!(
                "<li><input type=\"checkbox\" id=\"scope-{index}\" name=\"scope\" value=\"{value}\" checked> \
                 <label for=\"scope-{index}\">{label} <code>{short}</code></label></li>"
            ));
        } else {
            items.push_str(&format!(
                "<li>{label} <code>{short}</code><input type=\"hidden\" name=\"scope\" value=\"{value}\"></li>"
            ));
        }
    }
    let body = format!(
        "<h1>{client} wants access to your Google Account</h1>\
         <p>Signed in as <strong id=\"account\">{account}</strong></p>\
         <form method=\"post\" action=\"{DECISION_PATH}\">\
         <input type=\"hidden\" name=\"request\" value=\"{request}\">\
         <fieldset><legend>This will allow {client} to:</legend><ul>{items}</ul></fieldset>\
         <p>Make sure you trust {client}. You can remove its access in your Google Account.</p>\
         <button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\
         <button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\
         </form>",
        account = escape(view.account),
        request = escape(view.request_id),
    );
    Html(page(
        &format!("{} wants access to your Google Account", view.client_name),
        &body,
    ))
}

/// Google shows errors it cannot safely redirect (bad client, bad redirect URI, bad parameters)
/// as a page: "Error 400: redirect_uri_mismatch".
pub(crate) struct ErrorPage {
    pub status: StatusCode,
    pub error: &'static str,
    pub detail: String,
}

impl ErrorPage {
    pub fn new(status: StatusCode, error: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            error,
            detail: detail.into(),
        }
    }

    pub fn bad_request(error: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error, detail)
    }
}

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        let heading = format!("Error {}: {}", self.status.as_u16(), self.error);
        let body = format!(
            "<h1>Access blocked: authorization error</h1><p id=\"error\">{}</p><p>{}</p>",
            escape(&heading),
            escape(&self.detail)
        );
        (self.status, Html(page(&heading, &body))).into_response()
    }
}
