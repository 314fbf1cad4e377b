//! PKCE (RFC 7636) as an authorization server checks it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// The transformation named by `code_challenge_method`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChallengeMethod {
    S256,
    Plain,
}

#[derive(Clone, Debug)]
pub struct Challenge {
    pub value: String,
    pub method: ChallengeMethod,
}

/// Why the authorize request's PKCE parameters were refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChallengeError {
    /// A method without a challenge.
    MissingChallenge,
    UnknownMethod(String),
    /// Not 43–128 characters of the unreserved set.
    Malformed,
}

impl Challenge {
    /// Reads `code_challenge` and `code_challenge_method`; a challenge without a method is
    /// `plain` (RFC 7636 §4.3). `Ok(None)`: the client does not use PKCE.
    pub fn from_params(value: Option<&str>, method: Option<&str>) -> Result<Option<Self>, ChallengeError> {
        let Some(value) = value else {
            return match method {
                None => Ok(None),
                Some(_) => Err(ChallengeError::MissingChallenge),
            };
        };
        let method = match method {
            None | Some("plain") => ChallengeMethod::Plain,
            Some("S256") => ChallengeMethod::S256,
            Some(other) => return Err(ChallengeError::UnknownMethod(other.to_owned())),
        };
        if !is_valid_verifier(value) {
            return Err(ChallengeError::Malformed);
        }
        Ok(Some(Challenge {
            value: value.to_owned(),
            method,
        }))
    }

    /// RFC 7636 §4.6: `BASE64URL(SHA256(verifier)) == challenge` (or equality for `plain`), for
    /// a well-formed verifier only.
    pub fn verifies(&self, verifier: &str) -> bool {
        is_valid_verifier(verifier)
            && match self.method {
                ChallengeMethod::S256 => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == self.value,
                ChallengeMethod::Plain => verifier == self.value,
            }
    }
}

/// RFC 7636 §4.1: 43–128 characters of `[A-Za-z0-9-._~]` (challenges follow the same rule).
fn is_valid_verifier(value: &str) -> bool {
    (43..=128).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    #[test]
    fn the_rfc_7636_example_verifier_matches_its_s256_challenge() {
        let challenge = Challenge::from_params(Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), Some("S256"))
            .unwrap()
            .unwrap();
        assert!(challenge.verifies(VERIFIER));
        assert!(!challenge.verifies(&VERIFIER.replace('d', "e")));
    }

    #[test]
    fn a_challenge_without_a_method_is_plain() {
        let challenge = Challenge::from_params(Some(VERIFIER), None).unwrap().unwrap();
        assert_eq!(challenge.method, ChallengeMethod::Plain);
        assert!(challenge.verifies(VERIFIER));
    }

    #[test]
    fn malformed_or_incomplete_pkce_parameters_are_refused() {
        assert_eq!(
            Challenge::from_params(None, Some("S256")).unwrap_err(),
            ChallengeError::MissingChallenge
        );
        assert_eq!(
            Challenge::from_params(Some("short"), Some("S256")).unwrap_err(),
            ChallengeError::Malformed
        );
        assert_eq!(
            Challenge::from_params(Some(VERIFIER), Some("S512")).unwrap_err(),
            ChallengeError::UnknownMethod("S512".into())
        );
        assert!(Challenge::from_params(None, None).unwrap().is_none());
    }
}
