//! Handles: the short names people type for members and clients.

use std::fmt;

use crate::ParseError;

/// A short identifier for a member or a client (`ana`, `acme`).
///
/// Lowercase ASCII letters, digits, `-` and `_`; 1 to 32 characters; starts with a letter.
/// Handles appear in commands and files, so they are kept easy to type and unambiguous.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Handle(String);

impl Handle {
    /// Parses a handle, rejecting anything a person could mistype or confuse.
    pub fn parse(value: &str) -> Result<Handle, ParseError> {
        let valid_chars = value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        let starts_with_letter = value.starts_with(|c: char| c.is_ascii_lowercase());
        if value.is_empty() || value.len() > 32 || !valid_chars || !starts_with_letter {
            return Err(ParseError::new(
                "handle",
                value,
                "use 1-32 lowercase letters, digits, '-' or '_', starting with a letter",
            ));
        }
        Ok(Handle(value.to_string()))
    }

    /// The handle as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_typical_handles() {
        for ok in ["ana", "acme", "client-2", "a_b"] {
            assert_eq!(Handle::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn rejects_uppercase_spaces_and_leading_digits() {
        for bad in ["", "Ana", "ana ruiz", "2ana", "ana!", &"a".repeat(33)] {
            let err = Handle::parse(bad).unwrap_err();
            assert_eq!(err.value, bad);
        }
    }
}
