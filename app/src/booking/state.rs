//! What the booking page remembers while the prospect moves between its steps.

use super::api::{AskedQuestion, Confirmation, EventDetails, FreeMonth, FreeTime, Moving};
use super::clock::HourStyle;
use crate::api::Choice;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Pick,
    Details,
    Done(Box<Confirmation>),
}

/// The form's values survive going back to pick another time (e.g. after "taken").
#[derive(Clone, Copy)]
pub struct Attendee {
    pub name: RwSignal<String>,
    pub email: RwSignal<String>,
    /// Answers by question key (several values for a multiple choice).
    pub answers: RwSignal<BTreeMap<String, Vec<String>>>,
    pub guests: RwSignal<String>,
}

impl Attendee {
    /// The values given for `key`.
    pub fn answer(&self, key: &str) -> Vec<String> {
        self.answers.with(|a| a.get(key).cloned().unwrap_or_default())
    }

    pub fn set_answer(&self, key: &str, values: Vec<String>) {
        self.answers.update(|a| {
            a.insert(key.to_owned(), values);
        });
    }
}

#[derive(Clone, Copy)]
pub struct BookingState {
    pub team: Memo<String>,
    pub event: Memo<String>,
    /// The booking being rescheduled from its manage link; `None` when booking anew.
    pub moving: StoredValue<Option<Moving>>,
    /// `YYYY-MM`; empty until the server picked the first month with free times.
    pub month: RwSignal<String>,
    /// IANA zone; empty until the browser's is known (the server then uses the host's).
    pub zone: RwSignal<String>,
    /// `?time=` from a time's link, followed before the page was interactive; used once.
    pub linked_time: StoredValue<Option<String>>,
    pub day: RwSignal<Option<String>>,
    pub time: RwSignal<Option<FreeTime>>,
    pub step: RwSignal<Step>,
    pub hours: RwSignal<HourStyle>,
    /// Bumped to fetch the month again (after "taken").
    pub refresh: RwSignal<u32>,
    /// A new idempotency key per chosen time, so retries of one attempt never book twice.
    pub attempt: RwSignal<String>,
    pub attendee: Attendee,
    /// The event type's questions, once its details arrived.
    pub questions: RwSignal<Vec<AskedQuestion>>,
    pub allow_guests: RwSignal<bool>,
    /// Shown above the calendar, e.g. when the chosen time was taken meanwhile.
    pub notice: RwSignal<Option<String>>,
    /// The places the zone field offers, fetched on its first use. Kept here, not in the field,
    /// because the field is built anew with every month fetched and must not ask again.
    pub zones: RwSignal<Vec<Choice>>,
    pub embedded: bool,
}

impl BookingState {
    /// Takes the event type's questions, prefilling each from `prefill` (the page's query) when
    /// nothing was typed yet.
    pub fn ask(&self, info: &EventDetails, prefill: impl Fn(&str) -> Vec<String>) {
        for question in &info.questions {
            let given = prefill(&question.key);
            if !given.is_empty() && self.attendee.answer(&question.key).is_empty() {
                self.attendee.set_answer(&question.key, given);
            }
        }
        self.questions.set(info.questions.clone());
        self.allow_guests.set(info.allow_guests);
    }

    /// Opens the details step for the time the page's link named, if it is still free in
    /// `month`; otherwise says it was taken. Only the first month loaded is asked.
    pub fn take_linked_time(&self, month: &FreeMonth) {
        let Some(wanted) = self.linked_time.try_update_value(Option::take).flatten() else {
            return;
        };
        let wanted = super::clock::instant(&wanted);
        let found = month.days.iter().find_map(|day| {
            let time = day.times.iter().find(|t| super::clock::instant(&t.start) == wanted)?;
            Some((day.date.clone(), time.clone()))
        });
        match found {
            Some((day, time)) => {
                self.day.set(Some(day));
                self.choose_time(time);
                self.step.set(Step::Details);
            }
            None => self
                .notice
                .set(Some(crate::lang::t(crate::lang::Key::PageTimeTaken).to_owned())),
        }
    }

    pub fn choose_time(&self, time: FreeTime) {
        self.attempt.set(new_attempt_key());
        self.time.set(Some(time));
    }

    /// Back to refreshed times with `message` (the chosen time was taken meanwhile); what the
    /// prospect typed stays.
    pub fn back_to_times(&self, message: String) {
        self.notice.set(Some(message));
        self.time.set(None);
        self.refresh.update(|n| *n += 1);
        self.step.set(Step::Pick);
    }

    /// "Mon 8 Mar 2027, 10:00–10:30, Europe/Berlin": the chosen time, for the step after it.
    pub fn chosen_summary(&self, zone: &str) -> String {
        self.time
            .get()
            .map(|t| format!("{}, {zone}", super::clock::span(&t.start, &t.end, self.hours.get())))
            .unwrap_or_default()
    }
}

#[cfg(feature = "hydrate")]
fn new_attempt_key() -> String {
    let part = || format!("{:013x}", (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64);
    format!("{}{}{}", part(), part(), part())
}

#[cfg(not(feature = "hydrate"))]
fn new_attempt_key() -> String {
    String::new()
}

/// The browser's IANA zone and whether it writes hours as 1–12.
#[cfg(feature = "hydrate")]
pub fn browser_preferences() -> Option<(String, HourStyle)> {
    let wanted = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&wanted, &"hour".into(), &"numeric".into());
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &wanted).resolved_options();
    let read = |key: &str| {
        js_sys::Reflect::get(&options, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let zone = read("timeZone")?;
    let hours = match read("hourCycle").as_deref() {
        Some("h11" | "h12") => HourStyle::H12,
        _ => HourStyle::H24,
    };
    Some((zone, hours))
}

/// Moves keyboard focus to the element with `id` once the next frame has rendered it.
pub fn focus_soon(id: String) {
    #[cfg(feature = "hydrate")]
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let found = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = found {
            let _ = element.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}
