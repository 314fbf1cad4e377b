//! Helpers for the simulators' own integration tests: an HTTP client that does not follow
//! redirects (so the OAuth redirect itself can be inspected), PKCE pairs, reading redirects and
//! forms, JSON calls, and a local webhook receiver.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{Method, RequestBuilder};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// A fresh PKCE pair: (verifier, S256 challenge).
pub fn pkce() -> (String, String) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_nanos();
    let verifier = format!("verifier-{nanos}-abcdefghijklmnopqrstuvwxyz0123456789");
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// Query parameters of a redirect's `Location`.
pub fn location_params(response: &reqwest::Response) -> Vec<(String, String)> {
    let location = response.headers()["location"].to_str().expect("a Location header");
    url::Url::parse(location)
        .expect("an absolute Location")
        .query_pairs()
        .into_owned()
        .collect()
}

pub fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// The value of the input named `name` in a server-rendered form (`name="…" value="…"`).
pub fn input_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("the page has an input named {name}"))
        + marker.len();
    html[start..].split('"').next().unwrap_or_default().to_owned()
}

/// Sends `request`; returns status, headers and the JSON body (`Null` when empty, a string when
/// not JSON).
pub async fn send(request: RequestBuilder) -> (StatusCode, HeaderMap, Value) {
    let response = request.send().await.expect("the simulator answers");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    (status, headers, json_or_text(text))
}

/// Status and JSON body of a response (`Null` when empty, a string when not JSON).
pub async fn answer(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("a body");
    (status, json_or_text(text))
}

fn json_or_text(text: String) -> Value {
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    }
}

/// A simulator's `/_control` API over HTTP, as a test running the binary drives it. Every call
/// returns the status and the JSON body (`Null` when empty).
#[derive(Clone, Debug)]
pub struct ControlClient {
    url: String,
}

impl ControlClient {
    pub fn new(base_url: &str) -> Self {
        Self {
            url: format!("{base_url}/_control"),
        }
    }

    /// `method` on `path` (what follows `/_control`), with `body` as JSON.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = http().request(method, format!("{}{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let (status, _, body) = send(request).await;
        (status, body)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    /// A POST without a body (what `curl -X POST` sends).
    pub async fn post_empty(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::POST, path, None).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, None).await
    }
}

/// Polls `ready` every 25 ms for up to 5 s (deliveries happen in the background).
pub async fn eventually<T>(what: &str, mut ready: impl FnMut() -> Option<T>) -> T {
    for _ in 0..200 {
        if let Some(value) = ready() {
            return value;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for {what}")
}

/// The authorization-code flow driven exactly as a browser would: GET the authorize URL, POST
/// the consent form (its hidden `request` field and a `decision` button), read the redirect —
/// then the token requests a server-side client makes.
#[derive(Clone, Debug)]
pub struct OAuthFlow {
    pub authorize_endpoint: String,
    pub token_endpoint: String,
    /// Where the consent form posts.
    pub decision_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
    /// Added to every authorize URL (Google's `access_type=offline`).
    pub fixed_params: Vec<(String, String)>,
    /// The `decision` value of the approving button (`allow`, `accept`).
    pub approve: String,
    /// The `decision` value of the refusing button (`deny`, `cancel`).
    pub refuse: String,
    /// Name of the per-scope checkboxes the approval ticks, for granular consent.
    pub checkbox: Option<String>,
}

impl OAuthFlow {
    /// The flow of the app `client` (id and secret) at the `authorize` and `token` endpoints,
    /// returning to `redirect_uri`, whose consent form posts to `decision_url` and is answered
    /// with `allow` or `deny` (see [`decisions`](Self::decisions)).
    pub fn new(authorize: &str, token: &str, decision_url: &str, client: (&str, &str), redirect_uri: &str) -> Self {
        Self {
            authorize_endpoint: authorize.to_owned(),
            token_endpoint: token.to_owned(),
            decision_url: decision_url.to_owned(),
            client_id: client.0.to_owned(),
            client_secret: client.1.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            fixed_params: Vec::new(),
            approve: "allow".to_owned(),
            refuse: "deny".to_owned(),
            checkbox: None,
        }
    }

    /// The `decision` values of the consent page's approving and refusing buttons.
    pub fn decisions(mut self, approve: &str, refuse: &str) -> Self {
        self.approve = approve.to_owned();
        self.refuse = refuse.to_owned();
        self
    }

    /// Approving ticks the per-scope checkboxes named `name` (granular consent).
    pub fn ticking(mut self, name: &str) -> Self {
        self.checkbox = Some(name.to_owned());
        self
    }

    /// Adds `key=value` to every authorize URL.
    pub fn with_param(mut self, key: &str, value: &str) -> Self {
        self.fixed_params.push((key.to_owned(), value.to_owned()));
        self
    }

    /// The authorize URL a client would send the browser to (`state=xyz-state`, S256 PKCE);
    /// `extra` adds parameters or replaces these defaults.
    pub fn authorize_url(&self, scopes: &[&str], challenge: &str, extra: &[(&str, &str)]) -> String {
        let scope = scopes.join(" ");
        let mut pairs: Vec<(&str, &str)> = vec![
            ("client_id", &self.client_id),
            ("redirect_uri", &self.redirect_uri),
            ("response_type", "code"),
            ("scope", &scope),
            ("state", "xyz-state"),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ];
        pairs.extend(self.fixed_params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        pairs.retain(|(key, _)| !extra.iter().any(|(k, _)| k == key));
        pairs.extend_from_slice(extra);
        let mut url = url::Url::parse(&self.authorize_endpoint).expect("an authorize URL");
        url.query_pairs_mut().extend_pairs(pairs);
        url.to_string()
    }

    /// What a browser sent to `authorize_url` gets: the consent page or a redirect.
    pub async fn authorize(&self, scopes: &[&str], challenge: &str, extra: &[(&str, &str)]) -> reqwest::Response {
        http()
            .get(self.authorize_url(scopes, challenge, extra))
            .send()
            .await
            .expect("the authorize endpoint answers")
    }

    /// The consent page a browser sent to `authorize_url` would show.
    pub async fn consent_html(&self, scopes: &[&str], challenge: &str, extra: &[(&str, &str)]) -> String {
        let page = self.authorize(scopes, challenge, extra).await;
        page.text().await.expect("a consent page")
    }

    /// Posts the consent form like a browser would, ticking `checked` boxes.
    pub async fn decide(&self, request_id: &str, decision: &str, checked: &[&str]) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = vec![("request", request_id), ("decision", decision)];
        if let Some(name) = &self.checkbox {
            form.extend(checked.iter().map(|s| (name.as_str(), *s)));
        }
        http()
            .post(&self.decision_url)
            .form(&form)
            .send()
            .await
            .expect("the consent form is accepted")
    }

    /// Shows the consent page for `scopes` and answers it with `decision`, ticking `checked`.
    pub async fn answer_consent(&self, scopes: &[&str], decision: &str, checked: &[&str]) -> reqwest::Response {
        let (_, challenge) = pkce();
        let html = self.consent_html(scopes, &challenge, &[]).await;
        self.decide(&input_value(&html, "request"), decision, checked).await
    }

    /// Approves the consent page for `scopes` (ticking them all); asserts that the browser goes
    /// back with a code and the state; returns the redirect's query.
    pub async fn approve_consent(&self, scopes: &[&str]) -> Vec<(String, String)> {
        let params = self.returned(&self.answer_consent(scopes, &self.approve, scopes).await);
        assert_eq!(param(&params, "state").as_deref(), Some("xyz-state"));
        assert!(param(&params, "code").is_some(), "{params:?}");
        params
    }

    /// Refuses the consent page for `scopes`; asserts that the browser goes back with
    /// `access_denied`, the state and no code; returns the redirect's query.
    pub async fn refuse_consent(&self, scopes: &[&str]) -> Vec<(String, String)> {
        let params = self.returned(&self.answer_consent(scopes, &self.refuse, &[]).await);
        assert_eq!(param(&params, "error").as_deref(), Some("access_denied"));
        assert_eq!(param(&params, "state").as_deref(), Some("xyz-state"));
        assert_eq!(param(&params, "code"), None);
        params
    }

    /// The query of a 302 back to this flow's redirect URI.
    pub fn returned(&self, redirect: &reqwest::Response) -> Vec<(String, String)> {
        assert_eq!(redirect.status(), StatusCode::FOUND);
        let location = redirect.headers()["location"].to_str().expect("a Location header");
        assert!(location.starts_with(&self.redirect_uri), "{location}");
        location_params(redirect)
    }

    /// Authorizes with consent (every requested scope ticked) and returns (code, verifier).
    pub async fn obtain_code(&self, scopes: &[&str], extra: &[(&str, &str)]) -> (String, String) {
        let (verifier, challenge) = pkce();
        let page = self.authorize(scopes, &challenge, extra).await;
        let redirect = if page.status() == StatusCode::FOUND {
            page
        } else {
            assert_eq!(page.status(), StatusCode::OK, "the consent page is shown");
            let html = page.text().await.expect("a consent page");
            self.decide(&input_value(&html, "request"), &self.approve, scopes).await
        };
        assert_eq!(redirect.status(), StatusCode::FOUND);
        let code = param(&location_params(&redirect), "code").expect("the redirect carries a code");
        (code, verifier)
    }

    /// Posts `form` to the token endpoint.
    pub async fn token_request(&self, form: &[(&str, &str)]) -> reqwest::Response {
        http()
            .post(&self.token_endpoint)
            .form(form)
            .send()
            .await
            .expect("the token endpoint answers")
    }

    /// An authorization-code exchange with the given redirect URI and verifier.
    pub async fn exchange_at(&self, code: &str, redirect_uri: &str, verifier: &str) -> reqwest::Response {
        self.token_request(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", &self.client_id),
            ("client_secret", &self.client_secret),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ])
        .await
    }

    pub async fn exchange(&self, code: &str, verifier: &str) -> reqwest::Response {
        self.exchange_at(code, &self.redirect_uri, verifier).await
    }

    pub async fn refresh(&self, refresh_token: &str) -> reqwest::Response {
        self.token_request(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &self.client_id),
            ("client_secret", &self.client_secret),
        ])
        .await
    }

    /// The token response of a complete authorization with `scopes` (`extra` authorize
    /// parameters), asserting that it is a 200 nobody may cache.
    pub async fn connect_with(&self, scopes: &[&str], extra: &[(&str, &str)]) -> Value {
        let (code, verifier) = self.obtain_code(scopes, extra).await;
        let response = self.exchange(&code, &verifier).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["cache-control"], "no-store");
        response.json().await.expect("a token response")
    }

    /// The token response of a complete authorization with `scopes`.
    pub async fn connect(&self, scopes: &[&str]) -> Value {
        self.connect_with(scopes, &[]).await
    }

    /// The access token of a complete authorization with `scopes`.
    pub async fn access_token(&self, scopes: &[&str]) -> String {
        let tokens = self.connect(scopes).await;
        tokens["access_token"].as_str().expect("an access token").to_owned()
    }
}

/// A simulator binary started with `--port 0`, and the URL it announced on its one line.
pub struct Binary {
    child: std::process::Child,
    pub base_url: String,
}

impl Binary {
    /// Starts `path` and reads `NAME listening on URL`.
    pub fn start(path: &str, name: &str) -> Binary {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(path)
            .args(["--port", "0"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("an announcement");
        let base_url = line
            .trim()
            .strip_prefix(&format!("{name} listening on "))
            .unwrap_or_else(|| panic!("unexpected announcement {line:?}"))
            .to_owned();
        Binary { child, base_url }
    }

    /// Sends SIGTERM and waits for the exit.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        self.child.wait().expect("the binary exits")
    }
}

/// One POST the receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HeaderMap,
    pub query: Option<String>,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("a text header"))
            .unwrap_or_else(|| panic!("missing header {name}"))
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// How the receiver answers Microsoft Graph's `?validationToken=…` handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handshake {
    /// 200, `text/plain`, the decoded token: what Graph requires.
    Echo,
    /// 200 with an empty body.
    Ignore,
    /// Echoes, but only after this long.
    Slow(Duration),
}

/// A local webhook receiver: records every POST and answers with queued statuses (200 once
/// they run out).
#[derive(Clone)]
pub struct Inbox {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    replies: Arc<Mutex<VecDeque<u16>>>,
    handshake: Arc<Mutex<Handshake>>,
}

async fn receive(State(inbox): State<Inbox>, RawQuery(query): RawQuery, headers: HeaderMap, body: Bytes) -> Response {
    let token = url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "validationToken")
        .map(|(_, v)| v.into_owned());
    inbox
        .received
        .lock()
        .expect("inbox")
        .push(Received { headers, query, body });
    if let Some(token) = token {
        let handshake = *inbox.handshake.lock().expect("inbox");
        return match handshake {
            Handshake::Echo => ([(header::CONTENT_TYPE, "text/plain")], token).into_response(),
            Handshake::Ignore => StatusCode::OK.into_response(),
            Handshake::Slow(delay) => {
                tokio::time::sleep(delay).await;
                ([(header::CONTENT_TYPE, "text/plain")], token).into_response()
            }
        };
    }
    let status = inbox.replies.lock().expect("inbox").pop_front().unwrap_or(200);
    StatusCode::from_u16(status).expect("a valid status").into_response()
}

impl Inbox {
    /// Starts a receiver on a free port; `url` ends in `path`.
    pub async fn start(path: &str, replies: &[u16]) -> Inbox {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let inbox = Inbox {
            url: format!("http://{}{path}", listener.local_addr().expect("an address")),
            received: Arc::default(),
            replies: Arc::new(Mutex::new(replies.iter().copied().collect())),
            handshake: Arc::new(Mutex::new(Handshake::Echo)),
        };
        let app = Router::new().fallback(receive).with_state(inbox.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.expect("the receiver serves") });
        inbox
    }

    pub fn answer_handshake(&self, handshake: Handshake) {
        *self.handshake.lock().expect("inbox") = handshake;
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("inbox").clone()
    }

    /// Waits until at least `count` POSTs arrived; returns them all.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        eventually(&format!("{count} webhook calls"), || {
            let received = self.received();
            (received.len() >= count).then_some(received)
        })
        .await
    }
}
