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
//! * Anger at someone else is no complaint: a complaint match is cancelled in a sentence that
//!   does not address the provider (no `second_person` word outside a third party's name) and
//!   names a `third_party` (the bank, the landlord, the tax office, the previous accountant) —
//!   unless the sentence before addresses the provider ("I asked you twice. The printer is still
//!   waiting.") or the pattern names the party itself (a comparison) — or follows one that does
//!   and does not address the provider either ("HMRC sent me a penalty for a return filed on
//!   time. Absolutely ridiculous."). A threat is no escalation when a third party named before
//!   it in a sentence that does not address the provider makes it ("one of our customers is
//!   threatening to take us to court").
//! * The lists decide first; the model of [`crate::tone_model`], reading the text without its
//!   neutral phrases, takes back what it doubts and adds what it is sure of.
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

/// How [`with_model`] reads a text, apart from the model's thresholds and vetoes: what the
/// lists found, whether a sentence is about someone else, and the model's probability of each
/// label. The training command weighs many thresholds and vetoes against one reading.
#[derive(Clone, Debug)]
pub struct Weighed {
    lists: [bool; 3],
    elsewhere: bool,
    probabilities: [f32; 3],
}

/// [`Weighed`] of `text` (already without its quoted history and signature) by `model`.
pub fn weighed(languages: &[Language], text: &str, model: &crate::tone_model::Model) -> Weighed {
    let tokens = tokenize(text);
    let message_language = crate::triage::language_of_tokens(&tokens, text);
    let found = found_in(languages, &tokens, message_language);
    let words = outside(&tokens, &found.neutral);
    Weighed {
        lists: found.labels,
        elsewhere: found.elsewhere,
        probabilities: model.probabilities(&crate::triage_model::features(&words)),
    }
}

impl Weighed {
    /// Whether label `l` (complaint, escalation, follow-up) is read at `threshold` and `veto`,
    /// as [`with_model`] reads it with a model of those.
    pub fn says(&self, l: usize, threshold: f32, veto: f32) -> bool {
        let p = self.probabilities[l];
        if self.lists[l] {
            p >= veto
        } else {
            threshold < 1.0 && p >= threshold && p >= veto && !(l == 0 && self.elsewhere)
        }
    }
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
    let found = found_in(languages, tokens, message_language);
    // The model of the message's language (else the first given) weighs what the lists found.
    let model = match reader {
        Reader::Lists => None,
        Reader::Compiled => message_language
            .or(languages.first().copied())
            .map(crate::tone_model::model),
        Reader::Given(m) => Some(m),
    };
    found.finish(tokens, model)
}

/// What the lists of `languages` and of the message's language find in `tokens`.
fn found_in(languages: &[Language], tokens: &[Token], message_language: Option<Language>) -> Found {
    let mut all = languages.to_vec();
    if let Some(l) = message_language
        && !all.contains(&l)
    {
        all.push(l);
    }
    let mut found = Found::default();
    for lexicon in all.iter().map(|l| lexicon(*l)) {
        apply(&mut found, lexicon, tokens);
    }
    found
}

/// What the word lists found in a text, label by label (complaint, escalation, follow-up),
/// before the model weighs it.
#[derive(Default)]
struct Found {
    labels: [bool; 3],
    leaving: bool,
    /// Each matching pattern as written, with its label.
    evidence: Vec<(usize, String)>,
    /// The text has a sentence about someone else than the provider.
    elsewhere: bool,
    /// Per word: it is inside a `neutral` phrase, a look-alike the lists explain away.
    neutral: Vec<bool>,
}

impl Found {
    /// The tone: what the lists found, less what `model` doubts (its probability under the
    /// label's veto), plus what it adds (its probability at the label's threshold), with the
    /// words that weighed most — a complaint not when the text has a sentence about someone
    /// else: the model reads the whole text and cannot tell whom the anger is at. The model
    /// reads the text without its neutral phrases ("no complaints", "a follow-up meeting"):
    /// what the lists explain away is no evidence for it either.
    fn finish(self, tokens: &[Token], model: Option<&crate::tone_model::Model>) -> Tone {
        let Found {
            mut labels,
            mut leaving,
            mut evidence,
            elsewhere,
            neutral,
        } = self;
        if let Some(model) = model {
            let words = outside(tokens, &neutral);
            let (doubts, adds) = model.weigh(&words);
            for l in 0..3 {
                if labels[l] && doubts[l] {
                    labels[l] = false;
                    evidence.retain(|(of, _)| *of != l);
                }
            }
            leaving &= labels[1];
            for (l, added) in adds.into_iter().enumerate() {
                let Some(added) = added else { continue };
                // Found already, doubted, or a complaint where anger may be at someone else.
                let kept_out = labels[l] || doubts[l] || (l == 0 && elsewhere);
                if !kept_out {
                    labels[l] = true;
                    evidence.push((l, format!("≈ {}", added.join(" "))));
                }
            }
        }
        let mut said: Vec<String> = Vec::new();
        for (_, source) in evidence {
            if !said.contains(&source) {
                said.push(source);
            }
        }
        Tone {
            complaint: labels[0],
            escalation: labels[1],
            leaving,
            follow_up: labels[2],
            evidence: said,
        }
    }
}

/// What one language's lists find in `tokens`, added to `found`.
fn apply(found: &mut Found, lexicon: &Lexicon, tokens: &[Token]) {
    let matches = lexicon.scan(tokens);
    let of = |wanted: Set| {
        matches
            .iter()
            .filter(move |(set, _)| *set == wanted)
            .map(|(_, m)| *m)
    };
    let context = Context::new(
        of(Set::Neutral).collect(),
        of(Set::Conditional).map(|m| m.start),
        tokens,
        &of(Set::ThirdParty).collect::<Vec<_>>(),
        &of(Set::SecondPerson).collect::<Vec<_>>(),
    );
    for (set, m) in &matches {
        let sources = match set {
            Set::Complaint => &lexicon.complaint_source,
            Set::Escalation => &lexicon.escalation_source,
            Set::Leaving => &lexicon.leaving_source,
            Set::FollowUp => &lexicon.follow_up_source,
            Set::Neutral | Set::Conditional | Set::ThirdParty | Set::SecondPerson => continue,
        };
        let conditional_cancels = matches!(set, Set::Complaint | Set::FollowUp);
        if lexicon.cancelled(tokens, &context, *m, conditional_cancels)
            || (*set == Set::Complaint && context.elsewhere(tokens, *m))
            || (*set == Set::Escalation && context.by_someone_else(tokens, *m))
        {
            continue;
        }
        let label = match set {
            Set::Complaint => 0,
            Set::Escalation => 1,
            Set::Leaving => {
                found.leaving = true;
                1
            }
            _ => 2,
        };
        found.labels[label] = true;
        found.evidence.push((label, sources[m.pattern].clone()));
    }
    found.elsewhere |= context.elsewhere.contains(&true);
    found.neutral.resize(tokens.len(), false);
    for n in &context.neutral {
        for masked in &mut found.neutral[n.start..n.end.min(tokens.len())] {
            *masked = true;
        }
    }
}

/// The words of `tokens` outside the masked ones.
fn outside<'a>(tokens: &'a [Token], masked: &[bool]) -> Vec<&'a str> {
    tokens
        .iter()
        .enumerate()
        .filter(|(i, _)| !masked.get(*i).copied().unwrap_or(false))
        .map(|(_, t)| t.norm.as_str())
        .collect()
}

/// The words the tone model reads of a text already without its quoted history and
/// signature: its words outside the `neutral` phrases of the lists of `languages` and of the
/// text's language — what the training command trains the model on.
pub fn model_words(languages: &[Language], text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    let mut found = Found::default();
    for lexicon in lexicons(languages, &tokens, text) {
        apply(&mut found, lexicon, &tokens);
    }
    outside(&tokens, &found.neutral)
        .into_iter()
        .map(str::to_string)
        .collect()
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
        let mut found = Found::default();
        apply(&mut found, &self.0, &tokens);
        found.finish(&tokens, None)
    }

    /// [`Lists::read`], then the compiled-in model of `language` for what they missed, as
    /// [`tone_new_text`] reads a text in that language.
    pub fn read_with_model(&self, language: Language, text: &str) -> Tone {
        let tokens = tokenize(&crate::quotes::new_text(text));
        let mut found = Found::default();
        apply(&mut found, &self.0, &tokens);
        found.finish(&tokens, Some(crate::tone_model::model(language)))
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
    ThirdParty,
    SecondPerson,
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
    third_party: Vec<String>,
    second_person: Vec<String>,
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
    third_party: Patterns,
    second_person: Patterns,
    promise: Patterns,
    /// Every set above but the promises, in one index: a text is scanned once.
    scanner: Patterns,
    /// Each scanner pattern's set and its number in that set.
    owner: Vec<(Set, usize)>,
}

/// A text's neutral phrases, the starts of its conditional words and the sentences about
/// someone else, for one lexicon.
struct Context {
    neutral: Vec<Match>,
    conditional: Vec<usize>,
    /// Per sentence: it does not address the provider and names a third party, or follows
    /// one that does and does not address the provider either.
    elsewhere: Vec<bool>,
    /// Per sentence that does not address the provider: where its first third party starts.
    first_party: Vec<Option<usize>>,
    /// The third parties named.
    third_party: Vec<Match>,
}

impl Context {
    /// The context of a text's `neutral` matches, the starts of its conditional words and its
    /// `third_party` and `second_person` matches; a conditional word inside a neutral phrase is
    /// none ("if I'm honest", "если честно" open a complaint rather than a hypothetical), nor
    /// is a second-person word inside a third party's name ("the accountant before you").
    fn new(
        neutral: Vec<Match>,
        conditional: impl Iterator<Item = usize>,
        tokens: &[Token],
        third_party: &[Match],
        second_person: &[Match],
    ) -> Context {
        let conditional = conditional
            .filter(|&c| !neutral.iter().any(|n| n.start <= c && c < n.end))
            .collect();
        let sentences = tokens.last().map_or(0, |t| t.sentence as usize + 1);
        let mut names = vec![false; sentences];
        let mut addressed = vec![false; sentences];
        let mut first_party: Vec<Option<usize>> = vec![None; sentences];
        for m in third_party {
            let s = tokens[m.start].sentence as usize;
            names[s] = true;
            first_party[s] = Some(first_party[s].map_or(m.start, |f| f.min(m.start)));
        }
        for m in second_person {
            if !third_party
                .iter()
                .any(|t| t.start < m.end && m.start < t.end)
            {
                addressed[tokens[m.start].sentence as usize] = true;
            }
        }
        // A sentence right after one that addresses the provider goes on about them ("I asked
        // you twice. The printer is still waiting.").
        let about = |s: usize| names[s] && !addressed[s] && !(s > 0 && addressed[s - 1]);
        let elsewhere = (0..sentences)
            .map(|s| about(s) || (!addressed[s] && s > 0 && about(s - 1)))
            .collect();
        for (s, first) in first_party.iter_mut().enumerate() {
            if addressed[s] {
                *first = None;
            }
        }
        Context {
            neutral,
            conditional,
            elsewhere,
            first_party,
            third_party: third_party.to_vec(),
        }
    }

    /// The match is a threat made by a third party its sentence names before it, in a
    /// sentence that does not address the provider ("our ex-partner says he will take me to
    /// court"; not "if it is not fixed I will ask the bank to reverse the payment").
    fn by_someone_else(&self, tokens: &[Token], m: Match) -> bool {
        self.first_party
            .get(tokens[m.start].sentence as usize)
            .copied()
            .flatten()
            .is_some_and(|first| first < m.start)
    }

    /// The match is in a sentence about someone else than the provider — unless it names the
    /// third party itself: a pattern written with one ("our previous accountant never got it
    /// wrong") is a comparison that holds it against the provider.
    fn elsewhere(&self, tokens: &[Token], m: Match) -> bool {
        self.elsewhere
            .get(tokens[m.start].sentence as usize)
            .copied()
            .unwrap_or(false)
            && !self
                .third_party
                .iter()
                .any(|t| t.start < m.end && m.start < t.end)
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
            third_party: compile(&file.third_party),
            second_person: compile(&file.second_person),
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
            (Set::ThirdParty, &self.third_party),
            (Set::SecondPerson, &self.second_person),
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
                Set::Neutral | Set::Conditional | Set::ThirdParty | Set::SecondPerson => 0,
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
            tokens,
            &self.third_party.matches(tokens, 0).collect::<Vec<_>>(),
            &self.second_person.matches(tokens, 0).collect::<Vec<_>>(),
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
        // The lists alone: the model reads whole texts and has its own errors (sincere praise
        // can read as sarcasm to it), measured on the labelled sets, not here.
        let en = [Language::En];
        assert!(lists_only(&en, "This is unacceptable, the report is late again.").complaint);
        assert!(!lists_only(&en, "No complaints at all, the report was great.").complaint);
        assert!(lists_only(&en, "Any news on the quote?").follow_up);
        assert!(!lists_only(&en, "Can we book a follow-up meeting next week?").follow_up);
        let leaving = lists_only(&en, "We are considering other suppliers.");
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
    fn anger_at_someone_else_is_no_complaint_at_the_provider() {
        let en = |t: &str| lists_only(&[Language::En], t);
        // The landlord, named in the sentence that does not address the provider.
        assert!(
            !en("Our landlord has ignored three emails and I'm furious. Can you draft a letter?")
                .complaint
        );
        // Named in the sentence before, which does not address the provider either.
        assert!(
            !en("HMRC sent me a penalty for a return filed on time. Absolutely ridiculous.")
                .complaint
        );
        // The same words at the provider count.
        assert!(en("You ignored three emails and I'm furious.").complaint);
        // A third party beside the provider's failure does not take it back.
        assert!(
            en("The bank called again because you ignored three emails. I'm furious.").complaint
        );
        let ru = |t: &str| lists_only(&[Language::Ru], t);
        assert!(!ru("Арендодатель игнорирует мои письма, я в бешенстве.").complaint);
        assert!(ru("Вы игнорируете мои письма, я в бешенстве.").complaint);
    }

    #[test]
    fn the_model_reads_without_neutral_phrases_and_may_take_a_label_back() {
        let words = model_words(
            &[Language::En],
            "No complaints at all, the report was great.",
        );
        assert!(!words.iter().any(|w| w == "complaints"), "{words:?}");
        assert!(words.iter().any(|w| w == "report"), "{words:?}");
        let text = "This is unacceptable, the report is late again.";
        assert!(lists_only(&[Language::En], text).complaint);
        // A model that doubts everything (every probability is under a veto of 1) takes back
        // what the lists found, evidence and all.
        let mut doubting = crate::tone_model::Model::empty();
        doubting.vetoes = [1.0; 3];
        let read = with_model(&[Language::En], text, &doubting);
        assert!(!read.complaint && read.evidence.is_empty(), "{read:?}");
        // One that neither doubts nor adds leaves the lists' reading as it is.
        let neutral = crate::tone_model::Model::empty();
        assert_eq!(
            with_model(&[Language::En], text, &neutral),
            lists_only(&[Language::En], text)
        );
    }

    #[test]
    fn a_weighed_reading_says_what_the_reader_says_at_any_threshold_and_veto() {
        let texts = [
            "This is unacceptable, the report is late again.",
            "Our landlord ignored three emails and I'm furious. Can you draft a letter?",
            "Great, filed with my old address. Brilliant work.",
            "Any news on the quote? If nothing by Friday we go with the other firm.",
            "Thanks, the report was great.",
        ];
        let compiled = crate::tone_model::model(Language::En);
        for text in texts {
            let w = weighed(&[Language::En], text, compiled);
            for (threshold, veto) in [(1.0, 0.0), (0.5, 0.0), (0.6, 0.2), (0.9, 0.3), (0.5, 0.45)] {
                let mut m = compiled.clone();
                m.thresholds = [threshold; 3];
                m.vetoes = [veto; 3];
                let t = with_model(&[Language::En], text, &m);
                let said = [t.complaint, t.escalation, t.follow_up];
                for (l, s) in said.into_iter().enumerate() {
                    assert_eq!(
                        w.says(l, threshold, veto),
                        s,
                        "{text} {l} {threshold} {veto}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_threat_made_by_a_third_party_is_no_escalation() {
        let en = |t: &str| lists_only(&[Language::En], t).escalation;
        assert!(!en(
            "One of our customers is threatening to take us to small claims court. How should we reply?"
        ));
        assert!(en("We will take you to small claims court."));
        // The client's own threat that names a third party after it is one.
        assert!(en(
            "If it is not fixed by Friday we will take this to small claims court and our bank."
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
