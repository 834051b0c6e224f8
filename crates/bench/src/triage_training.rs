//! Training the triage model from the labelled messages (see `train-triage`): the data, the
//! folds that choose the thresholds, and the model of each language.

use frontdesk_core::Language;
use frontdesk_core::triage::{with_model, words};
use frontdesk_core::triage_model::Model;

const EPOCHS: usize = 8;
const FOLDS: usize = 5;
const PRECISION: f64 = 0.9;

pub fn data_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/data/triage")
}

/// `(class, message)` of a labelled file; empty when there is none.
fn labelled(path: &std::path::Path) -> Vec<(usize, String)> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let (label, message) = l.split_once('\t')?;
            let class = ["urgent", "no_content", "routine"]
                .iter()
                .position(|c| *c == label)?;
            Some((class, message.replace("\\n", "\n")))
        })
        .collect()
}

fn examples(set: &[(usize, String)]) -> Vec<(usize, Vec<String>)> {
    set.iter()
        .map(|(c, m)| (*c, words(&frontdesk_core::quotes::new_text(m))))
        .collect()
}

/// Precision, recall and F1 of one class over `(predicted, actual)` pairs.
pub fn score(pairs: &[(bool, bool)]) -> (f64, f64, f64) {
    let tp = pairs.iter().filter(|(p, a)| *p && *a).count() as f64;
    let fp = pairs.iter().filter(|(p, a)| *p && !*a).count() as f64;
    let fn_ = pairs.iter().filter(|(p, a)| !*p && *a).count() as f64;
    let precision = if tp + fp == 0.0 { 1.0 } else { tp / (tp + fp) };
    let recall = if tp + fn_ == 0.0 {
        1.0
    } else {
        tp / (tp + fn_)
    };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    (precision, recall, f1)
}

/// The threshold, from 0.6 to 1 (1: the model adds nothing), at which the word lists and the
/// model together score the best F1 on `class` over the folds, keeping precision at least
/// [`PRECISION`]; of equal scores, the highest threshold.
fn choose(
    folds: &[(Model, Vec<(usize, String)>)],
    language: Language,
    class: usize,
    set: impl Fn(&mut Model, f32),
) -> f32 {
    let mut best = (
        score(&predictions(folds, language, class, &set, 1.0)).2,
        1.0,
    );
    for step in (12..20).rev() {
        let t = step as f32 * 0.05;
        let (precision, _, f1) = score(&predictions(folds, language, class, &set, t));
        if precision >= PRECISION && f1 > best.0 + 1e-9 {
            best = (f1, t);
        }
    }
    best.1
}

/// `(predicted, actual)` for `class` of every held-out message, each fold's model set to `t`.
fn predictions(
    folds: &[(Model, Vec<(usize, String)>)],
    language: Language,
    class: usize,
    set: &impl Fn(&mut Model, f32),
    t: f32,
) -> Vec<(bool, bool)> {
    let mut out = Vec::new();
    for (model, held) in folds {
        let mut m = model.clone();
        set(&mut m, t);
        for (c, message) in held {
            let r = with_model(&[language], &frontdesk_core::quotes::new_text(message), &m);
            let predicted = if class == 0 {
                r.urgent
            } else {
                !r.urgent && r.no_content
            };
            out.push((predicted, *c == class));
        }
    }
    out
}

/// The model of `language`, trained on its tuning set and `more/`, thresholds chosen.
pub fn train(language: Language) -> Model {
    let dir = data_dir();
    let base = labelled(&dir.join(format!("{}.tsv", language.code())));
    let more = labelled(&dir.join(format!("more/{}.tsv", language.code())));
    // Models of the folds: each trained on everything but a fifth of `more`.
    let folds: Vec<(Model, Vec<(usize, String)>)> = (0..FOLDS)
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
    // The urgent threshold first (with no model no-content), then no-content's with it.
    let urgent = choose(&folds, language, 0, |m, t| {
        m.urgent_threshold = t;
        m.no_content_threshold = 1.0;
    });
    let empty = choose(&folds, language, 1, |m, t| {
        m.urgent_threshold = urgent;
        m.no_content_threshold = t;
    });
    // The report: on the folds, the lists alone and with the model.
    {
        for (name, class, u, n) in [
            ("rules urgent", 0, 1.0, 1.0),
            ("with model urgent", 0, urgent, 1.0),
            ("rules no-content", 1, 1.0, 1.0),
            ("with model no-content", 1, urgent, empty),
        ] {
            let (p, r, _) = score(&predictions(
                &folds,
                language,
                class,
                &|m: &mut Model, _| {
                    m.urgent_threshold = u;
                    m.no_content_threshold = n;
                },
                0.0,
            ));
            eprintln!("{language} {name}: P {p:.2} R {r:.2}");
        }
    }
    let mut all = base;
    all.extend(more);
    let mut model = Model::train(&examples(&all), EPOCHS);
    model.urgent_threshold = urgent;
    model.no_content_threshold = empty;
    eprintln!(
        "{language}: {} messages; thresholds urgent {} no-content {}",
        all.len(),
        model.urgent_threshold,
        model.no_content_threshold
    );
    model
}

/// Where the compiled-in models live.
pub fn model_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/triage/model")
}
