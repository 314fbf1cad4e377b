//! One-click changes to an event type from the dashboard list: duplicate it, switch it on or off.
//! Both are admin-only, like every other event type change.

use crate::accounts::{Member, require_admin};
use crate::event_type_draft::EventTypeDraft;
use crate::event_types::EventType;
use crate::{ServiceError, Services};

/// Longest URL name and title the validators accept; copies are cut to fit their suffix.
const SLUG_MAX: usize = 40;
const TITLE_MAX: usize = 80;
const TITLE_SUFFIX: &str = " (copy)";

/// The first of `{slug}-copy`, `{slug}-copy-2`, `{slug}-copy-3`… that `taken` does not contain,
/// with `slug` shortened (never ending in a hyphen) so the result stays a valid URL name.
pub fn copy_slug(slug: &str, taken: &[String]) -> String {
    (1..)
        .map(|n| {
            let suffix = if n == 1 {
                "-copy".to_owned()
            } else {
                format!("-copy-{n}")
            };
            let base: String = slug.chars().take(SLUG_MAX - suffix.len()).collect();
            format!("{}{suffix}", base.trim_end_matches('-'))
        })
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_default()
}

/// `"{title} (copy)"`, with the title shortened so the whole stays within the title limit.
pub fn copy_title(title: &str) -> String {
    let base: String = title.chars().take(TITLE_MAX - TITLE_SUFFIX.len()).collect();
    format!("{}{TITLE_SUFFIX}", base.trim_end())
}

impl Services {
    /// Creates a copy of the team's event type `slug` with every setting and host, under a free
    /// `…-copy` URL name and a "… (copy)" title, so admins can start a variant from a working one.
    pub async fn duplicate_event_type(&self, actor: &Member, slug: &str) -> Result<EventType, ServiceError> {
        require_admin(actor)?;
        let all = self.team_event_types(actor).await?;
        let original = all
            .iter()
            .find(|e| e.event_type.slug == slug)
            .ok_or(ServiceError::NotFound)?;
        let taken: Vec<String> = all.iter().map(|e| e.event_type.slug.clone()).collect();
        let mut draft = EventTypeDraft::from(original);
        draft.slug = copy_slug(slug, &taken);
        draft.title = copy_title(&draft.title);
        self.create_event_type(actor, draft.validate()?).await
    }

    /// Turns booking of the team's event type `slug` on or off without touching its settings;
    /// an inactive one keeps its bookings but its public page and slots answer 404.
    pub async fn set_event_type_active(&self, actor: &Member, slug: &str, active: bool) -> Result<(), ServiceError> {
        require_admin(actor)?;
        let id = self.team_event_type(actor, slug).await?.event_type.id;
        sqlx::query("UPDATE event_types SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(id)
            .execute(self.db().pool())
            .await?;
        self.availability_changed();
        tracing::info!(event_type = id, by = actor.id, active, "event type switched");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_take_the_next_free_url_name() {
        assert_eq!(copy_slug("demo", &[]), "demo-copy");
        let taken = ["demo".to_owned(), "demo-copy".to_owned(), "demo-copy-2".to_owned()];
        assert_eq!(copy_slug("demo", &taken), "demo-copy-3");
    }

    #[test]
    fn copies_of_long_names_stay_valid() {
        let long = "a".repeat(38) + "-b";
        let slug = copy_slug(&long, &[]);
        assert_eq!(slug.len(), SLUG_MAX);
        assert!(domain::TeamSlug::parse(&slug).is_ok(), "{slug}");
        let hyphen_at_cut = "a".repeat(34) + "-bcdef";
        assert_eq!(copy_slug(&hyphen_at_cut, &[]), "a".repeat(34) + "-copy");
        let title = copy_title(&"t".repeat(TITLE_MAX));
        assert_eq!(title.chars().count(), TITLE_MAX);
        assert!(title.ends_with(" (copy)"));
    }
}
