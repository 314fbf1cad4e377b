//! Every parser of outside text, fed arbitrary strings: none panics, and whatever one accepts it
//! accepts again unchanged from its own output (parsing is a normal form, so a stored value
//! never reads back differently).

use domain::*;
use proptest::prelude::*;

/// Arbitrary text, weighted toward what breaks parsers: control characters, NUL, quotes,
/// separators, non-ASCII, very long runs.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\x7f \"'<>@.;:,/\\\\+%-]{0,40}",
        "[a-zA-Z0-9@._+-]{0,80}",
        "[0-9:]{0,8}",
        ".{0,3000}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn no_parser_panics_and_every_accepted_value_is_a_fixed_point(raw in hostile()) {
        if let Ok(email) = Email::parse(&raw) {
            prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email.clone());
            prop_assert!(email.as_str().contains('@'));
        }
        let texts = [DisplayName::parse(&raw).map(|v| v.as_str().to_owned()),
                     TeamName::parse(&raw).map(|v| v.as_str().to_owned()),
                     EventTitle::parse(&raw).map(|v| v.as_str().to_owned()),
                     Notes::parse(&raw).map(|v| v.as_str().to_owned())];
        for value in texts.into_iter().flatten() {
            prop_assert!(!value.contains('\0'));
        }
        if let Ok(name) = DisplayName::parse(&raw) {
            prop_assert_eq!(DisplayName::parse(name.as_str()).unwrap(), name.clone());
        }
        if let Ok(notes) = Notes::parse(&raw) {
            prop_assert_eq!(Notes::parse(notes.as_str()).unwrap(), notes.clone());
        }
        if let Ok(Some(reason)) = CancelReason::parse(&raw) {
            let again = CancelReason::parse(reason.as_str()).unwrap().unwrap();
            prop_assert_eq!(again.as_str(), reason.as_str());
        }
        if let Ok(slug) = TeamSlug::parse(&raw) {
            let again = TeamSlug::parse(slug.as_str()).unwrap();
            prop_assert_eq!(again.as_str(), slug.as_str());
        }
        if let Ok(zone) = TimeZoneName::parse(&raw) {
            prop_assert_eq!(TimeZoneName::parse(zone.as_str()).unwrap().as_str(), zone.as_str());
        }
        if let Ok(key) = QuestionKey::parse(&raw) {
            prop_assert_eq!(QuestionKey::parse(key.as_str()).unwrap(), key.clone());
        }
        if let Ok(phone) = e164(&raw) {
            prop_assert_eq!(e164(&phone).unwrap(), phone.clone());
        }
        let asked = questions(&QuestionKind::ALL.map(|kind| QuestionDraft {
            key: kind.as_str().to_owned(),
            kind: kind.as_str().to_owned(),
            label: raw.clone(),
            options: vec![raw.clone(), "b".to_owned()],
            ..QuestionDraft::default()
        }));
        if let Ok(asked) = asked {
            let given = QuestionKind::ALL.map(|kind| (kind.as_str().to_owned(), RawAnswer::One(raw.clone())));
            let _ = answers(&asked, &given.into_iter().collect());
        }
        let _ = Password::parse(&raw);
        let _ = Role::parse(&raw);
        let _ = EmbedOrigins::parse(&raw);
        let _ = ClockTime::parse(&raw);
        let _ = DayHours::parse([(raw.as_str(), "17:00"), ("09:00", raw.as_str())]);
    }
}
