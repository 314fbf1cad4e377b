//! Server-side sessions: the cookie carries a random secret, the database its digest and expiry,
//! so signing out (or removing a member) takes effect on the next request.

use crate::accounts::{Member, select_member};
use crate::{ServiceError, Services, tokens};

pub const SESSION_COOKIE: &str = "rdv_session";
pub const SESSION_TTL_SECS: i64 = 30 * 24 * 3600;

impl Services {
    /// Starts a session and returns the secret for the cookie (shown once, stored hashed).
    pub async fn start_session(&self, member: &Member) -> Result<String, ServiceError> {
        let now = self.clock().now();
        let token = tokens::issue();
        sqlx::query("DELETE FROM sessions WHERE member_id = $1 AND expires_at <= $2")
            .bind(member.id)
            .bind(now)
            .execute(self.db().pool())
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(&token.digest)
            .bind(member.id)
            .bind(now)
            .bind(now + SESSION_TTL_SECS)
            .execute(self.db().pool())
            .await?;
        Ok(token.secret)
    }

    /// The signed-in member for a cookie secret, or `Unauthenticated` if it is unknown or expired.
    pub async fn session_member(&self, secret: &str) -> Result<Member, ServiceError> {
        sqlx::query_as(select_member!(
            "FROM sessions s JOIN members m ON m.id = s.member_id ",
            "WHERE s.token_hash = $1 AND s.expires_at > $2 AND m.removed_at IS NULL"
        ))
        .bind(tokens::digest(secret))
        .bind(self.clock().now())
        .fetch_optional(self.db().pool())
        .await?
        .ok_or(ServiceError::Unauthenticated)
    }

    pub async fn end_session(&self, secret: &str) -> Result<(), ServiceError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(tokens::digest(secret))
            .execute(self.db().pool())
            .await?;
        Ok(())
    }
}
