//! Beside the word lists of [`crate::tone`], a small statistical reading: per language, three
//! logistic regressions (complaint, escalation, follow-up — a message may be several) over the
//! same hashed features as triage's model (words, word pairs, four-letter pieces of words, see
//! [`crate::triage_model::features`]). Trained by `cargo run -p frontdesk-bench --bin
//! train-tone` from the labelled sets under `crates/core/tests/data/tone/` — never the unscored
//! blind set — deterministically; the weights are compiled in from
//! `crates/core/tone/model/{lang}.txt`.
//!
//! The lists decide first; the model — reading the text without the lists' `neutral` phrases —
//! adds a label they missed, when its probability reaches the label's threshold, and takes back
//! one they found, when its probability is under the label's veto (both chosen by the training
//! command on held-out sets, keeping precision). Its reason is the words that weighed most.

use std::sync::OnceLock;

use crate::Language;
use crate::triage_model::{
    BUCKETS, Feature, descend, features, linear, parse_bucket, render_buckets,
};

/// The labels, in the order of the weights.
pub const LABELS: [&str; 3] = ["complaint", "escalation", "follow_up"];

/// A trained model: per bucket one weight per label, a bias and a threshold per label.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// `weights[bucket * 3 + label]`.
    pub weights: Vec<f32>,
    pub bias: [f32; 3],
    /// How sure it must be to add a label the lists did not find (1: it adds none).
    pub thresholds: [f32; 3],
    /// Under which probability it takes back a label the lists found (0: it takes none back).
    pub vetoes: [f32; 3],
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

impl Model {
    /// An empty model (every weight zero, adding nothing).
    pub fn empty() -> Model {
        Model {
            weights: vec![0.0; BUCKETS * 3],
            bias: [0.0; 3],
            thresholds: [1.0; 3],
            vetoes: [0.0; 3],
        }
    }

    /// In a text given as its normalized words, from one reading of its features: the labels
    /// the model doubts (its probability under the label's veto) and the labels it adds (its
    /// probability at the label's threshold), each with the words that weighed most.
    pub fn weigh(&self, words: &[&str]) -> ([bool; 3], [Option<Vec<String>>; 3]) {
        let f = features(words);
        let p = self.probabilities(&f);
        (
            std::array::from_fn(|l| p[l] < self.vetoes[l]),
            std::array::from_fn(|l| {
                (self.thresholds[l] < 1.0 && p[l] >= self.thresholds[l])
                    .then(|| self.strongest(words, &f, l, 3))
            }),
        )
    }

    /// The probability of each label for these features.
    pub fn probabilities(&self, features: &[Feature]) -> [f32; 3] {
        linear(&self.weights, &self.bias, features).map(sigmoid)
    }

    /// The words that weighed most for `label`, strongest first, at most `n`.
    fn strongest(
        &self,
        words: &[&str],
        features: &[Feature],
        label: usize,
        n: usize,
    ) -> Vec<String> {
        let mut scored: Vec<(f32, &str)> = features
            .iter()
            .filter_map(|(b, word)| Some((self.weights[*b as usize * 3 + label], words[(*word)?])))
            .filter(|(s, w)| *s > 0.0 && w.chars().count() > 2)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out: Vec<String> = Vec::new();
        for (_, w) in scored {
            if !out.iter().any(|o| o == w) {
                out.push(w.to_string());
            }
            if out.len() == n {
                break;
            }
        }
        out
    }

    /// The model as its file: thresholds, biases, then each bucket whose weights are not all
    /// zero, in thousandths.
    pub fn render(&self) -> String {
        let mut out = format!(
            "# frontdesk tone model: made by `cargo run -p frontdesk-bench --bin train-tone`; do not edit.\n\
             thresholds {:.2} {:.2} {:.2}\nvetoes {:.2} {:.2} {:.2}\nbias {:.4} {:.4} {:.4}\n",
            self.thresholds[0],
            self.thresholds[1],
            self.thresholds[2],
            self.vetoes[0],
            self.vetoes[1],
            self.vetoes[2],
            self.bias[0],
            self.bias[1],
            self.bias[2]
        );
        out.push_str(&render_buckets(&self.weights));
        out
    }

    /// Reads a model file; None when it is not one.
    pub fn parse(text: &str) -> Option<Model> {
        let mut m = Model::empty();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut parts = line.split(' ');
            let head = parts.next()?;
            let nums: Vec<f32> = parts.map(|p| p.parse().ok()).collect::<Option<_>>()?;
            if nums.len() != 3 {
                return None;
            }
            let three = [nums[0], nums[1], nums[2]];
            match head {
                "thresholds" => m.thresholds = three,
                "vetoes" => m.vetoes = three,
                "bias" => m.bias = three,
                b => parse_bucket(b, &nums, &mut m.weights)?,
            }
        }
        Some(m)
    }

    /// Trains on `(labels, words)` examples: stochastic gradient descent on each label's
    /// log-loss with L2 shrinkage, `epochs` passes in an order fixed by a seeded shuffle — the
    /// same data always gives the same model.
    pub fn train(examples: &[([bool; 3], Vec<String>)], epochs: usize) -> Model {
        let mut m = Model::empty();
        let examples: Vec<([f32; 3], Vec<Feature>)> = examples
            .iter()
            .map(|(labels, words)| {
                let w: Vec<&str> = words.iter().map(String::as_str).collect();
                (labels.map(|l| if l { 1.0 } else { 0.0 }), features(&w))
            })
            .collect();
        let Model { weights, bias, .. } = &mut m;
        descend(weights, bias, &examples, epochs, 0x70e, &|w, b, f| {
            linear(w, b, f).map(sigmoid)
        });
        m
    }
}

/// The compiled-in model of a language.
pub(crate) fn model(language: Language) -> &'static Model {
    static ALL: OnceLock<Vec<Model>> = OnceLock::new();
    crate::triage_model::compiled(&ALL, "tone", Model::parse, source, language)
}

fn source(language: Language) -> &'static str {
    match language {
        Language::En => include_str!("../tone/model/en.txt"),
        Language::Es => include_str!("../tone/model/es.txt"),
        Language::Ru => include_str!("../tone/model/ru.txt"),
        Language::It => include_str!("../tone/model/it.txt"),
        Language::Nl => include_str!("../tone/model/nl.txt"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_reads_back_what_it_wrote_and_learns_a_toy_task() {
        let ex = |l: [bool; 3], s: &str| (l, s.split(' ').map(str::to_string).collect::<Vec<_>>());
        let data = vec![
            ex([true, false, false], "this is a disgrace"),
            ex([true, false, false], "what a disgrace honestly"),
            ex([false, true, false], "we will call our lawyer"),
            ex([false, false, true], "any news on the quote"),
            ex([false, false, false], "thanks for the invoice"),
            ex([false, false, false], "see you on friday"),
        ];
        let mut m = Model::train(&data, 10);
        assert_eq!(m, Model::train(&data, 10), "training is deterministic");
        let words = ["disgrace"];
        let p = m.probabilities(&features(&words));
        assert!(p[0] > 0.5 && p[1] < 0.5, "{p:?}");
        m.thresholds = [0.5, 1.0, 1.0];
        let added = m.weigh(&words).1;
        assert_eq!(added[0].as_deref(), Some(&["disgrace".to_string()][..]));
        assert!(added[1].is_none() && added[2].is_none());
        let read = Model::parse(&m.render()).unwrap();
        let p2 = read.probabilities(&features(&words));
        assert!((p[0] - p2[0]).abs() < 0.01, "{p:?} {p2:?}");
        assert_eq!(read.thresholds, [0.5, 1.0, 1.0]);
        // A veto takes back what the model finds unlikely.
        assert_eq!(m.weigh(&["invoice"]).0, [false; 3], "no veto, no doubt");
        m.vetoes = [0.0, 0.5, 0.0];
        assert_eq!(m.weigh(&["disgrace"]).0, [false, true, false]);
        assert_eq!(Model::parse(&m.render()).unwrap().vetoes, [0.0, 0.5, 0.0]);
    }
}
