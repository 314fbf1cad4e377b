use super::AuthCard;
use crate::api::{AcceptInvite, InviteDetails, load_invite};
use crate::components::{ErrorBanner, NewAccountFields, SubmitButton, failure, form_error};
use crate::error::AppError;
use crate::lang::{Dash, d, df};
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
        <Title text=d(Dash::InviteTitle)/>
        <Suspense fallback=|| view! { <main class="auth-page"><p class="muted">{d(Dash::InviteLoading)}</p></main> }>
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
    let subtitle = df(
        Dash::InviteInvitedAs,
        &[("email", &invite.email), ("role", invite.role.as_str())],
    );
    view! {
        <AuthCard title=d(Dash::InviteTitle) subtitle>
            <p class="team-line">{d(Dash::InviteTeam)}" "<strong>{invite.team_name}</strong></p>
            <ActionForm action=action attr:class="form" attr:novalidate=true>
                <ErrorBanner message=form_error(outcome)/>
                <input type="hidden" name="token" value=token/>
                <NewAccountFields failure=outcome/>
                <SubmitButton label=d(Dash::InviteJoin) busy_label=d(Dash::InviteJoining) pending=action.pending()/>
            </ActionForm>
        </AuthCard>
    }
}

#[component]
fn InviteProblem(error: AppError) -> impl IntoView {
    let message = match error {
        AppError::NotFound => d(Dash::InviteNotValid).to_owned(),
        other => other.to_string(),
    };
    view! {
        <AuthCard title=d(Dash::InviteUnusable)>
            <p class="banner banner-error" role="alert">{message}</p>
            <a class="button" href="/login">{d(Dash::InviteGoSignIn)}</a>
        </AuthCard>
    }
}
