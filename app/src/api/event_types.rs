//! Event types in the dashboard: the list everyone sees, and the form and one-click actions that
//! only admins may use (the services check the role again).

#[cfg(feature = "ssr")]
mod convert;

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The snippets a customer pastes into their site to offer this event type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedSnippets {
    pub inline: String,
    pub popup: String,
    pub iframe: String,
}

/// One event type as the list shows it, every label ready to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTypeCard {
    pub slug: String,
    pub title: String,
    pub duration: String,
    pub mode: String,
    pub location: String,
    pub hosts: Vec<String>,
    pub active: bool,
    pub url: String,
    pub embeds: EmbedSnippets,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTypeList {
    pub event_types: Vec<EventTypeCard>,
    pub viewer_is_admin: bool,
}

/// Every field of the event type form as typed (numbers too), so a wrong value comes back to the
/// server and is answered with a field error rather than failing to decode. Names match the
/// field names of `EventTypeDraft::validate`'s errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventTypeForm {
    pub title: String,
    pub slug: String,
    pub description: String,
    pub duration: String,
    /// Empty: slots start every `duration` minutes.
    pub interval: String,
    pub buffer_before: String,
    pub buffer_after: String,
    pub minimum_notice: String,
    /// `minutes`, `hours` or `days`: what `minimum_notice` counts.
    pub minimum_notice_unit: String,
    /// Empty: unlimited.
    pub booking_window_days: String,
    /// Empty: no limit.
    pub daily_limit: String,
    pub location_kind: String,
    pub location_detail: String,
    pub mode: String,
    /// Member ids, as the checkboxes send them.
    pub hosts: Vec<String>,
    /// Present (`"on"`) when the checkbox is ticked; a string because flattened form fields
    /// reach serde as text.
    pub active: Option<String>,
    /// Checkboxes like `active`: email attendees a reminder 24 hours / 1 hour before the start.
    pub reminder_24h: Option<String>,
    pub reminder_1h: Option<String>,
    /// Minutes before the start until which attendees may reschedule or cancel; `0`: until it starts.
    pub change_notice: String,
    /// A checkbox like `active`: attendees may add guests to their booking.
    pub allow_guests: Option<String>,
    /// The booking questions in order, as a JSON list of [`QuestionForm`]s: the editor posts its
    /// whole list in one field, since a form cannot tell an empty list from none. Absent (a caller
    /// that does not show questions), the stored ones are kept.
    pub questions: Option<String>,
}

/// One booking question as the editor holds and posts it, every field as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionForm {
    /// Stable; prefills the answer from a link (`?company=…`) and names it in the API.
    pub key: String,
    /// A `domain::QuestionKind` name, such as `short_text`.
    pub kind: String,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub hidden: bool,
    /// The choices, one per line (for the kinds with options).
    pub options: String,
}

/// A team member who can be picked as a host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostOption {
    pub id: String,
    pub name: String,
    pub accepts_bookings: bool,
    /// The meeting kinds (`google_meet`, …) this member cannot host yet, with why.
    pub meeting_problems: Vec<(String, String)>,
}

/// What the create and edit pages start from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventTypeEditor {
    /// The URL name being edited; `None` when creating.
    pub editing: Option<String>,
    pub form: EventTypeForm,
    /// The questions the form starts with (the notes question when creating).
    pub questions: Vec<QuestionForm>,
    pub members: Vec<HostOption>,
    /// `{origin}/{team}/`, shown in front of the URL name field.
    pub link_prefix: String,
}

#[server]
pub async fn list_event_types() -> Result<EventTypeList, AppError> {
    let viewer = crate::ssr::signed_in().await?;
    let services = crate::ssr::services()?;
    let team = services.team().await?.slug;
    let members = services.members(&viewer).await?;
    let event_types = services
        .team_event_types(&viewer)
        .await?
        .into_iter()
        .map(|managed| convert::card(services.config(), &team, &members, managed))
        .collect();
    Ok(EventTypeList {
        event_types,
        viewer_is_admin: viewer.role.is_admin(),
    })
}

/// The form's starting values: the stored settings of `slug`, or defaults when `slug` is empty.
#[server]
pub async fn load_event_type_editor(slug: String) -> Result<EventTypeEditor, AppError> {
    let admin = crate::ssr::signed_in_admin().await?;
    let services = crate::ssr::services()?;
    let (form, questions) = if slug.is_empty() {
        (
            convert::new_form(&admin),
            convert::question_forms(&domain::default_questions()),
        )
    } else {
        let stored = services.team_event_type(&admin, &slug).await?;
        (
            convert::stored_form(&stored),
            convert::question_forms(&stored.questions),
        )
    };
    let team = services.team().await?.slug;
    let members = services.members(&admin).await?;
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let problems = services.meeting_obstacles(&admin, &ids).await?;
    Ok(EventTypeEditor {
        editing: (!slug.is_empty()).then_some(slug),
        form,
        questions,
        members: members
            .into_iter()
            .map(|m| convert::host_option(m, &problems))
            .collect(),
        link_prefix: services.config().link(&format!("/{team}/")),
    })
}

/// Creates an event type (`editing` empty) or replaces every setting of `editing`, then returns
/// to the list.
#[server]
pub async fn save_event_type(editing: String, #[server(flatten)] form: EventTypeForm) -> Result<(), AppError> {
    let admin = crate::ssr::signed_in_admin().await?;
    let valid = convert::parse_form(&form).map_err(crate::ssr::invalid)?;
    let services = crate::ssr::services()?;
    if editing.is_empty() {
        services.create_event_type(&admin, valid).await?;
    } else {
        services.update_event_type(&admin, &editing, valid).await?;
    }
    leptos_axum::redirect("/dashboard/event-types");
    Ok(())
}

#[server]
pub async fn duplicate_event_type(slug: String) -> Result<(), AppError> {
    let admin = crate::ssr::signed_in_admin().await?;
    crate::ssr::services()?.duplicate_event_type(&admin, &slug).await?;
    Ok(())
}

#[server]
pub async fn set_event_type_active(slug: String, active: bool) -> Result<(), AppError> {
    let admin = crate::ssr::signed_in_admin().await?;
    crate::ssr::services()?
        .set_event_type_active(&admin, &slug, active)
        .await?;
    Ok(())
}

#[server]
pub async fn delete_event_type(slug: String) -> Result<(), AppError> {
    let admin = crate::ssr::signed_in_admin().await?;
    crate::ssr::services()?.delete_event_type(&admin, &slug).await?;
    Ok(())
}
