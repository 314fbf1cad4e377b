//! The `Prefer` request header: `outlook.timezone="…"` (zone of returned times, default UTC) and
//! `odata.maxpagesize=N`. Applied preferences are echoed in `Preference-Applied`.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header::HeaderName};
use axum::response::Response;

use crate::zones::Zone;

#[derive(Clone, Debug, Default)]
pub(crate) struct Prefer {
    /// `None`: UTC. An unknown zone name is ignored, as if not sent.
    pub time_zone: Option<Zone>,
    pub max_page_size: Option<usize>,
}

fn unquote(value: &str) -> &str {
    value.trim().trim_matches('"')
}

impl Prefer {
    pub fn parse<'a>(values: impl Iterator<Item = &'a str>) -> Self {
        let mut prefer = Prefer::default();
        for preference in values.flat_map(|v| v.split(',')) {
            let Some((name, value)) = preference.split_once('=') else {
                continue;
            };
            match name.trim().to_ascii_lowercase().as_str() {
                "outlook.timezone" => prefer.time_zone = Zone::parse(unquote(value)),
                "odata.maxpagesize" => prefer.max_page_size = unquote(value).parse().ok().filter(|n| *n > 0),
                _ => {}
            }
        }
        prefer
    }

    /// The zone responses show times in.
    pub fn zone(&self) -> Zone {
        self.time_zone.clone().unwrap_or_else(Zone::utc)
    }

    /// Adds `Preference-Applied` for the preferences this response honoured.
    pub fn applied(&self, mut response: Response, page_size: Option<usize>) -> Response {
        let mut applied = Vec::new();
        if let Some(zone) = &self.time_zone {
            applied.push(format!("outlook.timezone=\"{}\"", zone.name));
        }
        if let Some(size) = page_size.filter(|_| self.max_page_size.is_some()) {
            applied.push(format!("odata.maxpagesize={size}"));
        }
        if let Ok(value) = HeaderValue::from_str(&applied.join(", "))
            && !applied.is_empty()
        {
            response
                .headers_mut()
                .insert(HeaderName::from_static("preference-applied"), value);
        }
        response
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Prefer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let values = parts.headers.get_all("prefer").iter().filter_map(|v| v.to_str().ok());
        Ok(Prefer::parse(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_preferences_are_read_from_one_or_several_headers() {
        let prefer = Prefer::parse(["outlook.timezone=\"Pacific Standard Time\", odata.maxpagesize=2"].into_iter());
        assert_eq!(prefer.zone().name, "Pacific Standard Time");
        assert_eq!(prefer.max_page_size, Some(2));
        let split = Prefer::parse(["odata.maxpagesize=5", "outlook.timezone=\"Europe/Berlin\""].into_iter());
        assert_eq!(
            (split.zone().name.as_str(), split.max_page_size),
            ("Europe/Berlin", Some(5))
        );
    }

    #[test]
    fn an_unknown_zone_falls_back_to_utc() {
        let prefer = Prefer::parse(["outlook.timezone=\"Mars/Olympus\""].into_iter());
        assert_eq!(prefer.zone(), Zone::utc());
    }
}
