//! The language of the booking pages. The server picks it per request (`?lang=`, else the
//! browser's `Accept-Language`), writes it as `<html lang>` and puts that language's page texts
//! in the document; the browser reads them once, so the WASM carries no catalogue at all.
//! Dates and times are worded by the browser's `Intl` once interactive and by chrono's locale
//! data on the server.

pub use i18n::{Dash, Key, Lang};

/// The id of the `<script type="application/json">` holding the page's texts.
pub const TEXTS_ID: &str = "rv-texts";

/// The language this page is shown in (English for the dashboard, which is English for now).
pub fn page_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    return browser::page().0;
    #[cfg(not(feature = "hydrate"))]
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

/// The text of `key` in the page's language.
pub fn t(key: Key) -> &'static str {
    #[cfg(feature = "hydrate")]
    return browser::page().1.get(key as usize).copied().unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    page_lang().text(key)
}

/// [`t`] with its `{placeholders}` filled.
pub fn tf(key: Key, values: &[(&str, &str)]) -> String {
    i18n::fill(t(key), values)
}

/// A dashboard text (English for now, compiled into the dashboard's bundle).
pub fn d(key: Dash) -> &'static str {
    key.text()
}

/// [`d`] with its `{placeholders}` filled.
pub fn df(key: Dash, values: &[(&str, &str)]) -> String {
    i18n::fill(key.text(), values)
}

/// "1 day", "3 hours", "45 minutes" in the page's language.
pub fn duration_words(minutes: i64) -> String {
    let (n, one, other) = match minutes {
        m if m % 1440 == 0 => (m / 1440, Key::PageDaysOne, Key::PageDaysOther),
        m if m % 60 == 0 => (m / 60, Key::PageHoursOne, Key::PageHoursOther),
        m => (m, Key::PageMinutesOne, Key::PageMinutesOther),
    };
    if n == 1 {
        t(one).to_owned()
    } else {
        tf(other, &[("n", &n.to_string())])
    }
}

/// The page's texts as JSON for the document, safe inside `<script>` (no `<` survives); made
/// once per language, not per page view.
#[cfg(feature = "ssr")]
pub fn page_texts_json(lang: Lang) -> &'static str {
    static JSON: std::sync::LazyLock<Vec<(Lang, String)>> = std::sync::LazyLock::new(|| {
        let json = |lang: Lang| {
            serde_json::to_string(lang.page_texts())
                .unwrap_or_else(|_| "[]".to_owned())
                .replace('<', "\\u003c")
        };
        Lang::all().map(|lang| (lang, json(lang))).collect()
    });
    JSON.iter()
        .find(|(known, _)| *known == lang)
        .map_or("[]", |(_, json)| json)
}

/// This request's language: a shipped `asked` (the page's `?lang=`) wins, then
/// `Accept-Language`, then English.
#[cfg(feature = "ssr")]
pub fn requested_lang(asked: Option<&str>) -> Lang {
    asked.and_then(Lang::from_code).unwrap_or_else(|| {
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let header = parts
            .as_ref()
            .and_then(|p| p.headers.get(http::header::ACCEPT_LANGUAGE));
        i18n::negotiate(header.and_then(|v| v.to_str().ok()).unwrap_or_default())
    })
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{Lang, TEXTS_ID};
    use std::sync::OnceLock;

    static PAGE: OnceLock<(Lang, Vec<&'static str>)> = OnceLock::new();

    /// The document's language and texts, read on first use and kept for the page's life.
    pub fn page() -> &'static (Lang, Vec<&'static str>) {
        PAGE.get_or_init(|| {
            let document = web_sys::window().and_then(|w| w.document());
            let lang = document
                .as_ref()
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|code| Lang::from_code(&code))
                .unwrap_or_default();
            let json = document
                .and_then(|d| d.get_element_by_id(TEXTS_ID))
                .and_then(|e| e.text_content())
                .unwrap_or_default();
            let texts: Vec<String> = serde_json::from_str(&json).unwrap_or_default();
            // Leaked once per page load: the texts live as long as the page.
            (
                lang,
                texts.into_iter().map(|t| &*Box::leak(t.into_boxed_str())).collect(),
            )
        })
    }

    /// The `Intl` locale for the page: the visitor's own regional variant of the page's
    /// language when the browser has one (en-US or en-GB for English), else the language.
    pub fn intl_locale() -> String {
        let lang = page().0.code();
        let primary = |tag: &str| tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
        let wanted = primary(lang);
        web_sys::window()
            .map(|w| w.navigator().languages())
            .into_iter()
            .flat_map(|list| list.to_vec())
            .filter_map(|v| v.as_string())
            .find(|tag| primary(tag) == wanted && (lang.len() == 2 || tag.eq_ignore_ascii_case(lang)))
            .unwrap_or_else(|| lang.to_owned())
    }
}

#[cfg(feature = "hydrate")]
pub use browser::intl_locale;
