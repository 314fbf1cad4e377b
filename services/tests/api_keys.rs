//! API keys on SQLite and PostgreSQL.

mod common;

use services::ServiceError;
use services::fixtures;

async fn team_with_member(s: &services::Services) -> (services::accounts::Member, services::accounts::Member) {
    let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
    let bob = fixtures::invited_member(s, &admin, "Bob").await;
    (admin, bob)
}

on_both_databases! {
    async fn a_key_acts_as_its_member_until_revoked_and_is_stored_hashed(s) {
        let (admin, bob) = team_with_member(&s).await;
        let issued = s.issue_api_key(&bob, bob.id, "CRM sync").await.unwrap();
        assert!(issued.secret.starts_with("rdv_") && issued.secret.len() > 40);
        assert_eq!(s.member_for_api_key(&issued.secret).await.unwrap().id, bob.id);
        let stored: String = sqlx::query_scalar("SELECT key_hash FROM api_keys").fetch_one(s.db().pool()).await.unwrap();
        assert_ne!(stored, issued.secret);
        assert_eq!(s.api_keys(&admin).await.unwrap().len(), 1, "admins see every key");
        s.revoke_api_key(&admin, issued.key.id).await.unwrap();
        assert!(matches!(s.member_for_api_key(&issued.secret).await, Err(ServiceError::Unauthenticated)));
        assert!(matches!(s.member_for_api_key("rdv_made-up").await, Err(ServiceError::Unauthenticated)));
    }

    async fn members_manage_only_their_own_keys(s) {
        let (admin, bob) = team_with_member(&s).await;
        assert!(matches!(s.issue_api_key(&bob, admin.id, "sneaky").await, Err(ServiceError::Forbidden)));
        let admins = s.issue_api_key(&admin, admin.id, "ops").await.unwrap();
        assert!(s.api_keys(&bob).await.unwrap().is_empty());
        assert!(matches!(s.revoke_api_key(&bob, admins.key.id).await, Err(ServiceError::NotFound)));
        assert!(s.issue_api_key(&admin, bob.id, "for bob").await.is_ok(), "admins may issue for anyone");
        assert!(matches!(s.issue_api_key(&admin, admin.id, "  ").await, Err(ServiceError::Validation(_))));
    }
}
