//! One booking question in the editor: a group named "Question N" with the buttons that move and
//! remove it, and its fields, each labelled and described by its hint and the server's error.

use super::controls::{FieldFrame, control_id, described_by, invalid};
use super::questions::{QuestionList, Row};
use crate::lang::{Dash, d, df};
use domain::{QuestionKey, QuestionKind};
use leptos::html::{Button, Select};
use leptos::prelude::*;

/// What admins read for each kind of question.
fn kind_name(kind: QuestionKind) -> &'static str {
    d(match kind {
        QuestionKind::ShortText => Dash::EventTypesKindShortText,
        QuestionKind::LongText => Dash::EventTypesKindLongText,
        QuestionKind::Phone => Dash::EventTypesKindPhone,
        QuestionKind::SingleChoice => Dash::EventTypesKindSingleChoice,
        QuestionKind::Dropdown => Dash::EventTypesKindDropdown,
        QuestionKind::MultipleChoice => Dash::EventTypesKindMultipleChoice,
        QuestionKind::Checkbox => Dash::EventTypesKindCheckbox,
        QuestionKind::Number => Dash::EventTypesKindNumber,
    })
}

#[component]
pub fn QuestionItem(row: Row, list: QuestionList) -> impl IntoView {
    let heading = format!("q{}-heading", row.id);
    let labelled_by = heading.clone();
    let number = move || list.position(row.id).map_or(0, |n| n + 1);
    view! {
        <li class="q-item">
            <div class="q-group" role="group" aria-labelledby=labelled_by>
                <div class="q-head">
                    <h3 id=heading>{move || df(Dash::EventTypesQuestionHeading, &[("n", &number().to_string())])}</h3>
                    <QuestionActions row list/>
                </div>
                <QuestionFields row list/>
            </div>
        </li>
    }
}

/// How the buttons name the question: by its label, or by its place while it has none.
fn spoken(row: Row, list: QuestionList) -> String {
    match row.label.with(|l| l.trim().to_owned()) {
        label if label.is_empty() => df(
            Dash::EventTypesQuestionUnnamed,
            &[("n", &list.position(row.id).map_or(0, |n| n + 1).to_string())],
        ),
        label => df(Dash::EventTypesQuestionNamed, &[("label", &label)]),
    }
}

/// Move up, Move down and Remove. A moved question's button keeps focus; once the question reaches
/// the end of the list that button is disabled, so focus goes to the other one.
#[component]
fn QuestionActions(row: Row, list: QuestionList) -> impl IntoView {
    let id = row.id;
    let (up, down) = (NodeRef::<Button>::new(), NodeRef::<Button>::new());
    let first = move || list.position(id) == Some(0);
    let last = move || list.position(id).map(|n| n + 1) == Some(list.count());
    let shift = move |downwards: bool| {
        list.shift(id, downwards);
        let (moved, other) = if downwards { (down, up) } else { (up, down) };
        request_animation_frame(move || {
            let target = moved
                .get_untracked()
                .filter(|button| !button.disabled())
                .or_else(|| other.get_untracked());
            if let Some(button) = target {
                let _ = button.focus();
            }
        });
    };
    view! {
        <div class="q-actions">
            <button type="button" class="button" node_ref=up disabled=first on:click=move |_| shift(false)
                aria-label=move || df(Dash::EventTypesMoveUp, &[("question", &spoken(row, list))])>
                <span aria-hidden="true">"\u{2191}"</span>" "{d(Dash::EventTypesUp)}
            </button>
            <button type="button" class="button" node_ref=down disabled=last on:click=move |_| shift(true)
                aria-label=move || df(Dash::EventTypesMoveDown, &[("question", &spoken(row, list))])>
                <span aria-hidden="true">"\u{2193}"</span>" "{d(Dash::EventTypesDown)}
            </button>
            <button type="button" class="button button-danger" on:click=move |_| list.remove(id)
                aria-label=move || df(Dash::EventTypesRemoveQuestion, &[("question", &spoken(row, list))])>
                {d(Dash::EventTypesRemove)}
            </button>
        </div>
    }
}

#[component]
fn QuestionFields(row: Row, list: QuestionList) -> impl IntoView {
    let name = move |field: &str| format!("q{}-{field}", row.id);
    let error = move |field| list.error(row.id, field);
    view! {
        <div class="et-pair">
            <FieldFrame name=name("kind") label=d(Dash::EventTypesTypeLabel) error=error("kind")>
                <KindSelect row name=name("kind") error=error("kind")/>
            </FieldFrame>
            <FieldFrame name=name("label") label=d(Dash::EventTypesLabelLabel) error=error("label")>
                <QuestionText name=name("label") value=row.label error=error("label")/>
            </FieldFrame>
        </div>
        <FieldFrame name=name("help") label=d(Dash::EventTypesHelpLabel) hint=d(Dash::EventTypesHelpHint) error=error("help")>
            <QuestionText name=name("help") value=row.help error=error("help")/>
        </FieldFrame>
        <OptionsField row name=name("options") error=error("options")/>
        <PrefillKeyField row name=name("key") error=error("key")/>
        <QuestionFlags row error=error("hidden")/>
    }
}

/// The choices, one per line; shown only for the kinds that offer options.
#[component]
fn OptionsField(row: Row, name: String, error: Signal<Option<String>>) -> impl IntoView {
    let has_options = move || QuestionKind::parse(&row.kind.get()).is_ok_and(QuestionKind::has_options);
    view! {
        <div hidden=move || !has_options()>
            <FieldFrame name=name.clone() label=d(Dash::EventTypesOptionsLabel) hint=d(Dash::EventTypesOptionsHint) error>
                <textarea
                    id=control_id(&name)
                    rows="4"
                    prop:value=move || row.options.get()
                    on:input=move |ev| row.options.set(event_target_value(&ev))
                    aria-invalid=invalid(error)
                    aria-describedby=described_by(&name)
                >
                    {row.options.get_untracked()}
                </textarea>
            </FieldFrame>
        </div>
    }
}

/// The key links prefill the answer by. An added question's key follows its label until someone
/// types one; a stored question's hint warns that links may already use it.
#[component]
fn PrefillKeyField(row: Row, name: String, error: Signal<Option<String>>) -> impl IntoView {
    Effect::new(move |_| {
        let label = row.label.get();
        if row.key_follows_label.get_untracked() && !label.trim().is_empty() {
            row.key.set(QuestionKey::suggest(&label).to_string());
        }
    });
    let hint = move || {
        let link = match row.key.get() {
            key if key.is_empty() => d(Dash::EventTypesPrefillHintEmpty).to_owned(),
            key => df(Dash::EventTypesPrefillHint, &[("key", &key)]),
        };
        let stored = (!row.added).then(|| format!(" {}", d(Dash::EventTypesPrefillHintStored)));
        Some(format!("{link}{}", stored.unwrap_or_default()))
    };
    view! {
        <FieldFrame name=name.clone() label=d(Dash::EventTypesPrefillLabel) hint=Signal::derive(hint) error>
            <input
                id=control_id(&name)
                type="text"
                autocomplete="off"
                spellcheck="false"
                class="q-key"
                value=row.key.get_untracked()
                prop:value=move || row.key.get()
                on:input=move |ev| {
                    row.key_follows_label.set(false);
                    row.key.set(event_target_value(&ev));
                }
                aria-invalid=invalid(error)
                aria-describedby=described_by(&name)
            />
        </FieldFrame>
    }
}

/// The kind of question; an added question's select takes focus when it appears.
#[component]
fn KindSelect(row: Row, name: String, error: Signal<Option<String>>) -> impl IntoView {
    let select = NodeRef::<Select>::new();
    if row.added {
        request_animation_frame(move || {
            if let Some(select) = select.get_untracked() {
                let _ = select.focus();
            }
        });
    }
    let options = QuestionKind::ALL
        .into_iter()
        .map(|kind| {
            let value = kind.as_str();
            view! { <option value=value selected=row.kind.get_untracked() == value>{kind_name(kind)}</option> }
        })
        .collect_view();
    view! {
        <select
            id=control_id(&name)
            node_ref=select
            on:change=move |ev| row.kind.set(event_target_value(&ev))
            aria-invalid=invalid(error)
            aria-describedby=described_by(&name)
        >
            {options}
        </select>
    }
}

/// A one-line text field of a question, bound to `value`.
#[component]
fn QuestionText(name: String, value: RwSignal<String>, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        <input
            id=control_id(&name)
            type="text"
            autocomplete="off"
            value=value.get_untracked()
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
            aria-invalid=invalid(error)
            aria-describedby=described_by(&name)
        />
    }
}

/// Required and Hidden; the server's error about the pair (hidden and required) is shown under
/// Hidden, the box to untick.
#[component]
fn QuestionFlags(row: Row, error: Signal<Option<String>>) -> impl IntoView {
    let (required_id, name) = (
        control_id(&format!("q{}-required", row.id)),
        format!("q{}-hidden", row.id),
    );
    view! {
        <div class="q-flags">
            <label class="check">
                <input
                    type="checkbox"
                    id=required_id
                    checked=row.required.get_untracked()
                    prop:checked=move || row.required.get()
                    on:change=move |ev| row.required.set(event_target_checked(&ev))
                />
                {d(Dash::EventTypesRequired)}
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    id=control_id(&name)
                    checked=row.hidden.get_untracked()
                    prop:checked=move || row.hidden.get()
                    on:change=move |ev| row.hidden.set(event_target_checked(&ev))
                    aria-invalid=invalid(error)
                    aria-describedby=described_by(&name)
                />
                {d(Dash::EventTypesHidden)}
            </label>
            <p class="field-hint" id=format!("field-{name}-hint")>{d(Dash::EventTypesHiddenHint)}</p>
            <p class="field-error" id=format!("field-{name}-error") role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </div>
    }
}
