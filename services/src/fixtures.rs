//! Test fixtures shared by the services and server test suites (feature `test-support`), so the
//! same team, event type, throwaway PostgreSQL database and Google simulator set-up are not
//! written out in every suite.

use crate::Services;
use crate::accounts::{Member, NewMember, NewTeam};
use crate::event_types::{EventType, Mode, NewEventType, Notifications};
use domain::{DisplayName, Email, EventTitle, Password, TeamName, TeamSlug, TimeZoneName};

/// The admin's password in every fixture team.
pub const ADMIN_PASSWORD: &str = "correct horse battery";

/// Team "Acme Sales" at `/acme` whose admin "Ada Admin" has `email` and works in Europe/Berlin.
pub fn new_team(email: &str) -> NewTeam {
    NewTeam {
        name: TeamName::parse("Acme Sales").expect("fixture name"),
        slug: TeamSlug::parse("acme").expect("fixture slug"),
        admin: NewMember {
            name: DisplayName::parse("Ada Admin").expect("fixture name"),
            email: Email::parse(email).expect("fixture email"),
            password: Password::parse(ADMIN_PASSWORD).expect("fixture password"),
            timezone: TimeZoneName::parse("Europe/Berlin").expect("fixture zone"),
        },
    }
}

/// The fixture team (admin `ada@example.com`) with a 30-minute "demo" that only the admin hosts.
pub async fn team_with_demo(s: &Services) -> (Member, EventType) {
    let admin = s.set_up(new_team("ada@example.com")).await.expect("fixture team");
    let demo = s
        .create_event_type(&admin, new_event_type("demo", 30, Mode::Single, vec![admin.id]))
        .await
        .expect("fixture event type");
    (admin, demo)
}

/// Event type "Product demo" at `slug`, `minutes` long, video call, no other rules, both reminders.
pub fn new_event_type(slug: &str, minutes: u32, mode: Mode, hosts: Vec<i64>) -> NewEventType {
    NewEventType {
        slug: TeamSlug::parse(slug).expect("fixture slug"),
        title: EventTitle::parse("Product demo").expect("fixture title"),
        description: "See it in action.".into(),
        rules: engine::Rules::new(engine::Minutes(minutes)).expect("fixture duration"),
        location_kind: "video",
        location_detail: String::new(),
        mode,
        hosts,
        active: true,
        notifications: Notifications::default(),
    }
}

/// Creates an empty database in the cluster behind `admin_url` and returns its URL.
pub async fn postgres_database(admin_url: &str) -> String {
    sqlx::any::install_default_drivers();
    let name = format!("rdv_test_{}", &crate::tokens::issue().digest[..16]);
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url)
        .await
        .expect("connect to postgres");
    sqlx::Executor::execute(&mut admin, sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("create test database");
    let base = admin_url.rsplit_once('/').map_or(admin_url, |(base, _)| base);
    format!("{base}/{name}")
}

/// Invites `name` (as `{name}@example.com`, lower-cased) into the admin's team and accepts it.
pub async fn invited_member(
    services: &crate::Services,
    admin: &crate::accounts::Member,
    name: &str,
) -> crate::accounts::Member {
    let email = Email::parse(&format!("{}@example.com", name.to_lowercase())).expect("fixture email");
    let invite = services
        .invite(admin, email, domain::Role::Member)
        .await
        .expect("fixture invite");
    let secret = invite.url.rsplit('/').next().expect("invite secret").to_owned();
    let acceptance = crate::accounts::InviteAcceptance {
        name: DisplayName::parse(name).expect("fixture name"),
        password: Password::parse("members password").expect("fixture password"),
        timezone: TimeZoneName::parse("Europe/Berlin").expect("fixture zone"),
    };
    services
        .accept_invite(&secret, acceptance)
        .await
        .expect("fixture acceptance")
}

/// Prospect number `n`, booking from New York.
pub fn attendee(n: usize) -> crate::bookings::Attendee {
    crate::bookings::Attendee {
        name: DisplayName::parse(&format!("Prospect {n}")).expect("fixture name"),
        email: Email::parse(&format!("p{n}@example.org")).expect("fixture email"),
        timezone: TimeZoneName::parse("America/New_York").expect("fixture zone"),
        notes: String::new(),
    }
}

/// Configuration variables that point Google Calendar at the simulator `sim`.
pub fn google_vars(sim: &google_sim::Running) -> Vec<(&'static str, String)> {
    let endpoints = sim.endpoints();
    vec![
        ("RENDEZVOUS_GOOGLE_CLIENT_ID", google_sim::DEFAULT_CLIENT_ID.to_owned()),
        (
            "RENDEZVOUS_GOOGLE_CLIENT_SECRET",
            google_sim::DEFAULT_CLIENT_SECRET.to_owned(),
        ),
        ("RENDEZVOUS_GOOGLE_AUTHORIZE_URL", endpoints.authorize),
        ("RENDEZVOUS_GOOGLE_TOKEN_URL", endpoints.token),
        ("RENDEZVOUS_GOOGLE_REVOKE_URL", endpoints.revoke),
        ("RENDEZVOUS_GOOGLE_CALENDAR_API_URL", endpoints.calendar_api),
    ]
}

/// The browser's part of connecting: opens the simulator's consent page at `authorize`, clicks
/// Allow with every scope asked for, and returns where Google sends the browser back to.
pub async fn allow_consent(sim: &google_sim::Running, authorize: &str) -> url::Url {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    let html = client
        .get(authorize)
        .send()
        .await
        .expect("consent page")
        .text()
        .await
        .expect("its body");
    let marker = "name=\"request\" value=\"";
    let start = html.find(marker).expect("a consent page") + marker.len();
    let request = html[start..].split('"').next().unwrap_or_default().to_owned();
    let scopes: Vec<String> = url::Url::parse(authorize)
        .expect("an authorize URL")
        .query_pairs()
        .find(|(k, _)| k == "scope")
        .map(|(_, v)| v.split(' ').map(str::to_owned).collect())
        .unwrap_or_default();
    let mut form = vec![
        ("request".to_owned(), request),
        ("decision".to_owned(), "allow".to_owned()),
    ];
    form.extend(scopes.into_iter().map(|s| ("scope".to_owned(), s)));
    let redirect = client
        .post(sim.url("/o/oauth2/v2/auth/decision"))
        .form(&form)
        .send()
        .await
        .expect("the consent decision");
    let location = redirect.headers()["location"].to_str().expect("a redirect");
    url::Url::parse(location).expect("an absolute redirect")
}
