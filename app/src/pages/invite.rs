use super::AuthCard;
use crate::api::{AcceptInvite, InviteDetails, load_invite};
use crate::components::{ErrorBanner, NewAccountFields, SubmitButton, failure, form_error};
use crate::error::AppError;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let details = Resource::new(token, load_invite);
    view! {
        <Title text="Join your team"/>
        <Suspense fallback=|| view! { <main class="auth-page"><p class="muted">"Loading invite…"</p></main> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(invite) => Either::Left(view! { <AcceptForm invite token=token()/> }),
                    Err(error) => Either::Right(view! { <InviteProblem error/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AcceptForm(invite: InviteDetails, token: String) -> impl IntoView {
    let action = ServerAction::<AcceptInvite>::new();
    let outcome = failure(action.value());
    let subtitle = format!("You were invited as {} ({}).", invite.email, invite.role.as_str());
    view! {
        <AuthCard title="Join your team" subtitle>
            <p class="team-line">"Team: "<strong>{invite.team_name}</strong></p>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <ErrorBanner message=form_error(outcome)/>
                <input type="hidden" name="token" value=token/>
                <NewAccountFields failure=outcome/>
                <SubmitButton label="Join team" busy_label="Joining…" pending=action.pending()/>
            </ActionForm>
        </AuthCard>
    }
}

#[component]
fn InviteProblem(error: AppError) -> impl IntoView {
    let message = match error {
        AppError::NotFound => "This invite link is not valid. Check that you copied all of it.".to_owned(),
        other => other.to_string(),
    };
    view! {
        <AuthCard title="This invite cannot be used">
            <p class="banner banner-error" role="alert">{message}</p>
            <a class="button" href="/login">"Go to sign in"</a>
        </AuthCard>
    }
}
