//! Sending mail: SMTP through lettre's pooled transport, or `.eml` files in the outbox folder.
//! Either way a message is written under a name derived from its job's key, so a retried job
//! overwrites its own file, and carries a deterministic `Message-ID` that receivers can dedupe on.

mod letter;
pub mod outbox;
mod settings;

pub use letter::{CalendarPart, Letter};
pub use settings::{MailSettings, Password, SmtpSettings, SmtpTls, Transport};

use crate::jobs::JobFailure;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::{Path, PathBuf};

pub(crate) enum Mailer {
    Outbox(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// The SMTP settings could not be turned into a transport; every send reports why.
    Broken(String),
}

impl Mailer {
    pub(crate) fn new(settings: &MailSettings) -> Self {
        match &settings.transport {
            Transport::Outbox(dir) => Self::Outbox(dir.clone()),
            Transport::Smtp(smtp) => smtp_transport(smtp).map_or_else(|e| Self::Broken(format!("{e:#}")), Self::Smtp),
        }
    }

    /// Delivers `message`; `file_stem` names it in the outbox.
    pub(crate) async fn send(&self, message: Message, file_stem: &str) -> Result<(), JobFailure> {
        match self {
            Self::Outbox(dir) => write_eml(dir, file_stem, message.formatted())
                .await
                .map_err(JobFailure::transient),
            Self::Smtp(transport) => transport.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    JobFailure::permanent(e)
                } else {
                    JobFailure::transient(e)
                }
            }),
            Self::Broken(why) => Err(JobFailure::transient(anyhow::anyhow!("SMTP is misconfigured: {why}"))),
        }
    }
}

fn smtp_transport(smtp: &SmtpSettings) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    type Smtp = AsyncSmtpTransport<Tokio1Executor>;
    let builder = match smtp.tls {
        SmtpTls::None => Smtp::builder_dangerous(&smtp.host),
        SmtpTls::StartTls => Smtp::starttls_relay(&smtp.host)?,
        SmtpTls::Tls => Smtp::relay(&smtp.host)?,
    };
    let builder = builder.port(smtp.port).timeout(Some(smtp.timeout));
    Ok(match &smtp.credentials {
        Some((user, password)) => builder.credentials(Credentials::new(user.clone(), password.0.clone())),
        None => builder,
    }
    .build())
}

/// Written to a temporary name and renamed, so the dashboard never lists half a message; the
/// folder and the files are private to this user (messages carry manage links). One blocking
/// task does it all: each `tokio::fs` call is a hand-off to a thread of its own, four a message.
async fn write_eml(dir: &Path, stem: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
    let (dir, stem) = (dir.to_owned(), stem.to_owned());
    tokio::task::spawn_blocking(move || {
        crate::private_files::private_dir(&dir)?;
        let temporary = dir.join(format!(".{stem}.tmp"));
        std::fs::write(&temporary, bytes)?;
        crate::private_files::private_file(&temporary)?;
        std::fs::rename(&temporary, dir.join(format!("{stem}.eml")))
    })
    .await??;
    Ok(())
}
