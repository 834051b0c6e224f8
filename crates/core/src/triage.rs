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

/// Words between a critical thing and its failure ("the website has been down").
const SITUATION_GAP: usize = 6;
/// Words the lists do not know that a call-back request may still hold, at most, and as a
/// share of its words.
const STRAY_WORDS: usize = 2;
const STRAY_PERCENT: usize = 15;
/// Words between a deadline and "today" ("payroll has to run today").
const DEADLINE_GAP: usize = 8;

/// Triage of `text` with the word lists of the given languages (any one may recognise it).
///
/// Urgency is read two ways. Words that *say* it ("urgent", "asap") count unless negated
/// ("not urgent"), mentioned rather than used ("ignore the URGENT in the subject"), asked and
/// answered no ("Urgent?? nah"), or calmed ("no rush") without a later self-correction
/// ("… actually it is urgent"). Situations that *are* urgent count whatever the tone — a
/// critical thing failing (the website down, payments declined), danger (fire, gas, a flood, an
/// injury), intrusion or fraud, money leaving now, a hard deadline today — unless the message
/// says it is resolved, or the sentence is a hypothetical ("if the server goes down …").
pub fn triage(languages: &[Language], text: &str) -> Triage {
    // What the client newly wrote: quoted history and the signature say nothing of now.
    triage_new_text(languages, &crate::quotes::new_text(text))
}

/// [`triage`] of a text already without its quoted history and signature
/// ([`crate::quotes::new_text`]).
pub fn triage_new_text(languages: &[Language], text: &str) -> Triage {
    read(languages, text, Reader::Compiled).0
}

/// [`triage_new_text`] by the word lists alone, without the model.
pub fn rules_only(languages: &[Language], text: &str) -> Triage {
    read(languages, text, Reader::Rules).0
}

/// [`triage_new_text`] with the word lists and `model` instead of the compiled-in one: what the
/// training command measures a candidate model with.
pub fn with_model(
    languages: &[Language],
    text: &str,
    model: &crate::triage_model::Model,
) -> Triage {
    read(languages, text, Reader::Given(model)).0
}

/// What reads a message besides the word lists.
#[derive(Clone, Copy)]
enum Reader<'a> {
    Rules,
    Compiled,
    Given(&'a crate::triage_model::Model),
}

/// The normalized words of a text, as triage and its model see them.
pub fn words(text: &str) -> Vec<String> {
    tokenize(text).into_iter().map(|t| t.norm).collect()
}

/// Triage of a new text and the language it is written in ([`language_of`]), read from one
/// tokenization.
pub fn read_new_text(languages: &[Language], text: &str) -> (Triage, Option<Language>) {
    read(languages, text, Reader::Compiled)
}

/// Triage and tone of a new text, and its language, from one tokenization: what the decision
/// reads of every contact.
pub(crate) fn read_with_tone(
    languages: &[Language],
    text: &str,
) -> (Triage, crate::tone::Tone, Option<Language>) {
    let tokens = tokenize(text);
    let message_language = language_of_tokens(&tokens, text);
    let (triage, _) = read_tokens(languages, text, &tokens, message_language, Reader::Compiled);
    // A message that says nothing but who called has no tone for the model to read.
    let reader = if triage.no_content {
        crate::tone::Reader::Lists
    } else {
        crate::tone::Reader::Compiled
    };
    let tone = crate::tone::read_tokens(languages, &tokens, message_language, reader);
    (triage, tone, message_language)
}

fn read(languages: &[Language], text: &str, reader: Reader<'_>) -> (Triage, Option<Language>) {
    let tokens = tokenize(text);
    let message_language = language_of_tokens(&tokens, text);
    read_tokens(languages, text, &tokens, message_language, reader)
}

fn read_tokens(
    languages: &[Language],
    text: &str,
    tokens: &[Token],
    message_language: Option<Language>,
    reader: Reader<'_>,
) -> (Triage, Option<Language>) {
    // The message's own language's lists read it too.
    let mut all = languages.to_vec();
    if let Some(l) = message_language
        && !all.contains(&l)
    {
        all.push(l);
    }
    let languages = &all[..];
    let lexicons: Vec<&Lexicon> = languages.iter().map(|l| lexicon(*l)).collect();
    // Every pattern of a language in one pass over the text.
    let scans: Vec<Scanned> = lexicons.iter().map(|lx| lx.scan(tokens)).collect();
    let mut evidence = Vec::new();
    // Past and resolved ("fixed now", "working again"): nothing in the message is urgent.
    let resolved = scans
        .iter()
        .any(|sc| sc.get(Set::Resolved).next().is_some());
    let mut calmed = false;
    if !resolved {
        // Where a hypothetical or the past starts ("if the server goes down…", "last week's
        // phishing e-mail"): the rest of its sentence is not happening now.
        // "If we don't sign by midnight …" is a threat, not a hypothetical: a negation right
        // after the "if" keeps the sentence real.
        let mut hypothetical: Vec<(u32, usize)> = lexicons
            .iter()
            .zip(&scans)
            .flat_map(|(lx, sc)| {
                sc.get(Set::Conditional).filter(|m| {
                    !tokens[m.end..(m.end + 5).min(tokens.len())]
                        .iter()
                        .any(|t| lx.negations.contains(&t.norm))
                })
            })
            .map(|m| (tokens[m.start].sentence, m.start))
            .collect();
        hypothetical.extend(
            scans
                .iter()
                .flat_map(|sc| sc.get(Set::Past))
                .map(|m| (tokens[m.start].sentence, 0)),
        );
        let real = |at: usize| {
            !hypothetical
                .iter()
                .any(|&(sentence, start)| sentence == tokens[at].sentence && start <= at)
        };
        for (lx, sc) in lexicons.iter().zip(&scans) {
            evidence.extend(said_urgent(lx, sc, tokens, &real));
        }
        // "The server is down, but it can wait": calm said after a situation takes it back;
        // a polite opener before it ("whenever you get a moment …") does not.
        let last_calm = lexicons
            .iter()
            .zip(&scans)
            .flat_map(|(lx, sc)| calm_at(lx, sc, tokens))
            .max();
        calmed = last_calm.is_some();
        for (lx, sc) in lexicons.iter().zip(&scans) {
            evidence.extend(
                urgent_situation(lx, sc, tokens, &real)
                    .into_iter()
                    .filter(|(at, _)| last_calm.is_none_or(|c| c < *at))
                    .map(|(_, e)| e),
            );
        }
    }
    evidence.dedup();
    let addresses = text.contains('@') || text.contains("http") || text.contains("www.");
    let stripped;
    let topic_tokens = if addresses {
        stripped = tokenize(&without_addresses(text));
        &stripped[..]
    } else {
        tokens
    };
    let left = topic(&lexicons, topic_tokens).count();
    // Nothing left that says what it is about — or, in a message that asks for a call or says
    // who is calling, at most two stray words in a long one (a word the lists do not know is
    // more likely a filler there than a topic).
    let asks = lexicons.iter().any(|lx| {
        lx.empty_phrases.matches(topic_tokens, 0).next().is_some()
            && lx.about.matches(topic_tokens, 0).next().is_none()
    });
    let mut no_content = left == 0
        || (asks && left <= STRAY_WORDS && left * 100 <= topic_tokens.len() * STRAY_PERCENT);
    // A hypothetical ("if the website goes down at Christmas, who do we call?") or words that
    // say what it is about are content, whatever the model reads.
    let says_about = scans
        .iter()
        .any(|sc| sc.get(Set::Conditional).next().is_some())
        || lexicons
            .iter()
            .any(|lx| lx.about.matches(topic_tokens, 0).next().is_some());
    // What the lists missed, the model may add when it is sure: urgency (never in a message
    // that says it is resolved or calm), or no content (in a short message).
    let model = match reader {
        Reader::Rules => None,
        Reader::Compiled => message_language
            .or_else(|| languages.first().copied())
            .map(crate::triage_model::model),
        Reader::Given(m) => Some(m),
    };
    if let Some(model) = model
        && !tokens.is_empty()
    {
        let words: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
        let features = crate::triage_model::features(&words);
        let p = model.probabilities(&features);
        if evidence.is_empty() && !resolved && !calmed && model.adds(p[0], model.urgent_threshold) {
            evidence.push(model.strongest(&words, &features, 0, 3).join(", "));
        } else if evidence.is_empty()
            && !no_content
            && left <= MODEL_EMPTY_LEFT
            && !says_about
            && model.adds(p[1], model.no_content_threshold)
        {
            no_content = true;
        }
    }
    (
        Triage {
            urgent: !evidence.is_empty(),
            no_content,
            evidence,
        },
        message_language,
    )
}

/// Words the lists do not know that a message the model reads as without content may hold.
const MODEL_EMPTY_LEFT: usize = 6;

/// Urgency in so many words, in the scope rules of [`triage`].
fn said_urgent(
    lx: &Lexicon,
    sc: &Scanned,
    tokens: &[Token],
    real: &dyn Fn(usize) -> bool,
) -> Vec<String> {
    let c = &lx.concepts;
    if calm_at(lx, sc, tokens).next().is_some() {
        return Vec::new();
    }
    let mentioned: HashSet<u32> = sc
        .get(Set::Mention)
        .map(|m| tokens[m.start].sentence)
        .collect();
    let mut found = vec![false; lx.urgent.len()];
    for m in sc.get(Set::Urgent) {
        let t = &tokens[m.start];
        // The answer's first word or two: "nah", "да нет".
        let answered_no = t.question && {
            let next: Vec<&str> = tokens
                .iter()
                .filter(|n| n.sentence == t.sentence + 1)
                .take(2)
                .map(|n| n.norm.as_str())
                .collect();
            next.first().is_some_and(|w| c.answer_no.contains(*w))
                || (next.len() == 2 && c.answer_no.contains(&next.join(" ")))
        };
        found[m.pattern] |= !negated(lx, tokens, m.start, NEGATION_REACH)
            && !mentioned.contains(&t.sentence)
            && !answered_no
            && real(m.start);
    }
    found
        .iter()
        .zip(&lx.urgent_source)
        .filter(|(f, _)| **f)
        .map(|(_, source)| source.clone())
        .collect()
}

/// Where calm is said: not right after a negation ("esto no puede esperar"), nor taken back
/// by a later self-correction ("no rush … actually it is urgent").
fn calm_at<'a>(
    lx: &'a Lexicon,
    sc: &'a Scanned,
    tokens: &'a [Token],
) -> impl Iterator<Item = usize> + 'a {
    let corrections: Vec<usize> = sc.get(Set::Correction).map(|m| m.start).collect();
    sc.get(Set::Calm)
        .filter(move |m| {
            !negated(lx, tokens, m.start, 1) && !corrections.iter().any(|&at| at > m.start)
        })
        .map(|m| m.start)
}

/// An urgent situation, unless hypothetical or past (`real` says which words are not).
fn urgent_situation(
    lx: &Lexicon,
    sc: &Scanned,
    tokens: &[Token],
    real: &dyn Fn(usize) -> bool,
) -> Vec<(usize, String)> {
    let c = &lx.concepts;
    let real = |m: &&Match| real(m.start);
    let mut evidence = Vec::new();
    for (set, kind) in [
        (Set::Safety, &c.safety),
        (Set::Security, &c.security),
        (Set::Money, &c.money),
    ] {
        if let Some(m) = sc.get(set).find(real) {
            evidence.push((m.start, kind.sources[m.pattern].clone()));
        }
    }
    let critical: Vec<&Match> = sc.get(Set::Critical).filter(real).collect();
    'failure: for f in sc.get(Set::Failure).filter(real) {
        for k in &critical {
            let (a, b) = (k.start.min(f.start), k.start.max(f.start));
            if tokens[a].sentence == tokens[b].sentence && b - a <= SITUATION_GAP + 1 {
                evidence.push((
                    a,
                    format!(
                        "{} {}",
                        c.critical.sources[k.pattern], c.failure.sources[f.pattern]
                    ),
                ));
                break 'failure;
            }
        }
    }
    // A deadline and today, near each other in one sentence ("the filing closes at 5 today").
    let today: Vec<&Match> = sc.get(Set::Today).filter(real).collect();
    'deadline: for d in sc.get(Set::Deadline).filter(real) {
        for t in &today {
            let (a, b) = (d.start.min(t.start), d.start.max(t.start));
            if tokens[a].sentence == tokens[b].sentence && b - a <= DEADLINE_GAP + 1 {
                evidence.push((
                    a,
                    format!(
                        "{} {}",
                        c.deadline.sources[d.pattern], c.today.sources[t.pattern]
                    ),
                ));
                break 'deadline;
            }
        }
    }
    evidence
}

/// The text without e-mail addresses and web addresses: a signature's contact details carry no
/// topic.
fn without_addresses(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .filter(|w| {
            let w = w.trim();
            !(w.contains('@') || w.starts_with("http") || w.starts_with("www."))
        })
        .collect()
}

/// The language a text is written in, by its function words when they say so clearly (at
/// least three, twice as many as any other language's), else by [`Language::detect`]'s
/// trigrams; None when neither can tell.
pub fn language_of(text: &str) -> Option<Language> {
    language_of_tokens(&tokenize(text), text)
}

pub(crate) fn language_of_tokens(tokens: &[Token], text: &str) -> Option<Language> {
    let mut hits: Vec<(usize, Language)> = Language::ALL
        .iter()
        .map(|&l| {
            let lx = lexicon(l);
            let n = tokens
                .iter()
                .filter(|t| lx.stopwords.contains(&t.norm))
                .count();
            (n, l)
        })
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(h.0));
    if hits[0].0 >= 3 && hits[0].0 >= 2 * hits[1].0 {
        return Some(hits[0].1);
    }
    Language::detect(text)
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
    // Numbers (phone numbers, times), words that carry no topic, and names: a capitalized word
    // inside a clause ("soy Marcos", "Jan de Boer, Boer Transport").
    let mut covered: Vec<bool> = tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.numeric
                || lexicons.iter().any(|lx| lx.empty_words.contains(&t.norm))
                || (t.capitalized && i > 0 && tokens[i - 1].clause == t.clause)
                || (t.capitalized && name_clause(tokens, t.clause))
        })
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

/// A clause of one to four capitalized words is a name or a company ("Eva,", "Jan Smith,
/// Smith Transport,").
fn name_clause(tokens: &[Token], clause: u32) -> bool {
    const PARTICLES: [&str; 10] = [
        "de", "van", "der", "den", "la", "del", "da", "di", "von", "y",
    ];
    let words: Vec<&Token> = tokens.iter().filter(|t| t.clause == clause).collect();
    // One capitalized word alone is a sentence ("Informe"), not a name; beside other clauses it
    // is a vocative or a sign-off ("Eva, …", "… Marcos").
    let alone = words.len() == tokens.len();
    !(alone && words.len() == 1)
        && (1..=5).contains(&words.len())
        && words.first().is_some_and(|t| t.capitalized)
        && words
            .iter()
            .all(|t| t.capitalized || t.numeric || PARTICLES.contains(&t.norm.as_str()))
}

fn is_name(t: &Token) -> bool {
    Word::Name.matches(t)
}

/// A word of the text, normalized, remembering whether it was capitalized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) norm: String,
    capitalized: bool,
    numeric: bool,
    /// Which clause of the text the word is in; punctuation starts a new one, and a negation
    /// does not reach across it ("no hay nada. Necesito recuperarlos hoy mismo").
    pub(crate) clause: u32,
    /// Which sentence (`.`, `!`, `?`, `;`, a line break end one; a comma does not).
    pub(crate) sentence: u32,
    /// Its sentence ends with a question mark.
    question: bool,
    /// Where its first one, two and three letters end (0: it has fewer): the keys prefix
    /// patterns are found by, computed once per word rather than once per list.
    key_ends: [u8; KEY],
}

impl Token {
    /// Its first `n` letters (1 to [`KEY`]), when it has that many.
    fn key(&self, n: usize) -> Option<&str> {
        let end = usize::from(self.key_ends[n - 1]);
        (end > 0).then(|| &self.norm[..end])
    }
}

/// Where the first one, two and three letters of `word` end.
fn key_ends(word: &str) -> [u8; KEY] {
    let mut ends = [0u8; KEY];
    for (n, (i, c)) in word.char_indices().take(KEY).enumerate() {
        ends[n] = u8::try_from(i + c.len_utf8()).unwrap_or(0);
    }
    ends
}

/// Lowercases, strips combining marks, and splits on anything that is not a letter, a digit, or
/// a hyphen inside a word.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut capitalized = false;
    let mut numeric = true;
    let mut clause = 0;
    let mut sentence = 0;
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
                    key_ends: key_ends(&word),
                    norm: std::mem::take(&mut word),
                    capitalized,
                    numeric,
                    clause,
                    sentence,
                    question: false,
                });
            }
            if matches!(c, '.' | '!' | '?' | ';' | ':' | ',' | '\n' | '¿' | '¡') {
                clause += 1;
            }
            if matches!(c, '.' | '!' | '?' | ';' | '\n') {
                if c == '?' {
                    for t in tokens
                        .iter_mut()
                        .rev()
                        .take_while(|t| t.sentence == sentence)
                    {
                        t.question = true;
                    }
                }
                if tokens.last().is_some_and(|t| t.sentence == sentence) {
                    sentence += 1;
                }
            }
        }
    }
    if !word.is_empty() {
        tokens.push(Token {
            key_ends: key_ends(&word),
            norm: word,
            capitalized,
            numeric,
            clause,
            sentence,
            question: false,
        });
    }
    tokens
}

#[derive(Clone, Debug)]
pub(crate) enum Word {
    Exact(String),
    Prefix(String),
    /// The end of a compound: `*systeem` for "apotheeksysteem", "planningssysteem".
    Suffix(String),
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
            Word::Suffix(p) => t.norm.ends_with(p.as_str()),
            Word::Name => t.capitalized && !t.numeric,
            Word::Any => !t.numeric,
            Word::Number => t.norm.starts_with(|c: char| c.is_ascii_digit()),
        }
    }
}

pub(crate) type Pattern = Vec<Word>;

pub(crate) fn parse_pattern(source: &str) -> Pattern {
    source
        .split_whitespace()
        .flat_map(|w| {
            match w {
                "{name}" => return vec![Word::Name],
                "{any}" => return vec![Word::Any],
                "{num}" => return vec![Word::Number],
                _ => {}
            }
            if let Some(end) = w.strip_prefix('*') {
                return tokenize(end)
                    .into_iter()
                    .map(|t| Word::Suffix(t.norm))
                    .take(1)
                    .collect();
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
pub(crate) struct Patterns {
    list: Vec<Pattern>,
    /// Patterns whose first word is exact, by that word.
    by_first: HashMap<String, Vec<usize>>,
    /// Patterns whose first word is a prefix, by the prefix's first [`KEY`] letters (all of
    /// them when it is shorter): a word looks up its own first one, two and three letters.
    by_initial: HashMap<String, Vec<usize>>,
    /// Patterns whose first word is a name, any word or a number.
    others: Vec<usize>,
}

/// Where a pattern matched: `tokens[start..end]`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Match {
    pub(crate) pattern: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// How many letters of a prefix pattern key its index.
const KEY: usize = 3;

/// The first `n` letters of `word`, when it has that many.
fn first_letters(word: &str, n: usize) -> Option<&str> {
    match word.char_indices().nth(n) {
        Some((end, _)) => Some(&word[..end]),
        None if word.chars().count() == n => Some(word),
        None => None,
    }
}

impl Patterns {
    pub(crate) fn new(list: Vec<Pattern>) -> Patterns {
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::default();
        let mut by_initial: HashMap<String, Vec<usize>> = HashMap::default();
        let mut others = Vec::new();
        for (i, pattern) in list.iter().enumerate() {
            match pattern.first() {
                Some(Word::Exact(w)) => by_first.entry(w.clone()).or_default().push(i),
                Some(Word::Prefix(p)) if !p.is_empty() => {
                    let n = p.chars().count().min(KEY);
                    let key = first_letters(p, n).unwrap_or(p);
                    by_initial.entry(key.to_string()).or_default().push(i)
                }
                Some(Word::Prefix(_)) => others.push(i),
                Some(_) => others.push(i),
                None => {}
            }
        }
        Patterns {
            list,
            by_first,
            by_initial,
            others,
        }
    }

    fn len(&self) -> usize {
        self.list.len()
    }

    pub(crate) fn list(&self) -> &[Pattern] {
        &self.list
    }

    /// Every match in `tokens`, by start; each later word of a pattern may follow the previous
    /// one with up to `gap` other words between.
    pub(crate) fn matches<'a>(
        &'a self,
        tokens: &'a [Token],
        gap: usize,
    ) -> impl Iterator<Item = Match> + 'a {
        self.matches_with(tokens, move |_| gap)
    }

    /// As `matches`, with the gap each pattern allows.
    pub(crate) fn matches_with<'a>(
        &'a self,
        tokens: &'a [Token],
        gap: impl Fn(usize) -> usize + Copy + 'a,
    ) -> impl Iterator<Item = Match> + 'a {
        tokens.iter().enumerate().flat_map(move |(start, token)| {
            let exact = self.by_first.get(&token.norm).into_iter().flatten();
            // The candidates of the word's first one, two and three letters, in the list's
            // order (each bucket is; they are merged only when more than one has some).
            let mut parts: [&[usize]; KEY] = [&[]; KEY];
            for (n, part) in parts.iter_mut().enumerate() {
                if let Some(v) = token.key(n + 1).and_then(|k| self.by_initial.get(k)) {
                    *part = v;
                }
            }
            let candidates: std::borrow::Cow<'_, [usize]> =
                match parts.iter().filter(|p| !p.is_empty()).count() {
                    0 | 1 => std::borrow::Cow::Borrowed(
                        parts.iter().copied().find(|p| !p.is_empty()).unwrap_or(&[]),
                    ),
                    _ => {
                        let mut all = parts.concat();
                        all.sort_unstable();
                        std::borrow::Cow::Owned(all)
                    }
                };
            let prefixed = (0..candidates.len())
                .map(move |j| candidates[j])
                .filter(move |&i| self.list[i][0].matches(token));
            let others = self
                .others
                .iter()
                .filter(|&&i| self.list[i][0].matches(token));
            exact
                .copied()
                .chain(prefixed)
                .chain(others.copied())
                .filter_map(move |i| {
                    let end = match_rest(&self.list[i][1..], tokens, start + 1, gap(i))?;
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
    #[serde(default)]
    critical: Vec<String>,
    #[serde(default)]
    failure: Vec<String>,
    #[serde(default)]
    safety: Vec<String>,
    #[serde(default)]
    security: Vec<String>,
    #[serde(default)]
    money: Vec<String>,
    #[serde(default)]
    deadline: Vec<String>,
    #[serde(default)]
    today: Vec<String>,
    #[serde(default)]
    resolved: Vec<String>,
    #[serde(default)]
    conditional: Vec<String>,
    #[serde(default)]
    past: Vec<String>,
    #[serde(default)]
    correction: Vec<String>,
    #[serde(default)]
    mention: Vec<String>,
    #[serde(default)]
    answer_no: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    about: Vec<String>,
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
    concepts: Concepts,
    /// Single plain words that carry no topic.
    empty_words: HashSet<String>,
    /// Phrases and prefixes that carry no topic.
    empty_phrases: Patterns,
    /// The language's function words, to tell which language a text is in.
    stopwords: HashSet<String>,
    /// Every set above, in one index.
    scanner: Scanner,
    /// What introduces a topic ("about", "sobre"): a word after it is never a stray one.
    about: Patterns,
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
            .chain(&file.stopwords)
        {
            match parse_pattern(source).as_slice() {
                [Word::Exact(w)] => {
                    empty_words.insert(w.clone());
                }
                [] => {}
                words => empty_phrases.push(words.to_vec()),
            }
        }
        let mut lexicon = Lexicon {
            urgent: Patterns::new(file.urgent.iter().map(|s| parse_pattern(s)).collect()),
            urgent_source: file.urgent,
            negations: file
                .negations
                .iter()
                .flat_map(|s| tokenize(s).into_iter().map(|t| t.norm))
                .collect(),
            calm: Patterns::new(file.calm.iter().map(|s| parse_pattern(s)).collect()),
            concepts: Concepts {
                critical: Sourced::new(&file.critical),
                failure: Sourced::new(&file.failure),
                safety: Sourced::new(&file.safety),
                security: Sourced::new(&file.security),
                money: Sourced::new(&file.money),
                deadline: Sourced::new(&file.deadline),
                today: Sourced::new(&file.today),
                resolved: Sourced::new(&file.resolved),
                conditional: Sourced::new(&file.conditional),
                past: Sourced::new(&file.past),
                correction: Sourced::new(&file.correction),
                mention: Sourced::new(&file.mention),
                answer_no: file
                    .answer_no
                    .iter()
                    .map(|s| {
                        tokenize(s)
                            .into_iter()
                            .map(|t| t.norm)
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect(),
            },
            empty_words,
            empty_phrases: Patterns::new(empty_phrases),
            about: Patterns::new(file.about.iter().map(|s| parse_pattern(s)).collect()),
            stopwords: file
                .stopwords
                .iter()
                .flat_map(|s| tokenize(s).into_iter().map(|t| t.norm))
                .collect(),
            scanner: Scanner {
                patterns: Patterns::new(Vec::new()),
                owner: Vec::new(),
            },
        };
        let c = &lexicon.concepts;
        lexicon.scanner = Scanner::new(&[
            (Set::Urgent, &lexicon.urgent, MAX_GAP),
            (Set::Calm, &lexicon.calm, 0),
            (Set::Critical, &c.critical.patterns, 0),
            (Set::Failure, &c.failure.patterns, 1),
            (Set::Safety, &c.safety.patterns, MAX_GAP),
            (Set::Security, &c.security.patterns, MAX_GAP),
            (Set::Money, &c.money.patterns, MAX_GAP),
            (Set::Deadline, &c.deadline.patterns, 0),
            (Set::Today, &c.today.patterns, 1),
            (Set::Resolved, &c.resolved.patterns, 1),
            (Set::Conditional, &c.conditional.patterns, 0),
            (Set::Past, &c.past.patterns, 0),
            (Set::Correction, &c.correction.patterns, 0),
            (Set::Mention, &c.mention.patterns, 0),
        ]);
        lexicon
    }
}

/// The pattern sets of a language, scanned together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Set {
    Urgent,
    Calm,
    Critical,
    Failure,
    Safety,
    Security,
    Money,
    Deadline,
    Today,
    Resolved,
    Conditional,
    Past,
    Correction,
    Mention,
}

const SETS: usize = 14;

/// All of a language's sets in one index: a text is scanned once, whatever the number of sets.
struct Scanner {
    patterns: Patterns,
    /// Each pattern's set, its number in that set, and the gap its words allow.
    owner: Vec<(Set, usize, usize)>,
}

impl Scanner {
    fn new(sets: &[(Set, &Patterns, usize)]) -> Scanner {
        let mut list = Vec::new();
        let mut owner = Vec::new();
        for (set, patterns, gap) in sets {
            for (i, p) in patterns.list.iter().enumerate() {
                list.push(p.clone());
                owner.push((*set, i, *gap));
            }
        }
        Scanner {
            patterns: Patterns::new(list),
            owner,
        }
    }
}

/// A text's matches, by set; a match's `pattern` is its number in its set.
struct Scanned {
    by_set: [Vec<Match>; SETS],
}

impl Scanned {
    fn get(&self, set: Set) -> std::slice::Iter<'_, Match> {
        self.by_set[set as usize].iter()
    }
}

impl Lexicon {
    fn scan(&self, tokens: &[Token]) -> Scanned {
        let mut by_set: [Vec<Match>; SETS] = Default::default();
        let owner = &self.scanner.owner;
        for m in self.scanner.patterns.matches_with(tokens, |i| owner[i].2) {
            let (set, pattern, _) = owner[m.pattern];
            by_set[set as usize].push(Match { pattern, ..m });
        }
        Scanned { by_set }
    }
}

/// Patterns with the words they were written as, for the decision's reasons.
struct Sourced {
    patterns: Patterns,
    sources: Vec<String>,
}

impl Sourced {
    fn new(list: &[String]) -> Sourced {
        Sourced {
            patterns: Patterns::new(list.iter().map(|s| parse_pattern(s)).collect()),
            sources: list.to_vec(),
        }
    }
}

/// Urgency as a situation, and what changes how a sentence is read.
struct Concepts {
    /// Things whose failure now is urgent: a server, the website, payments, payroll.
    critical: Sourced,
    /// Failing states: down, not working, declined, blank.
    failure: Sourced,
    /// Danger to people or premises: fire, smoke, a gas smell, a flood, an injury.
    safety: Sourced,
    /// Intrusion and fraud: a login from abroad, bank details changed, files encrypted.
    security: Sourced,
    /// Money leaving now: payments going out, charged twice.
    money: Sourced,
    /// Things with a hard deadline: a filing, a court, payroll, a signature.
    deadline: Sourced,
    /// Today: today, tonight, this afternoon, by 5pm.
    today: Sourced,
    /// Past and resolved: fixed now, working again — no situation is urgent then.
    resolved: Sourced,
    /// A hypothetical: "if", "in case" — the rest of its sentence is not happening.
    conditional: Sourced,
    /// The past: "last week", "yesterday" — its whole sentence is not happening now.
    past: Sourced,
    /// A self-correction: "actually", "anzi" — calm before it no longer holds.
    correction: Sourced,
    /// A mention rather than a use: "subject line", "ignore".
    mention: Sourced,
    /// A negative answer to a question: "nah", "no", "нет".
    answer_no: HashSet<String>,
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

    /// Each pattern of issue 11, in the five languages: (language, text, urgent, no content).
    const PATTERNS: &[(Language, &str, bool, bool)] = &[
        // A critical thing failing now, without the word "urgent".
        (
            Language::En,
            "The booking system has been down since 8 and reception is turning guests away",
            true,
            false,
        ),
        (
            Language::Es,
            "El sistema de reservas está caído desde las 8 y no podemos atender a nadie",
            true,
            false,
        ),
        (
            Language::It,
            "Il sito è giù da stamattina e i clienti non riescono a ordinare",
            true,
            false,
        ),
        (
            Language::Nl,
            "De webshop ligt er sinds vanochtend uit en klanten kunnen niet afrekenen",
            true,
            false,
        ),
        (
            Language::Ru,
            "Сайт не работает с утра, клиенты не могут оформить заказ",
            true,
            false,
        ),
        // A polite opener does not cancel what follows.
        (
            Language::En,
            "Whenever you get a moment: the server is down and nobody can work",
            true,
            false,
        ),
        (
            Language::Es,
            "Cuando puedas... el servidor no funciona y nadie puede trabajar",
            true,
            false,
        ),
        (
            Language::It,
            "Quando hai un attimo... il server non funziona e nessuno può lavorare",
            true,
            false,
        ),
        (
            Language::Nl,
            "Als je even tijd hebt... de server ligt plat en niemand kan werken",
            true,
            false,
        ),
        (
            Language::Ru,
            "Когда будет минутка... сервер лежит, никто не может работать",
            true,
            false,
        ),
        // A self-correction.
        (
            Language::En,
            "Not urgent... actually scratch that, it is urgent: payroll has to run today",
            true,
            false,
        ),
        (
            Language::Es,
            "No es urgente... bueno sí, es urgente: hoy hay que pagar las nóminas",
            true,
            false,
        ),
        (
            Language::It,
            "Niente di urgente... anzi no, è urgente: gli stipendi vanno pagati oggi",
            true,
            false,
        ),
        (
            Language::Nl,
            "Niet dringend... nee wacht, het is wel dringend: de salarissen moeten vandaag eruit",
            true,
            false,
        ),
        (
            Language::Ru,
            "Не срочно... хотя нет, срочно: зарплату нужно выплатить сегодня",
            true,
            false,
        ),
        // A negative answer to "urgent?".
        (
            Language::En,
            "Urgent? nah, next week is fine for the brochure",
            false,
            false,
        ),
        (
            Language::Es,
            "¿Urgente? No, tranquilo, el folleto puede ser la semana que viene",
            false,
            false,
        ),
        (
            Language::It,
            "Urgente? No, il volantino va bene anche la settimana prossima",
            false,
            false,
        ),
        (
            Language::Nl,
            "Dringend? Nee hoor, de brochure mag volgende week",
            false,
            false,
        ),
        (
            Language::Ru,
            "Срочно? Нет, буклет можно и на следующей неделе",
            false,
            false,
        ),
        // A mention, not a use.
        (
            Language::En,
            "Ignore the URGENT in my subject line, it is just the quarterly invoice",
            false,
            false,
        ),
        (
            Language::Es,
            "Ignora lo de URGENTE en el asunto, es solo la factura trimestral",
            false,
            false,
        ),
        (
            Language::It,
            "Ignora l'URGENTE nell'oggetto, è solo la fattura trimestrale",
            false,
            false,
        ),
        (
            Language::Nl,
            "Negeer het DRINGEND in mijn onderwerpregel, het gaat om de kwartaalfactuur",
            false,
            false,
        ),
        (
            Language::Ru,
            "Не обращайте внимания на СРОЧНО в теме, это просто квартальный счет",
            false,
            false,
        ),
        // The past, resolved.
        (
            Language::En,
            "The outage on Monday is fixed now, could you send a short report?",
            false,
            false,
        ),
        (
            Language::Es,
            "La caída del lunes ya está resuelta, ¿me mandas un informe breve?",
            false,
            false,
        ),
        (
            Language::It,
            "Il guasto di lunedì è risolto, mi mandi un breve resoconto?",
            false,
            false,
        ),
        (
            Language::Nl,
            "De storing van maandag is opgelost, kun je een kort verslag sturen?",
            false,
            false,
        ),
        (
            Language::Ru,
            "Сбой в понедельник уже исправлен, пришлите короткий отчет",
            false,
            false,
        ),
        // A hypothetical.
        (
            Language::En,
            "If the website ever goes down over Christmas, who do we call?",
            false,
            false,
        ),
        (
            Language::Es,
            "Si la web se cae en Navidad, ¿a quién llamamos?",
            false,
            false,
        ),
        (
            Language::It,
            "Se il sito si blocca a Natale, chi chiamiamo?",
            false,
            false,
        ),
        (
            Language::Nl,
            "Als de website met Kerst uitvalt, wie bellen we dan?",
            false,
            false,
        ),
        (
            Language::Ru,
            "Если сайт упадет на праздниках, кому звонить?",
            false,
            false,
        ),
        // Only who is calling: a name, a company and a number.
        (
            Language::En,
            "Tom Baker, Baker Logistics, 07700 900456",
            false,
            true,
        ),
        (Language::Es, "Eva, soy Marcos. Llámame porfa.", false, true),
        (
            Language::It,
            "Marco, sono Giulia della Rossi Srl. Richiamami quando puoi, grazie.",
            false,
            true,
        ),
        (
            Language::Nl,
            "Jan de Boer, Boer Transport, 06 1234 5678",
            false,
            true,
        ),
        (
            Language::Ru,
            "Ева, это Дима из Альфа Сервис. Перезвони, пожалуйста.",
            false,
            true,
        ),
    ];

    #[test]
    fn no_language_at_all_reads_by_the_message_alone() {
        // Neither a client's language nor a detectable one: no panic, a plain reading.
        let t = triage(&[], "x");
        assert!(!t.urgent);
        let t = triage(
            &[],
            "The server is down since this morning and nobody can work",
        );
        assert!(t.urgent, "{t:?}");
    }

    #[test]
    fn each_pattern_in_each_language() {
        let mut wrong = Vec::new();
        for (language, text, urgent, empty) in PATTERNS {
            let t = triage(&[*language], text);
            if t.urgent != *urgent || (!t.urgent && t.no_content) != *empty {
                wrong.push(format!("{language}: {text} → {t:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_language_of_a_text_by_its_function_words() {
        assert_eq!(
            language_of("hola, ¿me puedes llamar por lo de la factura?"),
            Some(Language::Es)
        );
        assert_eq!(
            language_of("ciao, mi puoi chiamare per la fattura?"),
            Some(Language::It)
        );
        assert_eq!(
            language_of("hoi, kun je me bellen over de factuur?"),
            Some(Language::Nl)
        );
        assert_eq!(
            language_of("hi, can you call me about the invoice?"),
            Some(Language::En)
        );
        assert_eq!(
            language_of("привет, можешь позвонить насчет счета?"),
            Some(Language::Ru)
        );
    }

    #[test]
    fn every_language_file_parses() {
        for l in Language::ALL {
            assert!(lexicon(l).urgent.len() > 0, "{l}");
        }
    }
}
