//! Following a CalDAV calendar with `sync-collection` (RFC 6578). CalDAV has no standard push,
//! so the worker polls. A first sync (no token) takes the token first and then lists the
//! window's events, so a change made between the two is listed now and reported again next
//! time, never lost. Later syncs fetch only the changed resources (`calendar-multiget`; their
//! series are expanded over the window here). A recurring event is one resource with many occurrences: the first keeps
//! the resource's href as its id, the others are `href#start`, so replacing or removing the
//! resource replaces or removes them all (see `reconcile`).

use super::super::ProviderError;
use super::super::remote::{Changes, RemoteEvent, Shown};
use super::{CaldavApi, Listed, method, multistatus_of, send, xml};

impl CaldavApi<'_> {
    /// Changes since `token`, or every event of the window without one. A server without
    /// `sync-collection` is listed whole at every sync.
    pub async fn changes(
        &self,
        calendar: &str,
        token: Option<&str>,
        window: (i64, i64),
    ) -> Result<Changes, ProviderError> {
        let request = self.xml_request(method("REPORT"), calendar, "0", xml::sync_collection(token))?;
        let answer = match send(request).await {
            Ok(response) => multistatus_of(response).await?,
            Err(ProviderError::Rejected { status, .. }) if status != 410 => {
                tracing::info!(calendar, status, "sync-collection refused: listing the calendar whole");
                return self.full_listing(calendar, None, window).await;
            }
            Err(other) => return Err(other),
        };
        let Some(token) = token else {
            return self.full_listing(calendar, answer.sync_token, window).await;
        };
        let (removed, changed): (Vec<xml::Response>, Vec<xml::Response>) = answer
            .responses
            .into_iter()
            .filter(|r| r.href != calendar && !r.href.ends_with('/'))
            .partition(|r| r.status == Some(404));
        let changed: Vec<String> = changed.into_iter().map(|r| r.href).collect();
        let mut events: Vec<RemoteEvent> = removed
            .into_iter()
            .map(|r| RemoteEvent {
                id: r.href,
                etag: None,
                shown: None,
            })
            .collect();
        let fetched = self.events_named(calendar, &changed, window).await?;
        for href in &changed {
            match fetched.iter().find(|(h, _, _)| h == href) {
                Some(found) => events.extend(remote_events(found)),
                None => events.push(RemoteEvent {
                    id: href.clone(),
                    etag: None,
                    shown: None,
                }),
            }
        }
        let next = answer.sync_token.unwrap_or_else(|| token.to_owned());
        Ok(Changes {
            events,
            full: false,
            next_token: Some(next),
        })
    }

    async fn full_listing(
        &self,
        calendar: &str,
        token: Option<String>,
        window: (i64, i64),
    ) -> Result<Changes, ProviderError> {
        let listed = self.events_in(calendar, window).await?;
        Ok(Changes {
            events: listed.iter().flat_map(remote_events).collect(),
            full: true,
            next_token: token,
        })
    }
}

/// One resource as mirror events: its occurrences, or its removal when it has none in the window.
fn remote_events((href, etag, occurrences): &Listed) -> Vec<RemoteEvent> {
    if occurrences.is_empty() {
        return vec![RemoteEvent {
            id: href.clone(),
            etag: etag.clone(),
            shown: None,
        }];
    }
    occurrences
        .iter()
        .enumerate()
        .map(|(i, o)| RemoteEvent {
            id: if i == 0 {
                href.clone()
            } else {
                format!("{href}#{}", o.start)
            },
            etag: etag.clone(),
            shown: Some(Shown {
                title: o.title.clone(),
                start: o.start,
                end: o.end,
                all_day: o.all_day,
                busy: o.busy,
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::ical::Occurrence;
    use super::*;

    fn occurrence(start: i64) -> Occurrence {
        Occurrence {
            title: "Standup".into(),
            start,
            end: start + 900,
            all_day: false,
            busy: true,
        }
    }

    #[test]
    fn a_series_keeps_its_href_on_the_first_occurrence_and_a_resource_without_any_is_a_removal() {
        let series: Listed = (
            "/c/w.ics".into(),
            Some("\"1\"".into()),
            vec![occurrence(100), occurrence(200)],
        );
        let ids: Vec<String> = remote_events(&series).into_iter().map(|e| e.id).collect();
        assert_eq!(ids, ["/c/w.ics", "/c/w.ics#200"]);
        let gone: Listed = ("/c/x.ics".into(), Some("\"2\"".into()), Vec::new());
        let events = remote_events(&gone);
        assert_eq!((events.len(), events[0].shown.is_none()), (1, true));
    }
}
