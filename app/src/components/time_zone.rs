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
                on:change=move |ev| {
                    if let Ok(zone) = resolve_zone(&event_target_value(&ev), &zones.get_untracked()) {
                        selected.set(zone);
                    }
                }
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

/// Fills `zones` with the places pickers offer, once; in the browser each label also gets the
/// zone's common name in the page's language ("Pacific Time", "Mitteleuropäische Zeit").
pub fn load_time_zones(zones: RwSignal<Vec<Choice>>) {
    if zones.with_untracked(Vec::is_empty) {
        leptos::task::spawn_local(async move {
            if let Ok(mut list) = time_zones().await {
                for choice in &mut list {
                    if let Some(name) = common_name(&choice.value).filter(|n| !choice.label.contains(n.as_str())) {
                        choice.label = format!("{} · {name}", choice.label);
                    }
                }
                zones.set(list);
            }
        });
    }
}

/// Why typed text named no single zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneMiss {
    Unknown,
    /// Several zones match, with different offsets: the person must choose.
    Several,
}

/// The zone `typed` names: a zone name in any case, else a place whose city, former name, country
/// or common name is exactly what was typed ("India" is not "Indiana"), else one whose label
/// contains it. Several with the same UTC offset resolve to the first ("Germany", "Pacific
/// Time"); with different offsets ("United States") nothing is guessed.
pub fn resolve_zone(typed: &str, zones: &[Choice]) -> Result<String, ZoneMiss> {
    let normal = |text: &str| lower(text.trim()).replace('_', " ");
    let wanted = normal(typed);
    if wanted.is_empty() {
        return Err(ZoneMiss::Unknown);
    }
    if let Some(exact) = zones.iter().find(|c| normal(&c.value) == wanted) {
        return Ok(exact.value.clone());
    }
    // The names a label holds: city, former names, country, offset, common name.
    let phrases = |c: &Choice| -> Vec<String> {
        c.label
            .split(" · ")
            .flat_map(|part| part.split(['(', ')', ',']))
            .map(normal)
            .filter(|p| !p.is_empty())
            .collect()
    };
    let named: Vec<&Choice> = zones.iter().filter(|c| phrases(c).contains(&wanted)).collect();
    if !named.is_empty() {
        return one_of(&named);
    }
    let found: Vec<&Choice> = zones
        .iter()
        .filter(|c| normal(&format!("{} {}", c.value, c.label)).contains(&wanted))
        .collect();
    one_of(&found)
}

/// Lower case for comparing. In the browser it is JavaScript's: Rust's Unicode tables would add
/// about 20 KB to the booking pages' bundle for this one use.
#[cfg(feature = "hydrate")]
fn lower(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

#[cfg(not(feature = "hydrate"))]
fn lower(text: &str) -> String {
    text.to_lowercase()
}

/// The first of `found` when all share one UTC offset (the same clock, wherever it is).
fn one_of(found: &[&Choice]) -> Result<String, ZoneMiss> {
    let offset = |c: &Choice| {
        c.label
            .split(" · ")
            .find(|part| part.starts_with("UTC"))
            .map(str::to_owned)
    };
    match found {
        [] => Err(ZoneMiss::Unknown),
        [first, rest @ ..] if rest.iter().all(|c| offset(c) == offset(first)) => Ok(first.value.clone()),
        _ => Err(ZoneMiss::Several),
    }
}

/// The zone's generic name from the browser's `Intl` ("Pacific Time"); `None` where the browser
/// does not know the zone or has no name for it.
#[cfg(feature = "hydrate")]
fn common_name(zone: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"timeZone".into(), &zone.into()).ok()?;
    js_sys::Reflect::set(&options, &"timeZoneName".into(), &"longGeneric".into()).ok()?;
    let locales = js_sys::Array::of1(&crate::lang::intl_locale().into());
    let arguments = js_sys::Array::of2(&locales, &options);
    // Constructed through `Reflect`, so a zone the browser does not know is an error, not a panic.
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let class: js_sys::Function = js_sys::Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let format: js_sys::Intl::DateTimeFormat = js_sys::Reflect::construct(&class, &arguments).ok()?.unchecked_into();
    let parts = format.format_to_parts(&js_sys::Date::new_0());
    parts.iter().find_map(|part| {
        let kind = js_sys::Reflect::get(&part, &"type".into()).ok()?.as_string()?;
        let value = js_sys::Reflect::get(&part, &"value".into()).ok()?.as_string()?;
        (kind == "timeZoneName" && !value.starts_with("GMT")).then_some(value)
    })
}

#[cfg(not(feature = "hydrate"))]
fn common_name(_zone: &str) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(value: &str, label: &str) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
        }
    }

    #[test]
    fn typed_cities_countries_and_common_names_find_one_zone() {
        let zones = [
            choice(
                "America/Los_Angeles",
                "Los Angeles · United States · UTC-08:00 · Pacific Time",
            ),
            choice(
                "America/New_York",
                "New York · United States · UTC-05:00 · Eastern Time",
            ),
            choice("America/Vancouver", "Vancouver · Canada · UTC-08:00 · Pacific Time"),
            choice(
                "Asia/Kolkata",
                "Kolkata (Calcutta) · India · UTC+05:30 · India Standard Time",
            ),
            choice("Europe/Berlin", "Berlin · Germany · UTC+01:00"),
            choice("Europe/Busingen", "Busingen · Germany · UTC+01:00"),
            choice(
                "America/Indiana/Indianapolis",
                "Indianapolis · United States · UTC-05:00 · Eastern Time",
            ),
        ];
        for (typed, zone) in [
            ("kolkata", "Asia/Kolkata"),
            ("Calcutta", "Asia/Kolkata"),
            ("India", "Asia/Kolkata"),
            ("asia/kolkata", "Asia/Kolkata"),
            ("Pacific Time", "America/Los_Angeles"),
            ("Germany", "Europe/Berlin"),
            ("new york", "America/New_York"),
            ("New_York", "America/New_York"),
            ("indianap", "America/Indiana/Indianapolis"),
        ] {
            assert_eq!(resolve_zone(typed, &zones), Ok(zone.to_owned()), "{typed}");
        }
        assert_eq!(resolve_zone("United States", &zones), Err(ZoneMiss::Several));
        assert_eq!(resolve_zone("Atlantis", &zones), Err(ZoneMiss::Unknown));
        assert_eq!(resolve_zone("  ", &zones), Err(ZoneMiss::Unknown));
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
