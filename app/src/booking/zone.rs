//! The viewer's time zone: starts at the browser's, found by typing a city, country, former or
//! common name ("Kolkata", "India", "Calcutta", "Pacific Time"); the places, with their UTC
//! offsets, are fetched only when the field is first used.

use super::state::BookingState;
use crate::components::{ZoneMiss, ZoneSuggestions, load_time_zones, resolve_zone};
use crate::lang::{Key, t, tf};
use leptos::prelude::*;

#[component]
pub fn ZonePicker(state: BookingState, current: String) -> impl IntoView {
    let zones = state.zones;
    let shown = RwSignal::new(current);
    let problem = RwSignal::new(None::<String>);
    // What was typed before the places arrived: a quick typist's Tab must not be told that
    // "Europe/Berlin" matches nothing, so it is resolved once the list is here.
    let waiting = StoredValue::new(None::<String>);
    let choose = move |typed: String| match resolve_zone(&typed, &zones.get_untracked()) {
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
    };
    Effect::new(move |_| {
        if zones.with(|z| !z.is_empty())
            && let Some(typed) = waiting.try_update_value(Option::take).flatten()
        {
            choose(typed);
        }
    });
    let load = move |_| load_time_zones(zones);
    let apply = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        if zones.with_untracked(Vec::is_empty) {
            waiting.set_value(Some(typed)); // the focus that preceded this asked for them
        } else {
            choose(typed);
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
