use crate::api::{CreateApiKey, KeyList, KeyRow, RevokeApiKey, list_api_keys};
use crate::components::{CopyField, ErrorBanner, Field, SubmitButton, failure, field_error, form_error};
use crate::lang::{Dash, d, df};
use leptos::prelude::*;
use leptos_meta::Title;

/// API keys for the management API: create (the secret is shown once) and revoke. Members manage
/// their own keys; admins see every key of the team and may issue keys for anyone.
#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    view! {
        <Title text=d(Dash::ApiKeysTitle)/>
        <header class="page-header">
            <h1>{d(Dash::ApiKeysTitle)}</h1>
            <p class="muted">
                {d(Dash::ApiKeysIntro)}" "
                <a href="/api/docs" rel="external">{d(Dash::ApiKeysIntroLink)}</a>
                ". "{d(Dash::ApiKeysIntroHeader)}" "<code>"Authorization: Bearer rdv_…"</code>"."
            </p>
        </header>
        <Suspense fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                keys.await.map(|keys| view! { <KeysView keys create revoke/> })
            })}
        </Suspense>
    }
}

#[component]
fn KeysView(keys: KeyList, create: ServerAction<CreateApiKey>, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    let empty = keys.keys.is_empty();
    let rows = keys
        .keys
        .into_iter()
        .map(|key| view! { <KeyRowView key revoke/> })
        .collect_view();
    let revoke_error = form_error(failure(revoke.value()));
    view! {
        <CreateKey owners=keys.owners create/>
        <section class="card">
            <h2>{d(Dash::ApiKeysActiveKeys)}</h2>
            <ErrorBanner message=revoke_error/>
            {if empty {
                view! { <p class="muted">{d(Dash::ApiKeysNoKeys)}</p> }.into_any()
            } else {
                view! {
                    <table class="table stacked">
                        <caption class="visually-hidden">{d(Dash::ApiKeysTableCaption)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{d(Dash::ApiKeysName)}</th><th scope="col">{d(Dash::ApiKeysKey)}</th>
                                <th scope="col">{d(Dash::ApiKeysActsAs)}</th>
                                <th scope="col">{d(Dash::ApiKeysCreated)}</th><th scope="col">{d(Dash::ApiKeysLastUsed)}</th>
                                <th scope="col"><span class="visually-hidden">{d(Dash::ApiKeysActions)}</span></th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn KeyRowView(key: KeyRow, revoke: ServerAction<RevokeApiKey>) -> impl IntoView {
    let label = df(Dash::ApiKeysRevokeLabel, &[("name", &key.name)]);
    view! {
        <tr>
            <td class="stacked-title">{key.name}</td>
            <td data-label=d(Dash::ApiKeysKey)><code>{key.prefix}"…"</code></td>
            <td data-label=d(Dash::ApiKeysActsAs)>{key.owner}</td>
            <td data-label=d(Dash::ApiKeysCreated)>{key.created_on}</td>
            <td data-label=d(Dash::ApiKeysLastUsed)>{key.last_used_on.unwrap_or_else(|| d(Dash::ApiKeysNever).into())}</td>
            <td class="actions stacked-actions">
                <ActionForm action=revoke>
                    <input type="hidden" name="id" value=key.id/>
                    <button type="submit" class="button button-danger" aria-label=label>{d(Dash::ApiKeysRevoke)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn CreateKey(owners: Vec<crate::api::KeyOwner>, create: ServerAction<CreateApiKey>) -> impl IntoView {
    let outcome = failure(create.value());
    let created = move || create.value().get().and_then(Result::ok);
    let options = owners
        .into_iter()
        .map(|o| view! { <option value=o.id>{o.name}</option> })
        .collect_view();
    view! {
        <section class="card">
            <h2>{d(Dash::ApiKeysCreateTitle)}</h2>
            <ActionForm action=create attr:class="form form-inline">
                <ErrorBanner message=form_error(outcome)/>
                <Field label=d(Dash::ApiKeysKeyName) name="name" autocomplete="off" error=field_error(outcome, "name")/>
                <div class="field">
                    <label for="field-owner">{d(Dash::ApiKeysActsAs)}</label>
                    <select id="field-owner" name="owner">{options}</select>
                </div>
                <SubmitButton label=d(Dash::ApiKeysCreate) busy_label=d(Dash::ApiKeysCreating) pending=create.pending()/>
            </ActionForm>
            {move || created().map(|key| view! {
                <div class="banner banner-success" role="status">
                    <p>{df(Dash::ApiKeysCreatedOnce, &[("name", &key.name)])}</p>
                    <CopyField id="new-api-key" label=d(Dash::ApiKeysNewKey) value=key.secret button=d(Dash::ApiKeysCopyKey)/>
                </div>
            })}
        </section>
    }
}
