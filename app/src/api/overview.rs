//! The dashboard overview's server function: next meetings, booking links and first steps,
//! worded for the viewer.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewData {
    /// Whether the meetings are the whole team's (admins) or the viewer's own.
    pub team_wide: bool,
    pub next_meetings: Vec<NextMeeting>,
    /// The team's page listing every event type.
    pub team_page: String,
    pub booking_links: Vec<BookingLink>,
    /// Empty once every step is done.
    pub first_steps: Vec<FirstStepRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextMeeting {
    pub uid: String,
    /// "Tue 8 Dec, 10:00–10:30", in the viewer's zone.
    pub when: String,
    pub title: String,
    pub attendee: String,
    pub hosts: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingLink {
    pub slug: String,
    pub title: String,
    pub duration: i64,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstStepRow {
    pub label: String,
    pub hint: String,
    pub href: String,
    pub done: bool,
}

#[server]
pub async fn overview() -> Result<OverviewData, AppError> {
    use crate::lang::{Dash, d, df};
    let services = crate::ssr::services()?;
    let me = crate::ssr::signed_in().await?;
    let overview = services.overview(&me).await?;
    let zone = crate::ssr::Zone::new(&me.timezone);
    let link = |path: &str| services.config().link(path);
    Ok(OverviewData {
        team_wide: me.role.is_admin(),
        next_meetings: overview
            .next_meetings
            .into_iter()
            .map(|b| NextMeeting {
                when: df(
                    Dash::FormatsDayAndTimes,
                    &[
                        ("day", &zone.format(b.start_at, d(Dash::FormatsShortDay))),
                        ("times", &zone.times(b.start_at, b.end_at)),
                    ],
                ),
                hosts: b
                    .hosts
                    .iter()
                    .map(|(_, name)| name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                uid: b.uid,
                title: b.event_type_title,
                attendee: b.attendee_name,
            })
            .collect(),
        team_page: link(&format!("/{}", overview.team_slug)),
        booking_links: overview
            .booking_links
            .into_iter()
            .map(|e| BookingLink {
                url: link(&format!("/{}/{}", overview.team_slug, e.slug)),
                slug: e.slug,
                title: e.title,
                duration: e.duration_minutes,
            })
            .collect(),
        first_steps: overview
            .first_steps
            .into_iter()
            .map(|(step, done)| step_row(step, done))
            .collect(),
    })
}

#[cfg(feature = "ssr")]
fn step_row(step: services::overview::FirstStep, done: bool) -> FirstStepRow {
    use crate::lang::Dash;
    use services::overview::FirstStep as S;
    let (label, hint, href) = match step {
        S::SetHours => (Dash::StepHours, Dash::StepHoursHint, "/dashboard/availability"),
        S::CreateEventType => (
            Dash::StepEventType,
            Dash::StepEventTypeHint,
            "/dashboard/event-types/new",
        ),
        S::ConnectCalendar => (Dash::StepCalendar, Dash::StepCalendarHint, "/dashboard/integrations"),
        S::InviteTeam => (Dash::StepInvite, Dash::StepInviteHint, "/dashboard/members"),
        S::EmbedWidget => (Dash::StepEmbed, Dash::StepEmbedHint, "/dashboard/event-types"),
    };
    FirstStepRow {
        label: label.text().to_owned(),
        hint: hint.text().to_owned(),
        href: href.to_owned(),
        done,
    }
}
