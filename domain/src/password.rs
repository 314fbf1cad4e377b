use crate::Invalid;
use std::fmt;

/// A new password chosen by a member. Its `Debug` never prints the secret, so it cannot leak
/// into logs through an error or a `tracing` field.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(Invalid::new(format!("Use at least {} characters.", Self::MIN_CHARS)));
        }
        if chars > 128 {
            return Err(Invalid::new("Use at most 128 characters."));
        }
        if raw.trim().is_empty() {
            return Err(Invalid::new("A password cannot be only spaces."));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::Password;

    #[test]
    fn short_passwords_are_rejected() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("          ").is_err());
        assert!(Password::parse("long enough pass").is_ok());
    }

    #[test]
    fn debug_output_never_contains_the_secret() {
        let password = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }
}
