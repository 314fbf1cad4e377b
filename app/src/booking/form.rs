//! The attendee's details and "Schedule". Required fields are checked in the browser first, in
//! the page's language; a time taken meanwhile sends the prospect back to the refreshed times
//! with a message, keeping what they typed.

use super::api::{AskedQuestion, BookingForm, book_time};
use super::questions::Questions;
use super::state::{Attendee, BookingState, Step, focus_soon};
use crate::error::AppError;
use crate::lang::{Key, Lang, page_lang, t};
use leptos::prelude::*;
use std::collections::BTreeMap;

#[component]
pub fn DetailsForm(state: BookingState, zone: String) -> impl IntoView {
    let book = Action::new(move |form: &BookingForm| book_time(form.clone()));
    let zone = StoredValue::new(zone);
    let summary = move || state.chosen_summary(&zone.get_value());
    // Problems found before sending, by field; cleared on every attempt.
    let unsent = RwSignal::new(BTreeMap::<String, &'static str>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(time) = state.time.get_untracked() else {
            return;
        };
        let questions = state.questions.get_untracked();
        let missing = missing_fields(&state.attendee, &questions);
        // The first problem in the form's order, not the map's.
        let order = ["name".to_owned(), "email".to_owned()]
            .into_iter()
            .chain(questions.iter().map(|q| format!("answers.{}", q.key)));
        let first = order.into_iter().find(|field| missing.contains_key(field));
        unsent.set(missing);
        if let Some(field) = first {
            focus_soon(field_id(&field));
            return;
        }
        book.dispatch(BookingForm {
            team: state.team.get_untracked(),
            event: state.event.get_untracked(),
            start: time.start,
            name: state.attendee.name.get_untracked(),
            email: state.attendee.email.get_untracked(),
            answers: state.attendee.answers.get_untracked(),
            guests: state.attendee.guests.get_untracked(),
            zone: zone.get_value(),
            attempt: state.attempt.get_untracked(),
            language: page_lang().code().to_owned(),
        });
    };
    Effect::new(move |_| match book.value().get() {
        Some(Ok(confirmation)) => {
            super::embed::post_booking_changed(state.embedded, "booking_created", &confirmation, &state);
            state.step.set(Step::Done(Box::new(confirmation)));
            focus_soon("bk-done-title".into());
        }
        Some(Err(AppError::Taken)) => state.back_to_times(t(Key::PageTimeTaken).to_owned()),
        _ => {}
    });
    let field_error = move |field: String| {
        if let Some(text) = unsent.with(|u| u.get(&field).copied()) {
            return Some(text.to_owned());
        }
        book.value().with(|v| {
            let server = v
                .as_ref()
                .and_then(|r| r.as_ref().err())
                .and_then(|e| e.field(&field))?;
            Some(in_page_language(&field, server))
        })
    };
    let error = move |field: &'static str| move || field_error(field.to_owned());
    let general = move || {
        book.value().with(|v| match v {
            // Field problems show beside their fields, a taken time back on the times.
            Some(Err(e)) if !matches!(e, AppError::Validation(_) | AppError::Taken) => Some(problem_text(e)),
            _ => None,
        })
    };
    view! {
        <section class="bk-form-step" aria-labelledby="bk-form-title">
            <BackToTimes state/>
            <h2 id="bk-form-title">{t(Key::PageDetailsTitle)}</h2>
            <p class="bk-summary">{summary}</p>
            <form class="bk-form" on:submit=submit novalidate=true>
                <p class="bk-error" role="alert" hidden=move || general().is_none()>{general}</p>
                <TextField id="bk-name" label=t(Key::PageName) kind="text" autocomplete="name" value=state.attendee.name error=error("name")/>
                <TextField id="bk-email" label=t(Key::PageEmail) kind="email" autocomplete="email" value=state.attendee.email error=error("email")/>
                {move || view! {
                    <Questions questions=state.questions.get() attendee=state.attendee error=field_error/>
                }}
                <div class="bk-field" hidden=move || !state.allow_guests.get()>
                    <label for="bk-guests">{t(Key::PageGuests)}</label>
                    <textarea id="bk-guests" rows="2" aria-describedby="bk-guests-help bk-guests-error"
                        prop:value=move || state.attendee.guests.get()
                        on:input=move |ev| state.attendee.guests.set(event_target_value(&ev))></textarea>
                    <p class="bk-help" id="bk-guests-help">{t(Key::PageGuestsHelp)}</p>
                    <p class="bk-field-error" id="bk-guests-error" hidden=move || error("guests")().is_none()>{error("guests")}</p>
                </div>
                <button type="submit" class="bk-primary" disabled=move || book.pending().get()>
                    {move || if book.pending().get() { t(Key::PageScheduling) } else { t(Key::PageSchedule) }}
                </button>
            </form>
        </section>
    }
}

/// Required fields left empty and an email that cannot be one, by field name (`answers.<key>`
/// for questions); what the server would refuse anyway, said without a round trip.
fn missing_fields(attendee: &Attendee, questions: &[AskedQuestion]) -> BTreeMap<String, &'static str> {
    let mut missing = BTreeMap::new();
    if attendee.name.with_untracked(|n| n.trim().is_empty()) {
        missing.insert("name".to_owned(), t(Key::PageEnterName));
    }
    if !attendee.email.with_untracked(|e| looks_like_email(e.trim())) {
        missing.insert("email".to_owned(), t(Key::PageEnterEmail));
    }
    for question in questions.iter().filter(|q| q.required && !q.hidden) {
        // An unticked required checkbox sends "false": not an answer.
        let unanswered = |a: &String| a.trim().is_empty() || (question.kind == "checkbox" && a == "false");
        let answered = !attendee.answer(&question.key).iter().all(unanswered);
        if !answered {
            missing.insert(format!("answers.{}", question.key), t(Key::PageAnswerNeeded));
        }
    }
    missing
}

/// One `@` with something before it and a dotted domain after it; the server checks properly.
fn looks_like_email(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !text.contains(' ')
    })
}

/// The element a field's problem should take focus to.
fn field_id(field: &str) -> String {
    match field.strip_prefix("answers.") {
        Some(key) => format!("bk-q-{key}"),
        None => format!("bk-{field}"),
    }
}

/// A field problem from the server: its own words on an English page, else the page's words for
/// that field (the server's rules speak English).
fn in_page_language(field: &str, server: String) -> String {
    if page_lang() == Lang::ENGLISH {
        return server;
    }
    let key = match field {
        "name" => Key::PageEnterName,
        "email" => Key::PageEnterEmail,
        "guests" => Key::PageCheckGuests,
        _ => Key::PageCheckAnswer,
    };
    t(key).to_owned()
}

/// A problem that is not about one field, in the page's language where it is ours to word.
pub fn problem_text(error: &AppError) -> String {
    match error {
        AppError::Conflict(message) | AppError::Gone(message) if page_lang() == Lang::ENGLISH => message.clone(),
        AppError::Taken => t(Key::PageTimeTaken).to_owned(),
        other if page_lang() == Lang::ENGLISH => other.to_string(),
        _ => t(Key::PageWentWrong).to_owned(),
    }
}

/// Returns to the times, keeping the chosen one highlighted.
#[component]
pub fn BackToTimes(state: BookingState) -> impl IntoView {
    let back = move |_| {
        state.step.set(Step::Pick);
        focus_soon("bk-times-title".into());
    };
    view! { <button type="button" class="bk-back" on:click=back>{t(Key::PageBack)}</button> }
}

#[component]
fn TextField(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    error: impl Fn() -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="bk-field" class:bk-field-invalid=move || error().is_some()>
            <label for=id>{label}</label>
            <input id=id type=kind autocomplete=autocomplete required=true prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=move || error().is_some().then_some("true") aria-describedby=error_id.clone()/>
            <p class="bk-field-error" id=error_id hidden=move || error().is_none()>{error}</p>
        </div>
    }
}
