//! Page tokens and sync tokens for `events.list`.
//!
//! A page token names a frozen snapshot of the result ids and a position in it, so paging stays
//! stable while events change (changes made meanwhile surface in the next incremental sync, whose
//! token is the change-sequence position taken when the listing *started*). A sync token is such a
//! position for one calendar; tokens can be invalidated to force the 410 `fullSyncRequired` path.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use crate::error::ApiError;
use crate::ids;

/// The frozen result of one listing, paged through by `pageToken`.
#[derive(Clone, Debug)]
pub(crate) struct PageCursor {
    pub calendar_id: String,
    pub ids: Vec<String>,
    /// Index of the first id of the page this token returns.
    pub position: usize,
    /// Change-sequence position when the listing started; becomes the `nextSyncToken`.
    pub sync_seq: u64,
    pub single_events: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct SyncPoint {
    pub calendar_id: String,
    pub seq: u64,
    pub single_events: bool,
    pub issued_at: DateTime<Utc>,
}

#[derive(Default)]
pub(crate) struct SyncState {
    cursors: HashMap<String, PageCursor>,
    tokens: HashMap<String, SyncPoint>,
}

impl SyncState {
    pub fn store_cursor(&mut self, cursor: PageCursor) -> String {
        let token = ids::opaque_token();
        self.cursors.insert(token.clone(), cursor);
        token
    }

    pub fn cursor(&self, token: &str, calendar_id: &str) -> Result<PageCursor, ApiError> {
        self.cursors
            .get(token)
            .filter(|c| c.calendar_id == calendar_id)
            .cloned()
            .ok_or_else(|| ApiError::invalid("Invalid page token value.").at("parameter", "pageToken"))
    }

    pub fn issue(&mut self, calendar_id: &str, seq: u64, single_events: bool, now: DateTime<Utc>) -> String {
        let token = ids::opaque_token();
        let point = SyncPoint {
            calendar_id: calendar_id.to_owned(),
            seq,
            single_events,
            issued_at: now,
        };
        self.tokens.insert(token.clone(), point);
        token
    }

    /// The point a sync token stands for, or 410 `fullSyncRequired` if it is unknown, invalidated,
    /// expired or belongs to another calendar.
    pub fn point(
        &self,
        token: &str,
        calendar_id: &str,
        now: DateTime<Utc>,
        lifetime: Option<std::time::Duration>,
    ) -> Result<SyncPoint, ApiError> {
        let point = self
            .tokens
            .get(token)
            .filter(|p| p.calendar_id == calendar_id)
            .ok_or_else(ApiError::full_sync_required)?;
        if let Some(lifetime) = lifetime
            && now >= point.issued_at + TimeDelta::from_std(lifetime).unwrap_or(TimeDelta::MAX)
        {
            return Err(ApiError::full_sync_required());
        }
        Ok(point.clone())
    }

    /// Forgets sync tokens (all, or one calendar's). Returns how many were live.
    pub fn invalidate(&mut self, calendar_id: Option<&str>) -> usize {
        let before = self.tokens.len();
        self.tokens
            .retain(|_, p| calendar_id.is_some_and(|c| c != p.calendar_id));
        before - self.tokens.len()
    }
}
