//! Where mail goes: an SMTP server when one is configured, else `.eml` files in an outbox folder
//! that admins read in the dashboard, so a fresh install shows exactly what it would send.

use anyhow::{Context, bail};
use lettre::message::Mailbox;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct MailSettings {
    pub from: Mailbox,
    pub transport: Transport,
}

#[derive(Clone, Debug)]
pub enum Transport {
    Outbox(PathBuf),
    Smtp(SmtpSettings),
}

#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub credentials: Option<(String, Password)>,
    /// Per command; a job's lease must outlast a whole send.
    pub timeout: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text, for a relay on the same host or a test sink.
    None,
    /// Upgrade with STARTTLS (port 587), refusing to send if the server cannot.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// An SMTP password; never printed.
#[derive(Clone)]
pub struct Password(pub String);

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl MailSettings {
    pub fn from_lookup(
        var: &dyn Fn(&str) -> Option<String>,
        data_dir: &Path,
        public_url: &url::Url,
    ) -> anyhow::Result<Self> {
        let from = match var("RENDEZVOUS_MAIL_FROM") {
            Some(raw) => raw
                .parse()
                .context("RENDEZVOUS_MAIL_FROM must look like Rendezvous <bookings@example.com>")?,
            None => default_sender(public_url)?,
        };
        let transport = match var("RENDEZVOUS_SMTP_HOST") {
            Some(host) => Transport::Smtp(smtp(var, host)?),
            None => {
                Transport::Outbox(var("RENDEZVOUS_OUTBOX_DIR").map_or_else(|| data_dir.join("outbox"), PathBuf::from))
            }
        };
        Ok(Self { from, transport })
    }
}

fn smtp(var: &dyn Fn(&str) -> Option<String>, host: String) -> anyhow::Result<SmtpSettings> {
    let tls = match var("RENDEZVOUS_SMTP_TLS").as_deref() {
        None | Some("starttls") => SmtpTls::StartTls,
        Some("tls") => SmtpTls::Tls,
        Some("none") => SmtpTls::None,
        Some(other) => bail!("RENDEZVOUS_SMTP_TLS must be starttls, tls or none, not {other:?}"),
    };
    let port = match var("RENDEZVOUS_SMTP_PORT") {
        Some(raw) => raw.parse().context("RENDEZVOUS_SMTP_PORT must be a port number")?,
        None => match tls {
            SmtpTls::None => 25,
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
        },
    };
    let credentials = match (var("RENDEZVOUS_SMTP_USERNAME"), var("RENDEZVOUS_SMTP_PASSWORD")) {
        (Some(user), Some(password)) => Some((user, Password(password))),
        (None, None) => None,
        _ => bail!("set both RENDEZVOUS_SMTP_USERNAME and RENDEZVOUS_SMTP_PASSWORD, or neither"),
    };
    Ok(SmtpSettings {
        host,
        port,
        tls,
        credentials,
        timeout: Duration::from_secs(30),
    })
}

/// `Rendezvous <rendezvous@{public host}>`; a bare IP gets `localhost` so the address stays valid.
fn default_sender(public_url: &url::Url) -> anyhow::Result<Mailbox> {
    let host = match public_url.host() {
        Some(url::Host::Domain(domain)) => domain.to_owned(),
        _ => "localhost".to_owned(),
    };
    format!("Rendezvous <rendezvous@{host}>")
        .parse()
        .context("building the default sender address")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> anyhow::Result<MailSettings> {
        let url = url::Url::parse("https://cal.example.com").unwrap();
        let lookup = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned());
        MailSettings::from_lookup(&lookup, Path::new("/data"), &url)
    }

    #[test]
    fn without_an_smtp_host_mail_goes_to_the_outbox_folder() {
        let s = settings(&[]).unwrap();
        assert!(matches!(s.transport, Transport::Outbox(ref dir) if dir == Path::new("/data/outbox")));
        assert_eq!(s.from.to_string(), "Rendezvous <rendezvous@cal.example.com>");
    }

    #[test]
    fn smtp_ports_follow_the_tls_mode_unless_given() {
        let port = |tls: &str| match settings(&[("RENDEZVOUS_SMTP_HOST", "mx"), ("RENDEZVOUS_SMTP_TLS", tls)])
            .unwrap()
            .transport
        {
            Transport::Smtp(s) => s.port,
            Transport::Outbox(_) => 0,
        };
        assert_eq!((port("none"), port("starttls"), port("tls")), (25, 587, 465));
        let given = settings(&[("RENDEZVOUS_SMTP_HOST", "mx"), ("RENDEZVOUS_SMTP_PORT", "2525")]).unwrap();
        assert!(matches!(given.transport, Transport::Smtp(ref s) if s.port == 2525 && s.tls == SmtpTls::StartTls));
    }

    #[test]
    fn half_credentials_and_unknown_tls_modes_are_refused_and_passwords_never_printed() {
        assert!(settings(&[("RENDEZVOUS_SMTP_HOST", "mx"), ("RENDEZVOUS_SMTP_USERNAME", "u")]).is_err());
        assert!(settings(&[("RENDEZVOUS_SMTP_HOST", "mx"), ("RENDEZVOUS_SMTP_TLS", "ssl")]).is_err());
        let s = settings(&[
            ("RENDEZVOUS_SMTP_HOST", "mx"),
            ("RENDEZVOUS_SMTP_USERNAME", "u"),
            ("RENDEZVOUS_SMTP_PASSWORD", "hunter2"),
        ])
        .unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
