//! Which websites may show a team's booking pages in a frame.

use crate::Invalid;

const MAX_ORIGINS: usize = 20;

/// Origins such as `https://www.example.com` or `https://*.example.com:8443`, normalised to lower
/// case without a trailing slash. Empty means any website.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedOrigins(Vec<String>);

impl EmbedOrigins {
    /// Reads origins separated by spaces, commas or new lines.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let mut origins = Vec::new();
        for item in raw
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
        {
            let origin = item.trim_end_matches('/').to_ascii_lowercase();
            if !is_origin(&origin) {
                return Err(Invalid::new(format!(
                    "\u{201c}{item}\u{201d} is not a website origin; write it like https://www.example.com."
                )));
            }
            if !origins.contains(&origin) {
                origins.push(origin);
            }
        }
        if origins.len() > MAX_ORIGINS {
            return Err(Invalid::new(format!("List at most {MAX_ORIGINS} websites.")));
        }
        Ok(Self(origins))
    }

    pub fn is_any(&self) -> bool {
        self.0.is_empty()
    }

    /// As stored: the origins separated by single spaces.
    pub fn as_stored(&self) -> String {
        self.0.join(" ")
    }

    /// The `frame-ancestors` source list for the booking pages' Content-Security-Policy.
    pub fn frame_ancestors(&self) -> String {
        if self.is_any() {
            "*".to_owned()
        } else {
            self.as_stored()
        }
    }
}

fn is_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    let (host, port) = rest.rsplit_once(':').unwrap_or((rest, ""));
    let host = host.strip_prefix("*.").unwrap_or(host);
    matches!(scheme, "http" | "https")
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.len() <= 5
        && !host.is_empty()
        && host
            .split('.')
            .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

#[cfg(test)]
mod tests {
    use super::EmbedOrigins;

    #[test]
    fn origins_are_normalised_deduplicated_and_joined_for_the_header() {
        let parsed = EmbedOrigins::parse(
            " https://WWW.Example.com/, https://*.example.org:8443\nhttp://localhost:3000 https://www.example.com",
        )
        .unwrap();
        assert_eq!(
            parsed.frame_ancestors(),
            "https://www.example.com https://*.example.org:8443 http://localhost:3000"
        );
        assert_eq!(EmbedOrigins::parse("").unwrap().frame_ancestors(), "*");
    }

    #[test]
    fn anything_but_an_origin_is_refused() {
        for bad in [
            "example.com",
            "ftp://example.com",
            "https://example.com/path",
            "https://",
            "https://a..b",
            "https://x.com:99999x",
            "javascript:alert(1)",
            "https://a b",
        ] {
            assert!(EmbedOrigins::parse(bad).is_err(), "{bad:?}");
        }
    }
}
