//! Random identifiers shaped like Google's, so client code that validates, stores or URL-encodes
//! them meets realistic values (sync tokens contain `+`, `/` and `=`, event ids are base32hex).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::{Rng, RngCore};

fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// An opaque bearer-style secret with Google's recognizable prefix (`ya29.`, `1//`, `4/0`).
pub fn secret(prefix: &str) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(random_bytes(36)))
}

/// A sync or page token: standard base64, padding included, like Google's.
pub fn opaque_token() -> String {
    format!("C{}", STANDARD.encode(random_bytes(22)))
}

/// The alphabet Google allows in event ids (base32hex, lowercase).
const BASE32HEX: &[u8] = b"0123456789abcdefghijklmnopqrstuv";

/// A fresh event id: 26 base32hex characters.
pub fn event_id() -> String {
    let mut rng = rand::rng();
    (0..26)
        .map(|_| BASE32HEX[rng.random_range(0..BASE32HEX.len())] as char)
        .collect()
}

/// Google's rule for client-supplied event ids: `[a-v0-9]`, 5 to 1024 characters.
pub fn is_valid_event_id(id: &str) -> bool {
    (5..=1024).contains(&id.len()) && id.bytes().all(|b| BASE32HEX.contains(&b))
}

/// Lowercase alphanumerics for resource ids and calendar ids.
pub fn alphanumeric(len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| BASE32HEX[rng.random_range(0..BASE32HEX.len())] as char)
        .collect()
}

/// A Meet-style code `abc-defg-hij` for generated conference data.
pub fn meet_code() -> String {
    let mut rng = rand::rng();
    let mut part = |n: usize| {
        (0..n)
            .map(|_| (b'a' + rng.random_range(0..26u8)) as char)
            .collect::<String>()
    };
    format!("{}-{}-{}", part(3), part(4), part(3))
}

/// A small random step for sparse message numbers.
pub fn small_step() -> i64 {
    rand::rng().random_range(1..=5)
}
