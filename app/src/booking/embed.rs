//! Talking to the page that embeds us (`?embed=1`): what happened, and how tall we are, as
//! `{source: "rendezvous", event, payload}` messages that `/embed.js` checks and relays.

use super::api::{Confirmation, FreeTime};
use super::state::BookingState;
use leptos::prelude::*;

pub fn post_date_selected(embedded: bool, date: &str) {
    post(embedded, "date_selected", &[("date", date)]);
}

pub fn post_time_selected(embedded: bool, time: &FreeTime) {
    post(embedded, "time_selected", &[("start", &time.start), ("end", &time.end)]);
}

/// `booking_created` or `booking_rescheduled`, with `{uid, start, end, event_type}`.
pub fn post_booking_changed(embedded: bool, event: &str, booked: &Confirmation, state: &BookingState) {
    let event_type = format!("{}/{}", state.team.get_untracked(), state.event.get_untracked());
    let fields = [
        ("uid", booked.uid.as_str()),
        ("start", &booked.start),
        ("end", &booked.end),
        ("event_type", &event_type),
    ];
    post(embedded, event, &fields);
}

pub fn post_booking_cancelled(embedded: bool, uid: &str, event_type: &str) {
    post(
        embedded,
        "booking_cancelled",
        &[("uid", uid), ("event_type", event_type)],
    );
}

/// Once interactive inside a frame: says "ready", reports every change of height, and asks the
/// host page to close a popup on Escape.
#[cfg(feature = "hydrate")]
pub fn install(embedded: bool) {
    if embedded {
        browser::install();
    }
}

fn post(embedded: bool, event: &str, fields: &[(&str, &str)]) {
    #[cfg(feature = "hydrate")]
    if embedded {
        let payload = js_sys::Object::new();
        for (key, value) in fields {
            let _ = js_sys::Reflect::set(&payload, &(*key).into(), &(*value).into());
        }
        browser::send(event, &payload);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (embedded, event, fields);
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    pub fn send(event: &str, payload: &js_sys::Object) {
        let Some(window) = web_sys::window() else { return };
        let Ok(Some(parent)) = window.parent() else { return };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"source".into(), &"rendezvous".into());
        let _ = js_sys::Reflect::set(&message, &"event".into(), &event.into());
        let _ = js_sys::Reflect::set(&message, &"payload".into(), payload);
        let _ = parent.post_message(&message, &host_origin(&window));
    }

    /// The embedding page's origin where the browser tells us (Chromium, Safari); otherwise any,
    /// which is safe because messages carry nothing secret (never the manage token).
    fn host_origin(window: &web_sys::Window) -> String {
        js_sys::Reflect::get(&window.location(), &"ancestorOrigins".into())
            .ok()
            .and_then(|list| js_sys::Reflect::get(&list, &0.into()).ok())
            .and_then(|origin| origin.as_string())
            .unwrap_or_else(|| "*".to_owned())
    }

    pub fn install() {
        send("ready", &js_sys::Object::new());
        report_height();
        if let Some(root) = document().document_element() {
            let observer = Closure::<dyn FnMut()>::new(report_height);
            if let Ok(watch) = web_sys::ResizeObserver::new(observer.as_ref().unchecked_ref()) {
                watch.observe(&root);
                std::mem::forget(watch);
            }
            observer.forget();
        }
        let escape = window_event_listener(leptos::ev::keydown, |ev| {
            if ev.key() == "Escape" {
                send("close", &js_sys::Object::new());
            }
        });
        std::mem::forget(escape);
    }

    fn report_height() {
        let Some(root) = document().document_element() else {
            return;
        };
        let height = root.get_bounding_client_rect().height().ceil();
        let payload = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&payload, &"height".into(), &height.into());
        send("resize", &payload);
    }
}
