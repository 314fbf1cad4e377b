//! The dashboard's one-click event type changes, on SQLite and PostgreSQL: duplicating keeps every
//! setting under a free URL name; switching off hides the public page; members may do neither.

mod common;

use services::ServiceError;
use services::event_type_draft::EventTypeDraft;
use services::event_types::Mode;
use services::fixtures;

on_both_databases! {
    async fn duplicates_copy_every_setting_under_the_next_free_name(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let bob = fixtures::invited_member(&s, &admin, "Bob").await;
        let mut demo = fixtures::new_event_type("demo", 45, Mode::RoundRobin, vec![admin.id, bob.id]);
        demo.rules.daily_limit = Some(3);
        demo.notifications.reminder_1h = false;
        demo.notifications.change_notice = engine::Minutes(120);
        s.create_event_type(&admin, demo).await.unwrap();

        let first = s.duplicate_event_type(&admin, "demo").await.unwrap();
        let second = s.duplicate_event_type(&admin, "demo").await.unwrap();
        assert_eq!((first.slug.as_str(), first.title.as_str()), ("demo-copy", "Product demo (copy)"));
        assert_eq!(second.slug, "demo-copy-2");
        let original = EventTypeDraft::from(&s.team_event_type(&admin, "demo").await.unwrap());
        let copy = EventTypeDraft::from(&s.team_event_type(&admin, "demo-copy").await.unwrap());
        assert_eq!((original.reminder_24h, original.reminder_1h, original.change_notice), (true, false, 120));
        assert_eq!(EventTypeDraft { slug: "demo".into(), title: "Product demo".into(), ..copy }, original);
        assert!(matches!(s.duplicate_event_type(&admin, "nothing").await, Err(ServiceError::NotFound)));
        assert!(matches!(s.duplicate_event_type(&bob, "demo").await, Err(ServiceError::Forbidden)));
    }

    async fn an_inactive_event_type_is_hidden_from_the_public_until_switched_on(s) {
        let admin = s.set_up(fixtures::new_team("ada@example.com")).await.unwrap();
        let bob = fixtures::invited_member(&s, &admin, "Bob").await;
        s.create_event_type(&admin, fixtures::new_event_type("demo", 30, Mode::Single, vec![admin.id]))
            .await
            .unwrap();
        s.set_event_type_active(&admin, "demo", false).await.unwrap();
        assert!(matches!(s.public_event_type("acme", "demo").await, Err(ServiceError::NotFound)));
        assert!(!s.team_event_type(&admin, "demo").await.unwrap().event_type.active);
        assert!(matches!(s.set_event_type_active(&bob, "demo", true).await, Err(ServiceError::Forbidden)));
        s.set_event_type_active(&admin, "demo", true).await.unwrap();
        assert!(s.public_event_type("acme", "demo").await.is_ok());
    }
}
