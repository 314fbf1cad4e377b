//! Accounts, sessions and invites against a real database, on SQLite and on PostgreSQL.

mod common;

use domain::*;
use services::ServiceError;
use services::accounts::{INVITE_VALID_SECS, InviteAcceptance, Member};
use services::fixtures::new_team;
use services::limits::ClientAddr;
use services::sessions::SESSION_TTL_SECS;

fn client(address: &str) -> Option<ClientAddr> {
    Some(ClientAddr(address.parse().unwrap()))
}

fn acceptance(name: &str) -> InviteAcceptance {
    InviteAcceptance {
        name: DisplayName::parse(name).unwrap(),
        password: Password::parse("members password").unwrap(),
        timezone: TimeZoneName::parse("Asia/Kathmandu").unwrap(),
    }
}

/// The invite secret is the last path segment of the link.
fn secret_of(url: &str) -> &str {
    url.rsplit('/').next().unwrap()
}

async fn invite_member(s: &services::Services, admin: &Member, email: &str) -> String {
    let invite = s
        .invite(admin, Email::parse(email).unwrap(), Role::Member)
        .await
        .unwrap();
    secret_of(&invite.url).to_owned()
}

on_both_databases! {
    async fn setup_creates_the_team_and_its_first_admin_exactly_once(s) {
        assert!(!s.is_set_up().await.unwrap());
        let admin = s.set_up(new_team("Ada@Example.com")).await.unwrap();
        assert_eq!(admin.role, Role::Admin);
        assert_eq!(admin.email, "ada@example.com");
        assert!(s.is_set_up().await.unwrap());
        let team = s.team().await.unwrap();
        assert_eq!((team.name.as_str(), team.slug.as_str()), ("Acme Sales", "acme"));
        let again = s.set_up(new_team("other@example.com")).await;
        assert!(matches!(again, Err(ServiceError::Conflict(_))), "{again:?}");
    }

    async fn concurrent_setups_create_one_team(s) {
        let (a, b) = tokio::join!(s.set_up(new_team("a@example.com")), s.set_up(new_team("b@example.com")));
        assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
        let teams: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM teams").fetch_one(s.db().pool()).await.unwrap();
        assert_eq!(teams, 1);
    }

    async fn sign_in_accepts_the_right_password_in_any_email_case_and_nothing_else(s) {
        let admin = s.set_up(new_team("ada@example.com")).await.unwrap();
        let signed_in = s.authenticate(" ADA@example.com", "correct horse battery", None).await.unwrap();
        assert_eq!(signed_in.id, admin.id);
        let wrong = s.authenticate("ada@example.com", "wrong password!!", None).await;
        assert!(matches!(wrong, Err(ServiceError::InvalidCredentials)));
        let unknown = s.authenticate("nobody@example.com", "correct horse battery", None).await;
        assert!(matches!(unknown, Err(ServiceError::InvalidCredentials)));
    }

    async fn passwords_are_stored_as_argon2_hashes(s) {
        s.set_up(new_team("ada@example.com")).await.unwrap();
        let stored: String = sqlx::query_scalar("SELECT password_hash FROM members").fetch_one(s.db().pool()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("correct horse"));
    }

    async fn waits_between_wrong_passwords_double_past_five_and_a_right_one_clears_them(s) {
        s.set_up(new_team("ada@example.com")).await.unwrap();
        let guesser = client("203.0.113.5");
        for _ in 0..5 {
            let wrong = s.authenticate("ada@example.com", "wrong password!!", guesser).await;
            assert!(matches!(wrong, Err(ServiceError::InvalidCredentials)), "{wrong:?}");
        }
        for expected_wait in [1, 2, 4, 8] {
            let refused = s.authenticate("ada@example.com", "correct horse battery", guesser).await;
            assert!(matches!(refused, Err(ServiceError::RateLimited { retry_after_secs }) if retry_after_secs == expected_wait), "{refused:?}");
            s.clock().advance(expected_wait as i64);
            let _ = s.authenticate("ada@example.com", "wrong password!!", guesser).await;
        }
        s.clock().advance(16);
        assert!(s.authenticate("ada@example.com", "correct horse battery", guesser).await.is_ok());
        let fresh = s.authenticate("ada@example.com", "wrong password!!", guesser).await;
        assert!(matches!(fresh, Err(ServiceError::InvalidCredentials)), "counts start over: {fresh:?}");
    }

    async fn concurrent_wrong_passwords_get_no_more_checks_than_the_allowance(s) {
        s.set_up(new_team("ada@example.com")).await.unwrap();
        let mut attempts = tokio::task::JoinSet::new();
        for _ in 0..60 {
            let services = s.services.clone();
            attempts.spawn(async move { services.authenticate("ada@example.com", "wrong password!!", client("203.0.113.5")).await });
        }
        let results = attempts.join_all().await;
        let checked = results.iter().filter(|r| matches!(r, Err(ServiceError::InvalidCredentials))).count();
        let refused = results.iter().filter(|r| matches!(r, Err(ServiceError::RateLimited { .. }))).count();
        assert_eq!((checked, refused), (5, 55), "{results:?}");
    }

    async fn guessers_elsewhere_keep_the_owner_out_for_at_most_a_minute(s) {
        s.set_up(new_team("ada@example.com")).await.unwrap();
        for n in 0..40 {
            let _ = s.authenticate("ada@example.com", "wrong password!!", client(&format!("198.51.100.{n}"))).await;
        }
        let owner = client("192.0.2.10");
        match s.authenticate("ada@example.com", "correct horse battery", owner).await {
            Err(ServiceError::RateLimited { retry_after_secs }) => assert!(retry_after_secs <= 60, "{retry_after_secs}"),
            other => panic!("the email-wide wait applies: {other:?}"),
        }
        s.clock().advance(60);
        assert!(s.authenticate("ada@example.com", "correct horse battery", owner).await.is_ok());
    }

    async fn one_address_guessing_many_emails_is_slowed_after_twenty(s) {
        s.set_up(new_team("ada@example.com")).await.unwrap();
        let guesser = client("203.0.113.5");
        for n in 0..20 {
            let wrong = s.authenticate(&format!("user{n}@example.com"), "wrong password!!", guesser).await;
            assert!(matches!(wrong, Err(ServiceError::InvalidCredentials)), "{n}: {wrong:?}");
        }
        let refused = s.authenticate("ada@example.com", "correct horse battery", guesser).await;
        assert!(matches!(refused, Err(ServiceError::RateLimited { .. })), "{refused:?}");
        assert!(s.authenticate("ada@example.com", "correct horse battery", client("192.0.2.10")).await.is_ok());
    }

    async fn sign_in_throttling_is_shared_by_every_process(s) {
        s.set_up(new_team("ada@example.com")).await.unwrap();
        let other = common::another_process(&s).await;
        let guesser = client("203.0.113.5");
        for n in 0..5 {
            let process = if n % 2 == 0 { &*s } else { &other };
            let _ = process.authenticate("ada@example.com", "wrong password!!", guesser).await;
        }
        let refused = other.authenticate("ada@example.com", "wrong password!!", guesser).await;
        assert!(matches!(refused, Err(ServiceError::RateLimited { .. })), "{refused:?}");
    }

    async fn a_session_resolves_to_its_member_until_signed_out(s) {
        let admin = s.set_up(new_team("ada@example.com")).await.unwrap();
        let secret = s.start_session(&admin).await.unwrap();
        assert_eq!(s.session_member(&secret).await.unwrap().id, admin.id);
        let stored: String = sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_one(s.db().pool()).await.unwrap();
        assert_ne!(stored, secret, "only a digest of the cookie is stored");
        s.end_session(&secret).await.unwrap();
        assert!(matches!(s.session_member(&secret).await, Err(ServiceError::Unauthenticated)));
        assert!(matches!(s.session_member("made-up").await, Err(ServiceError::Unauthenticated)));
    }

    async fn a_session_expires_after_thirty_days(s) {
        let admin = s.set_up(new_team("ada@example.com")).await.unwrap();
        let secret = s.start_session(&admin).await.unwrap();
        s.clock().advance(SESSION_TTL_SECS - 1);
        assert!(s.session_member(&secret).await.is_ok());
        s.clock().advance(1);
        assert!(matches!(s.session_member(&secret).await, Err(ServiceError::Unauthenticated)));
    }

    async fn an_invite_link_creates_one_member_who_can_sign_in(s) {
        let admin = s.set_up(new_team("ada@example.com")).await.unwrap();
        let secret = invite_member(&s, &admin, "Bob@Example.com").await;
        let pending = s.invite_for_token(&secret).await.unwrap();
        assert_eq!((pending.email.as_str(), pending.team_name.as_str()), ("bob@example.com", "Acme Sales"));
        assert_eq!(s.pending_invites(&admin).await.unwrap().len(), 1);
        let bob = s.accept_invite(&secret, acceptance("Bob Builder")).await.unwrap();
        assert_eq!((bob.role, bob.team_id, bob.timezone.as_str()), (Role::Member, admin.team_id, "Asia/Kathmandu"));
        assert!(s.authenticate("bob@example.com", "members password", None).await.is_ok());
        assert_eq!(s.members(&admin).await.unwrap().len(), 2);
        assert!(s.pending_invites(&admin).await.unwrap().is_empty());
        let reuse = s.accept_invite(&secret, acceptance("Mallory")).await;
        assert!(matches!(reuse, Err(ServiceError::Gone(_))), "{reuse:?}");
    }

    async fn two_acceptances_of_one_invite_create_one_member(s) {
        let admin = s.set_up(new_team("ada@example.com")).await.unwrap();
        let secret = invite_member(&s, &admin, "bob@example.com").await;
        let (a, b) = tokio::join!(s.accept_invite(&secret, acceptance("Bob")), s.accept_invite(&secret, acceptance("Bob")));
        assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
        assert_eq!(s.members(&admin).await.unwrap().len(), 2);
    }

    async fn an_invite_expires_after_seven_days(s) {
        let admin = s.set_up(new_team("ada@example.com")).await.unwrap();
        let secret = invite_member(&s, &admin, "bob@example.com").await;
        s.clock().advance(INVITE_VALID_SECS);
        let expired = s.accept_invite(&secret, acceptance("Bob")).await;
        match expired {
            Err(ServiceError::Gone(message)) => assert!(message.contains("expired"), "{message}"),
            other => panic!("expected an expired invite, got {other:?}"),
        }
        assert!(matches!(s.invite_for_token("not-a-real-token").await, Err(ServiceError::NotFound)));
    }

    async fn only_admins_invite_and_never_an_existing_email(s) {
        let admin = s.set_up(new_team("ada@example.com")).await.unwrap();
        let duplicate = s.invite(&admin, Email::parse("ada@example.com").unwrap(), Role::Member).await;
        assert!(matches!(duplicate, Err(ServiceError::Validation(ref f)) if f.get("email").is_some()), "{duplicate:?}");
        let secret = invite_member(&s, &admin, "bob@example.com").await;
        let bob = s.accept_invite(&secret, acceptance("Bob")).await.unwrap();
        let by_member = s.invite(&bob, Email::parse("carol@example.com").unwrap(), Role::Member).await;
        assert!(matches!(by_member, Err(ServiceError::Forbidden)));
        assert!(matches!(s.pending_invites(&bob).await, Err(ServiceError::Forbidden)));
    }

    async fn the_database_reports_healthy(s) {
        s.health().await.unwrap();
    }
}
