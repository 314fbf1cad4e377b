//! Migrations meeting rows written before them: what earlier versions stored must mean the same
//! afterwards.

use services::Db;

/// Inserts a team, an event type and two bookings, one with notes, the way version 9 stored them.
async fn bookings_of_version_9(pool: &sqlx::AnyPool) {
    for statement in [
        "INSERT INTO teams (name, slug, created_at) VALUES ('Acme', 'acme', 0)",
        "INSERT INTO event_types (team_id, slug, title, duration_minutes, location_kind, mode, created_at) \
         VALUES (1, 'demo', 'Demo', 30, 'video', 'single', 0)",
        "INSERT INTO bookings (uid, event_type_id, start_at, end_at, blocked_from, blocked_until, attendee_name, \
         attendee_email, attendee_timezone, notes, status, manage_token_hash, created_at, updated_at) \
         VALUES ('with', 1, 0, 1800, 0, 1800, 'Pat', 'pat@example.org', 'UTC', 'Line one\n\"quoted\" line two', \
         'confirmed', 'h1', 0, 0)",
        "INSERT INTO bookings (uid, event_type_id, start_at, end_at, blocked_from, blocked_until, attendee_name, \
         attendee_email, attendee_timezone, notes, status, manage_token_hash, created_at, updated_at) \
         VALUES ('without', 1, 3600, 5400, 3600, 5400, 'Sam', 'sam@example.org', 'UTC', '', 'confirmed', 'h2', 0, 0)",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(pool).await.unwrap();
    }
}

async fn notes_become_answers_to_the_notes_question(url: String) {
    let old = Db::migrated_until(&url, 9).await.unwrap();
    bookings_of_version_9(&old).await;
    old.close().await;
    let db = Db::connect(&url).await.unwrap();

    let questions = services::questions::questions(db.pool(), 1).await.unwrap();
    assert_eq!(
        questions,
        domain::default_questions(),
        "every event type asks the notes question"
    );
    let kept = answers(&db, "with").await;
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].key.as_str(), kept[0].label.as_str()),
        ("notes", "Anything that helps prepare?")
    );
    assert_eq!(
        kept[0].value,
        domain::AnswerValue::Text("Line one\n\"quoted\" line two".into())
    );
    assert!(answers(&db, "without").await.is_empty(), "no empty answers");
}

async fn answers(db: &Db, uid: &str) -> Vec<domain::Answer> {
    let id: i64 = sqlx::query_scalar("SELECT id FROM bookings WHERE uid = $1")
        .bind(uid)
        .fetch_one(db.pool())
        .await
        .unwrap();
    services::questions::booking_answers(db.pool(), id).await.unwrap()
}

#[tokio::test]
async fn on_sqlite_notes_become_answers_to_the_notes_question() {
    let dir = tempfile::tempdir().unwrap();
    notes_become_answers_to_the_notes_question(format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display()))
        .await;
}

#[tokio::test]
async fn on_postgres_notes_become_answers_to_the_notes_question() {
    let Some(admin_url) = std::env::var("RENDEZVOUS_TEST_POSTGRES_URL").ok() else {
        assert!(
            std::env::var("RENDEZVOUS_REQUIRE_POSTGRES").is_err(),
            "PostgreSQL is required"
        );
        return;
    };
    notes_become_answers_to_the_notes_question(services::fixtures::postgres_database(&admin_url).await).await;
}
