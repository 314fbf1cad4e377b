//! `GET /o/oauth2/v2/auth` and the consent decision. Parameter problems that make redirecting
//! unsafe are shown as error pages; the user's answer (and `prompt=none` failures) travel back to
//! the client's `redirect_uri` as `code`/`scope`/`state` or `error`/`state`.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use sim_support::oauth::redirect;

use crate::consent::{self, ConsentView, ErrorPage};
use crate::ids;
use sim_support::pkce::{Challenge, ChallengeError};

use crate::oauth_state::{AuthRequest, Options};
use crate::query::{Params, Typed};
use crate::scopes;
use crate::state::{Sim, State as World};

/// What the authorize request's `prompt` asked for.
#[derive(Default)]
struct Prompt {
    none: bool,
    consent: bool,
    select_account: bool,
}

fn parse_prompt(raw: Option<&str>) -> Result<Prompt, ErrorPage> {
    let mut prompt = Prompt::default();
    for word in raw.unwrap_or("").split_whitespace() {
        match word {
            "none" => prompt.none = true,
            "consent" => prompt.consent = true,
            "select_account" => prompt.select_account = true,
            other => {
                return Err(ErrorPage::bad_request(
                    "invalid_request",
                    format!("Invalid prompt: {other}"),
                ));
            }
        }
    }
    if prompt.none && (prompt.consent || prompt.select_account) {
        return Err(ErrorPage::bad_request(
            "invalid_request",
            "prompt=none cannot be combined with other values",
        ));
    }
    Ok(prompt)
}

fn validate(state: &World, params: &Params) -> Result<(AuthRequest, Prompt), ErrorPage> {
    let missing = |name: &str| ErrorPage::bad_request("invalid_request", format!("Missing required parameter: {name}"));
    let client_id = params.get("client_id").ok_or_else(|| missing("client_id"))?;
    let client = state.plumbing.clients.get(client_id).ok_or_else(|| {
        ErrorPage::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "The OAuth client was not found.",
        )
    })?;
    let redirect_uri = params.get("redirect_uri").ok_or_else(|| missing("redirect_uri"))?;
    if !client.accepts_redirect(redirect_uri) {
        return Err(ErrorPage::bad_request(
            "redirect_uri_mismatch",
            format!("You can't sign in because this app sent an invalid request (redirect_uri={redirect_uri})."),
        ));
    }
    match params.get("response_type") {
        Some("code") => {}
        None => return Err(missing("response_type")),
        Some(other) => {
            return Err(ErrorPage::bad_request(
                "unsupported_response_type",
                format!("Invalid response_type: {other}"),
            ));
        }
    }
    let requested: Vec<String> = params
        .get("scope")
        .ok_or_else(|| missing("scope"))?
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if let Some(unknown) = requested.iter().find(|s| !scopes::is_known(s)) {
        return Err(ErrorPage::bad_request(
            "invalid_scope",
            format!("Some requested scopes were invalid: {unknown}"),
        ));
    }
    let mut scopes: Vec<String> = Vec::new();
    for scope in requested {
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    let challenge =
        Challenge::from_params(params.get("code_challenge"), params.get("code_challenge_method")).map_err(|error| {
            match error {
                ChallengeError::MissingChallenge => missing("code_challenge"),
                ChallengeError::UnknownMethod(other) => {
                    ErrorPage::bad_request("invalid_request", format!("Invalid code_challenge_method: {other}"))
                }
                ChallengeError::Malformed => ErrorPage::bad_request("invalid_request", "Invalid code_challenge."),
            }
        })?;
    let offline = match params.get("access_type") {
        None | Some("online") => false,
        Some("offline") => true,
        Some(other) => {
            return Err(ErrorPage::bad_request(
                "invalid_request",
                format!("Invalid access_type: {other}"),
            ));
        }
    };
    let prompt = parse_prompt(params.get("prompt"))?;
    // The signed-in account: the hinted one if the simulator knows it, else the first account.
    let user = params
        .get("login_hint")
        .and_then(|hint| state.users.get(hint))
        .or_else(|| state.users.first())
        .ok_or_else(|| ErrorPage::bad_request("invalid_request", "No Google account exists in the simulator."))?;
    let request = AuthRequest {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.to_owned(),
        user: user.email.clone(),
        scopes,
        state: params.get("state").map(str::to_owned),
        challenge,
        options: Options {
            offline,
            prompt_consent: prompt.consent,
            include_granted_scopes: params.bool("include_granted_scopes").ok().flatten().unwrap_or(false),
        },
    };
    Ok((request, prompt))
}

fn redirect_error(request: &AuthRequest, error: &str) -> Response {
    let mut pairs = vec![("error", error)];
    if let Some(state) = &request.state {
        pairs.push(("state", state));
    }
    redirect(&request.redirect_uri, &pairs)
}

/// Records the grant, issues a code and sends the browser back to the client.
fn approve(state: &mut World, mut request: AuthRequest, chosen: Vec<String>) -> Response {
    let previous = state.oauth.auth.consents.granted(&request.user, &request.client_id);
    let mut granted = chosen;
    if request.options.include_granted_scopes {
        let earlier: Vec<String> = previous.into_iter().filter(|s| !granted.contains(s)).collect();
        granted.extend(earlier);
    }
    state
        .oauth
        .auth
        .consents
        .record(&request.user, &request.client_id, granted.iter().cloned());
    let now = state.now();
    let scope = granted.join(" ");
    let redirect_uri = request.redirect_uri.clone();
    let client_state = request.state.clone();
    request.scopes = granted;
    let code = state.oauth.issue_code(request, now, &state.config);
    let mut pairs = Vec::new();
    if let Some(client_state) = &client_state {
        pairs.push(("state", client_state.as_str()));
    }
    pairs.push(("code", code.as_str()));
    pairs.push(("scope", scope.as_str()));
    redirect(&redirect_uri, &pairs)
}

pub(crate) async fn authorize(State(sim): State<Sim>, RawQuery(query): RawQuery) -> Response {
    let params = Params::from_query(query.as_deref());
    let mut state = sim.lock();
    let (request, prompt) = match validate(&state, &params) {
        Ok(valid) => valid,
        Err(page) => return page.into_response(),
    };
    let previous = state.oauth.auth.consents.granted(&request.user, &request.client_id);
    let already_granted = request.scopes.iter().all(|s| previous.contains(s));
    if prompt.none {
        if already_granted {
            let scopes = request.scopes.clone();
            return approve(&mut state, request, scopes);
        }
        return redirect_error(&request, "consent_required");
    }
    if already_granted && state.config.oauth.skip_consent_when_granted && !prompt.consent && !prompt.select_account {
        let scopes = request.scopes.clone();
        return approve(&mut state, request, scopes);
    }
    let request_id = ids::secret("");
    let client_name = state.plumbing.clients.name(&request.client_id);
    let account = match state.users.get(&request.user).and_then(|u| u.display_name.as_deref()) {
        Some(name) => format!("{name} ({})", request.user),
        None => request.user.clone(),
    };
    let page = consent::consent_page(&ConsentView {
        request_id: &request_id,
        client_name: &client_name,
        account: &account,
        scopes: &request.scopes,
        granular: state.config.granular_consent,
    });
    state.oauth.auth.pending.insert(request_id, request);
    page.into_response()
}

/// The consent form's POST: `request`, `decision=allow|deny`, and one `scope` per checked box.
pub(crate) async fn decide(State(sim): State<Sim>, body: Bytes) -> Response {
    let params = Params::parse(&body);
    let mut state = sim.lock();
    let Some(request) = params.get("request").and_then(|id| state.oauth.auth.pending.remove(id)) else {
        return ErrorPage::bad_request(
            "invalid_request",
            "This consent request has expired or was already answered.",
        )
        .into_response();
    };
    match params.get("decision") {
        Some("deny") => redirect_error(&request, "access_denied"),
        Some("allow") => {
            let checked = params.all("scope");
            let chosen: Vec<String> = if state.config.granular_consent {
                request
                    .scopes
                    .iter()
                    .filter(|s| checked.contains(&s.as_str()))
                    .cloned()
                    .collect()
            } else {
                request.scopes.clone()
            };
            approve(&mut state, request, chosen)
        }
        _ => ErrorPage::bad_request("invalid_request", "decision must be allow or deny").into_response(),
    }
}
