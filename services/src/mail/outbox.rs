//! The outbox folder as admins read it in the dashboard: what would have been sent, newest first.

use super::Transport;
use crate::accounts::{Member, require_admin};
use crate::{ServiceError, Services};
use mail_parser::{MessageParser, MimeHeaders};
use std::path::{Path, PathBuf};

/// How many messages the list shows; older files stay in the folder.
const LISTED: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The file name without `.eml`.
    pub id: String,
    pub to: String,
    pub subject: String,
    /// Unix seconds, from the `Date` header.
    pub sent_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    pub entry: OutboxEntry,
    pub text: String,
    pub attachments: Vec<String>,
    /// The attached `invite.ics`, if any.
    pub calendar: Option<String>,
}

impl Services {
    /// `None` when mail goes to an SMTP server instead of the outbox.
    pub async fn outbox(&self, actor: &Member) -> Result<Option<Vec<OutboxEntry>>, ServiceError> {
        require_admin(actor)?;
        let Some(dir) = self.outbox_dir() else {
            return Ok(None);
        };
        let dir = dir.to_owned();
        let entries = tokio::task::spawn_blocking(move || list(&dir))
            .await
            .map_err(ServiceError::internal)??;
        Ok(Some(entries))
    }

    pub async fn outbox_message(&self, actor: &Member, id: &str) -> Result<OutboxMessage, ServiceError> {
        require_admin(actor)?;
        let dir = self.outbox_dir().ok_or(ServiceError::NotFound)?;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ServiceError::NotFound);
        }
        let raw = match tokio::fs::read(dir.join(format!("{id}.eml"))).await {
            Ok(raw) => raw,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ServiceError::NotFound),
            Err(e) => return Err(ServiceError::internal(e)),
        };
        read(id, &raw).ok_or_else(|| ServiceError::internal(anyhow::anyhow!("outbox file {id} does not parse")))
    }

    fn outbox_dir(&self) -> Option<&Path> {
        match &self.config().mail.transport {
            Transport::Outbox(dir) => Some(dir),
            Transport::Smtp(_) => None,
        }
    }
}

fn list(dir: &Path) -> Result<Vec<OutboxEntry>, ServiceError> {
    let files = match std::fs::read_dir(dir) {
        Ok(files) => files,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ServiceError::internal(e)),
    };
    let mut paths: Vec<(std::time::SystemTime, PathBuf)> = files
        .filter_map(Result::ok)
        .map(|f| f.path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    paths.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    Ok(paths
        .into_iter()
        .take(LISTED)
        .filter_map(|(_, path)| {
            let id = path.file_stem()?.to_str()?.to_owned();
            read(&id, &std::fs::read(&path).ok()?).map(|m| m.entry)
        })
        .collect())
}

fn read(id: &str, raw: &[u8]) -> Option<OutboxMessage> {
    let message = MessageParser::default().parse(raw)?;
    let to = message
        .to()
        .and_then(|to| to.first())
        .and_then(|addr| addr.address())
        .unwrap_or_default()
        .to_owned();
    Some(OutboxMessage {
        entry: OutboxEntry {
            id: id.to_owned(),
            to,
            subject: message.subject().unwrap_or_default().to_owned(),
            sent_at: message.date().map_or(0, mail_parser::DateTime::to_timestamp),
        },
        text: message.body_text(0).unwrap_or_default().into_owned(),
        attachments: message
            .attachments()
            .filter_map(|a| a.attachment_name().map(str::to_owned))
            .collect(),
        calendar: message
            .attachments()
            .find(|a| a.attachment_name() == Some("invite.ics"))
            .and_then(|a| {
                a.text_contents()
                    .map(str::to_owned)
                    .or_else(|| String::from_utf8(a.contents().to_vec()).ok())
            }),
    })
}
