//! The live preview beside the editor: the next free times of a chosen event type, computed in
//! the browser from the unsaved edits (see `crate::preview`).

use super::weekly::{DayRow, snapshot};
use crate::api::{Choice, LoadPreview, OverrideText, PreviewData};
use crate::components::use_interactive;
use crate::lang::{Dash, d, df};
use crate::preview::{PreviewDay, preview};
use leptos::prelude::*;

/// Days shown, and times per day before "+ N more".
const DAYS: usize = 5;
const TIMES: usize = 8;

#[component]
pub fn PreviewPanel(
    member: i64,
    choices: Vec<Choice>,
    inputs: RwSignal<Option<PreviewData>>,
    load: ServerAction<LoadPreview>,
    zone: RwSignal<String>,
    days: [DayRow; 7],
    #[prop(into)] overrides: Signal<Vec<OverrideText>>,
) -> impl IntoView {
    if choices.is_empty() {
        return view! {
            <aside class="card preview" aria-labelledby="preview-title">
                <h2 id="preview-title">{d(Dash::AvailabilityPreview)}</h2>
                <p class="muted">{d(Dash::AvailabilityPreviewNothing)}</p>
            </aside>
        }
        .into_any();
    }
    let options = choices
        .into_iter()
        .map(|c| view! { <option value=c.value>{c.label}</option> })
        .collect_view();
    // Computed only once interactive: the server cannot know the unsaved edits, and rendering it
    // there from half-loaded inputs would not match what the browser hydrates.
    let interactive = use_interactive();
    let shown = move || {
        let error = load.value().get().and_then(Result::err);
        let days = inputs.with(|data| {
            let data = data.as_ref()?;
            Some(preview(data, &zone.get(), &snapshot(&days), &overrides.get(), DAYS))
        });
        interactive
            .get()
            .then(|| error.map_or(Ok(days.unwrap_or_default()), Err))
    };
    view! {
        <aside class="card preview" aria-labelledby="preview-title">
            <h2 id="preview-title">{d(Dash::AvailabilityPreview)}</h2>
            <p class="muted">{d(Dash::AvailabilityPreviewHint)}</p>
            <div class="field">
                <label for="preview-event-type">{d(Dash::AvailabilityEventType)}</label>
                <select
                    id="preview-event-type"
                    on:change=move |ev| {
                        load.dispatch(LoadPreview { member, event_type: event_target_value(&ev) });
                    }
                >
                    {options}
                </select>
            </div>
            {move || match shown() {
                    None => view! { <div class="skeleton" aria-busy="true"></div> }.into_any(),
                    Some(Ok(days)) => view! { <PreviewDays days/> }.into_any(),
                    Some(Err(e)) => view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> }.into_any(),
                }}
        </aside>
    }
    .into_any()
}

#[component]
fn PreviewDays(days: Vec<PreviewDay>) -> impl IntoView {
    if days.is_empty() {
        return view! { <p class="muted">{d(Dash::AvailabilityNoFreeTimes)}</p> }.into_any();
    }
    let list = days
        .into_iter()
        .map(|day| {
            let more = day.times.len().saturating_sub(TIMES);
            let times = day
                .times
                .into_iter()
                .take(TIMES)
                .map(|t| view! { <li class="chip">{t}</li> })
                .collect_view();
            view! {
                <li class="preview-day">
                    <h3>{day.label}</h3>
                    <ul class="chips">
                        {times}
                        {(more > 0).then(|| view! { <li class="chip chip-more">{df(Dash::AvailabilityMoreTimes, &[("n", &more.to_string())])}</li> })}
                    </ul>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="plain-list preview-days" aria-live="polite">{list}</ul> }.into_any()
}
