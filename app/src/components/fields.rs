use crate::error::AppError;
use leptos::html::Input;
use leptos::prelude::*;

/// A labelled input with its error message underneath, linked by `aria-describedby` so screen
/// readers announce the error with the field.
#[component]
pub fn Field(
    label: &'static str,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional, into)] value: Signal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = true)] required: bool,
    /// Told every change the person types.
    #[prop(optional)]
    on_input: Option<Callback<String>>,
    /// For moving focus to the input.
    #[prop(optional)]
    node_ref: NodeRef<Input>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                node_ref=node_ref
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                prop:value=move || value.get()
                on:input=move |ev| {
                    if let Some(on_input) = on_input {
                        on_input.run(event_target_value(&ev));
                    }
                }
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
            />
            {hint.map(|text| view! { <p class="field-hint" id=hint_id>{text}</p> })}
            <p class="field-error" id=error_id role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </div>
    }
}

/// A form-level message (for errors that belong to no single field).
#[component]
pub fn ErrorBanner(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="banner banner-error" role="alert" hidden=move || message.get().is_none()>
            {move || message.get()}
        </div>
    }
}

/// A page that could not be shown: `forbidden` says who may see it; other errors say themselves.
#[component]
pub fn PageError(error: AppError, forbidden: &'static str) -> impl IntoView {
    let message = match error {
        AppError::Forbidden => forbidden.to_owned(),
        other => other.to_string(),
    };
    view! { <div class="banner banner-error" role="alert">{message}</div> }
}

/// The primary button of a form; disabled and relabelled while the request is in flight so a
/// double click cannot submit twice.
#[component]
pub fn SubmitButton(
    label: &'static str,
    busy_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button button-primary" disabled=move || pending.get()>
            {move || if pending.get() { busy_label } else { label }}
        </button>
    }
}
