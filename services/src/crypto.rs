//! Authenticated encryption for secrets the database must hold but never in the clear (replayable
//! responses now, provider tokens later): XChaCha20-Poly1305 under a key derived from the
//! configured secret key, with a random nonce per message.

use crate::config::SecretKey;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

/// A cipher for one purpose; `purpose` separates keys so one use can never decrypt another's data.
pub struct Sealer(XChaCha20Poly1305);

impl Sealer {
    pub fn new(secret: &SecretKey, purpose: &str) -> Self {
        let key = Sha256::new()
            .chain_update(secret.bytes())
            .chain_update(purpose.as_bytes())
            .finalize();
        Self(XChaCha20Poly1305::new(&key))
    }

    /// base64(nonce ‖ ciphertext).
    pub fn seal(&self, plaintext: &[u8]) -> anyhow::Result<String> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = self
            .0
            .encrypt(&nonce, plaintext)
            .map_err(|_| anyhow::anyhow!("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ciphertext);
        Ok(STANDARD.encode(out))
    }

    pub fn open(&self, sealed: &str) -> anyhow::Result<Vec<u8>> {
        let raw = STANDARD.decode(sealed)?;
        anyhow::ensure!(raw.len() > 24, "sealed value too short");
        let (nonce, ciphertext) = raw.split_at(24);
        self.0
            .decrypt(XNonce::from_slice(nonce), ciphertext)
            .map_err(|_| anyhow::anyhow!("sealed value was altered or uses another key"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_purpose() {
        let key = SecretKey::generate();
        let sealer = Sealer::new(&key, "a");
        let sealed = sealer.seal(b"manage token").unwrap();
        assert!(!sealed.contains("manage"));
        assert_eq!(sealer.open(&sealed).unwrap(), b"manage token");
        assert!(Sealer::new(&key, "b").open(&sealed).is_err());
        assert!(Sealer::new(&SecretKey::generate(), "a").open(&sealed).is_err());
        assert_ne!(
            sealer.seal(b"manage token").unwrap(),
            sealed,
            "a fresh nonce every time"
        );
    }
}
