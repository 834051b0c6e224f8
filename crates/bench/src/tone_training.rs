//! Training the tone model from the labelled messages (see `train-tone`): the data, the folds
//! that choose the thresholds, and the model of each language.

use frontdesk_core::Language;
use frontdesk_core::tone::{lists_only, with_model};
use frontdesk_core::tone_model::Model;
use frontdesk_core::triage::words;

use crate::triage_training::score;

const EPOCHS: usize = 8;
const FOLDS: usize = 5;
/// How much precision the model may cost the lists, per label, on the held-out folds...
const PRECISION_COST: f64 = 0.03;
/// ...and never below this (the floor), unless the lists' own is lower: then none.
const PRECISION_FLOOR: f64 = 0.9;

pub fn data_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/data/tone")
}

/// Where the compiled-in models live.
pub fn model_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tone/model")
}

/// A labelled message: complaint, escalation, follow-up; the text.
type Labelled = ([bool; 3], String);
/// A fold: the model trained without its messages, and its messages.
type Fold = (Model, Vec<Labelled>);

/// `(labels, message)` of a labelled file; empty when there is none.
fn labelled(path: &std::path::Path) -> Vec<Labelled> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (labels, message) = l.split_once('\t')?;
            let has = |x: &str| labels.split(',').any(|l| l.trim() == x);
            Some((
                [has("complaint"), has("escalation"), has("follow_up")],
                message.replace("\\n", "\n"),
            ))
        })
        .collect()
}

fn examples(set: &[Labelled]) -> Vec<([bool; 3], Vec<String>)> {
    set.iter()
        .map(|(l, m)| (*l, words(&frontdesk_core::quotes::new_text(m))))
        .collect()
}

/// What a reading says of label `l`.
fn said(t: &frontdesk_core::tone::Tone, l: usize) -> bool {
    match l {
        0 => t.complaint,
        1 => t.escalation,
        _ => t.follow_up,
    }
}

/// `(predicted, actual)` for label `l` of every held-out message, each fold's model with
/// `thresholds`.
fn predictions(
    folds: &[Fold],
    language: Language,
    l: usize,
    thresholds: [f32; 3],
) -> Vec<(bool, bool)> {
    let mut out = Vec::new();
    for (model, held) in folds {
        let mut m = model.clone();
        m.thresholds = thresholds;
        for (labels, message) in held {
            let t = with_model(&[language], &frontdesk_core::quotes::new_text(message), &m);
            out.push((said(&t, l), labels[l]));
        }
    }
    out
}

/// The model of `language`, trained on its tuning set, `more/` to `more5/` and the first three
/// blind sets (each scored, so no longer blind), thresholds chosen: per label, from 0.6 to 1
/// (1: it adds nothing), the one at which the lists and the model together score the best F1
/// over the folds of `more/`, `more3/`, `more4/` and `more5/` while keeping the precision
/// there at [`PRECISION_FLOOR`] (or the lists' own, when that is lower) and costing at most
/// [`PRECISION_COST`] of the lists' own.
pub fn train(language: Language) -> Model {
    let dir = data_dir();
    let code = language.code();
    // Always trained on: the tuning set, `more2/` (escalations and indirect complaints) and the
    // first three blind sets (each scored, so no longer blind); `more/`, `more3/`, `more4/` and
    // `more5/` are trained on too, and their folds choose the thresholds. Never `blind4/`.
    let mut base = labelled(&dir.join(format!("{code}.tsv")));
    base.extend(labelled(&dir.join(format!("more2/{code}.tsv"))));
    base.extend(labelled(&dir.join(format!("blind/{code}.tsv"))));
    base.extend(labelled(&dir.join(format!("blind2/{code}.tsv"))));
    base.extend(labelled(&dir.join(format!("blind3/{code}.tsv"))));
    let mut more = labelled(&dir.join(format!("more/{code}.tsv")));
    more.extend(labelled(&dir.join(format!("more3/{code}.tsv"))));
    more.extend(labelled(&dir.join(format!("more4/{code}.tsv"))));
    more.extend(labelled(&dir.join(format!("more5/{code}.tsv"))));
    let folds: Vec<Fold> = (0..FOLDS)
        .map(|fold| {
            let (held, rest): (Vec<_>, Vec<_>) = more
                .iter()
                .cloned()
                .enumerate()
                .partition(|(i, _)| i % FOLDS == fold);
            let mut train_set = base.clone();
            train_set.extend(rest.into_iter().map(|(_, e)| e));
            let held: Vec<_> = held.into_iter().map(|(_, e)| e).collect();
            (Model::train(&examples(&train_set), EPOCHS), held)
        })
        .collect();
    let mut thresholds = [1.0_f32; 3];
    for l in 0..3 {
        let (lists_precision, _, lists_f1) = score(&predictions(&folds, language, l, thresholds));
        let mut best = (lists_f1, 1.0);
        for step in (12..20).rev() {
            let t = step as f32 * 0.05;
            let mut candidate = thresholds;
            candidate[l] = t;
            let (precision, _, f1) = score(&predictions(&folds, language, l, candidate));
            let required =
                (lists_precision - PRECISION_COST).max(PRECISION_FLOOR.min(lists_precision));
            if precision >= required && f1 > best.0 + 1e-9 {
                best = (f1, t);
            }
        }
        thresholds[l] = best.1;
    }
    // The report: on the folds, the lists alone and with the model.
    for (l, name) in ["complaint", "escalation", "follow-up"].iter().enumerate() {
        let lists: Vec<(bool, bool)> = folds
            .iter()
            .flat_map(|(_, held)| held)
            .map(|(labels, m)| {
                let t = lists_only(&[language], &frontdesk_core::quotes::new_text(m));
                (said(&t, l), labels[l])
            })
            .collect();
        let (p0, r0, _) = score(&lists);
        let (p, r, _) = score(&predictions(&folds, language, l, thresholds));
        eprintln!(
            "{language} {name}: lists P {p0:.2} R {r0:.2}; with model P {p:.2} R {r:.2} (threshold {})",
            thresholds[l]
        );
    }
    let mut all = base;
    all.extend(more);
    let mut model = Model::train(&examples(&all), EPOCHS);
    model.thresholds = thresholds;
    model
}
