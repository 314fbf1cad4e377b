//! The real server on port 0 with a fresh SQLite database, driven over HTTP.

use app::api::{LogIn, SetUpTeam, TeamMembers};
use leptos::server_fn::ServerFn;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, COOKIE, HOST, LOCATION, ORIGIN, REFERER, SET_COOKIE};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
mod common;

use common::{Running, start};

impl Running {
    async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.unwrap()
    }

    /// Posts like a browser form before the page is interactive (Accept: text/html).
    async fn post_form(&self, path: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> reqwest::Response {
        let mut request = self
            .client
            .post(format!("{}{path}", self.base))
            .header(ORIGIN, &self.base)
            .header(ACCEPT, "text/html")
            .form(fields);
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        request.send().await.unwrap()
    }

    async fn set_up_team(&self) -> String {
        let response = self
            .post_form(
                path_of::<SetUpTeam>(),
                &[
                    ("team_name", "Acme Sales"),
                    ("team_slug", "acme"),
                    ("name", "Ada Admin"),
                    ("email", "ada@example.com"),
                    ("password", "correct horse battery"),
                    ("timezone", "Europe/Berlin"),
                ],
                None,
            )
            .await;
        assert!(response.status().is_redirection(), "{}", response.status());
        assert_eq!(location(&response), "/dashboard");
        let cookie = response.headers().get(SET_COOKIE).unwrap().to_str().unwrap().to_owned();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(!cookie.contains("Secure"), "plain http must not set Secure: {cookie}");
        cookie.split(';').next().unwrap().to_owned()
    }
}

/// Server function URLs carry a build hash; the type knows its own.
fn path_of<F: ServerFn>() -> &'static str {
    F::PATH
}

fn location(response: &reqwest::Response) -> &str {
    response
        .headers()
        .get(LOCATION)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_default()
}

#[tokio::test]
async fn health_is_ok_when_the_database_answers() {
    let server = start().await;
    let response = server.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), r#"{"status":"ok"}"#);
}

#[tokio::test]
async fn a_stop_signal_finishes_serving_cleanly_and_frees_the_port() {
    let server = start().await;
    assert_eq!(server.get("/healthz").await.status(), StatusCode::OK);
    server.stop.send(()).unwrap();
    server.serving.await.unwrap().unwrap();
    assert!(
        server
            .client
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn every_entry_page_leads_to_setup_until_the_team_exists() {
    let server = start().await;
    for path in ["/", "/login", "/dashboard", "/dashboard/members"] {
        let response = server.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), "/setup", "{path}");
    }
    let setup = server.get("/setup").await;
    assert_eq!(setup.status(), StatusCode::OK);
    assert!(setup.text().await.unwrap().contains("Set up Rendezvous"));
}

#[tokio::test]
async fn setup_signs_the_admin_in_and_is_not_offered_again() {
    let server = start().await;
    let cookie = server.set_up_team().await;
    let dashboard = server
        .client
        .get(format!("{}/dashboard", server.base))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(dashboard.status(), StatusCode::OK);
    assert!(dashboard.text().await.unwrap().contains("Welcome, Ada"));
    assert_eq!(location(&server.get("/setup").await), "/login");
}

/// Building a router generates leptos route lists, which switches resource loading off for the
/// whole process while it runs; servers must never do that while another one renders.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_finish_rendering_while_other_servers_of_the_process_start() {
    let server = start().await;
    let cookie = server.set_up_team().await;
    let building = Arc::new(AtomicBool::new(true));
    let routers = std::thread::spawn({
        let (services, building) = (server.services.clone(), building.clone());
        move || {
            while building.load(Ordering::Relaxed) {
                drop(server::router(services.clone(), server::leptos_options()));
            }
        }
    });
    for _ in 0..30 {
        let page = server
            .client
            .get(format!("{}/dashboard", server.base))
            .header(COOKIE, &cookie)
            .timeout(std::time::Duration::from_secs(10))
            .send()
            .await
            .unwrap();
        let body = page.text().await.expect("the dashboard finishes rendering");
        assert!(body.contains("Welcome, Ada"));
    }
    building.store(false, Ordering::Relaxed);
    routers.join().unwrap();
}

#[tokio::test]
async fn a_dashboard_url_while_signed_out_goes_to_sign_in_and_remembers_the_way_back() {
    let server = start().await;
    server.set_up_team().await;
    let response = server.get("/dashboard/members?tab=all").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/login?next=%2Fdashboard%2Fmembers%3Ftab%3Dall");
    let forged = server
        .client
        .get(format!("{}/dashboard", server.base))
        .header(COOKIE, "rdv_session=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(location(&forged), "/login?next=%2Fdashboard");
}

#[tokio::test]
async fn server_functions_refuse_callers_without_a_session() {
    let server = start().await;
    server.set_up_team().await;
    let url = format!("{}{}", server.base, path_of::<TeamMembers>());
    let listed = server
        .client
        .post(url)
        .header(ORIGIN, &server.base)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(listed.text().await.unwrap(), r#""Unauthenticated""#);
}

#[tokio::test]
async fn a_failed_sign_in_before_the_page_is_interactive_returns_to_the_form_with_the_error() {
    let server = start().await;
    server.set_up_team().await;
    let response = server
        .client
        .post(format!("{}{}", server.base, path_of::<LogIn>()))
        .header(ORIGIN, &server.base)
        .header(ACCEPT, "text/html")
        .header(REFERER, format!("{}/login", server.base))
        .form(&[
            ("email", "ada@example.com"),
            ("password", "wrong password"),
            ("next", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection(), "{}", response.status());
    assert!(
        location(&response).contains("/login?") && location(&response).contains("__err="),
        "{}",
        location(&response)
    );
}

#[tokio::test]
async fn cross_site_writes_are_refused() {
    let server = start().await;
    let url = format!("{}{}", server.base, path_of::<SetUpTeam>());
    let forged = server
        .client
        .post(&url)
        .header(ORIGIN, "http://evil.example")
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let anonymous = server.client.post(&url).form(&[("x", "y")]).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::FORBIDDEN);
    assert_eq!(location(&server.get("/").await), "/setup", "nothing was created");
}

#[tokio::test]
async fn a_write_through_a_rebound_host_name_is_refused_before_setup() {
    let server = start().await;
    let port = server.base.rsplit(':').next().unwrap();
    let rebound = format!("rebind.attacker.example:{port}");
    let response = server
        .client
        .post(format!("{}{}", server.base, path_of::<SetUpTeam>()))
        .header(HOST, &rebound)
        .header(ORIGIN, format!("http://{rebound}"))
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn server_function_calls_with_unreadable_arguments_are_a_400() {
    let server = start().await;
    server.set_up_team().await;
    let url = format!("{}{}", server.base, path_of::<LogIn>());
    let call = |body: &'static str| {
        server
            .client
            .post(&url)
            .header(ORIGIN, &server.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    for body in ["nothing=here", "email=a%40b.example", "\u{0}"] {
        let response = call(body).await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
    }
}

#[tokio::test]
async fn request_bodies_over_64_kib_are_refused() {
    let server = start().await;
    let huge = "x".repeat(70 * 1024);
    let response = server
        .post_form(path_of::<SetUpTeam>(), &[("team_name", &huge)], None)
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn unknown_pages_are_a_friendly_404() {
    let server = start().await;
    server.set_up_team().await;
    let response = server.get("/no/such/page").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("Page not found"));
}
