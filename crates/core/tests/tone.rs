//! Precision and recall of complaint, escalation and follow-up detection, per language, on the
//! labelled messages under `tests/data/tone/`. Run with `--nocapture` to see the table and the
//! misread messages.
//!
//! Sets per language: `{lang}.tsv`, on which the word lists are tuned and held at the issue's
//! floor of 0.9 (0.8 for follow-ups); and `blind/{lang}.tsv`, written by another author without
//! seeing the lists or the tuning set, never tuned on, scored as a table. "Complaint" is a
//! complaint or an escalation, as the return report and the risk read it.
//!
//! The first blind set was scored four times and is now training data; the second, `blind2/`,
//! was scored once after the lists were tuned on every other set (complaint P 0.87–0.95
//! R 0.65–0.78, escalation P 0.90–1.00 R 0.60–0.95) and is training data since; the third,
//! `blind3/`, was scored once after the model was trained again with it and `more4/`
//! (complaint P 0.80–0.87 R 0.84–0.95, escalation P 0.74–0.82 R 0.85–0.90); the fourth,
//! `blind4/`, once after the lists were tuned on every other set and the model trained with
//! `more5/` and `blind3/` (complaint P 0.82–0.92 R 0.82–0.91, escalation P 0.78–1.00
//! R 0.70–0.95). All are under the floor and held here only at a regression guard (see
//! docs/QUALITY.md). The fifth, `blind5/`, scored once after the third-party cue, the model's
//! vetoes and nine more training sets, met the floor in every language and is held at it.

mod common;

use frontdesk_core::Language;
use frontdesk_core::tone::{Tone, tone};

/// The floor the issue sets for precision and recall of complaint and escalation.
const FLOOR: f64 = 0.9;
/// Follow-ups are a weaker risk signal; their floor guards against regressions.
const FOLLOW_UP_FLOOR: f64 = 0.8;
/// The blind sets' regression guard, under every scoring so far (precision 0.74–1.00, recall
/// 0.56–0.98).
const BLIND_PRECISION: f64 = 0.70;
const BLIND_RECALL: f64 = 0.5;

use common::Score;

/// A message and its labels: complaint, escalation, follow-up.
struct Labelled {
    message: String,
    complaint: bool,
    escalation: bool,
    follow_up: bool,
}

fn labelled(set: &str, language: Language) -> Vec<Labelled> {
    let path = format!(
        "{}/tests/data/tone/{set}{}.tsv",
        env!("CARGO_MANIFEST_DIR"),
        language.code()
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (labels, message) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{path}: no tab in {l:?}"));
            let labels: Vec<&str> = labels.split(',').map(str::trim).collect();
            for label in &labels {
                assert!(
                    ["complaint", "escalation", "follow_up", "-"].contains(label),
                    "{path}: unknown label {label:?}"
                );
            }
            Labelled {
                message: message.replace("\\n", "\n"),
                complaint: labels.contains(&"complaint"),
                escalation: labels.contains(&"escalation"),
                follow_up: labels.contains(&"follow_up"),
            }
        })
        .collect()
}

/// One language's scores: complaint (a complaint or an escalation), escalation, follow-up.
fn score(set: &str, language: Language, show: bool) -> (usize, [Score; 3]) {
    let messages = labelled(set, language);
    let mut scores: [Score; 3] = Default::default();
    for m in &messages {
        let t: Tone = tone(&[language], &m.message);
        let pairs = [
            (t.is_complaint(), m.complaint || m.escalation),
            (t.escalation, m.escalation),
            (t.follow_up, m.follow_up),
        ];
        for (score, (p, a)) in scores.iter_mut().zip(pairs) {
            score.add(p, a);
        }
        if show && pairs.iter().any(|(p, a)| p != a) {
            println!(
                "{language}: said c{} e{} f{}, is c{} e{} f{} ({:?}): {}",
                u8::from(pairs[0].0),
                u8::from(pairs[1].0),
                u8::from(pairs[2].0),
                u8::from(pairs[0].1),
                u8::from(pairs[1].1),
                u8::from(pairs[2].1),
                t.evidence,
                m.message
            );
        }
    }
    (messages.len(), scores)
}

/// The floors of precision and recall for (complaint and escalation, follow-up).
struct Floors {
    precision: (f64, f64),
    recall: (f64, f64),
}

const TUNED: Floors = Floors {
    precision: (FLOOR, FOLLOW_UP_FLOOR),
    recall: (FLOOR, FOLLOW_UP_FLOOR),
};

const BLIND: Floors = Floors {
    precision: (BLIND_PRECISION, BLIND_PRECISION),
    recall: (BLIND_RECALL, BLIND_RECALL),
};

fn table(set: &str, show: bool, floors: &Floors) -> Vec<String> {
    println!(
        "| language | n | complaint P | complaint R | escalation P | escalation R | follow-up P | follow-up R |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut low = Vec::new();
    for language in Language::ALL {
        let (n, [c, e, f]) = score(set, language, show);
        println!(
            "| {language} | {n} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            c.precision(),
            c.recall(),
            e.precision(),
            e.recall(),
            f.precision(),
            f.recall()
        );
        for (what, v, floor) in [
            ("complaint P", c.precision(), floors.precision.0),
            ("complaint R", c.recall(), floors.recall.0),
            ("escalation P", e.precision(), floors.precision.0),
            ("escalation R", e.recall(), floors.recall.0),
            ("follow-up P", f.precision(), floors.precision.1),
            ("follow-up R", f.recall(), floors.recall.1),
        ] {
            if v < floor {
                low.push(format!("{language} {what} {v:.2}"));
            }
        }
    }
    low
}

#[test]
fn the_tuning_set_meets_the_floor_in_every_language() {
    let low = table("", true, &TUNED);
    assert!(low.is_empty(), "under the floor: {low:?}");
}

/// The fifth blind set (`blind5/`, written by an author who saw none of the lists, the model
/// or the other sets): scored once, after the third-party cue, the model's vetoes, `more6/` to
/// `more14/` and `plain/` (complaint P 0.90–0.94 R 0.92–1.00, escalation P 0.93–0.97
/// R 0.90–1.00; see docs/QUALITY.md) — the first blind set to meet the floor, held here
/// at that floor.
#[test]
fn the_fifth_blind_set() {
    let low = table("blind5/", false, &TUNED);
    assert!(low.is_empty(), "under the floor: {low:?}");
}

/// The fourth blind set (`blind4/`, written by an author who saw none of the lists, the model
/// or the other sets): scored once, after the lists were tuned on every other set and the
/// model trained again with `more5/` and the third blind set; see docs/QUALITY.md. Its floor
/// only guards against regressions.
#[test]
fn the_fourth_blind_set() {
    let low = table("blind4/", false, &BLIND);
    assert!(low.is_empty(), "under the floor: {low:?}");
}

/// The third blind set (`blind3/`, written by authors who saw none of the lists, the model or
/// the other sets): scored once, after the model was trained again with `more4/` and the
/// second blind set; see docs/QUALITY.md. Its floor only guards against regressions.
#[test]
fn the_third_blind_set() {
    let low = table("blind3/", false, &BLIND);
    assert!(low.is_empty(), "under the floor: {low:?}");
}

/// The second blind set (`blind2/`), scored once (see docs/QUALITY.md) and training data since.
#[test]
fn the_second_blind_set() {
    let low = table("blind2/", false, &BLIND);
    assert!(low.is_empty(), "under the floor: {low:?}");
}

#[test]
fn the_blind_set() {
    let low = table("blind/", false, &BLIND);
    assert!(low.is_empty(), "under the floor: {low:?}");
}
