//! What the provider said about a booking's meeting, and who hears of it.

use super::{Meeting, MeetingState, announce, store};
use crate::notify::{self, Change};
use crate::{ServiceError, Services};

/// Keeps `member_id`'s meeting for the booking as the provider answered. A link or a refusal
/// that comes while the messages wait releases them; a link that comes after they said it would
/// follow is a change of the booking (next sequence) with its own short update.
pub(crate) async fn record(
    services: &Services,
    booking_id: i64,
    member_id: i64,
    meeting: &Meeting,
) -> Result<(), ServiceError> {
    let now = services.clock().now();
    let mut tx = services.db().begin_write().await?;
    if !store::settle(&mut tx, booking_id, member_id, meeting, now).await? {
        return Ok(());
    }
    let announced = store::load(&mut *tx, booking_id)
        .await?
        .is_some_and(|m| m.announced_without_link && m.state == MeetingState::Ready);
    if announced {
        sqlx::query("UPDATE bookings SET sequence = sequence + 1, updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(booking_id)
            .execute(&mut *tx)
            .await?;
        notify::booking_changed(services, &mut tx, booking_id, Change::VideoLinkReady, now).await?;
    } else {
        announce::release(&mut tx, booking_id, now).await?;
    }
    tx.commit().await?;
    services.jobs_enqueued();
    match meeting {
        Meeting::Failed(why) => tracing::warn!(booking = booking_id, member = member_id, %why, "video meeting refused"),
        _ => tracing::info!(booking = booking_id, member = member_id, "video meeting ready"),
    }
    Ok(())
}
