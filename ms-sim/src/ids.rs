//! Identifiers shaped like Microsoft's, so client code that stores, compares or URL-encodes them
//! meets realistic values: item ids are long base64url strings ending in `=`, change keys are
//! standard base64 (with `/` and `+`), tokens are kilobytes long.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn random_bytes(len: usize) -> Vec<u8> {
    let mut bytes = vec![0; len];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

fn format_guid(bytes: &[u8]) -> String {
    let hex: String = bytes[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

/// A random version-4 GUID (subscription ids, request ids, session state).
pub fn guid() -> String {
    format_guid(&random_bytes(16))
}

/// A GUID that is always the same for `seed`, so an account keeps its object id across runs.
pub fn stable_guid(seed: &str) -> String {
    format_guid(&Sha256::digest(seed.to_ascii_lowercase().as_bytes()))
}

/// An Exchange item id (events, calendars): `AAMkA…=`, URL-safe alphabet.
pub fn item_id() -> String {
    format!("AAMkA{}=", URL_SAFE_NO_PAD.encode(random_bytes(105)))
}

/// A change key, which also forms the `@odata.etag` (`W/"<changeKey>"`).
pub fn change_key() -> String {
    STANDARD.encode(random_bytes(30))
}

/// An iCalendar UID in Exchange's format.
pub fn ical_uid() -> String {
    let hex: String = random_bytes(16).iter().map(|b| format!("{b:02X}")).collect();
    format!("040000008200E00074C5B7101A82E00800000000{hex}")
}

/// An opaque secret with a recognizable prefix (`0.A` codes, `1.A` refresh tokens).
pub fn secret(prefix: &str, len: usize) -> String {
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(random_bytes(len)))
}

/// A delta or skip token (URL-safe: it travels inside links the client follows verbatim).
pub fn state_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(48))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_have_the_8_4_4_4_12_shape_and_stable_ones_do_not_change() {
        let id = guid();
        let lengths: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(lengths, [8, 4, 4, 4, 12]);
        assert_eq!(stable_guid("Ada@example.com"), stable_guid("ada@example.com"));
        assert_ne!(stable_guid("ada@example.com"), stable_guid("bob@example.com"));
    }
}
