use crate::lang::{Dash, d};
use leptos::prelude::*;
use std::time::Duration;

/// How long the button says "Copied".
const COPIED_FOR: Duration = Duration::from_secs(2);

/// A read-only value with a button that copies it: invite links, API keys, embed snippets.
#[component]
pub fn CopyField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: String,
    button: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let to_copy = value.clone();
    view! {
        <div class="copy-row">
            <label class="visually-hidden" for=id.clone()>{label}</label>
            <input id=id readonly=true value=value/>
            <button
                type="button"
                class="button"
                on:click=move |_| {
                    copy_to_clipboard(&to_copy);
                    copied.set(true);
                    // Back to the button's own word, so a second copy is acknowledged too.
                    set_timeout(move || copied.set(false), COPIED_FOR);
                }
            >
                {move || if copied.get() { d(Dash::ComponentsCopied) } else { button }}
            </button>
            <span class="visually-hidden" role="status">{move || copied.get().then_some(d(Dash::ComponentsCopiedAnnounced))}</span>
        </div>
    }
}

fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _promise = window.navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}
