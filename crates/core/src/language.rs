//! The five languages frontdesk speaks to clients in.

use std::fmt;

use crate::ParseError;

/// A language for client-facing text and for triage of what clients write.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
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

    /// The language a client's message is written in, when it is one of the five and the text
    /// says so clearly enough (whatlang's trigrams among these five only; Cyrillic is Russian).
    /// None for a text too short or too mixed to tell.
    pub fn detect(text: &str) -> Option<Language> {
        use std::sync::OnceLock;
        use whatlang::Lang;
        static DETECTOR: OnceLock<whatlang::Detector> = OnceLock::new();
        let detector = DETECTOR.get_or_init(|| {
            whatlang::Detector::with_allowlist(vec![
                Lang::Eng,
                Lang::Spa,
                Lang::Rus,
                Lang::Ita,
                Lang::Nld,
            ])
        });
        // Enough letters to judge by; the detector's work is bounded by the length read.
        let sample: String = text.chars().take(2_000).collect();
        let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
        if letters < 12 {
            return None;
        }
        // Cyrillic is Russian among the five: no need to weigh trigrams.
        let cyrillic = sample
            .chars()
            .filter(|c| ('\u{400}'..='\u{4ff}').contains(c))
            .count();
        if cyrillic * 2 > letters {
            return Some(Language::Ru);
        }
        let info = detector.detect(&sample)?;
        if info.confidence() < 0.5 {
            return None;
        }
        Some(match info.lang() {
            Lang::Eng => Language::En,
            Lang::Spa => Language::Es,
            Lang::Rus => Language::Ru,
            Lang::Ita => Language::It,
            Lang::Nld => Language::Nl,
            _ => return None,
        })
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

    /// The language's name in itself, as a language picker shows it: "Español".
    pub fn name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Es => "Español",
            Language::Ru => "Русский",
            Language::It => "Italiano",
            Language::Nl => "Nederlands",
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_of_a_message_is_told_apart_from_the_clients() {
        assert_eq!(
            Language::detect("Hola Eva, la web no funciona desde esta mañana y no podemos cobrar"),
            Some(Language::Es)
        );
        assert_eq!(
            Language::detect("Добрый день, сайт не работает с утра, клиенты не могут оплатить"),
            Some(Language::Ru)
        );
        assert_eq!(
            Language::detect("Goedemorgen, de website ligt er sinds vanochtend uit"),
            Some(Language::Nl)
        );
        assert_eq!(
            Language::detect(
                "Buongiorno, il sito non funziona da stamattina e non riusciamo a incassare"
            ),
            Some(Language::It)
        );
        assert_eq!(
            Language::detect("Hi Eva, the website has been down since this morning"),
            Some(Language::En)
        );
        assert_eq!(Language::detect("Ok"), None);
    }
}
