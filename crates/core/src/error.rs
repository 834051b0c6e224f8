//! The one error every parser of the core returns.

/// A value that could not be parsed into a domain type.
///
/// It names what was being parsed, the value as written, and what would have been valid, so
/// the edge that called the parser only has to add where the value came from (a field path).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} {value:?}: {expected}")]
pub struct ParseError {
    /// What was being parsed ("time zone", "time range", …).
    pub kind: &'static str,
    /// The value exactly as it was written.
    pub value: String,
    /// What a valid value looks like, or why this one is not.
    pub expected: String,
}

impl ParseError {
    pub(crate) fn new(kind: &'static str, value: &str, expected: impl Into<String>) -> Self {
        ParseError {
            kind,
            value: value.to_string(),
            expected: expected.into(),
        }
    }
}
