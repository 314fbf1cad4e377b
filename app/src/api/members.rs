use crate::error::AppError;
use domain::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub timezone: String,
    pub accepts_bookings: bool,
    /// Connected calendars and their health, for admins; empty for everyone else.
    pub calendars: Vec<CalendarBadge>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarBadge {
    /// "Google Calendar", or "Google Calendar: reconnect needed".
    pub label: String,
    /// The member is not offered for booking until this is fixed.
    pub problem: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteRow {
    pub email: String,
    pub role: Role,
    /// Expiry date in the viewer's time zone, ready to show.
    pub expires_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub members: Vec<MemberRow>,
    /// Empty for non-admins, who cannot see invites.
    pub invites: Vec<InviteRow>,
    pub viewer_id: i64,
    pub viewer_is_admin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteLink {
    pub email: String,
    pub url: String,
    pub expires_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteDetails {
    pub email: String,
    pub team_name: String,
    pub role: Role,
}

#[cfg(feature = "ssr")]
fn calendar_health(calendar: &services::calendars::TeamCalendar) -> CalendarBadge {
    use crate::lang::{Dash, df};
    use services::calendars::CalendarHealth;
    let provider = calendar.provider.label();
    let label = match calendar.health {
        CalendarHealth::Healthy => provider.to_owned(),
        CalendarHealth::ReconnectNeeded => df(Dash::MembersCalendarReconnect, &[("calendar", provider)]),
        CalendarHealth::Stale => df(Dash::MembersCalendarStale, &[("calendar", provider)]),
    };
    CalendarBadge {
        label,
        problem: calendar.health != CalendarHealth::Healthy,
    }
}

#[server]
pub async fn team_members() -> Result<Team, AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let members = services.members(&viewer).await?;
    let viewer_is_admin = viewer.role.is_admin();
    let (invites, calendars) = if viewer_is_admin {
        (
            services.pending_invites(&viewer).await?,
            services.team_calendars(&viewer).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(Team {
        members: members
            .into_iter()
            .map(|m| MemberRow {
                id: m.id,
                name: m.name,
                email: m.email,
                role: m.role,
                timezone: m.timezone,
                accepts_bookings: m.accepts_bookings,
                calendars: calendars
                    .iter()
                    .filter(|c| c.member_id == m.id)
                    .map(calendar_health)
                    .collect(),
            })
            .collect(),
        invites: invites
            .into_iter()
            .map(|i| InviteRow {
                email: i.email,
                role: i.role,
                expires_on: crate::ssr::local_date(i.expires_at, &viewer.timezone),
            })
            .collect(),
        viewer_id: viewer.id,
        viewer_is_admin,
    })
}

#[server]
pub async fn change_member_role(member: i64, role: String) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let role = Role::parse(&role).map_err(|e| crate::ssr::invalid(domain::FieldErrors::single("role", e.0)))?;
    services.change_role(&admin, member, role).await?;
    Ok(())
}

#[server]
pub async fn set_takes_bookings(member: i64, takes_bookings: bool) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let viewer = crate::ssr::signed_in().await?;
    let changes = services::accounts::MemberChanges {
        accepts_bookings: Some(takes_bookings),
        ..Default::default()
    };
    services.update_member(&viewer, member, changes).await?;
    Ok(())
}

#[server]
pub async fn invite_member(email: String, role: String) -> Result<InviteLink, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let mut errors = domain::FieldErrors::new();
    let email = errors.check("email", domain::Email::parse(&email));
    let role = errors.check("role", Role::parse(&role));
    let (Some(email), Some(role)) = (email, role) else {
        return Err(crate::ssr::invalid(errors));
    };
    let invite = services.invite(&admin, email, role).await?;
    let expires_on = crate::ssr::local_date(invite.expires_at, &admin.timezone);
    Ok(InviteLink {
        email: invite.email,
        url: invite.url,
        expires_on,
    })
}

#[server]
pub async fn load_invite(token: String) -> Result<InviteDetails, AppError> {
    let invite = crate::ssr::services()?.invite_for_token(&token).await?;
    Ok(InviteDetails {
        email: invite.email,
        team_name: invite.team_name,
        role: invite.role,
    })
}

#[server]
pub async fn accept_invite(token: String, name: String, password: String, timezone: String) -> Result<(), AppError> {
    use domain::*;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", DisplayName::parse(&name));
    let password = errors.check("password", Password::parse(&password));
    let timezone = errors.check("timezone", TimeZoneName::parse(&timezone));
    let (Some(name), Some(password), Some(timezone)) = (name, password, timezone) else {
        return Err(crate::ssr::invalid(errors));
    };
    let services = crate::ssr::services()?;
    let acceptance = services::accounts::InviteAcceptance {
        name,
        password,
        timezone,
    };
    let member = services.accept_invite(&token, acceptance).await?;
    let secret = services.start_session(&member).await?;
    crate::ssr::start_session_cookie(&secret)?;
    leptos_axum::redirect("/dashboard");
    Ok(())
}

/// What removing a member does to each of their upcoming bookings, worded for the viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovalPlan {
    pub member: i64,
    pub member_name: String,
    /// The viewer's zone, named beside the times.
    pub zone: String,
    pub bookings: Vec<AffectedBooking>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedBooking {
    /// "Mon 18 Jan 2027, 09:00–09:30".
    pub when: String,
    /// "Demo with Prospect 1".
    pub what: String,
    /// The host it moves to; `None` when it is cancelled.
    pub moves_to: Option<String>,
}

impl RemovalPlan {
    pub fn moved(&self) -> usize {
        self.bookings.iter().filter(|b| b.moves_to.is_some()).count()
    }

    pub fn cancelled(&self) -> usize {
        self.bookings.len() - self.moved()
    }
}

#[server]
pub async fn preview_member_removal(member: i64) -> Result<RemovalPlan, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let removal = services.preview_removal(&admin, member).await?;
    Ok(removal_plan(member, removal, &admin.timezone))
}

#[server]
pub async fn remove_member(member: i64) -> Result<RemovalPlan, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let removal = services.remove_member(&admin, member).await?;
    Ok(removal_plan(member, removal, &admin.timezone))
}

#[cfg(feature = "ssr")]
fn removal_plan(member: i64, removal: services::member_removal::Removal, zone: &str) -> RemovalPlan {
    use crate::lang::{Dash, df};
    use services::member_removal::Outcome;
    let zone = crate::ssr::Zone::new(zone);
    RemovalPlan {
        member,
        member_name: removal.member_name,
        zone: zone.name().to_owned(),
        bookings: removal
            .bookings
            .into_iter()
            .map(|b| AffectedBooking {
                when: zone.span(b.start, b.end),
                what: df(
                    Dash::MeetingWith,
                    &[("title", &b.event_type_title), ("attendee", &b.attendee_name)],
                ),
                moves_to: match b.outcome {
                    Outcome::Reassigned { to } => Some(to),
                    Outcome::Cancelled => None,
                },
            })
            .collect(),
    }
}
