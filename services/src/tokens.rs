//! Bearer secrets (session cookies, invite links): 256 random bits shown once, only a SHA-256
//! digest stored, so a leaked database cannot be replayed as logins or invites.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A freshly generated secret and the digest to store for it.
pub struct IssuedToken {
    pub secret: String,
    pub digest: String,
}

pub fn issue() -> IssuedToken {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let digest = digest(&secret);
    IssuedToken { secret, digest }
}

/// A public identifier (booking uid): 20 lower-case letters and digits, ~103 bits.
pub fn uid() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rand::Rng::random_range(&mut rng, 0..ALPHABET.len())] as char)
        .collect()
}

/// The stored form of a presented secret; comparing digests in SQL leaks no timing about the secret.
pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn issued_tokens_are_unique_and_digest_consistently() {
        let a = super::issue();
        let b = super::issue();
        assert_ne!(a.secret, b.secret);
        assert_eq!(a.secret.len(), 43);
        assert_eq!(super::digest(&a.secret), a.digest);
        assert_ne!(a.digest, a.secret);
    }
}
