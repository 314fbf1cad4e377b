use crate::Invalid;
use std::fmt;

fn clean_text(raw: &str, what: &str, max: usize) -> Result<String, Invalid> {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return Err(Invalid::new(format!("Enter a {what}.")));
    }
    if value.chars().count() > max {
        return Err(Invalid::new(format!("Keep the {what} under {max} characters.")));
    }
    if value.chars().any(char::is_control) {
        return Err(Invalid::new(format!(
            "The {what} contains characters that cannot be shown."
        )));
    }
    Ok(value)
}

/// Free text over several lines: trimmed, line breaks normalised to `\n`, at most `max`
/// characters, no control characters but line breaks and tabs (a NUL byte cannot even be stored
/// in PostgreSQL, and the rest only hide text in emails and invitations).
fn multiline_text(raw: &str, what: &str, max: usize) -> Result<String, Invalid> {
    let value = raw.trim().replace("\r\n", "\n").replace('\r', "\n");
    if value.chars().count() > max {
        return Err(Invalid::new(format!("Keep the {what} under {max} characters.")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Invalid::new(format!(
            "The {what} contains characters that cannot be shown."
        )));
    }
    Ok(value)
}

/// What the attendee wrote for the host when booking; may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Notes(String);

impl Notes {
    pub const MAX_CHARS: usize = 2000;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        multiline_text(raw, "notes", Self::MAX_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name as shown to attendees: inner whitespace collapsed, 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        clean_text(raw, "name", 100).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A team's name as shown on its booking pages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TeamName(String);

impl TeamName {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        clean_text(raw, "team name", 80).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An event type's title, shown on its booking page and in invitations.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EventTitle(String);

impl EventTitle {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        clean_text(raw, "title", 80).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a booking was cancelled, as typed (line breaks kept); shown in the booking's history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CancelReason(String);

impl CancelReason {
    /// A blank reason is no reason (`None`): giving one is optional everywhere.
    pub fn parse(raw: &str) -> Result<Option<Self>, Invalid> {
        let value = multiline_text(raw, "reason", 1000)?;
        Ok((!value.is_empty()).then_some(Self(value)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Path segments the product itself uses at the top level, which a team slug would shadow.
const RESERVED_SLUGS: &[&str] = &[
    "api",
    "app",
    "booking",
    "bookings",
    "dashboard",
    "embed",
    "favicon.ico",
    "healthz",
    "invite",
    "login",
    "logout",
    "pkg",
    "public",
    "setup",
    "static",
    "assets",
    "admin",
    "settings",
];

/// The team's part of public URLs (`/{team}/{event}`): lower-case letters, digits and inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct TeamSlug(String);

impl TeamSlug {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim().to_lowercase();
        if value.len() < 2 || value.len() > 40 {
            return Err(Invalid::new("Use 2 to 40 characters for the URL name."));
        }
        let allowed = value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !allowed || value.starts_with('-') || value.ends_with('-') || value.contains("--") {
            return Err(Invalid::new(
                "Use lower-case letters, digits and single hyphens (not at the start or end).",
            ));
        }
        if RESERVED_SLUGS.contains(&value.as_str()) {
            return Err(Invalid::new(format!(
                "\u{201c}{value}\u{201d} is reserved; choose another URL name."
            )));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A URL name made from a team's name, for the setup form to suggest: "Müller & Söhne
    /// GmbH" → "mueller-soehne-gmbh". It may still be refused (too short, reserved).
    pub fn suggest(name: &str) -> String {
        let mut slug = String::new();
        for c in name.trim().to_lowercase().chars() {
            let spelled = match c {
                'a'..='z' | '0'..='9' => Some(c.to_string()),
                'ä' | 'æ' => Some("ae".into()),
                'ö' | 'ø' | 'œ' => Some("oe".into()),
                'ü' => Some("ue".into()),
                'ß' => Some("ss".into()),
                'à' | 'á' | 'â' | 'ã' | 'å' => Some("a".into()),
                'ç' => Some("c".into()),
                'è' | 'é' | 'ê' | 'ë' => Some("e".into()),
                'ì' | 'í' | 'î' | 'ï' => Some("i".into()),
                'ñ' => Some("n".into()),
                'ò' | 'ó' | 'ô' | 'õ' => Some("o".into()),
                'ù' | 'ú' | 'û' => Some("u".into()),
                'ý' | 'ÿ' => Some("y".into()),
                _ => None,
            };
            match spelled {
                Some(letters) => slug.push_str(&letters),
                None if !slug.is_empty() && !slug.ends_with('-') => slug.push('-'),
                None => {}
            }
        }
        let mut slug: String = slug.chars().take(40).collect();
        while slug.ends_with('-') {
            slug.pop();
        }
        slug
    }
}

impl fmt::Display for TeamSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_name_is_suggested_from_the_team_name() {
        for (name, slug) in [
            ("Acme Sales", "acme-sales"),
            ("  Müller & Söhne GmbH ", "mueller-soehne-gmbh"),
            ("Café Olé!", "cafe-ole"),
            ("--", ""),
            ("株式会社 Example", "example"),
        ] {
            assert_eq!(TeamSlug::suggest(name), slug, "{name}");
        }
        let long = TeamSlug::suggest(&"word ".repeat(20));
        assert!(TeamSlug::parse(&long).is_ok(), "{long}");
    }

    #[test]
    fn names_collapse_inner_whitespace() {
        assert_eq!(
            DisplayName::parse("  Ada   Lovelace ").unwrap().as_str(),
            "Ada Lovelace"
        );
    }

    #[test]
    fn blank_and_overlong_names_are_rejected() {
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(101)).is_err());
        assert!(TeamName::parse(&"x".repeat(81)).is_err());
    }

    #[test]
    fn slugs_are_lower_cased_and_checked() {
        assert_eq!(TeamSlug::parse(" Acme-Sales ").unwrap().as_str(), "acme-sales");
        for raw in [
            "a",
            "-acme",
            "acme-",
            "ac--me",
            "acme sales",
            "acmé",
            "dashboard",
            "api",
        ] {
            assert!(TeamSlug::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }

    #[test]
    fn a_cancel_reason_is_optional_trimmed_and_bounded() {
        assert_eq!(CancelReason::parse("  \n "), Ok(None));
        let reason = CancelReason::parse(" Host is ill.\nSorry! ").unwrap().unwrap();
        assert_eq!(reason.as_str(), "Host is ill.\nSorry!");
        assert!(CancelReason::parse(&"x".repeat(1001)).is_err());
        assert!(CancelReason::parse("ill\0").is_err(), "NUL");
    }

    #[test]
    fn notes_keep_their_lines_and_refuse_hidden_characters() {
        assert_eq!(Notes::parse(" a\r\nb\rc\td ").unwrap().as_str(), "a\nb\nc\td");
        assert_eq!(Notes::parse("").unwrap(), Notes::default());
        for hidden in ["a\0b", "a\u{1b}[31mb", "a\u{7f}"] {
            assert!(Notes::parse(hidden).is_err(), "{hidden:?}");
        }
        assert!(Notes::parse(&"x".repeat(Notes::MAX_CHARS + 1)).is_err());
    }
}
