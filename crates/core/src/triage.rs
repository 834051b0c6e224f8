//! Triage of what a client wrote: is it urgent, and does it say anything at all?
//!
//! The rules are data: one word-list file per language under `crates/core/triage/`. Text and
//! patterns are normalized alike (lowercase, accents and other marks removed, so "caído" and
//! "caido" are the same word and "ё" is "е"), then split into words. A pattern word ending in `*`
//! matches by prefix, which is how inflections are handled ("срочн*" for срочно, срочного…).
//! `{name}` matches one capitalized word (a caller's name); the run of capitalized words around
//! it counts as the same name ("Sarah Jones", "Orbita Systems"). `{any}` matches any one word,
//! for names written in lowercase ("привет это дима"). `{num}` matches a word that starts with a
//! digit ("at {num} today" for "at 2 today", "by 5pm today").
//!
//! * Urgent: an `urgent` pattern matches (its words in order, at most two other words between
//!   them), no `negations` word stands in the three words before it ("no es urgente"), and no
//!   `calm` phrase occurs ("no rush").
//! * No content: every word is covered by a `greetings`, `callback`, `intro` or `filler` phrase,
//!   or is a number — "Hola, soy Marcos. Llámame." says who called and nothing else.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

use serde::Deserialize;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

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
    // A calm phrase right after a negation is not calm: "esto no puede esperar".
    let calm = lexicons.iter().any(|lx| {
        lx.calm
            .matches(&tokens, 0)
            .any(|m| !negated(lx, &tokens, m.start, 1))
    });
    let mut evidence = Vec::new();
    if !calm {
        for lx in &lexicons {
            let mut found = vec![false; lx.urgent.len()];
            for m in lx.urgent.matches(&tokens, MAX_GAP) {
                found[m.pattern] |= !negated(lx, &tokens, m.start, NEGATION_REACH);
            }
            evidence.extend(
                found
                    .iter()
                    .zip(&lx.urgent_source)
                    .filter(|(f, _)| **f)
                    .map(|(_, source)| source.clone()),
            );
        }
    }
    let no_content = topic(&lexicons, &tokens).next().is_none();
    Triage {
        urgent: !evidence.is_empty(),
        no_content,
        evidence,
    }
}

/// Whether one of the `reach` words before `tokens[at]`, in the same clause, is a negation.
fn negated(lexicon: &Lexicon, tokens: &[Token], at: usize, reach: usize) -> bool {
    tokens[at.saturating_sub(reach)..at]
        .iter()
        .any(|t| t.clause == tokens[at].clause && lexicon.negations.contains(&t.norm))
}

/// The words of `text` that carry a topic: those no greeting, call-back, introduction or filler
/// phrase covers. A text without any has no content.
pub fn topic_words(languages: &[Language], text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    let lexicons: Vec<&Lexicon> = languages.iter().map(|l| lexicon(*l)).collect();
    topic(&lexicons, &tokens).map(|t| t.norm.clone()).collect()
}

fn topic<'a>(lexicons: &[&Lexicon], tokens: &'a [Token]) -> impl Iterator<Item = &'a Token> {
    let mut covered: Vec<bool> = tokens
        .iter()
        .map(|t| t.numeric || lexicons.iter().any(|lx| lx.empty_words.contains(&t.norm)))
        .collect();
    for lx in lexicons {
        if covered.iter().all(|c| *c) {
            break;
        }
        for m in lx.empty_phrases.matches(tokens, 0) {
            let pattern = &lx.empty_phrases.list[m.pattern];
            let (mut start, mut end) = (m.start, m.end);
            // A name is a run of capitalized words: "Sarah Jones", "Orbita Systems".
            if matches!(pattern.first(), Some(Word::Name)) {
                while start > 0 && is_name(&tokens[start - 1]) {
                    start -= 1;
                }
            }
            if matches!(pattern.last(), Some(Word::Name | Word::Any)) {
                while end < tokens.len() && is_name(&tokens[end]) {
                    end += 1;
                }
            }
            covered[start..end].iter_mut().for_each(|c| *c = true);
        }
    }
    tokens
        .iter()
        .zip(covered)
        .filter(|(_, covered)| !covered)
        .map(|(t, _)| t)
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
    /// Which clause of the text the word is in; punctuation starts a new one, and a negation
    /// does not reach across it ("no hay nada. Necesito recuperarlos hoy mismo").
    clause: u32,
}

/// Lowercases, strips combining marks, and splits on anything that is not a letter, a digit, or
/// a hyphen inside a word.
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut capitalized = false;
    let mut numeric = true;
    let mut clause = 0;
    // The text without its combining marks, decomposed: "caído" → "caido", "й" → "и".
    let mut base = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            base.push(c);
        } else {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    base.push(d);
                }
            });
        }
    }
    for (i, &c) in base.iter().enumerate() {
        // A hyphen between letters joins one word: "альфа-консалта", "Jan-Willem".
        let joins =
            c == '-' && !word.is_empty() && base.get(i + 1).is_some_and(|n| n.is_alphabetic());
        if joins {
            word.push(c);
            numeric = false;
        } else if c.is_alphanumeric() {
            if word.is_empty() {
                capitalized = c.is_uppercase();
                numeric = true;
            }
            numeric &= c.is_numeric();
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        } else {
            if !word.is_empty() {
                tokens.push(Token {
                    norm: std::mem::take(&mut word),
                    capitalized,
                    numeric,
                    clause,
                });
            }
            if matches!(c, '.' | '!' | '?' | ';' | ':' | ',' | '\n' | '¿' | '¡') {
                clause += 1;
            }
        }
    }
    if !word.is_empty() {
        tokens.push(Token {
            norm: word,
            capitalized,
            numeric,
            clause,
        });
    }
    tokens
}

#[derive(Clone, Debug)]
enum Word {
    Exact(String),
    Prefix(String),
    Name,
    Any,
    /// A word that starts with a digit: "2", "17u", "9am".
    Number,
}

impl Word {
    fn matches(&self, t: &Token) -> bool {
        match self {
            Word::Exact(w) => t.norm == *w,
            Word::Prefix(p) => t.norm.starts_with(p.as_str()),
            Word::Name => t.capitalized && !t.numeric,
            Word::Any => !t.numeric,
            Word::Number => t.norm.starts_with(|c: char| c.is_ascii_digit()),
        }
    }
}

type Pattern = Vec<Word>;

fn parse_pattern(source: &str) -> Pattern {
    source
        .split_whitespace()
        .flat_map(|w| {
            match w {
                "{name}" => return vec![Word::Name],
                "{any}" => return vec![Word::Any],
                "{num}" => return vec![Word::Number],
                _ => {}
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

/// A list of patterns, indexed by their first word so that matching a text costs one lookup
/// per word rather than one scan per pattern.
struct Patterns {
    list: Vec<Pattern>,
    /// Patterns whose first word is exact, by that word.
    by_first: HashMap<String, Vec<usize>>,
    /// Patterns whose first word is a prefix or a name.
    others: Vec<usize>,
}

/// Where a pattern matched: `tokens[start..end]`.
struct Match {
    pattern: usize,
    start: usize,
    end: usize,
}

impl Patterns {
    fn new(list: Vec<Pattern>) -> Patterns {
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::default();
        let mut others = Vec::new();
        for (i, pattern) in list.iter().enumerate() {
            match pattern.first() {
                Some(Word::Exact(w)) => by_first.entry(w.clone()).or_default().push(i),
                Some(_) => others.push(i),
                None => {}
            }
        }
        Patterns {
            list,
            by_first,
            others,
        }
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    /// Every match in `tokens`, by start; each later word of a pattern may follow the previous
    /// one with up to `gap` other words between.
    fn matches<'a>(&'a self, tokens: &'a [Token], gap: usize) -> impl Iterator<Item = Match> + 'a {
        tokens.iter().enumerate().flat_map(move |(start, token)| {
            let exact = self.by_first.get(&token.norm).into_iter().flatten();
            let others = self
                .others
                .iter()
                .filter(|&&i| self.list[i][0].matches(token));
            exact.chain(others).filter_map(move |&i| {
                let end = match_rest(&self.list[i][1..], tokens, start + 1, gap)?;
                Some(Match {
                    pattern: i,
                    start,
                    end,
                })
            })
        })
    }
}

/// Matches `rest` from `tokens[at..]`, returning the index past the last word matched.
fn match_rest(rest: &[Word], tokens: &[Token], mut at: usize, gap: usize) -> Option<usize> {
    for word in rest {
        let limit = (at + gap + 1).min(tokens.len());
        at = (at..limit).find(|&i| word.matches(&tokens[i]))? + 1;
    }
    Some(at)
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
    urgent: Patterns,
    urgent_source: Vec<String>,
    negations: HashSet<String>,
    calm: Patterns,
    /// Single plain words that carry no topic.
    empty_words: HashSet<String>,
    /// Phrases and prefixes that carry no topic.
    empty_phrases: Patterns,
}

impl Lexicon {
    fn parse(language: Language, source: &str) -> Lexicon {
        let file: LexiconFile = toml::from_str(source)
            .unwrap_or_else(|e| panic!("triage word list for {language} is malformed: {e}"));
        let mut empty_words = HashSet::default();
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
            urgent: Patterns::new(file.urgent.iter().map(|s| parse_pattern(s)).collect()),
            urgent_source: file.urgent,
            negations: file
                .negations
                .iter()
                .flat_map(|s| tokenize(s).into_iter().map(|t| t.norm))
                .collect(),
            calm: Patterns::new(file.calm.iter().map(|s| parse_pattern(s)).collect()),
            empty_words,
            empty_phrases: Patterns::new(empty_phrases),
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
        let p = Patterns::new(vec![parse_pattern("servidor caid*")]);
        let found = |text: &str| p.matches(&tokenize(text), 2).count();
        assert_eq!(found("el servidor se ha caído"), 1);
        assert_eq!(found("el servidor va bien, la web se ha caído"), 0);
    }

    #[test]
    fn negation_stays_in_its_clause_and_negated_calm_is_not_calm() {
        let es = |text: &str| triage(&[Language::Es], text).urgent;
        assert!(!es("no es urgente"));
        assert!(es(
            "ayer estaban y hoy no hay nada. Necesito recuperarlos hoy mismo"
        ));
        assert!(!es("el servidor se ha caído, pero puede esperar"));
        assert!(es("el servidor se ha caído. Esto no puede esperar"));
    }

    #[test]
    fn a_name_is_a_run_of_capitalized_words() {
        let t = triage(
            &[Language::En],
            "Hi, this is Sarah Jones from Northwind Traders, call me back on 020 7946 0958",
        );
        assert!(t.no_content && !t.urgent, "{t:?}");
        let t = triage(
            &[Language::En],
            "Hi, this is Sarah Jones, call me back about the invoice",
        );
        assert!(!t.no_content, "{t:?}");
    }

    #[test]
    fn every_language_file_parses() {
        for l in Language::ALL {
            assert!(lexicon(l).urgent.len() > 0, "{l}");
        }
    }
}
