//! Date overrides: pick dates on a month calendar, choose "unavailable" or custom hours, save;
//! upcoming overrides are listed with Edit and Delete.

use super::calendar::MonthPicker;
use super::ranges::{RangeRow, RangesEditor, ranges_error, rows, texts};
use crate::api::{DeleteOverride, OverrideText, SaveOverride};
use crate::components::{ErrorBanner, failure, field_error, form_error};
use crate::lang::{Dash, d, df};
use chrono::NaiveDate;
use leptos::prelude::*;
use std::collections::BTreeSet;

fn parse(date: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

fn hours_label(o: &OverrideText) -> String {
    if o.ranges.is_empty() {
        d(Dash::AvailabilityUnavailable).to_owned()
    } else {
        o.ranges
            .iter()
            .map(|r| format!("{}–{}", r.start, r.end))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The editor's state, shared by the form and the list's Edit buttons.
#[derive(Clone, Copy)]
struct Draft {
    dates: RwSignal<BTreeSet<NaiveDate>>,
    unavailable: RwSignal<bool>,
    ranges: RwSignal<Vec<RangeRow>>,
}

impl Draft {
    fn load(&self, o: &OverrideText) {
        self.dates.set(parse(&o.date).into_iter().collect());
        self.unavailable.set(o.ranges.is_empty());
        let ranges = if o.ranges.is_empty() {
            vec![RangeRow::new("09:00", "17:00")]
        } else {
            rows(&o.ranges)
        };
        self.ranges.set(ranges);
    }
}

#[component]
pub fn OverridesSection(
    member: i64,
    today: NaiveDate,
    saved: RwSignal<Vec<OverrideText>>,
    save: ServerAction<SaveOverride>,
    delete: ServerAction<DeleteOverride>,
) -> impl IntoView {
    let draft = Draft {
        dates: RwSignal::new(BTreeSet::new()),
        unavailable: RwSignal::new(true),
        ranges: RwSignal::new(vec![RangeRow::new("09:00", "17:00")]),
    };
    let marked = Signal::derive(move || saved.with(|list| list.iter().filter_map(|o| parse(&o.date)).collect()));
    Effect::new(move |_| {
        if save.value().with(|v| matches!(v, Some(Ok(_)))) {
            draft.dates.set(BTreeSet::new());
        }
    });
    view! {
        <section class="card overrides" aria-labelledby="overrides-title">
            <h2 id="overrides-title">{d(Dash::AvailabilityOverridesTitle)}</h2>
            <p class="muted">{d(Dash::AvailabilityOverridesHint)}</p>
            <div class="overrides-editor">
                <MonthPicker today selected=draft.dates marked/>
                <OverrideForm member draft save/>
            </div>
            <h3>{d(Dash::AvailabilityUpcomingOverrides)}</h3>
            {move || view! { <OverrideList list=saved.get() member draft delete/> }}
        </section>
    }
}

#[component]
fn OverrideForm(member: i64, draft: Draft, save: ServerAction<SaveOverride>) -> impl IntoView {
    let outcome = failure(save.value());
    let error = move || {
        if draft.unavailable.get() {
            None
        } else {
            draft.ranges.with(|r| ranges_error(&texts(r)))
        }
    };
    let chosen = move || {
        let dates = draft.dates.get();
        match dates.len() {
            0 => d(Dash::AvailabilityNoDates).to_owned(),
            1 => dates
                .iter()
                .map(|date| date.format("%a %-d %b %Y").to_string())
                .collect(),
            n => df(Dash::AvailabilityDatesPicked, &[("n", &n.to_string())]),
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if error().is_some() {
            return;
        }
        let ranges = if draft.unavailable.get_untracked() {
            Vec::new()
        } else {
            draft.ranges.with_untracked(|r| texts(r))
        };
        save.dispatch(SaveOverride {
            member,
            dates: draft
                .dates
                .get_untracked()
                .iter()
                .map(|date| date.format("%Y-%m-%d").to_string())
                .collect(),
            ranges,
        });
    };
    view! {
        <form class="override-form" on:submit=submit novalidate=true>
            <p class="chosen" aria-live="polite">{chosen}</p>
            <ErrorBanner message=form_error(outcome)/>
            <p class="field-error" role="alert" hidden=move || field_error(outcome, "dates").get().is_none()>
                {move || field_error(outcome, "dates").get()}
            </p>
            <fieldset class="choice-group">
                <legend>{d(Dash::AvailabilityOnTheseDates)}</legend>
                <label class="check">
                    <input type="radio" name="override-kind" prop:checked=move || draft.unavailable.get()
                        on:change=move |_| draft.unavailable.set(true)/>
                    {d(Dash::AvailabilityUnavailableAllDay)}
                </label>
                <label class="check">
                    <input type="radio" name="override-kind" prop:checked=move || !draft.unavailable.get()
                        on:change=move |_| draft.unavailable.set(false)/>
                    {d(Dash::AvailabilityCustomHours)}
                </label>
            </fieldset>
            <div class="override-hours" hidden=move || draft.unavailable.get()>
                <RangesEditor ranges=draft.ranges label=d(Dash::AvailabilityOverrideName).to_owned()/>
            </div>
            <p class="field-error" role="alert" hidden=move || error().or_else(|| field_error(outcome, "hours").get()).is_none()>
                {move || error().or_else(|| field_error(outcome, "hours").get())}
            </p>
            <button type="submit" class="button button-primary" disabled=move || save.pending().get()>
                {move || if save.pending().get() { d(Dash::AvailabilitySaving) } else { d(Dash::AvailabilitySaveOverride) }}
            </button>
        </form>
    }
}

#[component]
fn OverrideList(
    list: Vec<OverrideText>,
    member: i64,
    draft: Draft,
    delete: ServerAction<DeleteOverride>,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">{d(Dash::AvailabilityNoUpcoming)}</p> }.into_any();
    }
    let items = list
        .into_iter()
        .map(|o| {
            let hours = hours_label(&o);
            let (edit_label, delete_label) = (
                df(Dash::AvailabilityEditOverride, &[("date", &o.label)]),
                df(Dash::AvailabilityDeleteOverride, &[("date", &o.label)]),
            );
            let date = o.date.clone();
            let label = o.label.clone();
            view! {
                <li class="override-item">
                    <div>
                        <strong>{label}</strong>
                        <span class="muted">{hours}</span>
                    </div>
                    <div class="button-row">
                        <button type="button" class="button" aria-label=edit_label on:click=move |_| draft.load(&o)>{d(Dash::AvailabilityEdit)}</button>
                        <button
                            type="button"
                            class="button button-danger"
                            aria-label=delete_label
                            on:click=move |_| {
                                delete.dispatch(DeleteOverride { member, date: date.clone() });
                            }
                        >
                            {d(Dash::AvailabilityDelete)}
                        </button>
                    </div>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="plain-list override-list">{items}</ul> }.into_any()
}
