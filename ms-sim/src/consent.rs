//! The pages the identity platform shows in the browser: the consent prompt ("Permissions
//! requested", Accept / Cancel), sign-in errors it cannot redirect, and the `form_post` response.
//! The consent prompt is one real `<form>`; its controls are named buttons.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use sim_support::html::{escape, page};

use crate::error::IdentityError;
use crate::scopes;

/// Where the consent form posts (Entra's own path for recording consent).
pub(crate) const CONSENT_PATH: &str = "/common/Consent/Set";

pub(crate) struct ConsentView<'a> {
    pub request_id: &'a str,
    pub client_name: &'a str,
    pub account: &'a str,
    pub scopes: &'a [String],
}

pub(crate) fn consent_page(view: &ConsentView<'_>) -> Html<String> {
    let client = escape(view.client_name);
    let items: String = view
        .scopes
        .iter()
        .map(|scope| format!("<li>{}</li>", escape(scopes::describe(scope))))
        .collect();
    let body = format!(
        "<p id=\"account\">{account}</p>\
         <h1>Permissions requested</h1>\
         <p><strong id=\"app\">{client}</strong></p>\
         <form method=\"post\" action=\"{CONSENT_PATH}\">\
         <input type=\"hidden\" name=\"request\" value=\"{request}\">\
         <fieldset><legend>This app would like to:</legend><ul>{items}</ul></fieldset>\
         <p>Accepting these permissions means that you allow this app to use your data as specified in \
         their terms of service and privacy statement. You can change these permissions at \
         https://myapps.microsoft.com.</p>\
         <button type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button>\
         <button type=\"submit\" name=\"decision\" value=\"accept\">Accept</button>\
         </form>",
        account = escape(view.account),
        request = escape(view.request_id),
    );
    Html(page("Permissions requested", &body))
}

/// An error Entra shows instead of redirecting (unknown app, unregistered redirect URI).
pub(crate) struct ErrorPage(pub IdentityError);

impl IntoResponse for ErrorPage {
    fn into_response(self) -> Response {
        let body = format!(
            "<h1>Sign in</h1><p>Sorry, but we're having trouble signing you in.</p><p id=\"error\">{}</p>",
            escape(&self.0.description())
        );
        let status = if self.0.status == StatusCode::UNAUTHORIZED {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        (status, Html(page("Sign in to your account", &body))).into_response()
    }
}

/// `response_mode=form_post`: a page that POSTs the response fields to the redirect URI (a
/// script submits it; without scripts the user presses the button).
pub(crate) fn form_post(redirect_uri: &str, fields: &[(&str, &str)]) -> Response {
    let inputs: String = fields
        .iter()
        .map(|(name, value)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(name),
                escape(value)
            )
        })
        .collect();
    let body = format!(
        "<form method=\"post\" name=\"hiddenform\" action=\"{}\">{inputs}\
         <noscript><p>Script is disabled. Click Submit to continue.</p>\
         <button type=\"submit\">Submit</button></noscript></form>\
         <script>document.forms[0].submit()</script>",
        escape(redirect_uri)
    );
    Html(page("Working...", &body)).into_response()
}
