//! The viewer's time zone: starts at the browser's, found by typing a city, country, former or
//! common name ("Kolkata", "India", "Calcutta", "Pacific Time"); the places, with their UTC
//! offsets, are fetched only when the field is first used.

use super::state::BookingState;
use crate::api::Choice;
use crate::components::{ZoneMiss, ZoneSuggestions, load_time_zones, resolve_zone};
use crate::lang::{Key, t, tf};
use leptos::prelude::*;

#[component]
pub fn ZonePicker(state: BookingState, current: String) -> impl IntoView {
    let zones = RwSignal::new(Vec::<Choice>::new());
    let shown = RwSignal::new(current);
    let problem = RwSignal::new(None::<String>);
    let load = move |_| load_time_zones(zones);
    let apply = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        match resolve_zone(&typed, &zones.get_untracked()) {
            Ok(zone) => {
                problem.set(None);
                shown.set(zone.clone());
                state.day.set(None);
                state.zone.set(zone);
            }
            Err(miss) => {
                let key = match miss {
                    ZoneMiss::Unknown => Key::PageTimeZoneUnknown,
                    ZoneMiss::Several => Key::PageTimeZoneSeveral,
                };
                problem.set(Some(tf(key, &[("typed", typed.trim())])));
            }
        }
    };
    view! {
        <div class="bk-zone" class:bk-field-invalid=move || problem.with(Option::is_some)>
            <label for="bk-zone">{t(Key::PageTimeZone)}</label>
            <input id="bk-zone" list="bk-zone-list" autocomplete="off" spellcheck="false"
                prop:value=move || shown.get() aria-describedby="bk-zone-help bk-zone-error"
                aria-invalid=move || problem.with(Option::is_some).then_some("true")
                on:focus=load on:change=apply/>
            <p class="bk-help" id="bk-zone-help">{t(Key::PageTimeZoneHelp)}</p>
            <p class="bk-field-error" id="bk-zone-error" role="alert" hidden=move || problem.with(Option::is_none)>
                {move || problem.get()}
            </p>
            <ZoneSuggestions id="bk-zone-list" zones/>
        </div>
    }
}
