//! The password policy: what a member may choose, in one place for every interface.

use std::fmt;

/// A password that meets the policy: at least [`Password::MIN_CHARS`] characters, and at most
/// [`Password::MAX_BYTES`] bytes so that hashing it stays cheap. Its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Why a password was refused. The messages never repeat the password.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    /// Fewer than [`Password::MIN_CHARS`] characters.
    #[error("password: at least {} characters", Password::MIN_CHARS)]
    TooShort,
    /// More than [`Password::MAX_BYTES`] bytes.
    #[error("password: at most {} bytes", Password::MAX_BYTES)]
    TooLong,
}

impl Password {
    /// The fewest characters a password may have.
    pub const MIN_CHARS: usize = 10;
    /// The most bytes a password may have.
    pub const MAX_BYTES: usize = 1024;

    /// Checks a chosen password against the policy.
    pub fn parse(value: &str) -> Result<Password, PasswordError> {
        if value.len() > Password::MAX_BYTES {
            return Err(PasswordError::TooLong);
        }
        if value.chars().count() < Password::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        Ok(Password(value.to_string()))
    }

    /// The password itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_characters_are_the_least_counted_as_characters_not_bytes() {
        assert_eq!(Password::parse("123456789"), Err(PasswordError::TooShort));
        assert!(Password::parse("1234567890").is_ok());
        // Nine two-byte characters are still nine characters.
        assert_eq!(Password::parse("ééééééééé"), Err(PasswordError::TooShort));
        assert!(Password::parse("éééééééééé").is_ok());
    }

    #[test]
    fn a_huge_password_is_refused_before_it_is_hashed() {
        assert_eq!(
            Password::parse(&"x".repeat(Password::MAX_BYTES + 1)),
            Err(PasswordError::TooLong)
        );
        assert!(Password::parse(&"x".repeat(Password::MAX_BYTES)).is_ok());
    }

    #[test]
    fn neither_debug_nor_errors_show_the_password() {
        let p = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
        assert!(!PasswordError::TooShort.to_string().contains("horse"));
    }
}
