//! The "Booking questions" card: whether attendees may add guests, and the event type's own
//! questions, which admins add, edit, reorder and remove here. The whole list is posted as JSON in
//! one hidden field; the server checks it and answers with errors per question and field.

use super::question_item::QuestionItem;
use super::sections::{Section, Switch};
use crate::api::QuestionForm;
use crate::error::AppError;
use crate::lang::{Dash, d};
use leptos::html::Button;
use leptos::prelude::*;

/// One question being edited. `id` stays with it while it moves, so its controls keep their ids
/// (and their labels and errors) and focus can follow it.
#[derive(Clone, Copy)]
pub struct Row {
    pub id: usize,
    pub key: RwSignal<String>,
    pub kind: RwSignal<String>,
    pub label: RwSignal<String>,
    pub help: RwSignal<String>,
    pub required: RwSignal<bool>,
    pub hidden: RwSignal<bool>,
    pub options: RwSignal<String>,
    /// Added on this visit (not stored yet): it takes focus when it appears.
    pub added: bool,
    /// Whether the key is still the one suggested by the label: true for an added question until
    /// someone types a key, never for a stored one (links may already use its key).
    pub key_follows_label: RwSignal<bool>,
}

impl Row {
    fn new(id: usize, question: QuestionForm, added: bool) -> Self {
        Self {
            id,
            key: RwSignal::new(question.key),
            kind: RwSignal::new(question.kind),
            label: RwSignal::new(question.label),
            help: RwSignal::new(question.help),
            required: RwSignal::new(question.required),
            hidden: RwSignal::new(question.hidden),
            options: RwSignal::new(question.options),
            added,
            key_follows_label: RwSignal::new(added),
        }
    }

    fn form(&self) -> QuestionForm {
        QuestionForm {
            key: self.key.get(),
            kind: self.kind.get(),
            label: self.label.get(),
            help: self.help.get(),
            required: self.required.get(),
            hidden: self.hidden.get(),
            options: self.options.get(),
        }
    }
}

/// The list and what its items do to it.
#[derive(Clone, Copy)]
pub struct QuestionList {
    rows: RwSignal<Vec<Row>>,
    /// The ids in the order last sent: the server names errors by position (`questions.2.label`),
    /// and a question moved since keeps its own.
    sent: RwSignal<Vec<usize>>,
    failed: Signal<Option<AppError>>,
    add_button: NodeRef<Button>,
}

impl QuestionList {
    pub fn position(self, id: usize) -> Option<usize> {
        self.rows.with(|rows| rows.iter().position(|r| r.id == id))
    }

    pub fn count(self) -> usize {
        self.rows.with(Vec::len)
    }

    /// Swaps the question with its neighbour above (or below); nothing at either end.
    pub fn shift(self, id: usize, down: bool) {
        self.rows.update(|rows| {
            let Some(n) = rows.iter().position(|r| r.id == id) else {
                return;
            };
            let other = if down { n + 1 } else { n.wrapping_sub(1) };
            if other < rows.len() {
                rows.swap(n, other);
            }
        });
    }

    /// Removes the question; focus goes to "Add question", which is always there.
    pub fn remove(self, id: usize) {
        self.rows.update(|rows| rows.retain(|r| r.id != id));
        let add_button = self.add_button;
        request_animation_frame(move || {
            if let Some(button) = add_button.get_untracked() {
                let _ = button.focus();
            }
        });
    }

    /// The server's message for `field` of question `id`, as of the last submission.
    pub fn error(self, id: usize, field: &'static str) -> Signal<Option<String>> {
        let (sent, failed) = (self.sent, self.failed);
        Signal::derive(move || {
            let n = sent.with(|ids| ids.iter().position(|sent_id| *sent_id == id))?;
            failed.with(|e| e.as_ref()?.field(&format!("questions.{n}.{field}")))
        })
    }
}

#[component]
pub fn QuestionsSection(
    questions: Vec<QuestionForm>,
    allow_guests: bool,
    failed: Signal<Option<AppError>>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    let next_id = StoredValue::new(questions.len());
    let rows = RwSignal::new(
        questions
            .into_iter()
            .enumerate()
            .map(|(id, q)| Row::new(id, q, false))
            .collect::<Vec<_>>(),
    );
    let sent = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        if pending.get() {
            sent.set(rows.with_untracked(|rows| rows.iter().map(|r| r.id).collect()));
        }
    });
    let list = QuestionList {
        rows,
        sent,
        failed,
        add_button: NodeRef::new(),
    };
    let add = move |_| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        let blank = QuestionForm {
            kind: "short_text".into(),
            ..QuestionForm::default()
        };
        rows.update(|rows| rows.push(Row::new(id, blank, true)));
    };
    let posted = move || {
        let forms: Vec<QuestionForm> = rows.with(|rows| rows.iter().map(Row::form).collect());
        serde_json::to_string(&forms).unwrap_or_default()
    };
    let list_error = crate::components::field_error(failed, "questions");
    view! {
        <Section title=d(Dash::EventTypesQuestions) text=d(Dash::EventTypesQuestionsText)>
            <Switch name="allow_guests" label=d(Dash::EventTypesAllowGuests) checked=allow_guests hint=d(Dash::EventTypesAllowGuestsHint)/>
            <p class="q-note">{d(Dash::EventTypesAlwaysAsked)}</p>
            <input type="hidden" name="questions" value=posted/>
            <p class="muted q-empty" hidden=move || rows.with(|r| !r.is_empty())>{d(Dash::EventTypesNoQuestions)}</p>
            <ol class="q-list" hidden=move || rows.with(Vec::is_empty)>
                <For each=move || rows.get() key=|row| row.id let(row)>
                    <QuestionItem row list/>
                </For>
            </ol>
            <p class="field-error" id="field-questions-error" role="alert" hidden=move || list_error.get().is_none()>
                {move || list_error.get()}
            </p>
            <button type="button" class="button q-add" node_ref=list.add_button on:click=add aria-describedby="field-questions-error">
                <span aria-hidden="true">"+"</span>
                {d(Dash::EventTypesAddQuestion)}
            </button>
        </Section>
    }
}
