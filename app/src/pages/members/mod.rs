mod removal;

use crate::api::{CalendarBadge, ChangeMemberRole, InviteMember, MemberRow, SetTakesBookings, Team, team_members};
use crate::components::{CopyField, ErrorBanner, Field, SubmitButton, failure, field_error, form_error};
use crate::lang::{Dash, d, df};
use leptos::prelude::*;
use leptos_meta::Title;
use removal::{Removal, RemovalDialog, RemovalOutcome};

#[component]
pub fn MembersPage() -> impl IntoView {
    let invite = ServerAction::<InviteMember>::new();
    let role = ServerAction::<ChangeMemberRole>::new();
    let takes = ServerAction::<SetTakesBookings>::new();
    let removal = Removal::new();
    let team = Resource::new(
        move || {
            let versions = (
                role.version().get(),
                takes.version().get(),
                removal.remove.version().get(),
            );
            (invite.version().get(), versions)
        },
        |_| team_members(),
    );
    let changes = MemberActions { role, takes, removal };
    view! {
        <Title text=d(Dash::MembersTitle)/>
        <header class="page-header">
            <h1>{d(Dash::MembersTitle)}</h1>
        </header>
        <RemovalOutcome removal/>
        <Suspense fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                team.await.map(|team| view! { <TeamView team invite changes/> })
            })}
        </Suspense>
        <RemovalDialog removal/>
    }
}

/// What admins change on a member's row.
#[derive(Clone, Copy)]
struct MemberActions {
    role: ServerAction<ChangeMemberRole>,
    takes: ServerAction<SetTakesBookings>,
    removal: Removal,
}

#[component]
fn TeamView(team: Team, invite: ServerAction<InviteMember>, changes: MemberActions) -> impl IntoView {
    let admin = team.viewer_is_admin;
    let viewer = team.viewer_id;
    let rows = team
        .members
        .into_iter()
        .map(|member| view! { <MemberLine member admin viewer changes/> })
        .collect_view();
    let role_error = form_error(failure(changes.role.value()));
    let takes_error = form_error(failure(changes.takes.value()));
    view! {
        <section class="card">
            <ErrorBanner message=role_error/>
            <ErrorBanner message=takes_error/>
            <div class="table-scroll">
                <table class="table stacked">
                    <caption class="visually-hidden">{d(Dash::MembersTableCaption)}</caption>
                    <thead>
                        <tr><th scope="col">{d(Dash::MembersName)}</th><th scope="col">{d(Dash::MembersEmail)}</th><th scope="col">{d(Dash::MembersRole)}</th><th scope="col">{d(Dash::MembersTimeZone)}</th><th scope="col">{d(Dash::MembersTakesBookings)}</th>
                            {admin.then(|| view! {
                                <th scope="col">{d(Dash::MembersCalendar)}</th>
                                <th scope="col"><span class="visually-hidden">{d(Dash::MembersActions)}</span></th>
                            })}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        {admin.then(|| view! { <InviteSection invites=team.invites invite/> })}
    }
}

/// One member; admins get a role picker and a "takes bookings" switch.
#[component]
fn MemberLine(member: MemberRow, admin: bool, viewer: i64, changes: MemberActions) -> impl IntoView {
    let id = member.id;
    let role_label = df(Dash::MembersRoleOf, &[("name", &member.name)]);
    let takes_label = df(Dash::MembersTakesBookingsOf, &[("name", &member.name)]);
    let name = member.name.clone();
    let role = if admin {
        let current = member.role.as_str();
        view! {
            <select aria-label=role_label on:change=move |ev| {
                changes.role.dispatch(ChangeMemberRole { member: id, role: event_target_value(&ev) });
            }>
                <option value="member" selected=current == "member">{d(Dash::MembersRoleMember)}</option>
                <option value="admin" selected=current == "admin">{d(Dash::MembersRoleAdmin)}</option>
            </select>
        }
        .into_any()
    } else {
        view! { <span class="pill">{member.role.as_str()}</span> }.into_any()
    };
    let takes = if admin {
        view! {
            <label class="switch">
                <input type="checkbox" role="switch" aria-label=takes_label prop:checked=member.accepts_bookings
                    on:change=move |ev| {
                        changes.takes.dispatch(SetTakesBookings { member: id, takes_bookings: event_target_checked(&ev) });
                    }/>
            </label>
        }
        .into_any()
    } else {
        view! { <span>{d(if member.accepts_bookings { Dash::MembersYes } else { Dash::MembersNo })}</span> }.into_any()
    };
    view! {
        <tr>
            <td class="stacked-title">{name}</td>
            <td data-label=d(Dash::MembersEmail)>{member.email}</td>
            <td data-label=d(Dash::MembersRole)>{role}</td>
            <td data-label=d(Dash::MembersTimeZone)>{member.timezone}</td>
            <td data-label=d(Dash::MembersTakesBookings)>{takes}</td>
            {admin.then(|| view! {
                <td data-label=d(Dash::MembersCalendar)><CalendarCell calendars=member.calendars.clone()/></td>
                <td class="stacked-actions">{(id != viewer).then(|| view! { <RemoveButton member=id name=member.name.clone() removal=changes.removal/> })}</td>
            })}
        </tr>
    }
}

/// Admins see each member's connected calendars, and which of them need the member's attention.
#[component]
fn CalendarCell(calendars: Vec<CalendarBadge>) -> impl IntoView {
    if calendars.is_empty() {
        return view! { <span class="muted">{d(Dash::MembersNoCalendar)}</span> }.into_any();
    }
    calendars
        .into_iter()
        .map(|c| view! { <span class="calendar-health" class:calendar-problem=c.problem>{c.label}</span> })
        .collect_view()
        .into_any()
}

/// Opens the removal dialog (admins cannot remove themselves, so their own row has none).
#[component]
fn RemoveButton(member: i64, name: String, removal: Removal) -> impl IntoView {
    view! {
        <button type="button" class="button button-danger" on:click=move |_| removal.ask(member)>
            {d(Dash::MembersRemove)}<span class="visually-hidden">{format!(" {name}")}</span>
        </button>
    }
}

#[component]
fn InviteSection(invites: Vec<crate::api::InviteRow>, invite: ServerAction<InviteMember>) -> impl IntoView {
    let link = move || invite.value().get().and_then(Result::ok);
    let outcome = failure(invite.value());
    let none_pending = invites
        .is_empty()
        .then(|| view! { <p class="muted">{d(Dash::MembersNoInvites)}</p> });
    let pending = invites
        .into_iter()
        .map(|i| {
            let line = df(
                Dash::MembersPendingInvite,
                &[
                    ("email", &i.email),
                    ("role", i.role.as_str()),
                    ("expires", &i.expires_on),
                ],
            );
            view! { <li>{line}</li> }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>{d(Dash::MembersInviteTitle)}</h2>
            <ActionForm action=invite attr:class="form form-inline">
                <ErrorBanner message=form_error(outcome)/>
                <Field label=d(Dash::MembersEmail) name="email" kind="email" autocomplete="off" error=field_error(outcome, "email")/>
                <div class="field">
                    <label for="field-role">{d(Dash::MembersRole)}</label>
                    <select id="field-role" name="role">
                        <option value="member" selected=true>{d(Dash::MembersRoleMember)}</option>
                        <option value="admin">{d(Dash::MembersRoleAdmin)}</option>
                    </select>
                </div>
                <SubmitButton label=d(Dash::MembersCreateInvite) busy_label=d(Dash::MembersCreating) pending=invite.pending()/>
            </ActionForm>
            {move || link().map(|l| view! { <InviteLinkBox email=l.email url=l.url expires_on=l.expires_on/> })}
            <h3>{d(Dash::MembersPendingInvites)}</h3>
            {none_pending}
            <ul class="plain-list">{pending}</ul>
        </section>
    }
}

#[component]
fn InviteLinkBox(email: String, url: String, expires_on: String) -> impl IntoView {
    view! {
        <div class="banner banner-success" role="status">
            <p>{df(Dash::MembersInviteLinkReady, &[("email", &email), ("expires", &expires_on)])}</p>
            <CopyField id="invite-link" label=d(Dash::MembersInviteLink) value=url button=d(Dash::MembersCopyLink)/>
        </div>
    }
}
