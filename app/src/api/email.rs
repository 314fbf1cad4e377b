//! The Email page (admins): where booking emails go, the deliveries that gave up (with a retry),
//! and, without SMTP, the outbox folder's messages.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailOverview {
    /// Where mail goes, ready to show: "the outbox folder data/outbox" or
    /// "SMTP server smtp.example.com:587 (STARTTLS)". Never any credentials.
    pub transport: String,
    /// The outbox folder's messages, newest first; `None` when mail goes to an SMTP server.
    pub outbox: Option<Vec<OutboxRow>>,
    /// Deliveries that gave up, newest first.
    pub failed: Vec<FailedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: String,
    pub to: String,
    pub subject: String,
    /// When it was written, in the viewer's zone.
    pub sent: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedRow {
    pub id: i64,
    /// What the job was for, e.g. "Confirmation to pat@example.com".
    pub label: String,
    pub attempts: i64,
    pub last_error: String,
    /// When it gave up, in the viewer's zone.
    pub failed: String,
}

/// One outbox message as its recipient would read it (the plain-text part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxView {
    pub to: String,
    pub subject: String,
    pub sent: String,
    pub text: String,
    pub attachments: Vec<String>,
}

#[server]
pub async fn email_overview() -> Result<MailOverview, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let zone = crate::ssr::Zone::new(&admin.timezone);
    let outbox = services.outbox(&admin).await?.map(|entries| {
        entries
            .into_iter()
            .map(|e| OutboxRow {
                sent: zone.moment(e.sent_at),
                id: e.id,
                to: e.to,
                subject: e.subject,
            })
            .collect()
    });
    let failed = services
        .dead_jobs(&admin)
        .await?
        .into_iter()
        .map(|job| FailedRow {
            label: job.label(),
            failed: zone.moment(job.updated_at),
            last_error: job
                .last_error
                .unwrap_or_else(|| crate::lang::d(crate::lang::Dash::EmailNoError).to_owned()),
            attempts: job.attempts,
            id: job.id,
        })
        .collect();
    Ok(MailOverview {
        transport: transport(&services.config().mail.transport),
        outbox,
        failed,
    })
}

#[server]
pub async fn outbox_message(id: String) -> Result<OutboxView, AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    let message = services.outbox_message(&admin, &id).await?;
    Ok(OutboxView {
        sent: crate::ssr::Zone::new(&admin.timezone).moment(message.entry.sent_at),
        to: message.entry.to,
        subject: message.entry.subject,
        text: message.text,
        attachments: message.attachments,
    })
}

/// Queues a failed delivery again, with a fresh set of attempts.
#[server]
pub async fn retry_delivery(id: i64) -> Result<(), AppError> {
    let services = crate::ssr::services()?;
    let admin = crate::ssr::signed_in_admin().await?;
    services.retry_job(&admin, id).await?;
    Ok(())
}

/// Where mail goes, without credentials.
#[cfg(feature = "ssr")]
fn transport(transport: &services::mail::Transport) -> String {
    use crate::lang::{Dash, d, df};
    use services::mail::{SmtpTls, Transport};
    match transport {
        Transport::Outbox(dir) => df(Dash::EmailTransportOutbox, &[("folder", &dir.display().to_string())]),
        Transport::Smtp(smtp) => {
            let security = match smtp.tls {
                SmtpTls::StartTls => "STARTTLS",
                SmtpTls::Tls => "TLS",
                SmtpTls::None => d(Dash::EmailUnencrypted),
            };
            df(
                Dash::EmailTransportSmtp,
                &[
                    ("host", &smtp.host),
                    ("port", &smtp.port.to_string()),
                    ("security", security),
                ],
            )
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_transport_names_the_server_but_never_its_credentials() {
        use services::mail::{Password, SmtpSettings, SmtpTls, Transport};
        let smtp = Transport::Smtp(SmtpSettings {
            host: "smtp.example.com".into(),
            port: 587,
            tls: SmtpTls::StartTls,
            credentials: Some(("user".into(), Password("hunter2".into()))),
            timeout: std::time::Duration::from_secs(30),
        });
        assert_eq!(transport(&smtp), "SMTP server smtp.example.com:587 (STARTTLS)");
        let outbox = Transport::Outbox("data/outbox".into());
        assert_eq!(transport(&outbox), "the outbox folder data/outbox");
    }
}
