use leptos::prelude::*;

/// False on the server and while hydrating, true once the page is interactive. Parts that only
/// make sense in the browser (suggestions, previews of unsaved edits) render behind it, so the
/// server never waits for them and hydration always finds what the server sent.
pub fn use_interactive() -> Signal<bool> {
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));
    interactive.into()
}
