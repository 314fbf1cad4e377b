use super::{Field, TimeZoneField, field_error};
use crate::error::AppError;
use crate::lang::{Dash, d};
use leptos::prelude::*;

/// The fields of a new account (setup's first admin, an invitee): name, optionally email,
/// a new password and a time zone.
#[component]
pub fn NewAccountFields(failure: Signal<Option<AppError>>, #[prop(default = false)] with_email: bool) -> impl IntoView {
    view! {
        <Field label=d(Dash::ComponentsYourName) name="name" autocomplete="name" error=field_error(failure, "name")/>
        {with_email.then(|| view! {
            <Field label=d(Dash::ComponentsEmail) name="email" kind="email" autocomplete="email" error=field_error(failure, "email")/>
        })}
        <Field
            label=d(Dash::ComponentsPassword)
            name="password"
            kind="password"
            autocomplete="new-password"
            hint=d(Dash::ComponentsPasswordHint)
            error=field_error(failure, "password")
        />
        <TimeZoneField error=field_error(failure, "timezone")/>
    }
}

/// The product mark, linking home (or to the dashboard from inside it).
#[component]
pub fn Brand(href: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <a href=href class="brand" aria-label=label>
            <span class="brand-mark" aria-hidden="true">"R"</span>
            <span class="brand-name">"Rendezvous"</span>
        </a>
    }
}
