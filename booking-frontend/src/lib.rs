//! Browser entry of the public booking pages: only `app::booking` is reachable from here, so the
//! dashboard's code never reaches prospects' browsers.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::booking::BookingApp);
    app::mark_hydrated();
}
