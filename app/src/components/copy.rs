use leptos::prelude::*;

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
                }
            >
                {move || if copied.get() { "Copied" } else { button }}
            </button>
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
