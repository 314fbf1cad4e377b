use crate::api::{InviteMember, Team, team_members};
use crate::components::{CopyField, ErrorBanner, Field, SubmitButton, failure, field_error, form_error};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MembersPage() -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let team = Resource::new(move || invite.version().get(), |_| team_members());
    view! {
        <Title text="Members"/>
        <header class="page-header">
            <h1>"Members"</h1>
        </header>
        <Suspense fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                team.await.map(|team| view! { <TeamView team invite/> })
            })}
        </Suspense>
    }
}

#[component]
fn TeamView(team: Team, invite: ServerAction<InviteMember>) -> impl IntoView {
    let rows = team
        .members
        .into_iter()
        .map(|m| {
            view! {
                <tr>
                    <td>{m.name}</td>
                    <td>{m.email}</td>
                    <td><span class="pill">{m.role.as_str()}</span></td>
                    <td>{m.timezone}</td>
                    <td>{if m.accepts_bookings { "Yes" } else { "No" }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <table class="table">
                <caption class="visually-hidden">"Team members"</caption>
                <thead>
                    <tr><th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"Role"</th><th scope="col">"Time zone"</th><th scope="col">"Takes bookings"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
        {team.viewer_is_admin.then(|| view! { <InviteSection invites=team.invites invite/> })}
    }
}

#[component]
fn InviteSection(invites: Vec<crate::api::InviteRow>, invite: ServerAction<InviteMember>) -> impl IntoView {
    let link = move || invite.value().get().and_then(Result::ok);
    let outcome = failure(invite.value());
    let none_pending = invites
        .is_empty()
        .then(|| view! { <p class="muted">"No pending invites."</p> });
    let pending = invites
        .into_iter()
        .map(|i| view! { <li>{i.email}" · "{i.role.as_str()}" · expires "{i.expires_on}</li> })
        .collect_view();
    view! {
        <section class="card">
            <h2>"Invite a member"</h2>
            <ActionForm action=invite attr:class="form form-inline">
                <ErrorBanner message=form_error(outcome)/>
                <Field label="Email" name="email" kind="email" autocomplete="off" error=field_error(outcome, "email")/>
                <div class="field">
                    <label for="field-role">"Role"</label>
                    <select id="field-role" name="role">
                        <option value="member" selected=true>"Member"</option>
                        <option value="admin">"Admin"</option>
                    </select>
                </div>
                <SubmitButton label="Create invite link" busy_label="Creating…" pending=invite.pending()/>
            </ActionForm>
            {move || link().map(|l| view! { <InviteLinkBox email=l.email url=l.url expires_on=l.expires_on/> })}
            <h3>"Pending invites"</h3>
            {none_pending}
            <ul class="plain-list">{pending}</ul>
        </section>
    }
}

#[component]
fn InviteLinkBox(email: String, url: String, expires_on: String) -> impl IntoView {
    view! {
        <div class="banner banner-success" role="status">
            <p>{format!("Send this link to {email}. It works once and expires {expires_on}.")}</p>
            <CopyField id="invite-link" label="Invite link" value=url button="Copy link"/>
        </div>
    }
}
