use crate::api::{Choice, time_zones};
use leptos::prelude::*;

/// A searchable IANA time zone input (a text field with a suggestion list showing each zone's
/// current UTC offset). Without a `value` it starts at the browser's zone once the page is
/// interactive; the server validates whatever is submitted.
#[component]
pub fn TimeZoneField(
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] value: Option<RwSignal<String>>,
) -> impl IntoView {
    let selected = value.unwrap_or_else(|| RwSignal::new("UTC".to_owned()));
    if value.is_none() {
        Effect::new(move |_| {
            if let Some(zone) = browser_time_zone() {
                selected.set(zone);
            }
        });
    }
    // Suggestions only: fetched once the page is interactive (effects never run on the server), so
    // the server-rendered field never waits for them and hydration never depends on them.
    let zones = RwSignal::new(Vec::new());
    Effect::new(move |_| load_time_zones(zones));
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for="field-timezone">"Time zone"</label>
            <input
                id="field-timezone"
                name="timezone"
                list="time-zone-list"
                autocomplete="off"
                required=true
                prop:value=move || selected.get()
                on:input=move |ev| selected.set(event_target_value(&ev))
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby="field-timezone-error"
            />
            <ZoneSuggestions id="time-zone-list" zones/>
            <p class="field-error" id="field-timezone-error" role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </div>
    }
}

/// Fills `zones` with every IANA zone and its current UTC offset, once.
pub fn load_time_zones(zones: RwSignal<Vec<Choice>>) {
    if zones.with_untracked(Vec::is_empty) {
        leptos::task::spawn_local(async move {
            if let Ok(list) = time_zones().await {
                zones.set(list);
            }
        });
    }
}

/// The suggestion list behind a zone field (`<input list=id>`).
#[component]
pub fn ZoneSuggestions(id: &'static str, zones: RwSignal<Vec<Choice>>) -> impl IntoView {
    let options = move || {
        zones
            .get()
            .into_iter()
            .map(|zone| view! { <option value=zone.value>{zone.label}</option> })
            .collect_view()
    };
    view! { <datalist id=id>{options}</datalist> }
}

#[cfg(feature = "hydrate")]
fn browser_time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}

#[cfg(not(feature = "hydrate"))]
fn browser_time_zone() -> Option<String> {
    None
}
