//! Which websites may show the team's booking pages in a frame (CSP `frame-ancestors`).

use crate::api::{AllowedWebsites, SaveEmbedOrigins, embedding_websites};
use crate::components::{ErrorBanner, failure, field_error, form_error};
use crate::lang::{Dash, d};
use leptos::prelude::*;

#[component]
pub fn EmbeddingSettings() -> impl IntoView {
    let save = ServerAction::<SaveEmbedOrigins>::new();
    let settings = Resource::new(|| (), |_| embedding_websites());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                settings.await.ok().map(|settings| view! { <Form settings save/> })
            })}
        </Suspense>
    }
}

#[component]
fn Form(settings: AllowedWebsites, save: ServerAction<SaveEmbedOrigins>) -> impl IntoView {
    let outcome = failure(save.value());
    let error = field_error(outcome, "origins");
    let saved = move || save.value().with(|v| matches!(v, Some(Ok(_))));
    let current = move || {
        save.value()
            .with(|v| v.as_ref().and_then(|r| r.as_ref().ok()).map(|s| s.origins.clone()))
            .unwrap_or_else(|| settings.origins.clone())
    };
    let admin = settings.viewer_is_admin;
    view! {
        <section class="card et-embedding" aria-labelledby="embedding-title">
            <h2 id="embedding-title">{d(Dash::EventTypesWebsitesTitle)}</h2>
            <p class="muted">{d(Dash::EventTypesWebsitesHint)}</p>
            <ActionForm action=save attr:class="form">
                <ErrorBanner message=form_error(outcome)/>
                <div class="field" class:field-invalid=move || error.get().is_some()>
                    <label for="field-origins">{d(Dash::EventTypesWebsitesLabel)}</label>
                    <textarea id="field-origins" name="origins" rows="3" readonly=!admin prop:value=current
                        aria-invalid=move || error.get().is_some().then_some("true") aria-describedby="field-origins-error"></textarea>
                    <p class="field-error" id="field-origins-error" role="alert" hidden=move || error.get().is_none()>{move || error.get()}</p>
                </div>
                {admin.then(|| view! {
                    <div class="button-row">
                        <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{d(Dash::EventTypesWebsitesSave)}</button>
                        <span class="saved" role="status">{move || saved().then_some(d(Dash::EventTypesWebsitesSaved))}</span>
                    </div>
                })}
            </ActionForm>
        </section>
    }
}
