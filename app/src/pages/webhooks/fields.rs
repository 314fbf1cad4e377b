//! An endpoint's settings as form fields, shared by the Add and Edit forms.

use crate::api::{Choice, EndpointChoices, EndpointForm};
use crate::components::{Field, field_error};
use crate::error::AppError;
use crate::lang::{Dash, d};
use leptos::html::Input;
use leptos::prelude::*;

/// Address, description, events, event types and the enabled switch, each error under its field.
#[component]
pub fn EndpointFields(
    form: EndpointForm,
    choices: EndpointChoices,
    failed: Signal<Option<AppError>>,
    #[prop(optional)] url_field: NodeRef<Input>,
) -> impl IntoView {
    let no_event_types = choices.event_types.is_empty();
    view! {
        <Field
            label=d(Dash::WebhooksUrlLabel)
            name="url"
            kind="url"
            autocomplete="off"
            hint=d(Dash::WebhooksUrlHint)
            value=form.url
            error=field_error(failed, "url")
            node_ref=url_field
        />
        <Field
            label=d(Dash::WebhooksDescription)
            name="description"
            autocomplete="off"
            required=false
            value=form.description
            error=field_error(failed, "description")
        />
        <CheckGroup
            field="events"
            legend=d(Dash::WebhooksEvents)
            hint=d(Dash::WebhooksEventsHint)
            choices=choices.events
            checked=form.events
            show_values=true
            error=field_error(failed, "events")
        />
        <CheckGroup
            field="event_type_ids"
            legend=d(Dash::WebhooksEventTypes)
            hint=if no_event_types {
                d(Dash::WebhooksEventTypesHintNone)
            } else {
                d(Dash::WebhooksEventTypesHint)
            }
            choices=choices.event_types
            checked=form.event_type_ids
            error=field_error(failed, "event_type_ids")
        />
        <label class="switch">
            <input type="checkbox" role="switch" name="enabled" checked=form.enabled.is_some()/>
            <span class="switch-label">{d(Dash::WebhooksEnabled)}</span>
        </label>
    }
}

/// Checkboxes sent as `{field}[]`, with a legend, a hint and the group's error tied to it.
#[component]
fn CheckGroup(
    field: &'static str,
    legend: &'static str,
    hint: &'static str,
    choices: Vec<Choice>,
    checked: Vec<String>,
    /// Shows each value beside its label (event names, as receivers see them).
    #[prop(optional)]
    show_values: bool,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let hint_id = format!("field-{field}-hint");
    let error_id = format!("field-{field}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || match error.get() {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        }
    };
    let name = format!("{field}[]");
    let boxes = choices
        .into_iter()
        .map(|choice| {
            let on = checked.contains(&choice.value);
            let shown = show_values.then(|| view! { <code>{choice.value.clone()}</code> });
            view! {
                <label class="wh-check">
                    <input type="checkbox" name=name.clone() value=choice.value checked=on/>
                    <span>{choice.label}</span>
                    {shown}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field" class:field-invalid=move || error.get().is_some() aria-describedby=described>
            <legend>{legend}</legend>
            <p class="field-hint" id=hint_id>{hint}</p>
            <div class="wh-checks">{boxes}</div>
            <p class="field-error" id=error_id role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </fieldset>
    }
}
