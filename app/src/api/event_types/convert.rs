//! Server-side conversions for the event type pages: stored settings to form text and list
//! labels, and form text to a validated `NewEventType` with every wrong field named at once.

use super::{EmbedSnippets, EventTypeCard, EventTypeForm, HostOption, QuestionForm};
use crate::lang::{Dash, d, df};
use domain::{FieldErrors, QuestionDraft};
use services::Config;
use services::accounts::Member;
use services::conferencing::capability::HostObstacle;
use services::event_type_draft::EventTypeDraft;
use services::event_types::{ManagedEventType, NewEventType};

/// Minutes per notice unit, largest first so stored minutes are shown in the largest exact unit.
const NOTICE_UNITS: [(&str, i64); 3] = [("days", 1440), ("hours", 60), ("minutes", 1)];

pub fn card(config: &Config, team: &str, members: &[Member], managed: ManagedEventType) -> EventTypeCard {
    let e = managed.event_type;
    let url = config.link(&format!("/{team}/{}", e.slug));
    let hosts = managed
        .host_ids
        .iter()
        .filter_map(|id| members.iter().find(|m| m.id == *id))
        .map(|m| m.name.clone())
        .collect();
    EventTypeCard {
        embeds: embed_snippets(&url, &config.link("/embed.js"), &e.title),
        duration: duration_label(e.duration_minutes),
        mode: mode_label(&e.mode).to_owned(),
        location: services::event_types::location_label(&e.location_kind, &e.location_detail),
        slug: e.slug,
        title: e.title,
        hosts,
        active: e.active,
        url,
    }
}

/// The three ways to put the booking page on a customer's site; `title` is escaped because it
/// lands inside an HTML attribute.
pub fn embed_snippets(url: &str, script: &str, title: &str) -> EmbedSnippets {
    let loader = format!(r#"<script src="{script}" async></script>"#);
    EmbedSnippets {
        inline: format!(r#"<div data-rendezvous-inline="{url}"></div>{loader}"#),
        popup: format!(r#"<button data-rendezvous-popup="{url}">Book a demo</button>{loader}"#),
        iframe: format!(
            r#"<iframe src="{url}?embed=1" title="Book {}" style="width:100%;min-height:700px;border:0"></iframe>"#,
            escape_attribute(title)
        ),
    }
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// "30 min", "1 h", "1 h 30 min".
pub fn duration_label(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => df(Dash::EventTypesPreset, &[("minutes", &m.to_string())]),
        (h, 0) => df(Dash::EventTypesDurationHours, &[("hours", &h.to_string())]),
        (h, m) => df(
            Dash::EventTypesDurationHoursMinutes,
            &[("hours", &h.to_string()), ("minutes", &m.to_string())],
        ),
    }
}

fn mode_label(mode: &str) -> &'static str {
    match mode {
        "round_robin" => d(Dash::EventTypesModeRoundRobin),
        "collective" => d(Dash::EventTypesModeCollective),
        _ => d(Dash::EventTypesModeSingle),
    }
}

/// A member as a host choice, with the meetings they cannot host (from `problems`).
pub fn host_option(member: Member, problems: &[HostObstacle]) -> HostOption {
    HostOption {
        id: member.id.to_string(),
        meeting_problems: problems
            .iter()
            .filter(|o| o.member_id == member.id)
            .map(|o| (o.kind.as_str().to_owned(), o.why.clone()))
            .collect(),
        name: member.name,
        accepts_bookings: member.accepts_bookings,
    }
}

/// A new event type: 30 minutes by video, hosted by its creator, bookable at once, with both
/// reminders and changes allowed until the start.
pub fn new_form(admin: &Member) -> EventTypeForm {
    EventTypeForm {
        duration: "30".into(),
        buffer_before: "0".into(),
        buffer_after: "0".into(),
        minimum_notice: "0".into(),
        minimum_notice_unit: "hours".into(),
        location_kind: "video".into(),
        mode: "single".into(),
        hosts: vec![admin.id.to_string()],
        active: Some("on".into()),
        reminder_24h: Some("on".into()),
        reminder_1h: Some("on".into()),
        change_notice: "0".into(),
        booking_window_days: services::event_types::DEFAULT_WINDOW_DAYS.to_string(),
        allow_guests: Some("on".into()),
        ..EventTypeForm::default()
    }
}

pub fn stored_form(managed: &ManagedEventType) -> EventTypeForm {
    let draft = EventTypeDraft::from(managed);
    let text = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    let (notice_unit, per_unit) = NOTICE_UNITS
        .into_iter()
        .find(|(_, size)| draft.minimum_notice > 0 && draft.minimum_notice % size == 0)
        .unwrap_or(("hours", 60));
    EventTypeForm {
        title: draft.title,
        slug: draft.slug,
        description: draft.description,
        duration: draft.duration.to_string(),
        interval: text(draft.interval),
        buffer_before: draft.buffer_before.to_string(),
        buffer_after: draft.buffer_after.to_string(),
        minimum_notice: (draft.minimum_notice / per_unit).to_string(),
        minimum_notice_unit: notice_unit.into(),
        booking_window_days: text(draft.window_days),
        daily_limit: text(draft.daily_limit),
        location_kind: draft.location_kind,
        location_detail: draft.location_detail,
        mode: draft.mode,
        hosts: draft.hosts.iter().map(i64::to_string).collect(),
        active: draft.active.then(|| "on".into()),
        reminder_24h: draft.reminder_24h.then(|| "on".into()),
        reminder_1h: draft.reminder_1h.then(|| "on".into()),
        change_notice: draft.change_notice.to_string(),
        allow_guests: draft.allow_guests.then(|| "on".into()),
        questions: None,
    }
}

/// Questions as the editor shows them, options one per line: the stored ones, or for a new
/// event type the default notes question.
pub fn question_forms(questions: &[domain::Question]) -> Vec<QuestionForm> {
    questions
        .iter()
        .map(|q| QuestionForm {
            key: q.key.to_string(),
            kind: q.kind.to_string(),
            label: q.label.clone(),
            help: q.help.clone(),
            required: q.required,
            hidden: q.hidden,
            options: q.options.join("\n"),
        })
        .collect()
}

/// The posted list of questions (JSON, see [`EventTypeForm::questions`]) as drafts, options split
/// into lines with blank ones dropped; `None` when none was posted.
fn question_drafts(posted: Option<&str>) -> Result<Option<Vec<QuestionDraft>>, &'static str> {
    let Some(json) = posted else { return Ok(None) };
    let forms: Vec<QuestionForm> = serde_json::from_str(json).map_err(|_| d(Dash::EventTypesInvalidQuestions))?;
    let drafts = forms
        .into_iter()
        .map(|q| QuestionDraft {
            options: q
                .options
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(str::to_owned)
                .collect(),
            key: q.key,
            kind: q.kind,
            label: q.label,
            help: q.help,
            required: q.required,
            hidden: q.hidden,
        })
        .collect();
    Ok(Some(drafts))
}

/// Reads the form's numbers (naming each one that is not a whole number) into an
/// `EventTypeDraft` and validates it; every problem of both steps comes back together.
pub fn parse_form(form: &EventTypeForm) -> Result<NewEventType, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut required = |field: &str, raw: &str| whole(raw).unwrap_or_else(|e| record(&mut errors, field, e));
    let duration = required("duration", &form.duration);
    let buffer_before = required("buffer_before", &form.buffer_before);
    let buffer_after = required("buffer_after", &form.buffer_after);
    let notice = required("minimum_notice", &form.minimum_notice).checked_mul(notice_unit(&form.minimum_notice_unit));
    let change_notice = required("change_notice", &form.change_notice);
    let mut optional = |field: &str, raw: &str| optional_whole(raw).unwrap_or_else(|e| record(&mut errors, field, e));
    let interval = optional("interval", &form.interval);
    let window_days = optional("booking_window_days", &form.booking_window_days);
    let daily_limit = optional("daily_limit", &form.daily_limit);
    let questions = question_drafts(form.questions.as_deref()).unwrap_or_else(|e| record(&mut errors, "questions", e));
    let hosts = form
        .hosts
        .iter()
        .filter_map(|id| {
            id.parse()
                .map_err(|_| errors.add("hosts", d(Dash::EventTypesInvalidHosts)))
                .ok()
        })
        .collect();
    let draft = EventTypeDraft {
        slug: form.slug.clone(),
        title: form.title.clone(),
        description: form.description.clone(),
        duration,
        interval,
        buffer_before,
        buffer_after,
        minimum_notice: notice.unwrap_or(i64::MAX),
        window_days,
        daily_limit,
        location_kind: form.location_kind.clone(),
        location_detail: form.location_detail.clone(),
        mode: form.mode.clone(),
        hosts,
        active: form.active.is_some(),
        reminder_24h: form.reminder_24h.is_some(),
        reminder_1h: form.reminder_1h.is_some(),
        change_notice,
        questions,
        allow_guests: form.allow_guests.is_some(),
    };
    match draft.validate() {
        Ok(valid) if errors.is_empty() => Ok(valid),
        Ok(_) => Err(errors),
        Err(found) => {
            for (field, message) in found.0 {
                errors.add(&field, message);
            }
            Err(errors)
        }
    }
}

/// A stand-in for a field that already has its error (the first message per field wins), so
/// validation still runs and reports the other fields.
fn record<T: Default>(errors: &mut FieldErrors, field: &str, message: &str) -> T {
    errors.add(field, message);
    T::default()
}

fn whole(raw: &str) -> Result<i64, &'static str> {
    match raw.trim() {
        "" => Err(d(Dash::EventTypesEnterNumber)),
        text => text.parse().map_err(|_| d(Dash::EventTypesEnterWholeNumber)),
    }
}

fn optional_whole(raw: &str) -> Result<Option<i64>, &'static str> {
    match raw.trim() {
        "" => Ok(None),
        text => whole(text).map(Some),
    }
}

fn notice_unit(unit: &str) -> i64 {
    NOTICE_UNITS
        .into_iter()
        .find(|(name, _)| *name == unit)
        .map_or(1, |(_, size)| size)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> EventTypeForm {
        EventTypeForm {
            title: "Product demo".into(),
            slug: "demo".into(),
            duration: "45".into(),
            buffer_before: "5".into(),
            buffer_after: "0".into(),
            minimum_notice: "2".into(),
            minimum_notice_unit: "hours".into(),
            location_kind: "video".into(),
            mode: "single".into(),
            hosts: vec!["7".into()],
            active: Some("on".into()),
            reminder_24h: Some("on".into()),
            change_notice: "120".into(),
            ..EventTypeForm::default()
        }
    }

    #[test]
    fn a_filled_form_becomes_settings_with_notice_in_minutes() {
        let valid = parse_form(&EventTypeForm {
            daily_limit: "4".into(),
            ..form()
        })
        .unwrap();
        assert_eq!(valid.rules.minimum_notice.0, 120);
        assert_eq!((valid.rules.duration.0, valid.rules.daily_limit), (45, Some(4)));
        assert_eq!((valid.hosts, valid.active), (vec![7], true));
        let n = valid.notifications;
        assert_eq!((n.reminder_24h, n.reminder_1h, n.change_notice.0), (true, false, 120));
    }

    #[test]
    fn unreadable_numbers_and_invalid_settings_are_reported_together() {
        let bad = EventTypeForm {
            title: " ".into(),
            duration: "0".into(),
            buffer_before: "ten".into(),
            interval: "2.5".into(),
            daily_limit: "0".into(),
            change_notice: "".into(),
            ..form()
        };
        let errors = parse_form(&bad).unwrap_err();
        assert_eq!(errors.get("buffer_before"), Some("Enter a whole number."));
        assert_eq!(errors.get("interval"), Some("Enter a whole number."));
        assert_eq!(errors.get("change_notice"), Some("Enter a number."));
        for field in ["title", "duration", "daily_limit"] {
            assert!(errors.get(field).is_some(), "{field}: {errors}");
        }
    }

    #[test]
    fn stored_notice_is_shown_in_its_largest_exact_unit() {
        for (minutes, amount, unit) in [
            (2880, "2", "days"),
            (90, "90", "minutes"),
            (120, "2", "hours"),
            (0, "0", "hours"),
        ] {
            let form = stored_form(&stored_with_notice(minutes));
            assert_eq!(
                (form.minimum_notice.as_str(), form.minimum_notice_unit.as_str()),
                (amount, unit)
            );
        }
    }

    #[test]
    fn stored_notifications_fill_the_form_and_come_back_unchanged() {
        let stored = stored_with_notice(0);
        let form = stored_form(&stored);
        assert_eq!(
            (form.reminder_24h.as_deref(), form.reminder_1h.as_deref()),
            (Some("on"), None)
        );
        assert_eq!(form.change_notice, "30");
        let e = &stored.event_type;
        let n = parse_form(&form).unwrap().notifications;
        assert_eq!(
            (n.reminder_24h, n.reminder_1h, i64::from(n.change_notice.0)),
            (e.reminder_24h, e.reminder_1h, e.change_notice_minutes)
        );
    }

    fn posted(questions: &str) -> EventTypeForm {
        EventTypeForm {
            questions: Some(questions.into()),
            ..form()
        }
    }

    #[test]
    fn posted_questions_are_saved_in_order_with_one_option_per_line() {
        let json = r#"[
            {"key": "size", "kind": "dropdown", "label": "Team size", "options": "1-10\n\n 11-50 \n"},
            {"key": "company", "kind": "short_text", "label": "Company", "help": "Where you work", "required": true}
        ]"#;
        let questions = parse_form(&posted(json)).unwrap().questions.unwrap();
        let keys: Vec<_> = questions.iter().map(|q| q.key.as_str()).collect();
        assert_eq!(keys, ["size", "company"]);
        assert_eq!(questions[0].options, ["1-10", "11-50"]);
        assert_eq!(
            (questions[1].help.as_str(), questions[1].required),
            ("Where you work", true)
        );
    }

    #[test]
    fn a_form_without_questions_keeps_them_and_an_empty_list_removes_them() {
        assert_eq!(parse_form(&form()).unwrap().questions, None);
        assert_eq!(parse_form(&posted("[]")).unwrap().questions, Some(Vec::new()));
    }

    #[test]
    fn wrong_questions_are_named_by_position_together_with_the_other_fields() {
        let bad = EventTypeForm {
            title: " ".into(),
            ..posted(
                r#"[{"key": "a", "kind": "short_text", "label": "A"},
                    {"key": "lang", "kind": "single_choice", "label": "Language", "options": "\n "}]"#,
            )
        };
        let errors = parse_form(&bad).unwrap_err();
        assert_eq!(errors.get("questions.1.options"), Some("Offer 1 to 50 options."));
        assert!(errors.get("title").is_some(), "{errors}");
        assert_eq!(errors.get("questions.0.label"), None);
    }

    #[test]
    fn an_unreadable_list_of_questions_is_an_error_on_the_questions() {
        let errors = parse_form(&posted("{not json")).unwrap_err();
        assert!(errors.get("questions").is_some(), "{errors}");
    }

    #[test]
    fn stored_questions_and_guests_fill_the_editor_and_come_back_unchanged() {
        let question = |key: &str, kind: &str, options: &[&str]| {
            let draft = QuestionDraft {
                key: key.into(),
                kind: kind.into(),
                label: format!("About {key}"),
                help: "Some help".into(),
                hidden: kind == "short_text",
                options: options.iter().map(|o| (*o).to_owned()).collect(),
                ..QuestionDraft::default()
            };
            domain::Question::new(&draft, "q").unwrap()
        };
        let mut stored = stored_with_notice(0);
        stored.event_type.allow_guests = false;
        stored.questions = vec![
            question("topics", "multiple_choice", &["Pricing", "Security"]),
            question("source", "short_text", &[]),
        ];
        let editor = question_forms(&stored.questions);
        assert_eq!(editor[0].options, "Pricing\nSecurity");
        let form = EventTypeForm {
            questions: Some(serde_json::to_string(&editor).unwrap()),
            ..stored_form(&stored)
        };
        assert_eq!(form.allow_guests, None);
        let valid = parse_form(&form).unwrap();
        assert_eq!((valid.questions, valid.allow_guests), (Some(stored.questions), false));
    }

    fn stored_with_notice(minutes: i64) -> ManagedEventType {
        ManagedEventType {
            event_type: services::event_types::EventType {
                id: 1,
                team_id: 1,
                slug: "demo".into(),
                title: "Product demo".into(),
                description: String::new(),
                duration_minutes: 30,
                interval_minutes: None,
                buffer_before_minutes: 0,
                buffer_after_minutes: 0,
                minimum_notice_minutes: minutes,
                window_days: None,
                daily_limit: None,
                location_kind: "video".into(),
                location_detail: String::new(),
                mode: "single".into(),
                active: true,
                reminder_24h: true,
                reminder_1h: false,
                change_notice_minutes: 30,
                allow_guests: true,
            },
            host_ids: vec![],
            questions: vec![],
        }
    }

    #[test]
    fn snippets_point_at_the_booking_page_and_escape_the_title() {
        let s = embed_snippets(
            "https://x.test/acme/demo",
            "https://x.test/embed.js",
            r#"Say "hi" & <b>"#,
        );
        assert!(
            s.inline
                .starts_with(r#"<div data-rendezvous-inline="https://x.test/acme/demo"></div><script"#)
        );
        assert!(
            s.popup
                .contains(r#">Book a demo</button><script src="https://x.test/embed.js" async>"#)
        );
        assert!(
            s.iframe
                .contains(r#"src="https://x.test/acme/demo?embed=1" title="Book Say &quot;hi&quot; &amp; &lt;b&gt;""#)
        );
        assert_eq!(
            (duration_label(45), duration_label(60), duration_label(90)),
            ("45 min".into(), "1 h".into(), "1 h 30 min".into())
        );
    }
}
