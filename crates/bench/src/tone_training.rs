//! Training the tone model from the labelled messages (see `train-tone`): the data, the folds
//! that choose the thresholds, and the model of each language.

use frontdesk_core::Language;
use frontdesk_core::tone::{Weighed, model_words, weighed, with_model};
use frontdesk_core::tone_model::Model;

use crate::triage_training::score;

const EPOCHS: usize = 8;
/// The precision the model must keep on the held-out sets (the floor), unless the
/// lists' own is lower there: then that.
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

fn examples(language: Language, set: &[Labelled]) -> Vec<([bool; 3], Vec<String>)> {
    set.iter()
        .map(|(l, m)| {
            (
                *l,
                model_words(&[language], &frontdesk_core::quotes::new_text(m)),
            )
        })
        .collect()
}

/// `(predicted, actual)` of label `l` as the core's tone test counts it: a complaint is a
/// complaint or an escalation.
fn counted(t: &frontdesk_core::tone::Tone, labels: &[bool; 3], l: usize) -> (bool, bool) {
    match l {
        0 => (t.is_complaint(), labels[0] || labels[1]),
        _ => (said(t, l), labels[l]),
    }
}

/// What a reading says of label `l`.
fn said(t: &frontdesk_core::tone::Tone, l: usize) -> bool {
    match l {
        0 => t.complaint,
        1 => t.escalation,
        _ => t.follow_up,
    }
}

/// `(predicted, actual)` for label `l` of every held-out message, read by its fold's model
/// with `thresholds` and `vetoes` (a complaint is a complaint or an escalation, as counted).
fn predictions(
    folds: &[Vec<([bool; 3], Weighed)>],
    l: usize,
    thresholds: [f32; 3],
    vetoes: [f32; 3],
) -> Vec<(bool, bool)> {
    let says = |w: &Weighed, k: usize| w.says(k, thresholds[k], vetoes[k]);
    folds
        .iter()
        .flatten()
        .map(|(labels, w)| match l {
            0 => (says(w, 0) || says(w, 1), labels[0] || labels[1]),
            _ => (says(w, l), labels[l]),
        })
        .collect()
}

/// The vetoes tried: under which probability the model takes back a label the lists found (0:
/// none).
const VETOES: [f32; 8] = [0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];

/// The model of `language`, trained on every set but `blind5/`, thresholds and vetoes chosen:
/// per label, the threshold from 0.5 to 1 (1: it adds nothing) and the veto of [`VETOES`] at
/// which the lists and the model together score the best F1 on the [`FRESH`] sets — each read
/// by a model trained without it, as a new author's messages would be — while keeping the
/// precision there at [`PRECISION_FLOOR`] (or the lists' own, when that is lower).
pub fn train(language: Language) -> Model {
    train_without(language, None)
}

/// Always trained on: the sets the word lists were tuned on — the tuning set, `more/` to
/// `more5/` and the first four blind sets (each scored, so no longer blind) — and `plain/`,
/// everyday mail (mostly routine: without it the model would learn from the other sets, half
/// complaints, that "great" is sarcasm). Never `blind5/`.
pub const BASE: [&str; 11] = [
    "", "more/", "more2/", "more3/", "more4/", "more5/", "blind/", "blind2/", "blind3/", "blind4/",
    "plain/",
];
/// Trained on too, and each, held out in turn, chooses the thresholds and vetoes: sets by other
/// authors that nobody tuned the lists on.
pub const FRESH: [&str; 9] = [
    "more6/", "more7/", "more8/", "more9/", "more10/", "more11/", "more12/", "more13/", "more14/",
];

/// [`train`] without the set `held_out` (as `"more8/"`): what [`score_set`] then measures on it
/// is what a set the model never saw would score.
pub fn train_without(language: Language, held_out: Option<&str>) -> Model {
    let dir = data_dir();
    let code = language.code();
    let read = |sets: &[&str]| -> Vec<Labelled> {
        sets.iter()
            .filter(|set| Some(**set) != held_out)
            .flat_map(|set| labelled(&dir.join(format!("{set}{code}.tsv"))))
            .collect()
    };
    let base = read(&BASE);
    let fresh: Vec<&str> = FRESH
        .into_iter()
        .filter(|set| Some(*set) != held_out)
        .collect();
    // Each fresh set, read by a model trained without it.
    let folds: Vec<Vec<([bool; 3], Weighed)>> = fresh
        .iter()
        .map(|held| {
            let mut train_set = base.clone();
            train_set.extend(read(
                &fresh
                    .iter()
                    .copied()
                    .filter(|s| s != held)
                    .collect::<Vec<_>>(),
            ));
            let model = Model::train(&examples(language, &train_set), EPOCHS);
            read(&[held])
                .into_iter()
                .map(|(labels, m)| {
                    let text = frontdesk_core::quotes::new_text(&m);
                    (labels, weighed(&[language], &text, &model))
                })
                .collect()
        })
        .collect();
    let mut thresholds = [1.0_f32; 3];
    let mut vetoes = [0.0_f32; 3];
    for l in 0..3 {
        let (lists_precision, _, lists_f1) = score(&predictions(&folds, l, thresholds, vetoes));
        let required = PRECISION_FLOOR.min(lists_precision);
        let mut best = (lists_f1, 1.0, 0.0);
        for t in std::iter::once(1.0).chain((10..20).rev().map(|step| step as f32 * 0.05)) {
            for v in VETOES {
                let (mut t_l, mut v_l) = (thresholds, vetoes);
                t_l[l] = t;
                v_l[l] = v;
                let (precision, _, f1) = score(&predictions(&folds, l, t_l, v_l));
                if precision >= required && f1 > best.0 + 1e-9 {
                    best = (f1, t, v);
                }
            }
        }
        thresholds[l] = best.1;
        vetoes[l] = best.2;
    }
    // The report: on the held-out sets, the lists alone and with the model.
    for (l, name) in ["complaint", "escalation", "follow-up"].iter().enumerate() {
        let lists = predictions(&folds, l, [1.0; 3], [0.0; 3]);
        let (p0, r0, _) = score(&lists);
        let (p, r, _) = score(&predictions(&folds, l, thresholds, vetoes));
        eprintln!(
            "{language} {name}: lists P {p0:.2} R {r0:.2}; with model P {p:.2} R {r:.2} (threshold {:.2}, veto {:.2})",
            thresholds[l], vetoes[l]
        );
    }
    let mut all = base;
    all.extend(read(&fresh));
    let mut model = Model::train(&examples(language, &all), EPOCHS);
    model.thresholds = thresholds;
    model.vetoes = vetoes;
    model
}

/// Precision and recall, as the core's tone test counts them (a complaint is a complaint or an
/// escalation), of complaint, escalation and follow-up on `set` read with the lists and `model`.
pub fn score_set(language: Language, model: &Model, set: &str) -> [(f64, f64); 3] {
    let messages = labelled(&data_dir().join(format!("{set}{}.tsv", language.code())));
    std::array::from_fn(|l| {
        let pairs: Vec<(bool, bool)> = messages
            .iter()
            .map(|(labels, m)| {
                let t = with_model(&[language], &frontdesk_core::quotes::new_text(m), model);
                counted(&t, labels, l)
            })
            .collect();
        let (p, r, _) = score(&pairs);
        (p, r)
    })
}
