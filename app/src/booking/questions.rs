//! The event type's own questions on the booking form, one labelled control per kind, each with
//! its help and its error tied to it (`aria-describedby`). Hidden questions are not shown; their
//! prefilled values are still sent.

use super::api::AskedQuestion;
use super::state::Attendee;
use crate::lang::{Key, t, tf};
use leptos::either::EitherOf6;
use leptos::prelude::*;

/// Every visible question of `questions`; `error(field)` gives a field's message.
#[component]
pub fn Questions(
    questions: Vec<AskedQuestion>,
    attendee: Attendee,
    error: impl Fn(String) -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    questions
        .into_iter()
        .filter(|q| !q.hidden)
        .map(|question| view! { <QuestionField question attendee error/> })
        .collect_view()
}

#[component]
fn QuestionField(
    question: AskedQuestion,
    attendee: Attendee,
    error: impl Fn(String) -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = format!("bk-q-{}", question.key);
    let field = format!("answers.{}", question.key);
    let message = {
        let field = field.clone();
        Signal::derive(move || error(field.clone()))
    };
    let described = format!("{id}-help {id}-error");
    let key = StoredValue::new(question.key.clone());
    let first = move || attendee.answer(&key.get_value()).into_iter().next().unwrap_or_default();
    let set_one = move |value: String| attendee.set_answer(&key.get_value(), vec![value]);
    let label = if question.required {
        question.label.clone()
    } else {
        tf(Key::PageOptional, &[("label", &question.label)])
    };
    let invalid = move || message.get().is_some().then_some("true");
    let control = match question.kind.as_str() {
        "long_text" => EitherOf6::A(view! {
            <label for=id.clone()>{label.clone()}</label>
            <textarea id=id.clone() rows="3" required=question.required aria-invalid=invalid aria-describedby=described.clone()
                prop:value=first on:input=move |ev| set_one(event_target_value(&ev))></textarea>
        }),
        "single_choice" | "multiple_choice" => {
            let multiple = question.kind == "multiple_choice";
            let options = question
                .options
                .iter()
                .enumerate()
                .map(|(n, option)| {
                    let option_id = format!("{id}-{n}");
                    let value = StoredValue::new(option.clone());
                    let checked = move || attendee.answer(&key.get_value()).contains(&value.get_value());
                    let toggle = move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        let mut chosen = if multiple { attendee.answer(&key.get_value()) } else { Vec::new() };
                        chosen.retain(|c| *c != value.get_value());
                        if on {
                            chosen.push(value.get_value());
                        }
                        attendee.set_answer(&key.get_value(), chosen);
                    };
                    let kind = if multiple { "checkbox" } else { "radio" };
                    view! {
                        <label class="bk-option" for=option_id.clone()>
                            <input id=option_id.clone() type=kind name=id.clone() prop:checked=checked on:change=toggle/>
                            {option.clone()}
                        </label>
                    }
                })
                .collect_view();
            EitherOf6::B(view! {
                <fieldset class="bk-choices" aria-invalid=invalid aria-describedby=described.clone()>
                    <legend>{label.clone()}</legend>
                    {options}
                </fieldset>
            })
        }
        "dropdown" => {
            let options = question
                .options
                .iter()
                .map(|option| view! { <option value=option.clone()>{option.clone()}</option> })
                .collect_view();
            EitherOf6::C(view! {
                <label for=id.clone()>{label.clone()}</label>
                <select id=id.clone() required=question.required aria-invalid=invalid aria-describedby=described.clone()
                    prop:value=first on:change=move |ev| set_one(event_target_value(&ev))>
                    <option value="">{t(Key::PageChoose)}</option>
                    {options}
                </select>
            })
        }
        "checkbox" => EitherOf6::D(view! {
            <label class="bk-option" for=id.clone()>
                <input id=id.clone() type="checkbox" required=question.required aria-invalid=invalid
                    aria-describedby=described.clone() prop:checked=move || first() == "true"
                    on:change=move |ev| set_one(event_target_checked(&ev).to_string())/>
                {label.clone()}
            </label>
        }),
        "phone" | "number" => {
            let (kind, mode, autocomplete) = if question.kind == "phone" {
                ("tel", "tel", "tel")
            } else {
                ("text", "decimal", "off")
            };
            EitherOf6::E(view! {
                <label for=id.clone()>{label.clone()}</label>
                <input id=id.clone() type=kind inputmode=mode autocomplete=autocomplete required=question.required
                    aria-invalid=invalid aria-describedby=described.clone()
                    prop:value=first on:input=move |ev| set_one(event_target_value(&ev))/>
            })
        }
        _ => EitherOf6::F(view! {
            <label for=id.clone()>{label.clone()}</label>
            <input id=id.clone() type="text" required=question.required aria-invalid=invalid aria-describedby=described.clone()
                prop:value=first on:input=move |ev| set_one(event_target_value(&ev))/>
        }),
    };
    view! {
        <div class="bk-field" class:bk-field-invalid=move || message.get().is_some()>
            {control}
            <p class="bk-help" id=format!("{id}-help") hidden=question.help.is_empty()>{question.help.clone()}</p>
            <p class="bk-field-error" id=format!("{id}-error") hidden=move || message.get().is_none()>{message}</p>
        </div>
    }
}
