//! API keys for the management API. A key acts as its member; an admin's key may act on anyone in
//! the team. Shown once at creation (`rdv_` + 256 random bits), stored as a SHA-256 digest.

use crate::accounts::{Member, require_admin, select_member};
use crate::{ServiceError, Services, tokens};
use domain::FieldErrors;

const PREFIX: &str = "rdv_";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiKey {
    pub id: i64,
    pub member_id: i64,
    pub name: String,
    /// The first characters of the key, to tell keys apart in lists.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A new key and its secret, which is never shown again.
#[derive(Debug, Clone)]
pub struct IssuedKey {
    pub key: ApiKey,
    pub secret: String,
}

impl Services {
    /// Issues a key for `owner` (the actor themself, or anyone in the team if the actor is admin).
    pub async fn issue_api_key(&self, actor: &Member, owner_id: i64, name: &str) -> Result<IssuedKey, ServiceError> {
        if owner_id != actor.id {
            require_admin(actor)?;
        }
        let owner = self.member(owner_id).await?;
        if owner.team_id != actor.team_id {
            return Err(ServiceError::NotFound);
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(FieldErrors::single("name", "Name the key in 1 to 80 characters.").into());
        }
        let token = tokens::issue();
        let secret = format!("{PREFIX}{}", token.secret);
        let prefix: String = secret.chars().take(10).collect();
        let now = self.clock().now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_keys (member_id, name, prefix, key_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(owner.id)
        .bind(name)
        .bind(&prefix)
        .bind(tokens::digest(&secret))
        .bind(now)
        .fetch_one(self.db().pool())
        .await?;
        tracing::info!(key_id = id, member_id = owner.id, by = actor.id, "API key issued");
        let key = ApiKey {
            id,
            member_id: owner.id,
            name: name.to_owned(),
            prefix,
            created_at: now,
            last_used_at: None,
        };
        Ok(IssuedKey { key, secret })
    }

    /// Keys that still work: the actor's own, or every key of the team for an admin.
    pub async fn api_keys(&self, actor: &Member) -> Result<Vec<ApiKey>, ServiceError> {
        Ok(sqlx::query_as(
            "SELECT k.id, k.member_id, k.name, k.prefix, k.created_at, k.last_used_at FROM api_keys k \
             JOIN members m ON m.id = k.member_id \
             WHERE m.team_id = $1 AND k.revoked_at IS NULL AND ($2 = 1 OR k.member_id = $3) ORDER BY k.id",
        )
        .bind(actor.team_id)
        .bind(i64::from(actor.role.is_admin()))
        .bind(actor.id)
        .fetch_all(self.db().pool())
        .await?)
    }

    pub async fn revoke_api_key(&self, actor: &Member, key_id: i64) -> Result<(), ServiceError> {
        let visible = self.api_keys(actor).await?.into_iter().any(|k| k.id == key_id);
        if !visible {
            return Err(ServiceError::NotFound);
        }
        sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(self.clock().now())
            .bind(key_id)
            .execute(self.db().pool())
            .await?;
        tracing::info!(key_id, by = actor.id, "API key revoked");
        Ok(())
    }

    /// The member a presented key acts as; unknown and revoked keys are `Unauthenticated`.
    pub async fn member_for_api_key(&self, secret: &str) -> Result<Member, ServiceError> {
        if !secret.starts_with(PREFIX) {
            return Err(ServiceError::Unauthenticated);
        }
        let digest = tokens::digest(secret);
        let member: Member = sqlx::query_as(select_member!(
            "FROM api_keys k JOIN members m ON m.id = k.member_id WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND m.removed_at IS NULL"
        ))
        .bind(&digest)
        .fetch_optional(self.db().pool())
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE key_hash = $2")
            .bind(self.clock().now())
            .bind(&digest)
            .execute(self.db().pool())
            .await?;
        Ok(member)
    }

    /// A member by email, for the command line (which runs with the server's own authority).
    pub async fn member_by_email(&self, email: &domain::Email) -> Result<Member, ServiceError> {
        sqlx::query_as(select_member!("FROM members m WHERE m.email = $1"))
            .bind(email.as_str())
            .fetch_optional(self.db().pool())
            .await?
            .ok_or(ServiceError::NotFound)
    }
}
