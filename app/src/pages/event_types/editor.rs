//! Create and edit an event type: one form with every setting. The server converts and checks
//! everything at once and answers with field errors; nothing is saved until all are right.

use super::questions::QuestionsSection;
use super::sections::{
    BasicsSection, HostsSection, LocationSection, NotificationsSection, SchedulingSection, StatusSection,
};
use crate::api::{EventTypeEditor, EventTypeForm, SaveEventType, load_event_type_editor};
use crate::components::{ErrorBanner, SubmitButton, failure, form_error};
use crate::error::AppError;
use crate::lang::{Dash, d, df};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// Served at `/dashboard/event-types/new` and `/dashboard/event-types/:slug/edit`.
#[component]
pub fn EventTypeEditorPage() -> impl IntoView {
    let params = use_params_map();
    let editor = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        load_event_type_editor,
    );
    view! {
        <BackLink/>
        {super::when_loaded(editor, |editor| view! { <EditorView editor/> })}
    }
}

#[component]
fn BackLink() -> impl IntoView {
    view! { <a class="back-link" href="/dashboard/event-types">{d(Dash::EventTypesBack)}</a> }
}

/// The form's values as signals, for the parts that react to typing (presets, the suggested URL
/// name, hints). Hosts and the switches (active, reminders) are plain checkboxes read on submit.
#[derive(Clone, Copy)]
pub struct FormState {
    pub title: RwSignal<String>,
    pub slug: RwSignal<String>,
    pub description: RwSignal<String>,
    pub duration: RwSignal<String>,
    pub interval: RwSignal<String>,
    pub buffer_before: RwSignal<String>,
    pub buffer_after: RwSignal<String>,
    pub minimum_notice: RwSignal<String>,
    pub minimum_notice_unit: RwSignal<String>,
    pub booking_window_days: RwSignal<String>,
    pub daily_limit: RwSignal<String>,
    pub location_kind: RwSignal<String>,
    pub location_detail: RwSignal<String>,
    pub mode: RwSignal<String>,
    pub change_notice: RwSignal<String>,
}

impl FormState {
    fn new(form: &EventTypeForm) -> Self {
        let s = |v: &String| RwSignal::new(v.clone());
        Self {
            title: s(&form.title),
            slug: s(&form.slug),
            description: s(&form.description),
            duration: s(&form.duration),
            interval: s(&form.interval),
            buffer_before: s(&form.buffer_before),
            buffer_after: s(&form.buffer_after),
            minimum_notice: s(&form.minimum_notice),
            minimum_notice_unit: s(&form.minimum_notice_unit),
            booking_window_days: s(&form.booking_window_days),
            daily_limit: s(&form.daily_limit),
            location_kind: s(&form.location_kind),
            location_detail: s(&form.location_detail),
            mode: s(&form.mode),
            change_notice: s(&form.change_notice),
        }
    }
}

#[component]
fn EditorView(editor: EventTypeEditor) -> impl IntoView {
    let save = ServerAction::<SaveEventType>::new();
    let failed = failure(save.value());
    let state = FormState::new(&editor.form);
    let creating = editor.editing.is_none();
    let heading = if creating {
        d(Dash::EventTypesNew).to_owned()
    } else {
        df(Dash::EventTypesEditTitle, &[("title", &editor.form.title)])
    };
    let fields_wrong = Signal::derive(move || {
        failed
            .with(|e| matches!(e, Some(AppError::Validation(_))))
            .then(|| d(Dash::EventTypesFixFields).to_owned())
    });
    view! {
        <Title text=heading.clone()/>
        <header class="page-header">
            <h1>{heading}</h1>
        </header>
        <ActionForm action=save attr:class="et-form" attr:novalidate=true>
            <input type="hidden" name="editing" value=editor.editing.unwrap_or_default()/>
            <ErrorBanner message=form_error(failed)/>
            <BasicsSection state failed creating link_prefix=editor.link_prefix/>
            <SchedulingSection state failed/>
            <LocationSection state failed/>
            <HostsSection state failed members=editor.members chosen=editor.form.hosts/>
            <NotificationsSection
                state
                failed
                reminder_24h=editor.form.reminder_24h.is_some()
                reminder_1h=editor.form.reminder_1h.is_some()
            />
            <QuestionsSection
                questions=editor.questions
                allow_guests=editor.form.allow_guests.is_some()
                failed
                pending=save.pending()
            />
            <StatusSection active=editor.form.active.is_some()/>
            <div class="et-form-footer">
                <ErrorBanner message=fields_wrong/>
                <div class="et-form-buttons">
                    <a class="button" href="/dashboard/event-types">{d(Dash::EventTypesCancel)}</a>
                    <SubmitButton
                        label=d(if creating { Dash::EventTypesCreate } else { Dash::EventTypesSave })
                        busy_label=d(Dash::EventTypesSaving)
                        pending=save.pending()
                    />
                </div>
            </div>
        </ActionForm>
    }
}

/// A URL name suggested by a title: lower-case ASCII letters and digits, single hyphens for
/// everything else, at most 40 characters. The server still validates whatever is submitted.
pub fn suggest_slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let cut: String = slug.chars().take(40).collect();
    cut.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::suggest_slug;

    #[test]
    fn titles_suggest_url_names() {
        assert_eq!(suggest_slug("  Product Demo (EU) "), "product-demo-eu");
        assert_eq!(suggest_slug("30' intro — call"), "30-intro-call");
        assert_eq!(
            suggest_slug(&"abc ".repeat(30)),
            "abc-".repeat(10).trim_end_matches('-')
        );
        assert_eq!(suggest_slug("!!!"), "");
    }
}
