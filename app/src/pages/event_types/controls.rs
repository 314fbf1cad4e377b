//! Form controls of the event type editor. Unlike `components::Field` they are bound to a signal
//! (presets, the URL name suggestion and hints react to what is typed) and take adornments.
//! Every control has the id `field-{name}`, is labelled by its frame and described by its hint,
//! unit and error, so screen readers announce all of them with the control.

use leptos::prelude::*;

pub fn control_id(name: &str) -> String {
    format!("field-{name}")
}

/// The ids that describe control `name`; unused ones simply match nothing.
pub fn described_by(name: &str) -> String {
    format!("field-{name}-adornment field-{name}-hint field-{name}-error")
}

/// `aria-invalid` for a control whose frame shows `error`.
pub fn invalid(error: Signal<Option<String>>) -> impl Fn() -> Option<&'static str> + Send + Sync + 'static {
    move || error.get().is_some().then_some("true")
}

/// Label, control (the children), hint and error of one field; `name` may be made up at run time
/// (a booking question's fields are named after the question).
#[component]
pub fn FieldFrame(
    #[prop(into)] name: String,
    label: &'static str,
    #[prop(optional, into)] hint: MaybeProp<String>,
    #[prop(into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=control_id(&name)>{label}</label>
            {children()}
            <p class="field-hint" id=format!("field-{name}-hint") hidden=move || hint.get().is_none()>
                {move || hint.get()}
            </p>
            <p class="field-error" id=format!("field-{name}-error") role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </div>
    }
}

/// A text input bound to `value`, optionally with a fixed prefix (such as the link it completes).
#[component]
pub fn TextControl(
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional, into)] placeholder: Signal<String>,
    #[prop(optional)] prefix: Option<String>,
) -> impl IntoView {
    let initial = value.get_untracked();
    view! {
        <div class="input-group">
            {prefix.map(|p| view! { <span class="input-adornment" id=format!("field-{name}-adornment")>{p}</span> })}
            <input
                id=control_id(name)
                name=name
                type="text"
                autocomplete="off"
                value=initial
                placeholder=move || placeholder.get()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid(error)
                aria-describedby=described_by(name)
            />
        </div>
    }
}

/// A whole-number input with its unit (if any) after it; `placeholder` says what leaving it empty means.
#[component]
pub fn NumberControl(
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] unit: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let initial = value.get_untracked();
    view! {
        <div class="input-group input-number">
            <input
                id=control_id(name)
                name=name
                type="number"
                inputmode="numeric"
                step="1"
                value=initial
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                aria-invalid=invalid(error)
                aria-describedby=described_by(name)
            />
            {unit.map(|u| view! { <span class="input-adornment" id=format!("field-{name}-adornment")>{u}</span> })}
        </div>
    }
}
