//! Storage of an event type's booking questions and of a booking's answers and guests.

use crate::ServiceError;
use domain::{Answer, AnswerValue, Question, QuestionKey, QuestionKind};
use sqlx::{Any, Executor, Transaction};

#[derive(sqlx::FromRow)]
struct QuestionRow {
    question_key: String,
    kind: String,
    label: String,
    help: String,
    required: i64,
    hidden: i64,
    options: String,
}

impl QuestionRow {
    /// Rows were valid questions when written; one that no longer parses is a bug, reported.
    fn question(self) -> Result<Question, ServiceError> {
        let broken =
            |what: &str| ServiceError::internal(anyhow::anyhow!("stored question {}: {what}", self.question_key));
        Ok(Question {
            key: QuestionKey::parse(&self.question_key).map_err(|_| broken("key"))?,
            kind: QuestionKind::parse(&self.kind).map_err(|_| broken("kind"))?,
            options: serde_json::from_str(&self.options).map_err(|_| broken("options"))?,
            label: self.label,
            help: self.help,
            required: self.required != 0,
            hidden: self.hidden != 0,
        })
    }
}

/// The questions of event type `event_type_id`, in order.
pub async fn questions<'e>(
    db: impl Executor<'e, Database = Any>,
    event_type_id: i64,
) -> Result<Vec<Question>, ServiceError> {
    let rows: Vec<QuestionRow> = sqlx::query_as(
        "SELECT question_key, kind, label, help, required, hidden, options FROM event_type_questions \
         WHERE event_type_id = $1 ORDER BY position",
    )
    .bind(event_type_id)
    .fetch_all(db)
    .await?;
    rows.into_iter().map(QuestionRow::question).collect()
}

/// Replaces the questions of event type `event_type_id`.
pub(crate) async fn set_questions(
    tx: &mut Transaction<'static, Any>,
    event_type_id: i64,
    questions: &[Question],
) -> Result<(), ServiceError> {
    sqlx::query("DELETE FROM event_type_questions WHERE event_type_id = $1")
        .bind(event_type_id)
        .execute(&mut **tx)
        .await?;
    for (position, question) in (0_i64..).zip(questions) {
        sqlx::query(
            "INSERT INTO event_type_questions \
             (event_type_id, position, question_key, kind, label, help, required, hidden, options) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(event_type_id)
        .bind(position)
        .bind(question.key.as_str())
        .bind(question.kind.as_str())
        .bind(question.label.as_str())
        .bind(question.help.as_str())
        .bind(i64::from(question.required))
        .bind(i64::from(question.hidden))
        .bind(serde_json::to_string(&question.options).map_err(ServiceError::internal)?)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Stores a new booking's answers and guests, in the transaction that books it.
pub(crate) async fn record_answers(
    tx: &mut Transaction<'static, Any>,
    booking_id: i64,
    answers: &[Answer],
    guests: &[domain::Email],
) -> Result<(), ServiceError> {
    for (position, answer) in (0_i64..).zip(answers) {
        sqlx::query(
            "INSERT INTO booking_answers (booking_id, position, question_key, kind, label, value) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(booking_id)
        .bind(position)
        .bind(answer.key.as_str())
        .bind(answer.kind.as_str())
        .bind(answer.label.as_str())
        .bind(serde_json::to_string(&answer.value).map_err(ServiceError::internal)?)
        .execute(&mut **tx)
        .await?;
    }
    for guest in guests {
        sqlx::query("INSERT INTO booking_guests (booking_id, email) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(booking_id)
            .bind(guest.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    question_key: String,
    kind: String,
    label: String,
    value: String,
}

/// A booking's answers as they were given, in the order asked.
pub async fn booking_answers<'e>(
    db: impl Executor<'e, Database = Any>,
    booking_id: i64,
) -> Result<Vec<Answer>, ServiceError> {
    let rows: Vec<AnswerRow> = sqlx::query_as(
        "SELECT question_key, kind, label, value FROM booking_answers WHERE booking_id = $1 ORDER BY position",
    )
    .bind(booking_id)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            let broken =
                |what: &str| ServiceError::internal(anyhow::anyhow!("stored answer {}: {what}", row.question_key));
            let value: serde_json::Value = serde_json::from_str(&row.value).map_err(|_| broken("value"))?;
            Ok(Answer {
                key: QuestionKey::parse(&row.question_key).map_err(|_| broken("key"))?,
                kind: QuestionKind::parse(&row.kind).map_err(|_| broken("kind"))?,
                label: row.label.clone(),
                value: answer_value(value).ok_or_else(|| broken("value"))?,
            })
        })
        .collect()
}

fn answer_value(value: serde_json::Value) -> Option<AnswerValue> {
    match value {
        serde_json::Value::String(text) => Some(AnswerValue::Text(text)),
        serde_json::Value::Bool(checked) => Some(AnswerValue::Checked(checked)),
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(AnswerValue::Choices),
        _ => None,
    }
}

/// A booking's guests.
pub async fn booking_guests<'e>(
    db: impl Executor<'e, Database = Any>,
    booking_id: i64,
) -> Result<Vec<String>, ServiceError> {
    Ok(
        sqlx::query_scalar("SELECT email FROM booking_guests WHERE booking_id = $1 ORDER BY email")
            .bind(booking_id)
            .fetch_all(db)
            .await?,
    )
}

impl crate::Services {
    /// The questions event type `event_type_id` asks, in order.
    pub async fn event_type_questions(&self, event_type_id: i64) -> Result<Vec<Question>, ServiceError> {
        questions(self.db().pool(), event_type_id).await
    }
}
