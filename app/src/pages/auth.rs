use super::AuthCard;
use crate::api::{LogIn, SetUpTeam};
use crate::components::{ErrorBanner, Field, NewAccountFields, SubmitButton, failure, field_error, form_error};
use crate::lang::{Dash, d};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

/// `/` sends people where they belong; full page loads are redirected by the server already.
#[component]
pub fn Home() -> impl IntoView {
    view! { <Redirect path="/dashboard"/> }
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let action = ServerAction::<SetUpTeam>::new();
    let outcome = failure(action.value());
    // The URL name follows the team name until the person edits it themselves.
    let slug = RwSignal::new(String::new());
    let slug_edited = RwSignal::new(false);
    let name_typed = Callback::new(move |name: String| {
        if !slug_edited.get_untracked() {
            slug.set(domain::TeamSlug::suggest(&name));
        }
    });
    let slug_typed = Callback::new(move |typed: String| {
        slug_edited.set(true);
        slug.set(typed);
    });
    // Every problem shows beside its field at once (the server checks all of them), rather than
    // the browser's bubbles one at a time.
    view! {
        <Title text=d(Dash::AuthSetupTitle)/>
        <AuthCard title=d(Dash::AuthSetupHeading) subtitle=d(Dash::AuthSetupSubtitle).to_owned()>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <ErrorBanner message=form_error(outcome)/>
                <fieldset>
                    <legend>{d(Dash::AuthYourTeam)}</legend>
                    <Field label=d(Dash::AuthTeamName) name="team_name" autocomplete="organization" on_input=name_typed
                        error=field_error(outcome, "team_name")/>
                    <Field
                        label=d(Dash::AuthUrlName)
                        name="team_slug"
                        hint=d(Dash::AuthUrlNameHint)
                        value=slug
                        on_input=slug_typed
                        error=field_error(outcome, "team_slug")
                    />
                </fieldset>
                <fieldset>
                    <legend>{d(Dash::AuthAdminAccount)}</legend>
                    <NewAccountFields failure=outcome with_email=true/>
                </fieldset>
                <SubmitButton label=d(Dash::AuthCreateTeam) busy_label=d(Dash::AuthCreating) pending=action.pending()/>
            </ActionForm>
        </AuthCard>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let outcome = failure(action.value());
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text=d(Dash::AuthSignIn)/>
        <AuthCard title=d(Dash::AuthSignIn)>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <ErrorBanner message=form_error(outcome)/>
                <input type="hidden" name="next" prop:value=next/>
                <Field label=d(Dash::AuthEmail) name="email" kind="email" autocomplete="email" error=field_error(outcome, "email")/>
                <Field
                    label=d(Dash::AuthPassword)
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    error=field_error(outcome, "password")
                />
                <SubmitButton label=d(Dash::AuthSignIn) busy_label=d(Dash::AuthSigningIn) pending=action.pending()/>
            </ActionForm>
        </AuthCard>
    }
}
