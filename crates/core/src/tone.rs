//! The tone of what a client wrote — a complaint, an escalation, a follow-up — and the
//! sentences of an answer that read as promises.
//!
//! Like triage, the rules are data: one word-list file per language under `crates/core/tone/`,
//! matched with triage's patterns (lowercase, accents removed, `*` for a prefix, `{any}` for one
//! word, `{num}` for a number; the words of a pattern may have up to two other words between
//! them).
//!
//! * A match counts unless a negation stands in the three words before it in its clause ("not
//!   unhappy"), a `neutral` phrase overlaps it ("no complaints", "a follow-up meeting"), or —
//!   for complaints and follow-ups — a `conditional` word comes before it in its sentence ("if
//!   the customers complain"). A threat is often conditional ("if it is not fixed by Friday we
//!   will cancel the contract"), so a conditional does not cancel an escalation.
//! * Complaint: a `complaint` pattern counts — dissatisfaction with the provider's work, answers,
//!   prices or manner.
//! * Escalation: an `escalation` or `leaving` pattern counts — the manager asked for, a lawyer,
//!   a formal complaint, payment withheld; `leaving` also says the client talks of going to
//!   another supplier or ending the contract.
//! * Follow-up: a `follow_up` pattern counts — the client chases what they asked before.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::Language;
use crate::triage::{Match, Patterns, Token, parse_pattern, tokenize};

/// Words allowed between two words of a pattern.
const GAP: usize = 2;
/// How many words before a match a negation reaches.
const NEGATION_REACH: usize = 3;

/// What the tone of a text says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tone {
    /// Dissatisfaction with the provider.
    pub complaint: bool,
    /// A step beyond the usual contact: the manager, a lawyer, another supplier.
    pub escalation: bool,
    /// The client talks of leaving: another supplier, ending the contract.
    pub leaving: bool,
    /// The client chases something asked before.
    pub follow_up: bool,
    /// The patterns that matched, as written in the word lists.
    pub evidence: Vec<String>,
}

impl Tone {
    /// A complaint or an escalation: what the return report and the risk list as complaints.
    pub fn is_complaint(&self) -> bool {
        self.complaint || self.escalation
    }
}

/// The tone of `text`, read with the lists of `languages` and of the language the text is in.
/// Quoted history and the signature are left out: they say nothing of now.
pub fn tone(languages: &[Language], text: &str) -> Tone {
    tone_new_text(languages, &crate::quotes::new_text(text))
}

/// [`tone`] of a text already without its quoted history and signature: the word lists, then
/// the compiled-in model of the text's language ([`crate::tone_model`]) for what they missed.
pub fn tone_new_text(languages: &[Language], text: &str) -> Tone {
    read(languages, text, Reader::Compiled)
}

/// [`tone_new_text`] by the word lists alone.
pub fn lists_only(languages: &[Language], text: &str) -> Tone {
    read(languages, text, Reader::Lists)
}

/// [`tone_new_text`] with `model` instead of the compiled-in one: what the training command
/// measures a candidate with.
pub fn with_model(languages: &[Language], text: &str, model: &crate::tone_model::Model) -> Tone {
    read(languages, text, Reader::Given(model))
}

#[derive(Clone, Copy)]
pub(crate) enum Reader<'a> {
    Lists,
    Compiled,
    Given(&'a crate::tone_model::Model),
}

fn read(languages: &[Language], text: &str, reader: Reader<'_>) -> Tone {
    let tokens = tokenize(text);
    let message_language = crate::triage::language_of_tokens(&tokens, text);
    read_tokens(languages, &tokens, message_language, reader)
}

/// The tone of a tokenized text whose language is `message_language`.
pub(crate) fn read_tokens(
    languages: &[Language],
    tokens: &[Token],
    message_language: Option<Language>,
    reader: Reader<'_>,
) -> Tone {
    let mut all = languages.to_vec();
    if let Some(l) = message_language
        && !all.contains(&l)
    {
        all.push(l);
    }
    let mut tone = Tone::default();
    for lexicon in all.iter().map(|l| lexicon(*l)) {
        apply(&mut tone, lexicon, tokens);
    }
    // The model of the message's language (else the first given) adds what the lists missed.
    let model = match reader {
        Reader::Lists => None,
        Reader::Compiled => message_language
            .or(languages.first().copied())
            .map(crate::tone_model::model),
        Reader::Given(m) => Some(m),
    };
    if let Some(model) = model {
        let words: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
        let added = model.adds(&words);
        for (l, found) in added.into_iter().enumerate() {
            let Some(found) = found else { continue };
            let flag = match l {
                0 => &mut tone.complaint,
                1 => &mut tone.escalation,
                _ => &mut tone.follow_up,
            };
            if !*flag {
                *flag = true;
                tone.evidence.push(format!("≈ {}", found.join(" ")));
            }
        }
    }
    tone
}

/// What one language's lists find in `tokens`, added to `tone`.
fn apply(tone: &mut Tone, lexicon: &Lexicon, tokens: &[Token]) {
    let found = lexicon.scan(tokens);
    let context = Context::new(
        found
            .iter()
            .filter(|(set, _)| *set == Set::Neutral)
            .map(|(_, m)| *m)
            .collect(),
        found
            .iter()
            .filter(|(set, _)| *set == Set::Conditional)
            .map(|(_, m)| m.start),
    );
    for (set, m) in &found {
        let sources = match set {
            Set::Complaint => &lexicon.complaint_source,
            Set::Escalation => &lexicon.escalation_source,
            Set::Leaving => &lexicon.leaving_source,
            Set::FollowUp => &lexicon.follow_up_source,
            Set::Neutral | Set::Conditional => continue,
        };
        let conditional_cancels = matches!(set, Set::Complaint | Set::FollowUp);
        if lexicon.cancelled(tokens, &context, *m, conditional_cancels) {
            continue;
        }
        match set {
            Set::Complaint => tone.complaint = true,
            Set::Escalation => tone.escalation = true,
            Set::Leaving => {
                tone.escalation = true;
                tone.leaving = true;
            }
            _ => tone.follow_up = true,
        }
        let source = &sources[m.pattern];
        if !tone.evidence.contains(source) {
            tone.evidence.push(source.clone());
        }
    }
}

/// A language's word lists read from their text: what the list-tuning tool (`cargo run -p
/// frontdesk-bench --bin tone-lists`) tries an edited file with, without a rebuild.
pub struct Lists(Lexicon);

impl Lists {
    /// The lists of a `crates/core/tone/{lang}.toml` text; the TOML error when it is not one.
    pub fn parse(language: Language, source: &str) -> Result<Lists, String> {
        Lexicon::try_parse(source)
            .map(Lists)
            .map_err(|e| format!("tone word list for {language}: {e}"))
    }

    /// What these lists alone find in what the client newly wrote in `text`.
    pub fn read(&self, text: &str) -> Tone {
        let tokens = tokenize(&crate::quotes::new_text(text));
        let mut tone = Tone::default();
        apply(&mut tone, &self.0, &tokens);
        tone
    }
}

/// The sentences of `text` (an answer to a client) that read as promises: "I'll send it
/// tomorrow", "te lo envío mañana", "завтра пришлю". Each as written, trimmed.
pub fn promises(languages: &[Language], text: &str) -> Vec<String> {
    let text = crate::quotes::new_text(text);
    let all = tokenize(&text);
    let lexicons = lexicons(languages, &all, &text);
    sentences(&text)
        .filter(|s| {
            let tokens = tokenize(s);
            lexicons.iter().any(|lx| {
                let context = lx.context(&tokens);
                lx.counting(&lx.promise, &tokens, &context, true)
                    .next()
                    .is_some()
            })
        })
        .map(|s| s.trim().to_string())
        .collect()
}

/// The sentences of a text: up to and with each `.`, `!`, `?` or line break.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['.', '!', '?', '\n'])
        .filter(|s| s.chars().any(char::is_alphanumeric))
}

/// The word lists of `languages` and of the language `text` is written in.
fn lexicons(languages: &[Language], tokens: &[Token], text: &str) -> Vec<&'static Lexicon> {
    let mut all = languages.to_vec();
    if let Some(l) = crate::triage::language_of_tokens(tokens, text)
        && !all.contains(&l)
    {
        all.push(l);
    }
    all.into_iter().map(lexicon).collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Set {
    Complaint,
    Escalation,
    Leaving,
    FollowUp,
    Neutral,
    Conditional,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    complaint: Vec<String>,
    escalation: Vec<String>,
    leaving: Vec<String>,
    follow_up: Vec<String>,
    negations: Vec<String>,
    neutral: Vec<String>,
    conditional: Vec<String>,
    promise: Vec<String>,
}

struct Lexicon {
    complaint: Patterns,
    complaint_source: Vec<String>,
    escalation: Patterns,
    escalation_source: Vec<String>,
    leaving: Patterns,
    leaving_source: Vec<String>,
    follow_up: Patterns,
    follow_up_source: Vec<String>,
    negations: Vec<String>,
    neutral: Patterns,
    conditional: Patterns,
    promise: Patterns,
    /// Every set above but the promises, in one index: a text is scanned once.
    scanner: Patterns,
    /// Each scanner pattern's set and its number in that set.
    owner: Vec<(Set, usize)>,
}

/// A text's neutral phrases and the starts of its conditional words, for one lexicon.
struct Context {
    neutral: Vec<Match>,
    conditional: Vec<usize>,
}

impl Context {
    /// The context of a text's `neutral` matches and the starts of its conditional words; a
    /// conditional word inside a neutral phrase is none ("if I'm honest", "если честно" open a
    /// complaint rather than a hypothetical).
    fn new(neutral: Vec<Match>, conditional: impl Iterator<Item = usize>) -> Context {
        let conditional = conditional
            .filter(|&c| !neutral.iter().any(|n| n.start <= c && c < n.end))
            .collect();
        Context {
            neutral,
            conditional,
        }
    }
}

fn compile(list: &[String]) -> Patterns {
    Patterns::new(list.iter().map(|s| parse_pattern(s)).collect())
}

impl Lexicon {
    fn parse(language: Language, source: &str) -> Lexicon {
        Lexicon::try_parse(source)
            .unwrap_or_else(|e| panic!("tone word list for {language} is malformed: {e}"))
    }

    fn try_parse(source: &str) -> Result<Lexicon, toml::de::Error> {
        let file: LexiconFile = toml::from_str(source)?;
        Ok(Lexicon {
            complaint: compile(&file.complaint),
            escalation: compile(&file.escalation),
            leaving: compile(&file.leaving),
            follow_up: compile(&file.follow_up),
            neutral: compile(&file.neutral),
            conditional: compile(&file.conditional),
            promise: compile(&file.promise),
            negations: file
                .negations
                .iter()
                .flat_map(|s| tokenize(s).into_iter().map(|t| t.norm))
                .collect(),
            complaint_source: file.complaint,
            escalation_source: file.escalation,
            leaving_source: file.leaving,
            follow_up_source: file.follow_up,
            scanner: Patterns::new(Vec::new()),
            owner: Vec::new(),
        }
        .with_scanner())
    }

    fn with_scanner(mut self) -> Lexicon {
        let mut list = Vec::new();
        let mut owner = Vec::new();
        for (set, patterns) in [
            (Set::Complaint, &self.complaint),
            (Set::Escalation, &self.escalation),
            (Set::Leaving, &self.leaving),
            (Set::FollowUp, &self.follow_up),
            (Set::Neutral, &self.neutral),
            (Set::Conditional, &self.conditional),
        ] {
            for (i, p) in patterns.list().iter().enumerate() {
                list.push(p.clone());
                owner.push((set, i));
            }
        }
        self.scanner = Patterns::new(list);
        self.owner = owner;
        self
    }

    /// Every match of the text, by set (a match's `pattern` its number in its set), from one
    /// pass; a set's words may have [`GAP`] words between them, a neutral phrase's or a
    /// conditional's none.
    fn scan(&self, tokens: &[Token]) -> Vec<(Set, Match)> {
        let owner = &self.owner;
        self.scanner
            .matches_with(tokens, |i| match owner[i].0 {
                Set::Neutral | Set::Conditional => 0,
                _ => GAP,
            })
            .map(|m| {
                let (set, pattern) = owner[m.pattern];
                (set, Match { pattern, ..m })
            })
            .collect()
    }

    /// Where a text's neutral phrases and conditional words are, found once per text.
    fn context(&self, tokens: &[Token]) -> Context {
        Context::new(
            self.neutral.matches(tokens, 0).collect(),
            self.conditional.matches(tokens, 0).map(|c| c.start),
        )
    }

    /// The matches of `patterns` in `tokens` that count: not negated, not inside a neutral
    /// phrase, and — when `conditional_cancels` — not after a conditional word in their
    /// sentence.
    fn counting<'a>(
        &'a self,
        patterns: &'a Patterns,
        tokens: &'a [Token],
        context: &'a Context,
        conditional_cancels: bool,
    ) -> impl Iterator<Item = Match> + 'a {
        patterns
            .matches(tokens, GAP)
            .filter(move |m| !self.cancelled(tokens, context, *m, conditional_cancels))
    }

    fn cancelled(
        &self,
        tokens: &[Token],
        context: &Context,
        m: Match,
        conditional_cancels: bool,
    ) -> bool {
        let first = &tokens[m.start];
        let from = m.start.saturating_sub(NEGATION_REACH);
        // A threat's condition may be negative ("if it is not fixed by Monday we go
        // elsewhere"): a negation after an "if" of the sentence belongs to the condition and
        // does not take the threat back.
        let in_condition = |j: usize| {
            !conditional_cancels
                && context
                    .conditional
                    .iter()
                    .any(|&c| c < j && tokens[c].sentence == first.sentence)
        };
        let negated = (from..m.start).any(|j| {
            let t = &tokens[j];
            t.clause == first.clause && self.negations.contains(&t.norm) && !in_condition(j)
        });
        negated
            || context
                .neutral
                .iter()
                .any(|n| n.start < m.end && m.start < n.end)
            || (conditional_cancels
                && context
                    .conditional
                    .iter()
                    .any(|&c| c < m.start && tokens[c].sentence == first.sentence))
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
        Language::En => include_str!("../tone/en.toml"),
        Language::Es => include_str!("../tone/es.toml"),
        Language::Ru => include_str!("../tone/ru.toml"),
        Language::It => include_str!("../tone/it.toml"),
        Language::Nl => include_str!("../tone/nl.toml"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_s_lists_parse() {
        for l in Language::ALL {
            let lx = lexicon(l);
            for list in [
                &lx.complaint_source,
                &lx.escalation_source,
                &lx.leaving_source,
                &lx.follow_up_source,
            ] {
                assert!(!list.is_empty(), "{l}");
            }
        }
    }

    #[test]
    fn a_negation_a_neutral_phrase_and_a_hypothetical_cancel_a_match() {
        let en = [Language::En];
        assert!(tone(&en, "This is unacceptable, the report is late again.").complaint);
        assert!(!tone(&en, "No complaints at all, the report was great.").complaint);
        assert!(tone(&en, "Any news on the quote?").follow_up);
        assert!(!tone(&en, "Can we book a follow-up meeting next week?").follow_up);
        let leaving = tone(&en, "We are considering other suppliers.");
        assert!(leaving.escalation && leaving.leaving);
    }

    #[test]
    fn a_negative_condition_does_not_take_a_threat_back() {
        let en = |t: &str| lists_only(&[Language::En], t).escalation;
        assert!(en(
            "If it is not fixed by Monday we will take our business elsewhere."
        ));
        assert!(!en("We are not considering other suppliers, do not worry."));
        let ru = |t: &str| lists_only(&[Language::Ru], t).escalation;
        assert!(ru("Если завтра не будет — отдам другому бюро."));
        assert!(!ru("Не отдам другому бюро, не переживайте."));
        let nl = |t: &str| lists_only(&[Language::Nl], t).escalation;
        assert!(nl("Als ik maandag niks heb zeggen we het contract op."));
    }

    #[test]
    fn an_if_that_opens_an_honest_word_is_no_hypothetical() {
        let complaint = |l: Language, t: &str| lists_only(&[l], t).complaint;
        assert!(complaint(
            Language::En,
            "If I'm honest, the report is really poor."
        ));
        assert!(!complaint(
            Language::En,
            "If the report is really poor, we will talk about it."
        ));
        assert!(complaint(
            Language::Ru,
            "Если честно, отчёт очень слабый и с ошибками."
        ));
        assert!(complaint(
            Language::Es,
            "Si te soy sincero, el informe es un desastre."
        ));
        assert!(!complaint(
            Language::Es,
            "Si el informe es un desastre, lo hablamos."
        ));
    }

    #[test]
    fn promises_are_the_sentences_that_commit_to_something() {
        let found = promises(
            &[Language::En],
            "Thanks for the call. I'll send the report tomorrow. Have a good day!",
        );
        assert_eq!(found, vec!["I'll send the report tomorrow."]);
        assert_eq!(
            promises(&[Language::Es], "Gracias. Te lo envío mañana."),
            vec!["Te lo envío mañana."]
        );
    }
}
