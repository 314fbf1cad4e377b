//! The languages attendees read. Each language is one file, `locales/<code>.toml`; the build
//! checks it against English and compiles it in, so adding a language is adding a file.
//!
//! The server holds every catalogue (feature `catalogues`). The booking pages' WASM holds none:
//! the page carries the visitor's catalogue (the [`PAGE_KEYS`] first texts) and the browser reads
//! it once, so a language costs the page only its own few KB.

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

#[cfg(feature = "catalogues")]
mod dates;
mod negotiate;

pub use negotiate::negotiate;

/// One of the shipped languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Lang(u8);

impl Lang {
    /// The reference language, and what everyone gets when nothing better is known.
    pub const ENGLISH: Self = Self(0);

    /// Every shipped language, English first.
    pub fn all() -> impl Iterator<Item = Self> {
        (0..CODES.len()).map(|n| Self(n as u8))
    }

    /// The BCP 47 tag: `en`, `pt-BR`.
    pub fn code(self) -> &'static str {
        CODES[usize::from(self.0)]
    }

    /// The language's name in itself ("Deutsch"), for the picker.
    pub fn native_name(self) -> &'static str {
        NAMES[usize::from(self.0)]
    }

    /// A shipped language by its tag, in any case and with `-` or `_` (`pt_br` finds `pt-BR`).
    pub fn from_code(tag: &str) -> Option<Self> {
        let tag = tag.trim().replace('_', "-");
        Self::all().find(|l| l.code().eq_ignore_ascii_case(&tag))
    }

    /// The glibc-style locale (`de_DE`) that server-side date formatting uses for day and
    /// month names.
    #[cfg(feature = "catalogues")]
    pub fn chrono_locale(self) -> &'static str {
        CHRONO_LOCALES[usize::from(self.0)]
    }

    /// The text of `key` in this language.
    #[cfg(feature = "catalogues")]
    pub fn text(self, key: Key) -> &'static str {
        TEXT[usize::from(self.0)][key as usize]
    }

    /// The booking pages' texts in this language, in key order: what a page carries.
    #[cfg(feature = "catalogues")]
    pub fn page_texts(self) -> &'static [&'static str] {
        &TEXT[usize::from(self.0)][..PAGE_KEYS]
    }
}

impl Dash {
    /// The dashboard's text (English: the dashboard is not translated yet).
    pub fn text(self) -> &'static str {
        DASH_TEXT[self as usize]
    }
}

/// `template` with each `{name}` replaced by its value; names without a value stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            values.iter().find(|(n, _)| *n == name).map(|(_, v)| (close, *v))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_unknown_ones_kept() {
        assert_eq!(fill("With {hosts}", &[("hosts", "Ada, Bo")]), "With Ada, Bo");
        assert_eq!(fill("{a}{b} {c}", &[("a", "1"), ("b", "{b}")]), "1{b} {c}");
        assert_eq!(fill("no braces", &[]), "no braces");
    }

    #[test]
    fn every_shipped_language_is_found_by_its_tag() {
        let codes: Vec<_> = Lang::all().map(Lang::code).collect();
        assert_eq!(codes, ["en", "de", "es", "fr", "ja", "pt-BR"]);
        assert_eq!(Lang::from_code("PT_br").map(Lang::code), Some("pt-BR"));
        assert_eq!(Lang::from_code("xx"), None);
        assert_eq!(Lang::default(), Lang::ENGLISH);
    }

    #[cfg(feature = "catalogues")]
    #[test]
    fn a_page_carries_exactly_the_page_texts_in_key_order() {
        for lang in Lang::all() {
            let texts = lang.page_texts();
            assert_eq!(texts.len(), PAGE_KEYS);
            assert_eq!(texts[Key::PageNext as usize], lang.text(Key::PageNext));
            assert!((Key::MailGreeting as usize) >= PAGE_KEYS);
        }
    }
}
