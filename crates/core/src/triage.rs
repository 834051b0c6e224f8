//! Triage of what a client wrote: is it urgent, and does it say anything at all?
//!
//! The rules are data: one word-list file per language under `crates/core/triage/`. Text and
//! patterns are normalized alike (lowercase, accents and other marks removed, so "caído" and
//! "caido" are the same word and "ё" is "е"), then split into words. A pattern word ending in `*`
//! matches by prefix, which is how inflections are handled ("срочн*" for срочно, срочного…).
//! `{name}` matches one capitalized word (a caller's name); the run of capitalized words around
//! it counts as the same name ("Sarah Jones", "Orbita Systems").
//!
//! * Urgent: an `urgent` pattern matches (its words in order, at most two other words between
//!   them), no `negations` word stands in the three words before it ("no es urgente"), and no
//!   `calm` phrase occurs ("no rush").
//! * No content: every word is covered by a `greetings`, `callback`, `intro` or `filler` phrase,
//!   or is a number — "Hola, soy Marcos. Llámame." says who called and nothing else.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::Language;

/// Words allowed between two words of an urgent pattern.
const MAX_GAP: usize = 2;
/// How many words before an urgent pattern a negation reaches.
const NEGATION_REACH: usize = 3;

/// What triage found in a text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Triage {
    /// The text asks for action now.
    pub urgent: bool,
    /// The text says nothing beyond who called and a request to call back.
    pub no_content: bool,
    /// The urgent patterns that matched, for the decision's reasons.
    pub evidence: Vec<String>,
}

/// Triage of `text` with the word lists of the given languages (any one may recognise it).
pub fn triage(languages: &[Language], text: &str) -> Triage {
    let tokens = tokenize(text);
    let lexicons: Vec<&Lexicon> = languages.iter().map(|l| lexicon(*l)).collect();
    let calm = lexicons
        .iter()
        .any(|lx| lx.calm.iter().any(|p| find(p, &tokens, 0, 0).is_some()));
    let mut evidence = Vec::new();
    if !calm {
        for lx in &lexicons {
            for (pattern, source) in lx.urgent.iter().zip(&lx.urgent_source) {
                if matches_unnegated(pattern, &tokens, &lx.negations) {
                    evidence.push(source.clone());
                }
            }
        }
    }
    let no_content = has_no_content(&lexicons, &tokens);
    Triage {
        urgent: !evidence.is_empty(),
        no_content,
        evidence,
    }
}

fn matches_unnegated(pattern: &Pattern, tokens: &[Token], negations: &HashSet<String>) -> bool {
    let mut from = 0;
    while let Some((start, _)) = find(pattern, tokens, from, MAX_GAP) {
        let negated = tokens[start.saturating_sub(NEGATION_REACH)..start]
            .iter()
            .any(|t| negations.contains(&t.norm));
        if !negated {
            return true;
        }
        from = start + 1;
    }
    false
}

fn has_no_content(lexicons: &[&Lexicon], tokens: &[Token]) -> bool {
    let mut covered = vec![false; tokens.len()];
    for (i, t) in tokens.iter().enumerate() {
        covered[i] = t.numeric || lexicons.iter().any(|lx| lx.empty_words.contains(&t.norm));
    }
    if covered.iter().all(|c| *c) {
        return true;
    }
    for lx in lexicons {
        for pattern in &lx.empty_phrases {
            let mut from = 0;
            while let Some((mut start, mut end)) = find(pattern, tokens, from, 0) {
                from = start + 1;
                // A name is a run of capitalized words: "Sarah Jones", "Orbita Systems".
                if matches!(pattern.first(), Some(Word::Name)) {
                    while start > 0 && is_name(&tokens[start - 1]) {
                        start -= 1;
                    }
                }
                if matches!(pattern.last(), Some(Word::Name)) {
                    while end < tokens.len() && is_name(&tokens[end]) {
                        end += 1;
                    }
                }
                covered[start..end].iter_mut().for_each(|c| *c = true);
            }
        }
    }
    covered.iter().all(|c| *c)
}

fn is_name(t: &Token) -> bool {
    Word::Name.matches(t)
}

/// A word of the text, normalized, remembering whether it was capitalized.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Token {
    norm: String,
    capitalized: bool,
    numeric: bool,
}

/// Lowercases, strips combining marks, and splits on anything that is not a letter or digit.
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut capitalized = false;
    let mut numeric = true;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if word.is_empty() {
                capitalized = c.is_uppercase();
                numeric = true;
            }
            numeric &= c.is_numeric();
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            tokens.push(Token {
                norm: std::mem::take(&mut word),
                capitalized,
                numeric,
            });
        }
    }
    if !word.is_empty() {
        tokens.push(Token {
            norm: word,
            capitalized,
            numeric,
        });
    }
    tokens
}

#[derive(Clone, Debug)]
enum Word {
    Exact(String),
    Prefix(String),
    Name,
}

impl Word {
    fn matches(&self, t: &Token) -> bool {
        match self {
            Word::Exact(w) => t.norm == *w,
            Word::Prefix(p) => t.norm.starts_with(p.as_str()),
            Word::Name => t.capitalized && !t.numeric,
        }
    }
}

type Pattern = Vec<Word>;

fn parse_pattern(source: &str) -> Pattern {
    source
        .split_whitespace()
        .flat_map(|w| {
            if w == "{name}" {
                return vec![Word::Name];
            }
            let prefix = w.ends_with('*');
            let words: Vec<String> = tokenize(w.trim_end_matches('*'))
                .into_iter()
                .map(|t| t.norm)
                .collect();
            let last = words.len().saturating_sub(1);
            words
                .into_iter()
                .enumerate()
                .map(|(i, w)| {
                    if prefix && i == last {
                        Word::Prefix(w)
                    } else {
                        Word::Exact(w)
                    }
                })
                .collect()
        })
        .collect()
}

/// The first match of `pattern` starting at or after `from`, as `(first word, past last word)`.
fn find(pattern: &Pattern, tokens: &[Token], from: usize, gap: usize) -> Option<(usize, usize)> {
    let (first, rest) = pattern.split_first()?;
    'start: for start in from..tokens.len() {
        if !first.matches(&tokens[start]) {
            continue;
        }
        let mut at = start + 1;
        for word in rest {
            let limit = (at + gap + 1).min(tokens.len());
            match (at..limit).find(|&i| word.matches(&tokens[i])) {
                Some(i) => at = i + 1,
                None => continue 'start,
            }
        }
        return Some((start, at));
    }
    None
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    urgent: Vec<String>,
    negations: Vec<String>,
    calm: Vec<String>,
    greetings: Vec<String>,
    callback: Vec<String>,
    intro: Vec<String>,
    filler: Vec<String>,
}

/// One language's word lists, compiled for matching.
struct Lexicon {
    urgent: Vec<Pattern>,
    urgent_source: Vec<String>,
    negations: HashSet<String>,
    calm: Vec<Pattern>,
    /// Single plain words that carry no topic.
    empty_words: HashSet<String>,
    /// Phrases and prefixes that carry no topic.
    empty_phrases: Vec<Pattern>,
}

impl Lexicon {
    fn parse(language: Language, source: &str) -> Lexicon {
        let file: LexiconFile = toml::from_str(source)
            .unwrap_or_else(|e| panic!("triage word list for {language} is malformed: {e}"));
        let mut empty_words = HashSet::new();
        let mut empty_phrases = Vec::new();
        for source in file
            .greetings
            .iter()
            .chain(&file.callback)
            .chain(&file.intro)
            .chain(&file.filler)
        {
            match parse_pattern(source).as_slice() {
                [Word::Exact(w)] => {
                    empty_words.insert(w.clone());
                }
                [] => {}
                words => empty_phrases.push(words.to_vec()),
            }
        }
        Lexicon {
            urgent: file.urgent.iter().map(|s| parse_pattern(s)).collect(),
            urgent_source: file.urgent,
            negations: file
                .negations
                .iter()
                .flat_map(|s| tokenize(s).into_iter().map(|t| t.norm))
                .collect(),
            calm: file.calm.iter().map(|s| parse_pattern(s)).collect(),
            empty_words,
            empty_phrases,
        }
    }
}

fn lexicon(language: Language) -> &'static Lexicon {
    static LEXICONS: OnceLock<Vec<Lexicon>> = OnceLock::new();
    let all = LEXICONS.get_or_init(|| {
        Language::ALL
            .iter()
            .map(|&l| Lexicon::parse(l, source(l)))
            .collect()
    });
    &all[Language::ALL.iter().position(|l| *l == language).unwrap()]
}

fn source(language: Language) -> &'static str {
    match language {
        Language::En => include_str!("../triage/en.toml"),
        Language::Es => include_str!("../triage/es.toml"),
        Language::Ru => include_str!("../triage/ru.toml"),
        Language::It => include_str!("../triage/it.toml"),
        Language::Nl => include_str!("../triage/nl.toml"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizer_folds_case_and_accents() {
        let words: Vec<String> = tokenize("¡Se ha CAÍDO el servidor! Ёлка, it's")
            .into_iter()
            .map(|t| t.norm)
            .collect();
        assert_eq!(
            words,
            ["se", "ha", "caido", "el", "servidor", "елка", "it", "s"]
        );
    }

    #[test]
    fn prefix_words_and_gaps_match() {
        let p = parse_pattern("servidor caid*");
        assert!(find(&p, &tokenize("el servidor se ha caído"), 0, 2).is_some());
        assert!(
            find(
                &p,
                &tokenize("el servidor va bien, la web se ha caído"),
                0,
                2
            )
            .is_none()
        );
    }

    #[test]
    fn every_language_file_parses() {
        for l in Language::ALL {
            assert!(!lexicon(l).urgent.is_empty(), "{l}");
        }
    }
}
