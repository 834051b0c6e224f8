//! Precision and recall of urgency and no-content detection, per language, on the labelled
//! messages under `tests/data/triage/`. Run with `--nocapture` to see the table and the
//! misclassified messages.

use frontdesk_core::Language;
use frontdesk_core::triage::{topic_words, triage};

/// The floor the issue sets for precision and recall, per language and per class.
const FLOOR: f64 = 0.9;

#[derive(Default)]
struct Score {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Score {
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => {}
        }
    }
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.tp + self.fp)
        }
    }
    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            f64::from(self.tp) / f64::from(self.tp + self.fn_)
        }
    }
}

fn labelled(language: Language) -> Vec<(String, String)> {
    let path = format!(
        "{}/tests/data/triage/{}.tsv",
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
            (label.to_string(), message.to_string())
        })
        .collect()
}

#[test]
fn urgency_and_no_content_detection_meet_the_floor_in_every_language() {
    let mut failures = Vec::new();
    println!("lang  n   urgent P  urgent R  no-content P  no-content R");
    // `TRIAGE_LANG=ru` evaluates one language only, for tuning its word list.
    let only = std::env::var("TRIAGE_LANG").ok();
    for language in Language::ALL {
        if only.as_deref().is_some_and(|l| l != language.code()) {
            continue;
        }
        let set = labelled(language);
        assert!(
            set.len() >= 40,
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
                score.precision() >= FLOOR && score.recall() >= FLOOR,
                "{language} {what}: precision {:.2}, recall {:.2}\nmisclassified:\n{}",
                score.precision(),
                score.recall(),
                failures.join("\n")
            );
        }
    }
    println!("misclassified:\n{}", failures.join("\n"));
}
