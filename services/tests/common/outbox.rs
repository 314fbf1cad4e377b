//! Reading what the suite mailed (no SMTP configured: the outbox).

use services::Services;
use services::accounts::Member;
use services::mail::outbox::OutboxEntry;

/// The outbox, oldest first, as (recipient, subject).
pub async fn sent(s: &Services, admin: &Member) -> Vec<(String, String)> {
    let mut entries: Vec<OutboxEntry> = s.outbox(admin).await.unwrap().expect("no SMTP: outbox");
    entries.reverse();
    entries.into_iter().map(|e| (e.to, e.subject)).collect()
}

/// The text of the newest message to `to` whose subject starts with `subject`.
pub async fn letter(s: &Services, admin: &Member, to: &str, subject: &str) -> services::mail::outbox::OutboxMessage {
    let entry = s
        .outbox(admin)
        .await
        .unwrap()
        .unwrap()
        .into_iter()
        .find(|e| e.to == to && e.subject.starts_with(subject))
        .unwrap_or_else(|| panic!("no {subject:?} to {to}"));
    s.outbox_message(admin, &entry.id).await.unwrap()
}

/// The `invite.ics` attached to the newest message to `to` whose subject starts with `subject`.
pub async fn invitation(s: &Services, admin: &Member, to: &str, subject: &str) -> String {
    let message = letter(s, admin, to, subject).await;
    assert_eq!(message.attachments, vec!["invite.ics".to_owned()]);
    let ics = message.calendar.expect("an invitation");
    super::keep_for_independent_check(&format!("{}-{}", message.entry.id, subject.trim_end_matches(':')), &ics);
    ics
}

/// The `.ics` with its folded lines (RFC 5545 §3.1) joined again.
pub fn unfolded(ics: &str) -> String {
    ics.replace("\r\n ", "").replace("\n ", "")
}

/// A property's value in an `.ics` (on one line: see [`unfolded`]).
pub fn property<'a>(ics: &'a str, name: &str) -> &'a str {
    ics.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(':')))
        .unwrap_or_else(|| panic!("no {name} in\n{ics}"))
        .trim_end()
}
