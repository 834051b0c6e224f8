//! The five languages frontdesk speaks to clients in.

use std::fmt;

use crate::ParseError;

/// A language for client-facing text and for triage of what clients write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    /// English.
    En,
    /// Spanish.
    Es,
    /// Russian.
    Ru,
    /// Italian.
    It,
    /// Dutch.
    Nl,
}

impl Language {
    /// Every supported language.
    pub const ALL: [Language; 5] = [
        Language::En,
        Language::Es,
        Language::Ru,
        Language::It,
        Language::Nl,
    ];

    /// Parses an ISO 639-1 code: `en`, `es`, `ru`, `it` or `nl`.
    pub fn parse(code: &str) -> Result<Language, ParseError> {
        Language::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .ok_or_else(|| ParseError::new("language", code, "use one of en, es, ru, it, nl"))
    }

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
            Language::Ru => "ru",
            Language::It => "it",
            Language::Nl => "nl",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
