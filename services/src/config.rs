//! Runtime configuration from environment variables (a `.env` file is read by the binary first).
//! Every setting has a default that works on a laptop; see the README's configuration table.

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Config {
    pub bind: SocketAddr,
    /// Origin that links in emails and invites point at, and that browsers' `Origin` must match.
    pub public_url: url::Url,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub secret_key: SecretKey,
    pub log_filter: String,
    pub mail: crate::mail::MailSettings,
    pub jobs: crate::jobs::JobSettings,
    pub calendars: crate::calendars::CalendarSettings,
    pub limits: crate::limits::LimitSettings,
    pub webhooks: crate::webhooks::WebhookSettings,
}

/// 32 bytes used to encrypt provider tokens at rest and to derive other keys. Never printed.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn from_base64(raw: &str) -> anyhow::Result<Self> {
        let bytes = STANDARD
            .decode(raw.trim())
            .context("RENDEZVOUS_SECRET_KEY is not base64")?;
        let array: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow::anyhow!("RENDEZVOUS_SECRET_KEY must decode to exactly 32 bytes"))?;
        Ok(Self(array))
    }

    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl Config {
    /// Reads the process environment, generating and persisting a secret key on first run.
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let bind: SocketAddr = var("RENDEZVOUS_BIND")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .context("RENDEZVOUS_BIND must look like 127.0.0.1:3000")?;
        let data_dir = PathBuf::from(var("RENDEZVOUS_DATA_DIR").unwrap_or_else(|| "data".into()));
        let public_url = var("RENDEZVOUS_PUBLIC_URL").unwrap_or_else(|| format!("http://{bind}"));
        let public_url = url::Url::parse(&public_url).context("RENDEZVOUS_PUBLIC_URL must be an absolute URL")?;
        if !matches!(public_url.scheme(), "http" | "https") {
            bail!("RENDEZVOUS_PUBLIC_URL must be http or https");
        }
        let database_url = var("RENDEZVOUS_DATABASE_URL")
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("rendezvous.db").display()));
        let secret_key = match var("RENDEZVOUS_SECRET_KEY") {
            Some(raw) => SecretKey::from_base64(&raw)?,
            None => load_or_create_key(&data_dir)?,
        };
        let log_filter = var("RENDEZVOUS_LOG").unwrap_or_else(|| "info,sqlx=warn,tower_http=info".into());
        let mail = crate::mail::MailSettings::from_lookup(&var, &data_dir, &public_url)?;
        let jobs = crate::jobs::JobSettings::from_lookup(&var)?;
        let calendars = crate::calendars::CalendarSettings::from_lookup(&var)?;
        let limits = crate::limits::LimitSettings::from_lookup(&var)?;
        let webhooks = crate::webhooks::WebhookSettings::from_lookup(&var)?;
        Ok(Self {
            bind,
            public_url,
            database_url,
            data_dir,
            secret_key,
            log_filter,
            mail,
            jobs,
            calendars,
            limits,
            webhooks,
        })
    }

    /// Whether cookies must carry `Secure`: only when the public URL is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// `scheme://host[:port]` of the public URL, as browsers send it in `Origin`.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    /// An absolute link under the public URL, for emails and invites.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_origin(), path)
    }
}

fn load_or_create_key(data_dir: &Path) -> anyhow::Result<SecretKey> {
    crate::private_files::private_dir(data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
    let path = data_dir.join("secret.key");
    if path.exists() {
        let raw = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        return SecretKey::from_base64(&raw);
    }
    let key = SecretKey::generate();
    write_private(&path, &key.to_base64())?;
    tracing::info!(path = %path.display(), "generated a new secret key");
    Ok(key)
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_with(vars: &[(&str, &str)]) -> anyhow::Result<Config> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn a_secret_key_is_generated_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let dir_str = dir.path().to_str().unwrap();
        let first = config_with(&[("RENDEZVOUS_DATA_DIR", dir_str)]).unwrap();
        let second = config_with(&[("RENDEZVOUS_DATA_DIR", dir_str)]).unwrap();
        assert_eq!(first.secret_key.bytes(), second.secret_key.bytes());
        assert!(first.database_url.starts_with("sqlite://"));
        assert_eq!(first.public_origin(), "http://127.0.0.1:3000");
    }

    #[test]
    fn secure_cookies_follow_the_public_url_scheme() {
        let dir = tempfile::tempdir().unwrap();
        let dir_str = dir.path().to_str().unwrap();
        let https = config_with(&[
            ("RENDEZVOUS_DATA_DIR", dir_str),
            ("RENDEZVOUS_PUBLIC_URL", "https://cal.example.com"),
        ]);
        assert!(https.unwrap().secure_cookies());
        assert!(
            config_with(&[("RENDEZVOUS_DATA_DIR", dir_str)])
                .unwrap()
                .secure_cookies()
                .eq(&false)
        );
    }

    #[test]
    fn bad_values_are_reported_by_name() {
        let err = config_with(&[("RENDEZVOUS_BIND", "nope"), ("RENDEZVOUS_SECRET_KEY", "AAAA")]).unwrap_err();
        assert!(err.to_string().contains("RENDEZVOUS_BIND"));
        let err = config_with(&[("RENDEZVOUS_SECRET_KEY", "AAAA")]).unwrap_err();
        assert!(err.to_string().contains("32 bytes"));
    }

    #[test]
    fn the_secret_key_never_appears_in_debug_output() {
        let key = SecretKey::from_base64(&STANDARD.encode([7u8; 32])).unwrap();
        assert!(!format!("{key:?}").contains("Bw"));
    }
}
