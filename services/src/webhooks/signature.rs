//! Signatures on outgoing webhook deliveries, so receivers can reject forgeries and replays:
//! `Rendezvous-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. Several `v1`
//! values may be present while a rotated secret's old value is still honoured.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The header value for `body` sent at `timestamp`, signed with each of `secrets` (the current
/// one first; during a rotation's overlap also the previous one).
pub fn signature_header(secrets: &[&[u8]], timestamp: i64, body: &[u8]) -> String {
    let mut header = format!("t={timestamp}");
    for secret in secrets {
        header.push_str(",v1=");
        header.push_str(&hex::encode(mac(secret, timestamp, body).finalize().into_bytes()));
    }
    header
}

/// What a receiver does (the README shows it in Python and Node): any `v1` matches under
/// `secret`, in constant time, and `t` lies within `tolerance_secs` of `now`.
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: i64, tolerance_secs: i64) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.extend(hex::decode(value).ok()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp.filter(|t| t.abs_diff(now) <= tolerance_secs.unsigned_abs()) else {
        return false;
    };
    signatures
        .iter()
        .any(|signature| mac(secret, timestamp, body).verify_slice(signature).is_ok())
}

fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = HmacSha256::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_body_verifies_and_a_tampered_one_or_an_old_one_does_not() {
        let created = br#"{"event":"booking.created"}"#;
        let header = signature_header(&[b"whsec_current"], 1_800_000_000, created);
        assert!(header.starts_with("t=1800000000,v1="), "{header}");
        let check = |secret: &[u8], header: &str, body: &[u8], now| verify(secret, header, body, now, 300);
        assert!(check(b"whsec_current", &header, created, 1_800_000_100));
        assert!(!check(
            b"whsec_current",
            &header,
            br#"{"event":"booking.cancelled"}"#,
            1_800_000_100
        ));
        assert!(!check(b"whsec_other", &header, created, 1_800_000_100));
        assert!(!check(b"whsec_current", &header, created, 1_800_000_301), "a replay");
        let forged = header.replace("t=1800000000", "t=1800000300");
        assert!(!check(b"whsec_current", &forged, created, 1_800_000_300));
    }

    #[test]
    fn during_a_rotation_either_secret_verifies() {
        let header = signature_header(&[b"new", b"old"], 5, b"{}");
        assert_eq!(header.matches("v1=").count(), 2);
        assert!(verify(b"new", &header, b"{}", 5, 300));
        assert!(verify(b"old", &header, b"{}", 5, 300));
    }

    #[test]
    fn the_signature_is_the_documented_hmac() {
        // HMAC-SHA256(key "secret", "1.{}"), computed independently with Python's hmac module.
        let header = signature_header(&[b"secret"], 1, b"{}");
        assert_eq!(
            header,
            "t=1,v1=1122767b193110cfec322b6f199b599edbf608ed087f2d27afb0b97d99523908"
        );
    }
}
