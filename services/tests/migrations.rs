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

/// A member's Google connection with its calendars, followed calendar, mirrored event and busy
/// time, the way version 14 stored them.
async fn connection_of_version_14(pool: &sqlx::AnyPool) {
    for statement in [
        "INSERT INTO teams (name, slug, created_at) VALUES ('Acme', 'acme', 0)",
        "INSERT INTO members (team_id, email, name, password_hash, timezone, role, created_at) \
         VALUES (1, 'ada@example.com', 'Ada', 'h', 'UTC', 'admin', 0)",
        "INSERT INTO calendar_connections (member_id, provider, account, access_token_sealed, refresh_token_sealed, \
         access_expires_at, scopes, status, destination_calendar, created_at, updated_at) \
         VALUES (1, 'google', 'ada@example.com', 'a', 'r', 10, 's', 'active', 'primary', 0, 0)",
        "INSERT INTO connection_calendars (connection_id, calendar_id, name, is_primary, writable, check_conflicts) \
         VALUES (1, 'primary', 'Ada', 1, 1, 1)",
        "INSERT INTO connection_busy (connection_id, starts_at, ends_at) VALUES (1, 0, 3600)",
        "INSERT INTO calendar_syncs (connection_id, calendar_id, due_at, created_at) VALUES (1, 'primary', 0, 0)",
        "INSERT INTO calendar_sync_events (sync_id, event_id, title, starts_at, ends_at, all_day, busy) \
         VALUES (1, 'e1', 'Dentist', 0, 3600, 0, 1)",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(pool).await.unwrap();
    }
}

/// Counts of the rows that hang off the connection.
async fn connection_rows(db: &Db) -> [i64; 4] {
    let mut counts = [0; 4];
    for (count, table) in counts.iter_mut().zip([
        "connection_calendars",
        "connection_busy",
        "calendar_syncs",
        "calendar_sync_events",
    ]) {
        *count = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(db.pool())
            .await
            .unwrap();
    }
    counts
}

async fn connections_keep_their_rows_and_caldav_is_allowed(url: String) {
    let old = Db::migrated_until(&url, 14).await.unwrap();
    connection_of_version_14(&old).await;
    old.close().await;
    let db = Db::connect(&url).await.unwrap();
    assert_eq!(
        connection_rows(&db).await,
        [1, 1, 1, 1],
        "nothing hanging off the connection was lost"
    );
    let (provider, destination): (String, String) =
        sqlx::query_as("SELECT provider, destination_calendar FROM calendar_connections WHERE id = 1")
            .fetch_one(db.pool())
            .await
            .unwrap();
    assert_eq!((provider.as_str(), destination.as_str()), ("google", "primary"));
    sqlx::query(
        "INSERT INTO calendar_connections (member_id, provider, account, access_token_sealed, refresh_token_sealed, \
         access_expires_at, scopes, status, server_url, created_at, updated_at) \
         VALUES (1, 'caldav', 'ada@dav.example.com', 'a', 'r', 10, '', 'active', 'https://dav.example.com/ada/', 0, 0)",
    )
    .execute(db.pool())
    .await
    .expect("a CalDAV connection is allowed");
    let other = sqlx::query(
        "INSERT INTO calendar_connections (member_id, provider, account, access_token_sealed, refresh_token_sealed, \
         access_expires_at, scopes, status, created_at, updated_at) \
         VALUES (1, 'yahoo', 'x', 'a', 'r', 10, '', 'active', 0, 0)",
    )
    .execute(db.pool())
    .await;
    assert!(other.is_err(), "the provider is still checked");
    sqlx::query("DELETE FROM calendar_connections WHERE id = 1")
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(connection_rows(&db).await, [0, 0, 0, 0], "the references still cascade");
}

#[tokio::test]
async fn on_sqlite_connections_keep_their_rows_and_caldav_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    connections_keep_their_rows_and_caldav_is_allowed(format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("old.db").display()
    ))
    .await;
}

#[tokio::test]
async fn on_postgres_connections_keep_their_rows_and_caldav_is_allowed() {
    let Some(admin_url) = std::env::var("RENDEZVOUS_TEST_POSTGRES_URL").ok() else {
        assert!(
            std::env::var("RENDEZVOUS_REQUIRE_POSTGRES").is_err(),
            "PostgreSQL is required"
        );
        return;
    };
    connections_keep_their_rows_and_caldav_is_allowed(services::fixtures::postgres_database(&admin_url).await).await;
}

/// Two bookings with their hosts, the way version 16 stored them (host rows without spans).
async fn hosted_bookings_of_version_16(pool: &sqlx::AnyPool) {
    bookings_of_version_9(pool).await;
    for statement in [
        "INSERT INTO members (team_id, email, name, password_hash, timezone, role, created_at) \
         VALUES (1, 'ada@example.com', 'Ada', 'h', 'UTC', 'admin', 0)",
        "INSERT INTO booking_hosts (booking_id, member_id) VALUES (1, 1)",
        "INSERT INTO booking_hosts (booking_id, member_id) VALUES (2, 1)",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(pool).await.unwrap();
    }
}

/// Each host row's copy of its booking's span, by booking id.
async fn host_spans(db: &Db) -> Vec<(i64, i64, i64)> {
    sqlx::query_as("SELECT booking_id, blocked_from, blocked_until FROM booking_hosts ORDER BY booking_id")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

async fn host_rows_carry_their_bookings_spans_and_new_bookings_their_history(url: String) {
    let old = Db::migrated_until(&url, 16).await.unwrap();
    hosted_bookings_of_version_16(&old).await;
    old.close().await;
    let db = Db::connect(&url).await.unwrap();
    assert_eq!(
        host_spans(&db).await,
        vec![(1, 0, 1800), (2, 3600, 5400)],
        "existing rows are filled in"
    );

    sqlx::query("UPDATE bookings SET blocked_from = 7200, blocked_until = 9000 WHERE id = 2")
        .execute(db.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE bookings SET attendee_name = 'Pat P.' WHERE id = 1")
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(
        host_spans(&db).await,
        vec![(1, 0, 1800), (2, 7200, 9000)],
        "a moved span reaches its hosts, and other changes leave them be"
    );

    let id: i64 = sqlx::query_scalar(
        "INSERT INTO bookings (uid, event_type_id, start_at, end_at, blocked_from, blocked_until, attendee_name, \
         attendee_email, attendee_timezone, status, manage_token_hash, created_at, updated_at) \
         VALUES ('new', 1, 10800, 12600, 10500, 12900, 'Sam', 'sam@example.org', 'UTC', 'confirmed', 'h3', 42, 42) \
         RETURNING id",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    sqlx::query("INSERT INTO booking_hosts (booking_id, member_id) VALUES ($1, 1)")
        .bind(id)
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(
        host_spans(&db).await.last(),
        Some(&(id, 10500, 12900)),
        "a new host row takes its booking's span"
    );
    let history: Vec<(String, Option<i64>, Option<i64>, i64)> =
        sqlx::query_as("SELECT kind, new_start, new_end, changed_at FROM booking_changes WHERE booking_id = $1")
            .bind(id)
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(
        history,
        vec![("created".to_owned(), Some(10800), Some(12600), 42)],
        "the database writes a new booking's creation into its history"
    );
}

#[tokio::test]
async fn on_sqlite_host_rows_carry_their_bookings_spans_and_new_bookings_their_history() {
    let dir = tempfile::tempdir().unwrap();
    host_rows_carry_their_bookings_spans_and_new_bookings_their_history(format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("old.db").display()
    ))
    .await;
}

#[tokio::test]
async fn on_postgres_host_rows_carry_their_bookings_spans_and_new_bookings_their_history() {
    let Some(admin_url) = std::env::var("RENDEZVOUS_TEST_POSTGRES_URL").ok() else {
        assert!(
            std::env::var("RENDEZVOUS_REQUIRE_POSTGRES").is_err(),
            "PostgreSQL is required"
        );
        return;
    };
    host_rows_carry_their_bookings_spans_and_new_bookings_their_history(
        services::fixtures::postgres_database(&admin_url).await,
    )
    .await;
}
