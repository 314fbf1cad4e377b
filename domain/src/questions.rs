//! Booking questions an event type asks beyond name and email, and the attendee's answers.
//!
//! A question has a stable `key` (for prefilling from URLs, embeds and the API, and in webhook
//! payloads) and a label that may change; an answer keeps the label as it was asked, so changing or
//! deleting a question later never loses what a past attendee said.

use crate::{FieldErrors, Invalid};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    ShortText,
    LongText,
    /// Stored in E.164 (`+4930123456`).
    Phone,
    /// One option, shown as radio buttons.
    SingleChoice,
    /// One option, shown as a drop-down list.
    Dropdown,
    /// Any number of options.
    MultipleChoice,
    /// A single box to tick, such as consent; required means it must be ticked.
    Checkbox,
    Number,
}

impl QuestionKind {
    pub const ALL: [Self; 8] = [
        Self::ShortText,
        Self::LongText,
        Self::Phone,
        Self::SingleChoice,
        Self::Dropdown,
        Self::MultipleChoice,
        Self::Checkbox,
        Self::Number,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShortText => "short_text",
            Self::LongText => "long_text",
            Self::Phone => "phone",
            Self::SingleChoice => "single_choice",
            Self::Dropdown => "dropdown",
            Self::MultipleChoice => "multiple_choice",
            Self::Checkbox => "checkbox",
            Self::Number => "number",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == raw)
            .ok_or_else(|| Invalid::new("Choose a kind of question."))
    }

    /// Whether the question offers a list of options.
    pub fn has_options(self) -> bool {
        matches!(self, Self::SingleChoice | Self::Dropdown | Self::MultipleChoice)
    }
}

impl fmt::Display for QuestionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A question's stable name: lowercase letters, digits and `_`, starting with a letter, at most
/// 40 characters (`company`, `a_phone`). Names the form already uses are reserved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct QuestionKey(String);

/// Keys the booking form and its links already use for something else.
const RESERVED_KEYS: &[&str] = &[
    "name", "email", "guests", "timezone", "zone", "start", "month", "embed", "token",
];

impl QuestionKey {
    pub const MAX_CHARS: usize = 40;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let key = raw.trim();
        let shaped = key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && key.len() <= Self::MAX_CHARS
            && key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !shaped {
            return Err(Invalid::new(
                "Use lowercase letters, digits and _, starting with a letter (at most 40).",
            ));
        }
        if RESERVED_KEYS.contains(&key) {
            return Err(Invalid::new(format!(
                "`{key}` is used by the booking form; choose another."
            )));
        }
        Ok(Self(key.to_owned()))
    }

    /// A key made from a label: `"Company size"` → `company_size`.
    pub fn suggest(label: &str) -> Self {
        let mut key = String::new();
        for c in label.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                key.push(c);
            } else if !key.is_empty() && !key.ends_with('_') {
                key.push('_');
            }
        }
        let key: String = key.trim_end_matches('_').chars().take(Self::MAX_CHARS).collect();
        if key.is_empty() {
            return Self("question".to_owned());
        }
        Self::parse(&key)
            .or_else(|_| Self::parse(&format!("q_{key}").chars().take(Self::MAX_CHARS).collect::<String>()))
            .unwrap_or_else(|_| Self("question".to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QuestionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One question, valid as a whole (see [`Question::new`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Question {
    pub key: QuestionKey,
    pub kind: QuestionKind,
    pub label: String,
    pub help: String,
    pub required: bool,
    /// Not shown on the form; a value can still be prefilled (from a link, an embed or the API).
    pub hidden: bool,
    /// For the kinds with options; empty for the others.
    pub options: Vec<String>,
}

/// A question as an admin typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionDraft {
    pub key: String,
    pub kind: String,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub hidden: bool,
    pub options: Vec<String>,
}

pub const MAX_QUESTIONS: usize = 30;

/// What a new event type asks unless told otherwise: the optional notes field every booking form
/// had before questions existed, now an ordinary question.
pub fn default_questions() -> Vec<Question> {
    vec![Question {
        key: QuestionKey("notes".to_owned()),
        kind: QuestionKind::LongText,
        label: "Anything that helps prepare?".to_owned(),
        help: String::new(),
        required: false,
        hidden: false,
        options: Vec::new(),
    }]
}
const MAX_OPTIONS: usize = 50;

impl Question {
    /// Checks a draft, naming each problem under `{prefix}.{field}`.
    pub fn new(draft: &QuestionDraft, prefix: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let field = |name: &str| format!("{prefix}.{name}");
        let kind = errors.check(&field("kind"), QuestionKind::parse(&draft.kind));
        let key = errors.check(&field("key"), QuestionKey::parse(&draft.key));
        let label = errors.check(&field("label"), line(&draft.label, "question", 200));
        let help = draft.help.trim().to_owned();
        if help.chars().count() > 500 || help.chars().any(char::is_control) {
            errors.add(&field("help"), "Keep the help text to one line under 500 characters.");
        }
        if draft.hidden && draft.required {
            errors.add(
                &field("hidden"),
                "A hidden question cannot be required: nobody would see it.",
            );
        }
        let options = match kind {
            Some(kind) if kind.has_options() => errors.check(&field("options"), options(&draft.options)),
            _ => Some(Vec::new()),
        };
        match (kind, key, label, options) {
            (Some(kind), Some(key), Some(label), Some(options)) if errors.is_empty() => Ok(Self {
                key,
                kind,
                label,
                help,
                required: draft.required,
                hidden: draft.hidden,
                options,
            }),
            _ => Err(errors),
        }
    }
}

/// An event type's questions, in order, with distinct keys.
pub fn questions(drafts: &[QuestionDraft]) -> Result<Vec<Question>, FieldErrors> {
    let mut errors = FieldErrors::new();
    if drafts.len() > MAX_QUESTIONS {
        errors.add("questions", format!("Ask at most {MAX_QUESTIONS} questions."));
    }
    let mut valid = Vec::with_capacity(drafts.len());
    for (n, draft) in drafts.iter().enumerate() {
        match Question::new(draft, &format!("questions.{n}")) {
            Ok(question) if valid.iter().any(|q: &Question| q.key == question.key) => {
                errors.add(&format!("questions.{n}.key"), "Another question already uses this key.");
            }
            Ok(question) => valid.push(question),
            Err(problems) => errors.extend(problems),
        }
    }
    errors.into_result().map(|()| valid)
}

fn line(raw: &str, what: &str, max: usize) -> Result<String, Invalid> {
    let value = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        return Err(Invalid::new(format!("Enter the {what}.")));
    }
    if value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(Invalid::new(format!(
            "Keep the {what} to one line under {max} characters."
        )));
    }
    Ok(value)
}

fn options(raw: &[String]) -> Result<Vec<String>, Invalid> {
    let mut options: Vec<String> = Vec::new();
    for option in raw {
        let option = line(option, "option", 100)?;
        if options.contains(&option) {
            return Err(Invalid::new(format!("`{option}` is listed twice.")));
        }
        options.push(option);
    }
    if options.is_empty() || options.len() > MAX_OPTIONS {
        return Err(Invalid::new(format!("Offer 1 to {MAX_OPTIONS} options.")));
    }
    Ok(options)
}

/// An answer as it arrives: one value, or several (a multiple choice; a form sends the key once
/// per ticked option).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawAnswer {
    One(String),
    Many(Vec<String>),
}

impl RawAnswer {
    fn values(&self) -> Vec<&str> {
        match self {
            Self::One(value) => vec![value.as_str()],
            Self::Many(values) => values.iter().map(String::as_str).collect(),
        }
    }
}

/// A valid answer, with the question as it was asked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Answer {
    pub key: QuestionKey,
    pub label: String,
    pub kind: QuestionKind,
    pub value: AnswerValue,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum AnswerValue {
    /// Text, a phone number in E.164, a chosen option, or a number as written (normalised).
    Text(String),
    /// The options ticked in a multiple choice.
    Choices(Vec<String>),
    /// A checkbox.
    Checked(bool),
}

impl AnswerValue {
    /// For emails, invitations and the dashboard.
    pub fn display(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Choices(choices) => choices.join(", "),
            Self::Checked(true) => "Yes".to_owned(),
            Self::Checked(false) => "No".to_owned(),
        }
    }
}

/// Checks `raw` answers against `questions`; every problem is named at once, under
/// `answers.{key}`. Unknown keys are ignored (a stale link may carry them). An unanswered optional
/// question is left out, except a checkbox, which is then "No".
pub fn answers(questions: &[Question], raw: &BTreeMap<String, RawAnswer>) -> Result<Vec<Answer>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut valid = Vec::new();
    for question in questions {
        let given: Vec<&str> = raw
            .get(question.key.as_str())
            .map(RawAnswer::values)
            .unwrap_or_default()
            .into_iter()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        let field = format!("answers.{}", question.key);
        match answer(question, &given) {
            Ok(Some(value)) => valid.push(Answer {
                key: question.key.clone(),
                label: question.label.clone(),
                kind: question.kind,
                value,
            }),
            Ok(None) if question.required => errors.add(&field, "This question needs an answer."),
            Ok(None) => {}
            Err(problem) => errors.add(&field, problem.0),
        }
    }
    errors.into_result().map(|()| valid)
}

fn answer(question: &Question, given: &[&str]) -> Result<Option<AnswerValue>, Invalid> {
    use QuestionKind as K;
    if question.kind == K::Checkbox {
        let checked = given.first().is_some_and(|v| matches!(*v, "on" | "true" | "yes" | "1"));
        return Ok((checked || !question.required).then_some(AnswerValue::Checked(checked)));
    }
    if given.is_empty() {
        return Ok(None);
    }
    if given.len() > 1 && question.kind != K::MultipleChoice {
        return Err(Invalid::new("Give one answer."));
    }
    let one = given[0];
    let value = match question.kind {
        K::ShortText => AnswerValue::Text(line(one, "answer", 300)?),
        K::LongText => AnswerValue::Text(crate::Notes::parse(one).map(|n| n.as_str().to_owned())?),
        K::Phone => AnswerValue::Text(e164(one)?),
        K::Number => AnswerValue::Text(number(one)?),
        K::SingleChoice | K::Dropdown => AnswerValue::Text(option(question, one)?),
        K::MultipleChoice => {
            let mut chosen = Vec::new();
            for value in given {
                let value = option(question, value)?;
                if !chosen.contains(&value) {
                    chosen.push(value);
                }
            }
            // In the order offered, whatever order they came in.
            chosen.sort_by_key(|c| question.options.iter().position(|o| o == c));
            AnswerValue::Choices(chosen)
        }
        K::Checkbox => unreachable!("answered above"),
    };
    Ok(Some(value))
}

fn option(question: &Question, value: &str) -> Result<String, Invalid> {
    question
        .options
        .iter()
        .find(|o| o.as_str() == value)
        .cloned()
        .ok_or_else(|| Invalid::new("Choose one of the options."))
}

/// A phone number with its country code, normalised to E.164: `+49 (30) 123-456` → `+4930123456`;
/// a leading `00` stands for `+`.
pub fn e164(raw: &str) -> Result<String, Invalid> {
    let problem = || Invalid::new("Enter the number with its country code, like +49 30 1234567.");
    let compact: String = raw.chars().filter(|c| !" -.()/\u{a0}".contains(*c)).collect();
    let digits = compact
        .strip_prefix('+')
        .or_else(|| compact.strip_prefix("00"))
        .ok_or_else(problem)?;
    let shaped =
        (8..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()) && !digits.starts_with('0');
    if shaped {
        Ok(format!("+{digits}"))
    } else {
        Err(problem())
    }
}

/// A decimal number as written, without its surrounding space: `-12.5`, `3`; at most 15 digits.
fn number(raw: &str) -> Result<String, Invalid> {
    let problem = || Invalid::new("Enter a number, like 12 or 3.5.");
    let unsigned = raw.strip_prefix('-').unwrap_or(raw);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = whole.len() + fraction.len();
    let shaped = !whole.is_empty()
        && (1..=15).contains(&digits)
        && whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit())
        && !(unsigned.contains('.') && fraction.is_empty());
    if shaped { Ok(raw.to_owned()) } else { Err(problem()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(key: &str, kind: &str) -> QuestionDraft {
        QuestionDraft {
            key: key.into(),
            kind: kind.into(),
            label: format!("The {key}?"),
            options: vec!["Small".into(), "Large".into()],
            ..QuestionDraft::default()
        }
    }

    fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, RawAnswer> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), RawAnswer::One(v.to_string())))
            .collect()
    }

    #[test]
    fn keys_are_stable_names_and_the_forms_own_are_reserved() {
        assert!(QuestionKey::parse("company_size2").is_ok());
        for bad in ["", "Company", "2x", "a-b", "email", "name", &"a".repeat(41)] {
            assert!(QuestionKey::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(QuestionKey::suggest("Company size?").as_str(), "company_size");
        assert_eq!(QuestionKey::suggest("Email").as_str(), "q_email");
        assert_eq!(QuestionKey::suggest("¿Qué?").as_str(), "qu");
        assert_eq!(QuestionKey::suggest("!!!").as_str(), "question");
    }

    #[test]
    fn every_problem_of_a_question_list_is_named_at_once() {
        let mut hidden_required = draft("secret", "short_text");
        (hidden_required.hidden, hidden_required.required) = (true, true);
        let mut no_options = draft("size", "dropdown");
        no_options.options.clear();
        let drafts = [
            draft("company", "short_text"),
            draft("company", "long_text"),
            hidden_required,
            no_options,
            draft("x", "colour"),
        ];
        let errors = questions(&drafts).unwrap_err();
        let named: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(
            named,
            [
                "questions.1.key",
                "questions.2.hidden",
                "questions.3.options",
                "questions.4.kind"
            ]
        );
    }

    #[test]
    fn answers_are_checked_and_normalised_per_kind() {
        let mut phone = draft("phone_number", "phone");
        phone.required = true;
        let mut consent = draft("consent", "checkbox");
        consent.required = true;
        let asked = questions(&[
            phone,
            draft("size", "single_choice"),
            draft("seats", "number"),
            consent,
            draft("topics", "multiple_choice"),
        ])
        .unwrap();
        let mut given = raw(&[
            ("phone_number", "0049 (30) 123-4567"),
            ("size", "Large"),
            ("seats", " 12 "),
            ("consent", "on"),
            ("stale", "x"),
        ]);
        given.insert(
            "topics".into(),
            RawAnswer::Many(vec!["Large".into(), "Small".into(), "Large".into()]),
        );
        let answers = answers(&asked, &given).unwrap();
        let values: Vec<String> = answers.iter().map(|a| a.value.display()).collect();
        assert_eq!(values, ["+49301234567", "Large", "12", "Yes", "Small, Large"]);
        assert_eq!(answers[0].label, "The phone_number?", "the label as asked");
    }

    #[test]
    fn missing_and_wrong_answers_are_all_named() {
        let mut phone = draft("phone_number", "phone");
        phone.required = true;
        let mut consent = draft("consent", "checkbox");
        consent.required = true;
        let asked = questions(&[phone, draft("size", "dropdown"), draft("seats", "number"), consent]).unwrap();
        let errors = answers(&asked, &raw(&[("size", "Medium"), ("seats", "1e9")])).unwrap_err();
        let named: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(
            named,
            [
                "answers.consent",
                "answers.phone_number",
                "answers.seats",
                "answers.size"
            ]
        );
    }

    #[test]
    fn an_unticked_optional_checkbox_is_no_and_other_blanks_are_left_out() {
        let asked = questions(&[draft("newsletter", "checkbox"), draft("company", "short_text")]).unwrap();
        let answers = answers(&asked, &raw(&[("company", "  ")])).unwrap();
        assert_eq!(answers.len(), 1);
        assert_eq!(answers[0].value, AnswerValue::Checked(false));
    }

    #[test]
    fn phone_numbers_need_their_country_code() {
        assert_eq!(e164("+1 (415) 555-0100").unwrap(), "+14155550100");
        for bad in [
            "030 1234567",
            "+0301234567",
            "+49 30 12x4567",
            "+123",
            "+1234567890123456",
        ] {
            assert!(e164(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn numbers_are_plain_decimals() {
        for good in ["0", "-12.5", "3"] {
            assert_eq!(number(good).unwrap(), good);
        }
        for bad in ["", "-", "1.", ".5", "1e9", "NaN", "1,5", "1234567890123456"] {
            assert!(number(bad).is_err(), "{bad}");
        }
    }
}
