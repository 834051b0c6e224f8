//! Precision and recall of urgency and no-content detection, per language, on the labelled
//! messages under `tests/data/triage/`. Run with `--nocapture` to see the table and the
//! misclassified messages.
//!
//! Sets per language: `{lang}.tsv`, on which the word lists are tuned and held at the issue's
//! floor of 0.9; `more/{lang}.tsv`, written later without looking at the lists, which trains the
//! model (with the tuning set) and is held at 0.9 too; `heldout/{lang}.tsv`, written without
//! looking at the word lists and never tuned on; and `blind/`, only ever scored as a table.

mod common;

use frontdesk_core::Language;
use frontdesk_core::triage::{topic_words, triage};

/// The floor the issue sets for precision and recall, per language and per class.
const FLOOR: f64 = 0.9;
/// The floor on the held-out sets: a regression guard only, below the tuned floor because
/// these messages were never used to write the word lists. On 2026-11-25 they scored urgent
/// P 0.86–1.00 R 0.56–0.89, no-content P 1.00 R 0.44–0.67; after the situation rules and
/// scopes of 2026-11-26, urgent P 1.00 R 0.78–1.00, no-content P 0.89–1.00 R 0.78–1.00.
const HELD_OUT_FLOOR: f64 = 0.7;

use common::Score;

fn labelled(set: &str, language: Language) -> Vec<(String, String)> {
    let path = format!(
        "{}/tests/data/triage/{set}{}.tsv",
        env!("CARGO_MANIFEST_DIR"),
        language.code()
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (label, message) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{path}: no tab in {l:?}"));
            assert!(
                ["urgent", "routine", "no_content"].contains(&label),
                "{path}: unknown label {label:?}"
            );
            // `\n` in a message is a line break (an e-mail with its signature).
            (label.to_string(), message.replace("\\n", "\n"))
        })
        .collect()
}

#[test]
fn urgency_and_no_content_detection_meet_the_floor_in_every_language() {
    evaluate("", 40, FLOOR);
}

#[test]
fn the_models_training_messages_meet_the_floor() {
    evaluate("more/", 150, FLOOR);
}

#[test]
fn held_out_messages_stay_above_their_floor() {
    evaluate("heldout/", 30, HELD_OUT_FLOOR);
}

/// The blind set (`blind/`), written before the rules were changed for issue 11 and never
/// tuned on: only its table is printed, never its misses.
#[test]
fn the_blind_set() {
    blind_table(BLIND_FLOOR);
}

/// Scores every language on the set under `tests/data/triage/{set}`, prints the table and the
/// misses, and fails when a set is smaller than `min` or a score is below `floor`.
fn evaluate(set_dir: &str, min: usize, floor: f64) {
    let mut failures = Vec::new();
    println!("set {set_dir:?}\nlang  n   urgent P  urgent R  no-content P  no-content R");
    // `TRIAGE_LANG=ru` evaluates one language only, for tuning its word list.
    let only = std::env::var("TRIAGE_LANG").ok();
    for language in Language::ALL {
        if only.as_deref().is_some_and(|l| l != language.code()) {
            continue;
        }
        let set = labelled(set_dir, language);
        assert!(
            set.len() >= min,
            "{language}: only {} labelled messages",
            set.len()
        );
        let (mut urgent, mut empty) = (Score::default(), Score::default());
        for (label, message) in &set {
            let t = triage(&[language], message);
            let predicted_urgent = t.urgent;
            let predicted_empty = !t.urgent && t.no_content;
            urgent.add(predicted_urgent, label == "urgent");
            empty.add(predicted_empty, label == "no_content");
            if predicted_urgent != (label == "urgent") || predicted_empty != (label == "no_content")
            {
                failures.push(format!(
                    "{language} {label}: {message}\n    → urgent={predicted_urgent} {:?} no_content={predicted_empty} topic {:?}",
                    t.evidence,
                    topic_words(&[language], message)
                ));
            }
        }
        println!(
            "{language}    {:<3} {:<9.2} {:<9.2} {:<13.2} {:.2}",
            set.len(),
            urgent.precision(),
            urgent.recall(),
            empty.precision(),
            empty.recall()
        );
        for (what, score) in [("urgent", &urgent), ("no-content", &empty)] {
            assert!(
                score.precision() >= floor && score.recall() >= floor,
                "{set_dir}{language} {what}: precision {:.2}, recall {:.2}\nmisclassified:\n{}",
                score.precision(),
                score.recall(),
                failures.join("\n")
            );
        }
    }
    println!("misclassified:\n{}", failures.join("\n"));
}

/// The floor of the blind set: the target, 0.9. It measured 0.64 at the first try, 0.73
/// after the situation rules and scopes, and every number 0.92 or more with the model
/// (2026-11-26, docs/QUALITY.md).
const BLIND_FLOOR: f64 = 0.9;

/// Accuracy (three labels), and precision and recall of urgent and no-content, per language
/// on `blind/`, as a Markdown table; fails when a number is under `floor`.
fn blind_table(floor: f64) {
    println!(
        "| language | n | accuracy | urgent P | urgent R | no-content P | no-content R | routine P | routine R |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    let mut low = Vec::new();
    for language in Language::ALL {
        let set = labelled("blind/", language);
        let (mut urgent, mut empty, mut routine, mut right) =
            (Score::default(), Score::default(), Score::default(), 0);
        for (label, message) in &set {
            let t = triage(&[language], message);
            let predicted = if t.urgent {
                "urgent"
            } else if t.no_content {
                "no_content"
            } else {
                "routine"
            };
            right += usize::from(predicted == label);
            urgent.add(predicted == "urgent", label == "urgent");
            empty.add(predicted == "no_content", label == "no_content");
            routine.add(predicted == "routine", label == "routine");
        }
        let accuracy = right as f64 / set.len() as f64;
        println!(
            "| {language} | {} | {accuracy:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            set.len(),
            urgent.precision(),
            urgent.recall(),
            empty.precision(),
            empty.recall(),
            routine.precision(),
            routine.recall()
        );
        for v in [
            accuracy,
            urgent.precision(),
            urgent.recall(),
            empty.precision(),
            empty.recall(),
        ] {
            if v < floor {
                low.push(format!("{language}: {v:.2}"));
            }
        }
    }
    assert!(low.is_empty(), "under the floor {floor}: {low:?}");
}

/// What the model adds says why: the words that weighed most, each in the message.
#[test]
fn what_the_model_adds_to_the_lists_is_explained_by_words_of_the_message() {
    let mut explained = 0;
    for language in Language::ALL {
        for (label, message) in labelled("more/", language) {
            let text = frontdesk_core::quotes::new_text(&message);
            let rules = frontdesk_core::triage::rules_only(&[language], &text);
            let both = triage(&[language], &message);
            if both.urgent && !rules.urgent {
                assert!(!both.evidence.is_empty(), "{message}");
                let words = frontdesk_core::triage::words(&text);
                for w in both.evidence.iter().flat_map(|e| e.split(", ")) {
                    assert!(words.iter().any(|x| x == w), "{w:?} is not in {message:?}");
                }
                explained += usize::from(label == "urgent");
            }
        }
    }
    assert!(
        explained > 10,
        "the model adds urgency the lists miss ({explained})"
    );
}
