//! An event type's settings as plain values (from a JSON body or a dashboard form), checked all at
//! once into a [`NewEventType`] so every wrong field is reported together.

use crate::event_types::{ManagedEventType, Mode, NewEventType, Notifications};
use domain::{EventTitle, FieldErrors, Invalid, TeamSlug};
use engine::{BookingWindow, Minutes, Rules};

/// Where the meeting happens.
/// `google_meet` and `microsoft_teams` make a fresh meeting per booking (`services::conferencing`).
pub const LOCATION_KINDS: [&str; 6] = [
    "video",
    "phone",
    "in_person",
    "custom",
    "google_meet",
    "microsoft_teams",
];
pub const MODES: [&str; 3] = ["single", "round_robin", "collective"];

/// Every setting of an event type, unvalidated. `None` in an optional limit means "none".
/// `Default` is blank (reminders off too): a new event type's defaults are set where it is made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventTypeDraft {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub duration: i64,
    pub interval: Option<i64>,
    pub buffer_before: i64,
    pub buffer_after: i64,
    pub minimum_notice: i64,
    pub window_days: Option<i64>,
    pub daily_limit: Option<i64>,
    pub location_kind: String,
    pub location_detail: String,
    pub mode: String,
    pub hosts: Vec<i64>,
    pub active: bool,
    pub reminder_24h: bool,
    pub reminder_1h: bool,
    /// Minutes before the start until which attendees may reschedule or cancel; 0: until the start.
    pub change_notice: i64,
    /// `None` keeps the questions an event type has (a form that does not show them).
    pub questions: Option<Vec<domain::QuestionDraft>>,
    pub allow_guests: bool,
}

impl From<&ManagedEventType> for EventTypeDraft {
    fn from(managed: &ManagedEventType) -> Self {
        let e = &managed.event_type;
        Self {
            slug: e.slug.clone(),
            title: e.title.clone(),
            description: e.description.clone(),
            duration: e.duration_minutes,
            interval: e.interval_minutes,
            buffer_before: e.buffer_before_minutes,
            buffer_after: e.buffer_after_minutes,
            minimum_notice: e.minimum_notice_minutes,
            window_days: e.window_days,
            daily_limit: e.daily_limit,
            location_kind: e.location_kind.clone(),
            location_detail: e.location_detail.clone(),
            mode: e.mode.clone(),
            hosts: managed.host_ids.clone(),
            active: e.active,
            reminder_24h: e.reminder_24h,
            reminder_1h: e.reminder_1h,
            change_notice: e.change_notice_minutes,
            questions: Some(managed.questions.iter().map(draft_of).collect()),
            allow_guests: e.allow_guests,
        }
    }
}

fn draft_of(question: &domain::Question) -> domain::QuestionDraft {
    domain::QuestionDraft {
        key: question.key.to_string(),
        kind: question.kind.to_string(),
        label: question.label.clone(),
        help: question.help.clone(),
        required: question.required,
        hidden: question.hidden,
        options: question.options.clone(),
    }
}

/// A whole number of minutes between `min` and `max`.
fn minutes(value: i64, min: i64, max: i64, unit: &str) -> Result<Minutes, Invalid> {
    if (min..=max).contains(&value) {
        Ok(Minutes(u32::try_from(value).unwrap_or(0)))
    } else {
        Err(Invalid::new(format!("Use {min} to {max} {unit}.")))
    }
}

fn text(value: &str, max: usize, what: &str) -> Result<String, Invalid> {
    if value.chars().count() > max {
        Err(Invalid::new(format!("Keep the {what} under {max} characters.")))
    } else {
        Ok(value.trim().to_owned())
    }
}

fn one_of(value: &str, allowed: &'static [&'static str]) -> Result<&'static str, Invalid> {
    allowed
        .iter()
        .find(|a| **a == value)
        .copied()
        .ok_or_else(|| Invalid::new(format!("Use one of: {}.", allowed.join(", "))))
}

impl EventTypeDraft {
    pub fn validate(&self) -> Result<NewEventType, FieldErrors> {
        let mut errors = FieldErrors::new();
        let slug = errors.check("slug", TeamSlug::parse(&self.slug));
        let title = errors.check("title", EventTitle::parse(&self.title));
        let description = errors.check("description", text(&self.description, 5000, "description"));
        let duration = errors.check("duration", minutes(self.duration, 1, 1440, "minutes"));
        let interval = self
            .interval
            .map(|i| errors.check("interval", minutes(i, 5, 1440, "minutes")));
        let buffer_before = errors.check("buffer_before", minutes(self.buffer_before, 0, 1440, "minutes"));
        let buffer_after = errors.check("buffer_after", minutes(self.buffer_after, 0, 1440, "minutes"));
        let notice = errors.check("minimum_notice", minutes(self.minimum_notice, 0, 525_600, "minutes"));
        let change_notice = errors.check("change_notice", minutes(self.change_notice, 0, 525_600, "minutes"));
        let window = self.window_days.map(|d| {
            errors.check(
                "booking_window_days",
                minutes(d, 0, i64::from(BookingWindow::MAX_DAYS), "days"),
            )
        });
        let daily_limit = self
            .daily_limit
            .map(|l| errors.check("daily_limit", minutes(l, 1, 1000, "bookings")));
        let location_kind = errors.check("location_kind", one_of(&self.location_kind, &LOCATION_KINDS));
        let location_detail = errors.check("location_detail", text(&self.location_detail, 500, "location"));
        let mode = errors.check("mode", one_of(&self.mode, &MODES));
        let questions = self.questions.as_deref().map(|drafts| {
            domain::questions(drafts).unwrap_or_else(|problems| {
                errors.extend(problems);
                Vec::new()
            })
        });
        let (Some(slug), Some(title), Some(description), Some(duration), Some(location_kind)) =
            (slug, title, description, duration, location_kind)
        else {
            return Err(errors);
        };
        let mut rules = Rules::new(duration).map_err(|e| FieldErrors::single("duration", e.to_string()))?;
        if let Some(Some(interval)) = interval {
            rules = rules
                .with_interval(interval)
                .map_err(|e| FieldErrors::single("interval", e.to_string()))?;
        }
        rules.buffer_before = buffer_before.unwrap_or_default();
        rules.buffer_after = buffer_after.unwrap_or_default();
        rules.minimum_notice = notice.unwrap_or_default();
        rules.window = window
            .flatten()
            .map_or(BookingWindow::Unlimited, |d| BookingWindow::Days(d.0));
        rules.daily_limit = daily_limit.flatten().map(|l| l.0);
        let mode = match mode {
            Some("round_robin") => Mode::RoundRobin,
            Some("collective") => Mode::Collective,
            _ => Mode::Single,
        };
        errors.into_result()?;
        Ok(NewEventType {
            slug,
            title,
            description,
            rules,
            location_kind,
            // A meeting made per booking has no fixed link to keep.
            location_detail: match crate::conferencing::MeetingKind::parse(location_kind) {
                Some(_) => String::new(),
                None => location_detail.unwrap_or_default(),
            },
            mode,
            hosts: self.hosts.clone(),
            active: self.active,
            notifications: Notifications {
                reminder_24h: self.reminder_24h,
                reminder_1h: self.reminder_1h,
                change_notice: change_notice.unwrap_or_default(),
            },
            questions,
            allow_guests: self.allow_guests,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> EventTypeDraft {
        EventTypeDraft {
            slug: "demo".into(),
            title: "Product demo".into(),
            duration: 30,
            location_kind: "video".into(),
            mode: "single".into(),
            hosts: vec![1],
            active: true,
            reminder_24h: true,
            reminder_1h: true,
            ..EventTypeDraft::default()
        }
    }

    #[test]
    fn a_complete_draft_becomes_rules() {
        let mut input = draft();
        input.interval = Some(15);
        input.window_days = Some(60);
        input.daily_limit = Some(4);
        input.reminder_1h = false;
        input.change_notice = 120;
        let valid = input.validate().unwrap();
        assert_eq!(valid.rules.interval, Minutes(15));
        assert_eq!(valid.rules.window, BookingWindow::Days(60));
        assert_eq!(valid.rules.daily_limit, Some(4));
        let expected = Notifications {
            reminder_24h: true,
            reminder_1h: false,
            change_notice: Minutes(120),
        };
        assert_eq!(valid.notifications, expected);
    }

    #[test]
    fn every_wrong_field_is_reported_at_once() {
        let input = EventTypeDraft {
            slug: "No Spaces".into(),
            duration: 0,
            buffer_after: -5,
            location_kind: "carrier pigeon".into(),
            mode: "lottery".into(),
            daily_limit: Some(0),
            change_notice: -1,
            ..draft()
        };
        let errors = input.validate().unwrap_err();
        for field in [
            "slug",
            "duration",
            "buffer_after",
            "location_kind",
            "mode",
            "daily_limit",
            "change_notice",
        ] {
            assert!(errors.get(field).is_some(), "{field} should be reported: {errors}");
        }
    }

    #[test]
    fn change_notice_is_at_most_a_year() {
        for (minutes, valid) in [(0, true), (525_600, true), (525_601, false), (-1, false)] {
            let result = EventTypeDraft {
                change_notice: minutes,
                ..draft()
            }
            .validate();
            assert_eq!(result.is_ok(), valid, "{minutes}");
            if let Err(errors) = result {
                assert_eq!(errors.get("change_notice"), Some("Use 0 to 525600 minutes."));
            }
        }
    }
}
