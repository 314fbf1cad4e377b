//! Changing one endpoint: Enable / Disable, rotating its signing secret, and Delete.

use super::SecretOnce;
use crate::api::{DEFAULT_OVERLAP, DeleteWebhook, OVERLAPS, RotateWebhookSecret, SetWebhookEnabled};
use crate::components::{Confirm, ErrorBanner, SubmitButton, failure, field_error, form_error};
use crate::lang::{Dash, d, df};
use leptos::html::Button;
use leptos::prelude::*;

/// Turns the endpoint off, or on again.
#[component]
pub fn EnableSwitch(id: i64, enabled: bool, action: ServerAction<SetWebhookEnabled>) -> impl IntoView {
    view! {
        <ActionForm action>
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="enabled" value=(!enabled).to_string()/>
            <button type="submit" class="button" disabled=move || action.pending().get()>
                {d(if enabled { Dash::WebhooksDisable } else { Dash::WebhooksEnable })}
            </button>
        </ActionForm>
    }
}

/// A new secret, shown once, with the old one signing beside it for the chosen time.
#[component]
pub fn SigningSecret(id: i64, action: ServerAction<RotateWebhookSecret>) -> impl IntoView {
    let failed = failure(action.value());
    let error = field_error(failed, "overlap_hours");
    let issued = move || action.value().get().and_then(Result::ok);
    let options = OVERLAPS
        .into_iter()
        .map(|(hours, label)| view! { <option value=hours selected=hours == DEFAULT_OVERLAP>{d(label)}</option> })
        .collect_view();
    let described = move || {
        error.get().map_or(
            "field-overlap_hours-hint",
            |_| "field-overlap_hours-hint field-overlap_hours-error",
        )
    };
    view! {
        <section class="card" aria-labelledby="wh-secret-heading">
            <h2 id="wh-secret-heading">{d(Dash::WebhooksSecretTitle)}</h2>
            <p class="muted">
                {d(Dash::WebhooksSecretHint)}
            </p>
            <ActionForm action attr:class="form wh-rotate">
                <ErrorBanner message=form_error(failed)/>
                <input type="hidden" name="id" value=id/>
                <div class="field" class:field-invalid=move || error.get().is_some()>
                    <label for="field-overlap_hours">{d(Dash::WebhooksOverlapLabel)}</label>
                    <select id="field-overlap_hours" name="overlap_hours" aria-describedby=described
                        aria-invalid=move || error.get().is_some().then_some("true")>
                        {options}
                    </select>
                    <p class="field-hint" id="field-overlap_hours-hint">{d(Dash::WebhooksOverlapHint)}</p>
                    <p class="field-error" id="field-overlap_hours-error" role="alert" hidden=move || error.get().is_none()>
                        {move || error.get()}
                    </p>
                </div>
                <div class="form-actions">
                    <SubmitButton label=d(Dash::WebhooksRotate) busy_label=d(Dash::WebhooksRotating) pending=action.pending()/>
                </div>
            </ActionForm>
            {move || issued().map(|secret| view! { <SecretOnce secret intro=d(Dash::WebhooksSecretRotated)/> })}
        </section>
    }
}

/// Delete, behind a confirmation; the server then returns to the list.
#[component]
pub fn DeleteEndpoint(id: i64, url: String, action: ServerAction<DeleteWebhook>) -> impl IntoView {
    let confirm = NodeRef::<Button>::new();
    let error = form_error(failure(action.value()));
    let question = df(Dash::WebhooksDeleteQuestion, &[("url", &url)]);
    view! {
        <section class="card" aria-labelledby="wh-delete-heading">
            <h2 id="wh-delete-heading">{d(Dash::WebhooksDeleteTitle)}</h2>
            <p class="muted">{d(Dash::WebhooksDeleteHint)}</p>
            <ErrorBanner message=error/>
            <div class="button-row">
                <Confirm ask=d(Dash::WebhooksDeleteTitle) named=url question confirm>
                    <ActionForm action>
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="button button-danger-solid" node_ref=confirm
                            disabled=move || action.pending().get()>
                            {d(Dash::WebhooksDeleteForGood)}
                        </button>
                    </ActionForm>
                </Confirm>
            </div>
        </section>
    }
}
