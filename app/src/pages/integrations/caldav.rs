//! The CalDAV sign-in form: a preset (Apple iCloud and Fastmail know their server; Nextcloud and
//! others ask for it), a username and a password, with where to make an app-specific password.

use crate::api::ConnectCaldav;
use crate::components::{ErrorBanner, Field, SubmitButton, failure, field_error, form_error};
use crate::lang::{Dash, d};
use leptos::prelude::*;

/// Where Apple and Fastmail explain their app passwords.
const ICLOUD_HELP: &str = "https://support.apple.com/en-us/102654";
const FASTMAIL_HELP: &str = "https://www.fastmail.help/hc/en-us/articles/360058752854";

#[component]
pub fn CaldavForm(action: ServerAction<ConnectCaldav>, #[prop(optional)] reconnect: bool) -> impl IntoView {
    let preset = RwSignal::new("icloud".to_owned());
    let failed = failure(action.value());
    let needs_server = move || matches!(preset.get().as_str(), "nextcloud" | "other");
    let app_password = move || match preset.get().as_str() {
        "icloud" => Some((d(Dash::CaldavAppPasswordIcloud), ICLOUD_HELP)),
        "fastmail" => Some((d(Dash::CaldavAppPasswordFastmail), FASTMAIL_HELP)),
        _ => None,
    };
    let option = move |value: &'static str, label: Dash| {
        view! { <option value=value selected=move || preset.get() == value>{d(label)}</option> }
    };
    view! {
        <ActionForm action=action attr:class="form caldav-form" attr:novalidate=true>
            <ErrorBanner message=form_error(failed)/>
            {reconnect.then(|| view! { <p>{d(Dash::CaldavReconnectHint)}</p> })}
            <div class="field">
                <label for="caldav-preset">{d(Dash::CaldavPreset)}</label>
                <select id="caldav-preset" name="preset" on:change=move |ev| preset.set(event_target_value(&ev))>
                    {option("icloud", Dash::CaldavPresetIcloud)}
                    {option("fastmail", Dash::CaldavPresetFastmail)}
                    {option("nextcloud", Dash::CaldavPresetNextcloud)}
                    {option("other", Dash::CaldavPresetOther)}
                </select>
                {move || app_password().map(|(text, help)| view! {
                    <p class="field-hint">{text}" "<a href=help target="_blank" rel="noopener noreferrer">{d(Dash::CaldavHowTo)}</a></p>
                })}
            </div>
            <Show
                when=needs_server
                fallback=|| view! { <input type="hidden" name="server" value=""/> }
            >
                <Field
                    label=d(Dash::CaldavServer)
                    name="server"
                    kind="url"
                    autocomplete="url"
                    hint=d(Dash::CaldavServerHint)
                    error=field_error(failed, "server")
                />
            </Show>
            <Field
                label=d(Dash::CaldavUsername)
                name="username"
                autocomplete="username"
                hint=d(Dash::CaldavUsernameHint)
                error=field_error(failed, "username")
            />
            <Field
                label=d(Dash::CaldavPassword)
                name="password"
                kind="password"
                autocomplete="current-password"
                hint=d(Dash::CaldavPasswordHint)
                error=field_error(failed, "password")
            />
            <div class="form-actions">
                <SubmitButton label=d(Dash::CaldavConnect) busy_label=d(Dash::CaldavConnecting) pending=action.pending()/>
            </div>
        </ActionForm>
    }
}
