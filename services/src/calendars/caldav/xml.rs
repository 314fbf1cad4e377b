//! The WebDAV / CalDAV XML Rendezvous sends (RFC 4791, 4918, 5397, 6578) and what it reads back
//! from a `207 Multi-Status`: elements are matched by namespace and local name, whatever
//! prefixes the server chose.

use roxmltree::{Document, Node};

const DAV: &str = "DAV:";
const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";
const APPLE: &str = "http://apple.com/ns/ical/";

pub(crate) const PRINCIPAL: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>"#;

pub(crate) const HOME_SET: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-home-set/></d:prop></d:propfind>"#;

pub(crate) const CALENDARS: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:a="http://apple.com/ns/ical/"><d:prop><d:resourcetype/><d:displayname/><a:calendar-color/><c:supported-calendar-component-set/><d:current-user-privilege-set/></d:prop></d:propfind>"#;

pub(crate) const ETAG: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>"#;

/// `20270104T080000Z`, the form `time-range` and `expand` take.
fn stamp(instant: i64) -> String {
    chrono::DateTime::from_timestamp(instant, 0)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

pub(crate) fn free_busy_query((from, until): (i64, i64)) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:time-range start="{}" end="{}"/></c:free-busy-query>"#,
        stamp(from),
        stamp(until)
    )
}

/// The events overlapping the window with their data, recurring ones expanded by the server.
pub(crate) fn calendar_query((from, until): (i64, i64)) -> String {
    let (from, until) = (stamp(from), stamp(until));
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data><c:expand start="{from}" end="{until}"/></c:calendar-data></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="{from}" end="{until}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>"#
    )
}

/// The data of the named resources, unexpanded: Radicale 3.9 answers a multiget that asks for
/// `expand` without its non-recurring events, so series are expanded here (see `ical`).
pub(crate) fn multiget(hrefs: &[String]) -> String {
    let listed: String = hrefs
        .iter()
        .map(|h| format!("<d:href>{}</d:href>", escape(h)))
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data/></d:prop>{listed}</c:calendar-multiget>"#
    )
}

/// Changes since `token` (everything without one).
pub(crate) fn sync_collection(token: Option<&str>) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<d:sync-collection xmlns:d="DAV:"><d:sync-token>{}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"#,
        escape(token.unwrap_or_default())
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn is(node: &Node<'_, '_>, namespace: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name && node.tag_name().namespace() == Some(namespace)
}

fn child<'a, 'i>(node: Node<'a, 'i>, namespace: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is(c, namespace, name))
}

fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `HTTP/1.1 404 Not Found` → 404.
fn status_of(node: Node<'_, '_>) -> Option<u16> {
    let status = child(node, DAV, "status").map(text_of)?;
    status.split_whitespace().nth(1)?.parse().ok()
}

/// What one `<d:response>` says, from the properties the server found (its `200` propstats).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Response {
    pub href: String,
    /// The response's own status: sync-collection reports a removed member as 404.
    pub status: Option<u16>,
    pub etag: Option<String>,
    pub calendar_data: Option<String>,
    pub principal: Option<String>,
    pub home: Option<String>,
    /// Set when the resource is a calendar collection.
    pub calendar: Option<ListedCalendar>,
}

/// A calendar collection as a `Depth: 1` PROPFIND of the home lists it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ListedCalendar {
    pub name: Option<String>,
    /// `#rrggbb` (Apple's `calendar-color`, often with an alpha byte the page drops).
    pub color: Option<String>,
    /// Holds events (no `supported-calendar-component-set` means any component).
    pub events: bool,
    pub writable: bool,
}

/// A multi-status answer: every response, and the collection's new `sync-token` if it sent one.
#[derive(Debug, Default)]
pub(crate) struct MultiStatus {
    pub responses: Vec<Response>,
    pub sync_token: Option<String>,
}

/// Reads a `207 Multi-Status` body.
pub(crate) fn multistatus(body: &str) -> Result<MultiStatus, String> {
    let document = Document::parse(body).map_err(|e| format!("the server's answer is not XML: {e}"))?;
    let root = document.root_element();
    if !is(&root, DAV, "multistatus") {
        return Err(format!("expected a multistatus, got <{}>", root.tag_name().name()));
    }
    Ok(MultiStatus {
        responses: root
            .children()
            .filter(|c| is(c, DAV, "response"))
            .map(response)
            .collect(),
        sync_token: child(root, DAV, "sync-token").map(text_of).filter(|t| !t.is_empty()),
    })
}

fn response(node: Node<'_, '_>) -> Response {
    let found: Vec<Node<'_, '_>> = node
        .children()
        .filter(|c| is(c, DAV, "propstat") && status_of(*c).is_some_and(|s| (200..300).contains(&s)))
        .filter_map(|p| child(p, DAV, "prop"))
        .collect();
    let prop = |namespace: &str, name: &str| found.iter().find_map(|p| child(*p, namespace, name));
    let prop_text = |namespace: &str, name: &str| prop(namespace, name).map(text_of).filter(|t| !t.is_empty());
    let prop_href =
        |namespace: &str, name: &str| prop(namespace, name).and_then(|p| child(p, DAV, "href")).map(text_of);
    let is_calendar = prop(DAV, "resourcetype").is_some_and(|t| child(t, CALDAV, "calendar").is_some());
    let calendar = is_calendar.then(|| ListedCalendar {
        name: prop_text(DAV, "displayname"),
        color: prop_text(APPLE, "calendar-color").and_then(|c| super::super::plain_color(&c)),
        events: prop(CALDAV, "supported-calendar-component-set").is_none_or(|set| {
            set.children().any(|c| {
                is(&c, CALDAV, "comp") && c.attribute("name").is_some_and(|n| n.eq_ignore_ascii_case("VEVENT"))
            })
        }),
        writable: prop(DAV, "current-user-privilege-set").is_none_or(|set| {
            set.descendants()
                .any(|p| is(&p, DAV, "write") || is(&p, DAV, "write-content") || is(&p, DAV, "all"))
        }),
    });
    Response {
        href: child(node, DAV, "href").map(text_of).unwrap_or_default(),
        status: status_of(node),
        etag: prop_text(DAV, "getetag"),
        calendar_data: prop_text(CALDAV, "calendar-data"),
        principal: prop_href(DAV, "current-user-principal"),
        home: prop_href(CALDAV, "calendar-home-set"),
        calendar,
    }
}

/// Whether an error body names the `DAV:valid-sync-token` precondition (Radicale answers 403
/// with it, Xandikos 412).
pub(crate) fn invalid_sync_token(body: &str) -> bool {
    Document::parse(body).is_ok_and(|d| d.descendants().any(|n| is(&n, DAV, "valid-sync-token")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: &str = r#"<?xml version='1.0' encoding='utf-8'?>
<multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" xmlns:ICAL="http://apple.com/ns/ical/"><response><href>/host/</href><propstat><prop><resourcetype><principal /><collection /></resourcetype></prop><status>HTTP/1.1 200 OK</status></propstat><propstat><prop><displayname /></prop><status>HTTP/1.1 404 Not Found</status></propstat></response><response><href>/host/work/</href><propstat><prop><resourcetype><C:calendar /><collection /></resourcetype><displayname>Work &amp; travel</displayname><ICAL:calendar-color>#FF0000FF</ICAL:calendar-color><C:supported-calendar-component-set><C:comp name="VEVENT" /></C:supported-calendar-component-set><current-user-privilege-set><privilege><read /></privilege><privilege><write /></privilege></current-user-privilege-set></prop><status>HTTP/1.1 200 OK</status></propstat></response><response><href>/host/tasks/</href><propstat><prop><resourcetype><C:calendar /><collection /></resourcetype><C:supported-calendar-component-set><C:comp name="VTODO" /></C:supported-calendar-component-set><current-user-privilege-set><privilege><read /></privilege></current-user-privilege-set></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>"#;

    #[test]
    fn a_home_listing_names_its_calendars_with_colour_and_what_they_hold() {
        let listed = multistatus(HOME).unwrap();
        let calendars: Vec<(&str, &ListedCalendar)> = listed
            .responses
            .iter()
            .filter_map(|r| Some((r.href.as_str(), r.calendar.as_ref()?)))
            .collect();
        assert_eq!(calendars.len(), 2);
        assert_eq!(
            calendars[0],
            (
                "/host/work/",
                &ListedCalendar {
                    name: Some("Work & travel".into()),
                    color: Some("#ff0000".into()),
                    events: true,
                    writable: true
                }
            )
        );
        assert!(!calendars[1].1.events && !calendars[1].1.writable);
    }

    #[test]
    fn principal_and_home_are_read_whatever_the_prefixes() {
        let principal = r#"<d:multistatus xmlns:d="DAV:"><d:response><d:href>/</d:href><d:propstat><d:prop><d:current-user-principal><d:href>/p/host/</d:href></d:current-user-principal></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>"#;
        assert_eq!(
            multistatus(principal).unwrap().responses[0].principal.as_deref(),
            Some("/p/host/")
        );
        let home = r#"<multistatus xmlns="DAV:"><response><href>/p/host/</href><propstat><prop><cal:calendar-home-set xmlns:cal="urn:ietf:params:xml:ns:caldav"><href>/c/host/</href></cal:calendar-home-set></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>"#;
        assert_eq!(
            multistatus(home).unwrap().responses[0].home.as_deref(),
            Some("/c/host/")
        );
    }

    #[test]
    fn a_sync_answer_has_changes_removals_and_the_next_token() {
        let answer = r#"<multistatus xmlns="DAV:"><sync-token>http://radicale.org/ns/sync/2</sync-token><response><href>/host/work/a.ics</href><propstat><prop><getetag>"1"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat></response><response><href>/host/work/b.ics</href><status>HTTP/1.1 404 Not Found</status></response></multistatus>"#;
        let read = multistatus(answer).unwrap();
        assert_eq!(read.sync_token.as_deref(), Some("http://radicale.org/ns/sync/2"));
        assert_eq!(read.responses[0].etag.as_deref(), Some("\"1\""));
        assert_eq!(
            (read.responses[1].href.as_str(), read.responses[1].status),
            ("/host/work/b.ics", Some(404))
        );
    }

    #[test]
    fn the_invalid_token_precondition_is_recognised_and_tokens_are_escaped() {
        assert!(invalid_sync_token(
            r#"<?xml version="1.0"?><error xmlns="DAV:"><valid-sync-token /></error>"#
        ));
        assert!(!invalid_sync_token("<error xmlns=\"DAV:\"><need-privileges/></error>"));
        assert!(sync_collection(Some("a<b&c")).contains("<d:sync-token>a&lt;b&amp;c</d:sync-token>"));
        assert!(multistatus("not xml").is_err());
    }
}
