//! Which booking page a request is for, read straight from its URL. The booking pages have three
//! paths and no client-side navigation (every link loads a page), so they need no router, and
//! the prospects' bundle carries none.

use leptos::prelude::*;

/// The paths the server serves the booking pages on (axum syntax).
pub const PATHS: [&str; 3] = ["/booking/{uid}", "/{team}", "/{team}/{event}"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `/booking/{uid}`: the page behind the links in booking emails.
    Manage {
        uid: String,
    },
    /// `/{team}`: the team's event types.
    Team {
        team: String,
    },
    /// `/{team}/{event}`: an event type's booking page.
    Event {
        team: String,
        event: String,
    },
    Missing,
}

/// The page's route and its query, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageUrl {
    pub route: Route,
    query: Vec<(String, String)>,
}

impl PageUrl {
    pub fn parse(path: &str, query: &str) -> Self {
        let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(decode).collect();
        let route = match segments.as_slice() {
            [booking, uid] if booking == "booking" => Route::Manage { uid: uid.clone() },
            [team] => Route::Team { team: team.clone() },
            [team, event] => Route::Event {
                team: team.clone(),
                event: event.clone(),
            },
            _ => Route::Missing,
        };
        let query = query
            .trim_start_matches('?')
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(name), decode(value))
            })
            .collect();
        Self { route, query }
    }

    /// The first value of `name` in the query.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }

    /// Every value of `name`, in order (a multiple choice prefilled from the query).
    pub fn query_all(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }
}

/// The URL of the page being rendered (on the server, the request's; in the browser, the
/// window's), provided once by the booking pages' root.
pub fn page_url() -> PageUrl {
    use_context::<PageUrl>().unwrap_or_else(|| {
        #[cfg(feature = "ssr")]
        let (path, query) = use_context::<http::request::Parts>()
            .map(|parts| {
                (
                    parts.uri.path().to_owned(),
                    parts.uri.query().unwrap_or_default().to_owned(),
                )
            })
            .unwrap_or_default();
        #[cfg(feature = "hydrate")]
        let (path, query) = web_sys::window()
            .map(|w| w.location())
            .map(|l| (l.pathname().unwrap_or_default(), l.search().unwrap_or_default()))
            .unwrap_or_default();
        #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
        let (path, query) = (String::new(), String::new());
        PageUrl::parse(&path, &query)
    })
}

/// Decodes `%XX` escapes and `+` (a space in a query); malformed escapes stay as written.
fn decode(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match bytes[i] {
            b'%' => match (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            ) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_booking_path_names_its_page() {
        let event = PageUrl::parse(
            "/acme/demo",
            "?embed=1&name=Pat+Smith&x=%3Cb%3E&topic=a&topic=b&time=2026-12-01T09%3A00%3A00%2B01%3A00",
        );
        assert_eq!(
            event.route,
            Route::Event {
                team: "acme".into(),
                event: "demo".into()
            }
        );
        assert_eq!(event.query("name").as_deref(), Some("Pat Smith"));
        assert_eq!(event.query("x").as_deref(), Some("<b>"));
        assert_eq!(event.query("time").as_deref(), Some("2026-12-01T09:00:00+01:00"));
        assert_eq!(event.query_all("topic"), ["a", "b"]);
        assert_eq!(event.query("missing"), None);
        assert_eq!(PageUrl::parse("/acme", "").route, Route::Team { team: "acme".into() });
        assert_eq!(
            PageUrl::parse("/booking/u1", "token=t").route,
            Route::Manage { uid: "u1".into() }
        );
        assert_eq!(PageUrl::parse("/a/b/c", "").route, Route::Missing);
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
    }
}
