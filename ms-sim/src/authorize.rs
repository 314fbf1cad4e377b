//! `GET /{tenant}/oauth2/v2.0/authorize` and the consent decision. Problems that make
//! redirecting unsafe (unknown app, unregistered redirect URI) are shown as error pages; every
//! other outcome goes back to the client's `redirect_uri` as `code`/`state`/`session_state` or
//! `error`/`error_description`/`state`, in the query or as a `form_post`.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use sim_support::oauth::redirect;
use sim_support::params::Params;
use sim_support::pkce::{Challenge, ChallengeError};

use crate::consent::{self, ConsentView, ErrorPage};
use crate::error::IdentityError;
use crate::identity::{AuthRequest, Options, ResponseMode};
use crate::ids;
use crate::scopes;
use crate::state::{Sim, State as World};

/// Tenants the simulator answers for: the multi-tenant aliases and its own directory.
pub(crate) fn known_tenant(state: &World, tenant: &str) -> bool {
    ["common", "organizations"].contains(&tenant) || tenant.eq_ignore_ascii_case(&state.config.tenant_id)
}

/// What `prompt` asked for (Entra takes a single value).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prompt {
    Default,
    None,
    Login,
    Consent,
    SelectAccount,
}

/// The part of the request that must be valid before anything can be redirected.
fn client_and_redirect(state: &World, tenant: &str, params: &Params) -> Result<(String, String), ErrorPage> {
    if !known_tenant(state, tenant) {
        return Err(ErrorPage(IdentityError::new(
            "invalid_request",
            90002,
            format!(
                "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."
            ),
        )));
    }
    let client_id = params
        .get("client_id")
        .ok_or_else(|| ErrorPage(IdentityError::missing("client_id")))?;
    let client = state.plumbing.clients.get(client_id).ok_or_else(|| {
        ErrorPage(IdentityError::new(
            "unauthorized_client",
            700016,
            format!("Application with identifier '{client_id}' was not found in the directory '{tenant}'."),
        ))
    })?;
    let redirect_uri = params
        .get("redirect_uri")
        .ok_or_else(|| ErrorPage(IdentityError::missing("redirect_uri")))?;
    if !client.accepts_redirect(redirect_uri) {
        return Err(ErrorPage(IdentityError::new(
            "invalid_request",
            50011,
            format!(
                "The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'."
            ),
        )));
    }
    Ok((client_id.to_owned(), redirect_uri.to_owned()))
}

fn parse_scopes(raw: Option<&str>) -> Result<Vec<String>, IdentityError> {
    let raw = raw.ok_or_else(|| IdentityError::missing("scope"))?;
    let mut scopes: Vec<String> = Vec::new();
    for word in raw.split_whitespace() {
        let scope = scopes::canonical(word).ok_or_else(|| {
            IdentityError::new(
                "invalid_scope",
                70011,
                format!("The provided value for the input parameter 'scope' is not valid. The scope '{word}' does not exist."),
            )
        })?;
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_owned());
        }
    }
    if scopes.is_empty() {
        return Err(IdentityError::missing("scope"));
    }
    Ok(scopes)
}

fn parse_prompt(raw: Option<&str>) -> Result<Prompt, IdentityError> {
    Ok(match raw {
        None => Prompt::Default,
        Some("none") => Prompt::None,
        Some("login") => Prompt::Login,
        Some("consent") => Prompt::Consent,
        Some("select_account") => Prompt::SelectAccount,
        Some(other) => return Err(IdentityError::malformed(format!("Invalid prompt value '{other}'."))),
    })
}

fn parse_challenge(params: &Params) -> Result<Option<Challenge>, IdentityError> {
    Challenge::from_params(params.get("code_challenge"), params.get("code_challenge_method")).map_err(|error| {
        match error {
            ChallengeError::MissingChallenge => IdentityError::missing("code_challenge"),
            ChallengeError::UnknownMethod(method) => {
                IdentityError::malformed(format!("Invalid code_challenge_method '{method}': use S256 or plain."))
            }
            ChallengeError::Malformed => {
                IdentityError::new("invalid_request", 501491, "Invalid size of Code_Challenge parameter.")
            }
        }
    })
}

/// Everything after the client and redirect URI are known to be good. A failure still carries
/// the request, so the error can travel back to the client in its `response_mode` with `state`.
fn parse_request(
    state: &World,
    params: &Params,
    client_id: String,
    redirect_uri: String,
) -> Result<(AuthRequest, Prompt), Box<(AuthRequest, IdentityError)>> {
    let mut request = AuthRequest {
        client_id,
        redirect_uri,
        user: String::new(),
        scopes: Vec::new(),
        state: params.get("state").map(str::to_owned),
        challenge: None,
        options: Options {
            response_mode: ResponseMode::Query,
            nonce: params.get("nonce").map(str::to_owned),
        },
    };
    match complete(state, params, &mut request) {
        Ok(prompt) => Ok((request, prompt)),
        Err(error) => Err(Box::new((request, error))),
    }
}

fn complete(state: &World, params: &Params, request: &mut AuthRequest) -> Result<Prompt, IdentityError> {
    request.options.response_mode = match params.get("response_mode") {
        None | Some("query") => ResponseMode::Query,
        Some("form_post") => ResponseMode::FormPost,
        Some(other) => {
            return Err(IdentityError::malformed(format!(
                "The response_mode '{other}' is not supported."
            )));
        }
    };
    match params.get("response_type") {
        Some("code") => {}
        None => return Err(IdentityError::missing("response_type")),
        Some(other) => {
            return Err(IdentityError::new(
                "unsupported_response_type",
                70005,
                format!("response_type '{other}' is not enabled for the application."),
            ));
        }
    }
    request.scopes = parse_scopes(params.get("scope"))?;
    let prompt = parse_prompt(params.get("prompt"))?;
    request.challenge = parse_challenge(params)?;
    // The signed-in account: the hinted one if the simulator knows it, else the first account.
    request.user = params
        .get("login_hint")
        .and_then(|hint| state.users.get(hint))
        .or_else(|| state.users.first())
        .ok_or_else(|| IdentityError::malformed("No account exists in the simulator."))?
        .email
        .clone();
    Ok(prompt)
}

/// Sends the browser back to the client with `fields` (plus `state`), honouring `response_mode`.
fn respond<'a>(request: &'a AuthRequest, mut fields: Vec<(&'a str, &'a str)>) -> Response {
    if let Some(state) = &request.state {
        fields.push(("state", state));
    }
    match request.options.response_mode {
        ResponseMode::Query => redirect(&request.redirect_uri, &fields),
        ResponseMode::FormPost => consent::form_post(&request.redirect_uri, &fields),
    }
}

fn respond_error(request: &AuthRequest, error: &IdentityError) -> Response {
    let description = error.description();
    respond(
        request,
        vec![("error", error.error), ("error_description", &description)],
    )
}

/// Records consent, issues a code, and sends the browser back to the client.
fn approve(state: &mut World, request: AuthRequest) -> Response {
    state
        .identity
        .auth
        .consents
        .record(&request.user, &request.client_id, request.scopes.iter().cloned());
    if let Some(user) = state.users.get_mut(&request.user) {
        user.needs_interaction = false;
    }
    let now = state.now();
    let answer = request.clone();
    let code = state.identity.issue_code(request, now, &state.config);
    let session = ids::guid();
    respond(&answer, vec![("code", &code), ("session_state", &session)])
}

pub(crate) async fn authorize(
    State(sim): State<Sim>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = Params::from_query(query.as_deref());
    let mut state = sim.lock();
    let (client_id, redirect_uri) = match client_and_redirect(&state, &tenant, &params) {
        Ok(valid) => valid,
        Err(page) => return page.into_response(),
    };
    let (request, prompt) = match parse_request(&state, &params, client_id, redirect_uri) {
        Ok(valid) => valid,
        Err(failed) => {
            let (request, error) = *failed;
            return respond_error(&request, &error);
        }
    };
    let consented = state.identity.auth.consents.granted(&request.user, &request.client_id);
    let already = request.scopes.iter().all(|s| consented.contains(s));
    if prompt == Prompt::None {
        if already {
            return approve(&mut state, request);
        }
        let error = IdentityError::new(
            "consent_required",
            65001,
            "The user or administrator has not consented to use the application.",
        );
        return respond_error(&request, &error);
    }
    if already && state.config.oauth.skip_consent_when_granted && prompt == Prompt::Default {
        return approve(&mut state, request);
    }
    let request_id = ids::secret("", 24);
    let client_name = state.plumbing.clients.name(&request.client_id);
    let account = state
        .users
        .get(&request.user)
        .map_or_else(|| request.user.clone(), |u| format!("{} ({})", u.display_name, u.email));
    let page = consent::consent_page(&ConsentView {
        request_id: &request_id,
        client_name: &client_name,
        account: &account,
        scopes: &request.scopes,
    });
    state.identity.auth.pending.insert(request_id, request);
    page.into_response()
}

/// The consent form's POST: `request` and `decision=accept|cancel`.
pub(crate) async fn decide(State(sim): State<Sim>, body: Bytes) -> Response {
    let params = Params::parse(&body);
    let mut state = sim.lock();
    let Some(request) = params
        .get("request")
        .and_then(|id| state.identity.auth.pending.remove(id))
    else {
        let error = IdentityError::malformed("This sign-in request has expired or was already answered.");
        return ErrorPage(error).into_response();
    };
    match params.get("decision") {
        Some("accept") => approve(&mut state, request),
        Some("cancel") => {
            let error = IdentityError::new("access_denied", 65004, "User declined to consent to access the app.");
            respond_error(&request, &error)
        }
        _ => ErrorPage(IdentityError::malformed("decision must be accept or cancel")).into_response(),
    }
}
