//! The viewer's time zone: starts at the browser's, searchable by typing (the list of zones,
//! with their UTC offsets, is fetched only when the field is first used).

use super::state::BookingState;
use crate::api::Choice;
use crate::components::{ZoneSuggestions, load_time_zones};
use crate::lang::{Key, t};
use leptos::prelude::*;

#[component]
pub fn ZonePicker(state: BookingState, current: String) -> impl IntoView {
    let zones = RwSignal::new(Vec::<Choice>::new());
    let load = move |_| load_time_zones(zones);
    let apply = move |ev: leptos::ev::Event| {
        let wanted = event_target_value(&ev);
        if zones.with_untracked(|z| z.iter().any(|c| c.value == wanted)) {
            state.day.set(None);
            state.zone.set(wanted);
        }
    };
    view! {
        <div class="bk-zone">
            <label for="bk-zone">{t(Key::PageTimeZone)}</label>
            <input id="bk-zone" list="bk-zone-list" autocomplete="off" spellcheck="false" value=current
                on:focus=load on:change=apply/>
            <ZoneSuggestions id="bk-zone-list" zones/>
        </div>
    }
}
