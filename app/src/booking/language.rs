//! The language picker under the booking card: reloads the page with `?lang=`, which the server
//! reads before anything else (and the embed passes on), so the whole page changes at once.

use crate::lang::{Key, Lang, page_lang, t};
use leptos::prelude::*;

#[component]
pub fn LanguagePicker() -> impl IntoView {
    let current = page_lang();
    let options = Lang::all()
        .map(|lang| {
            view! { <option value=lang.code() lang=lang.code() selected=lang == current>{lang.native_name()}</option> }
        })
        .collect_view();
    view! {
        <div class="bk-language">
            <label for="bk-language">{t(Key::PageLanguage)}</label>
            <select id="bk-language" on:change=move |ev| switch_to(&event_target_value(&ev))>{options}</select>
        </div>
    }
}

/// Loads this page again with `?lang=code`, keeping the rest of its query.
fn switch_to(code: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let search = location.search().unwrap_or_default();
        let mut query: Vec<&str> = search
            .trim_start_matches('?')
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with("lang="))
            .collect();
        let wanted = format!("lang={code}");
        query.push(&wanted);
        let _ = location.set_search(&query.join("&"));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = code;
}
