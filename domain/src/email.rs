use crate::Invalid;
use std::fmt;

/// An email address, trimmed and lower-cased so that uniqueness checks and logins agree.
///
/// The check is deliberately structural (one `@`, a dotted domain, no spaces): the only real proof
/// that an address works is a message arriving, and over-strict rules reject real people.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err(Invalid::new("Enter an email address."));
        }
        if value.len() > 254 {
            return Err(Invalid::new("That email address is too long."));
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err(Invalid::new("An email address needs an @, like name@example.com."));
        };
        let well_formed = is_dot_atom(local)
            && local.len() <= 64
            && domain.contains('.')
            && is_host_name(domain)
            && !value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c));
        if !well_formed {
            return Err(Invalid::new(
                "That does not look like an email address, like name@example.com.",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The local part as mail servers (and our mailer) take it unquoted: dot-separated words, no
/// empty word (`a..b`, `.a`, `a.` are refused by SMTP servers and by lettre, so a booking with
/// one would never get its confirmation).
fn is_dot_atom(local: &str) -> bool {
    local.split('.').all(|word| {
        !word.is_empty()
            && word
                .chars()
                .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c))
    })
}

/// A dotted host name: labels of letters, digits and inner hyphens (or non-ASCII, for
/// internationalised names), none empty.
fn is_host_name(domain: &str) -> bool {
    domain.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || c == '-')
    })
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Email;

    #[test]
    fn an_address_is_trimmed_and_lower_cased() {
        assert_eq!(Email::parse("  Ada@Example.COM ").unwrap().as_str(), "ada@example.com");
    }

    #[test]
    fn malformed_addresses_are_rejected() {
        for raw in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a da@example.com",
            "ada@@x.com",
            "ada@x..com",
            "ada@.x.com",
            "a..b@example.com",
            ".ada@example.com",
            "ada.@example.com",
            "ada@-example.com",
            "ada@exa_mple.com",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }

    #[test]
    fn plus_addressing_and_subdomains_are_accepted() {
        assert!(Email::parse("ada+demo@mail.example.co.uk").is_ok());
    }
}
