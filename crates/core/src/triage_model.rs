//! A small statistical reading of a message, beside the word lists of [`crate::triage`]: a
//! linear model per language (multinomial logistic regression) over hashed features of the
//! normalized text — words, word pairs, and the four-letter pieces of each word (so a typo or an
//! inflection the lists never saw still shares most of its features). It is trained by
//! `cargo run -p frontdesk-bench --bin train-triage` from the labelled messages under
//! `crates/core/tests/data/triage/` (the tuning set and `more/`, never `heldout/` or
//! `blind/`), deterministically, and its weights are compiled in from
//! `crates/core/triage/model/{lang}.txt`.
//!
//! The rules decide first; the model only adds what they missed, and only when it is sure
//! (the thresholds in each file, chosen by the training command on data the rules were not
//! tuned on). Its reason is the words that weighed most.

use std::sync::OnceLock;

use crate::Language;

/// Feature buckets: the hash of a feature modulo this.
pub const BUCKETS: usize = 1 << 16;

/// The classes, in the order of the weights.
pub const CLASSES: [&str; 3] = ["urgent", "no_content", "routine"];

/// A trained model: per bucket, one weight per class, and a bias per class.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// `weights[bucket * 3 + class]`.
    pub weights: Vec<f32>,
    pub bias: [f32; 3],
    /// How sure it must be to call a message urgent, or without content, that the rules did not.
    pub urgent_threshold: f32,
    pub no_content_threshold: f32,
}

/// FNV-1a, 64 bits: a hash that stays the same across builds and versions.
fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn bucket(parts: &[&str]) -> u32 {
    (fnv(parts) % BUCKETS as u64) as u32
}

/// A feature: its bucket, and the word it came from when it is a word feature (for reasons).
pub type Feature = (u32, Option<usize>);

/// The features of a message given as its normalized words.
pub fn features(words: &[&str]) -> Vec<Feature> {
    let mut out = Vec::with_capacity(words.len() * 6 + 2);
    let length = match words.len() {
        0..=3 => "len:tiny",
        4..=8 => "len:short",
        9..=20 => "len:mid",
        _ => "len:long",
    };
    out.push((bucket(&[length]), None));
    out.push((bucket(&["bias"]), None));
    let mut prev = "^";
    for (i, w) in words.iter().enumerate() {
        let w = if w.chars().all(|c| c.is_ascii_digit()) {
            "#num"
        } else {
            w
        };
        out.push((bucket(&["w", w]), Some(i)));
        out.push((bucket(&["b", prev, w]), None));
        prev = w;
        // Four-letter pieces of the word, with its edges: "_cai", "caid", "aido", "ido_".
        let chars: Vec<char> = std::iter::once('_')
            .chain(w.chars())
            .chain(std::iter::once('_'))
            .collect();
        if chars.len() > 4 {
            for piece in chars.windows(4) {
                let mut buf = [0u8; 16];
                let mut n = 0;
                for c in piece {
                    n += c.encode_utf8(&mut buf[n..]).len();
                }
                let s = std::str::from_utf8(&buf[..n]).unwrap_or("");
                out.push((bucket(&["c", s]), None));
            }
        }
    }
    out.push((bucket(&["b", prev, "$"]), None));
    out
}

impl Model {
    /// An empty model (every weight zero).
    pub fn empty() -> Model {
        Model {
            weights: vec![0.0; BUCKETS * 3],
            bias: [0.0; 3],
            urgent_threshold: 1.0,
            no_content_threshold: 1.0,
        }
    }

    /// Whether a probability `p` reaches `threshold`; a threshold of 1 or more adds nothing.
    pub fn adds(&self, p: f32, threshold: f32) -> bool {
        threshold < 1.0 && p >= threshold
    }

    /// The probability of each class for these features.
    pub fn probabilities(&self, features: &[Feature]) -> [f32; 3] {
        softmax_of(&self.weights, &self.bias, features)
    }

    /// The words that weighed most for `class`, strongest first, at most `n`.
    pub fn strongest<'a>(
        &self,
        words: &[&'a str],
        features: &[Feature],
        class: usize,
        n: usize,
    ) -> Vec<&'a str> {
        let mut scored: Vec<(f32, &str)> = features
            .iter()
            .filter_map(|(b, word)| {
                let w = &self.weights[*b as usize * 3..*b as usize * 3 + 3];
                // How much more it speaks for `class` than for the others.
                let others = (w[0] + w[1] + w[2] - w[class]) / 2.0;
                Some((w[class] - others, words[(*word)?]))
            })
            .filter(|(s, w)| *s > 0.0 && w.chars().count() > 2)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out: Vec<&str> = Vec::new();
        for (_, w) in scored {
            if !out.contains(&w) {
                out.push(w);
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
            "# frontdesk triage model: made by `cargo run -p frontdesk-bench --bin train-triage`; do not edit.\n\
             thresholds {:.2} {:.2}\nbias {:.4} {:.4} {:.4}\n",
            self.urgent_threshold,
            self.no_content_threshold,
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
            match head {
                "thresholds" => {
                    m.urgent_threshold = *nums.first()?;
                    m.no_content_threshold = *nums.get(1)?;
                }
                "bias" => m.bias = [*nums.first()?, *nums.get(1)?, *nums.get(2)?],
                b => parse_bucket(b, &nums, &mut m.weights)?,
            }
        }
        Some(m)
    }

    /// Trains on `(class, words)` examples: stochastic gradient descent on the cross-entropy
    /// with L2 shrinkage (a learning rate of 0.05 that decays by epoch, L2 of 0.001), `epochs` passes in an order fixed by a seeded shuffle — the same data
    /// always gives the same model.
    pub fn train(examples: &[(usize, Vec<String>)], epochs: usize) -> Model {
        let mut m = Model::empty();
        let examples: Vec<([f32; 3], Vec<Feature>)> = examples
            .iter()
            .map(|(c, words)| {
                let w: Vec<&str> = words.iter().map(String::as_str).collect();
                (
                    std::array::from_fn(|k| if k == *c { 1.0 } else { 0.0 }),
                    features(&w),
                )
            })
            .collect();
        // Chosen by the folds of the training command (0.5 and 1e-4 made a model sure of
        // everything, which added as many mistakes as finds).
        let Model { weights, bias, .. } = &mut m;
        descend(weights, bias, &examples, epochs, 0x5eed, &softmax_of);
        m
    }
}

fn softmax_of(weights: &[f32], bias: &[f32; 3], features: &[Feature]) -> [f32; 3] {
    softmax(linear(weights, bias, features))
}

/// The three outputs' sums of a linear model over hashed features: `weights[bucket * 3 + k]`.
pub(crate) fn linear(weights: &[f32], bias: &[f32; 3], features: &[Feature]) -> [f32; 3] {
    let mut z = *bias;
    for (b, _) in features {
        let at = *b as usize * 3;
        for (k, zk) in z.iter_mut().enumerate() {
            *zk += weights[at + k];
        }
    }
    z
}

/// A model's three outputs from its weights, its biases and a message's features.
pub(crate) type Outputs = dyn Fn(&[f32], &[f32; 3], &[Feature]) -> [f32; 3];

/// Stochastic gradient descent for a linear model of three outputs whose loss's gradient is
/// the probability less the target (softmax with cross-entropy, or three sigmoids with their
/// log-losses): a learning rate of 0.05 that decays by epoch, L2 shrinkage of 0.001, `epochs`
/// passes in an order fixed by a seeded shuffle — the same data always gives the same model.
pub(crate) fn descend(
    weights: &mut [f32],
    bias: &mut [f32; 3],
    examples: &[([f32; 3], Vec<Feature>)],
    epochs: usize,
    seed: u64,
    probabilities: &Outputs,
) {
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut seed = seed;
    let (base, l2) = (0.05_f32, 1e-3_f32);
    for epoch in 0..epochs {
        // Fisher–Yates with a linear congruential generator.
        for i in (1..order.len()).rev() {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let j = (seed >> 33) as usize % (i + 1);
            order.swap(i, j);
        }
        let rate = base / (1.0 + epoch as f32 * 0.5);
        for &i in &order {
            let (target, f) = &examples[i];
            let p = probabilities(weights, bias, f);
            for (k, pk) in p.iter().enumerate() {
                let g = pk - target[k];
                bias[k] -= rate * g;
                for (b, _) in f {
                    let w = &mut weights[*b as usize * 3 + k];
                    *w -= rate * (g + l2 * *w);
                }
            }
        }
    }
}

/// The buckets of a three-output model whose weights are not all zero, a line each, in
/// thousandths: the body of a model file.
pub(crate) fn render_buckets(weights: &[f32]) -> String {
    let mut out = String::new();
    for (b, w) in weights.chunks(3).enumerate() {
        let r: Vec<i32> = w.iter().map(|x| (x * 1000.0).round() as i32).collect();
        if r.iter().any(|x| *x != 0) {
            out.push_str(&format!("{b} {} {} {}\n", r[0], r[1], r[2]));
        }
    }
    out
}

/// Reads a bucket line of a model file (`head` its bucket number) into `weights`.
pub(crate) fn parse_bucket(head: &str, nums: &[f32], weights: &mut [f32]) -> Option<()> {
    let b: usize = head.parse().ok()?;
    if b >= BUCKETS || nums.len() != 3 {
        return None;
    }
    for (w, n) in weights[b * 3..b * 3 + 3].iter_mut().zip(nums) {
        *w = n / 1000.0;
    }
    Some(())
}

fn softmax(z: [f32; 3]) -> [f32; 3] {
    let max = z[0].max(z[1]).max(z[2]);
    let e = [(z[0] - max).exp(), (z[1] - max).exp(), (z[2] - max).exp()];
    let sum = e[0] + e[1] + e[2];
    [e[0] / sum, e[1] / sum, e[2] / sum]
}

/// The compiled-in model of a language.
pub(crate) fn model(language: Language) -> &'static Model {
    static ALL: OnceLock<Vec<Model>> = OnceLock::new();
    compiled(&ALL, "triage", Model::parse, source, language)
}

/// The model of `language` among the compiled-in ones of every language (`what` kind, read
/// once from `source` by `parse`); a file that does not read is a build mistake.
pub(crate) fn compiled<M>(
    all: &'static OnceLock<Vec<M>>,
    what: &str,
    parse: fn(&str) -> Option<M>,
    source: fn(Language) -> &'static str,
    language: Language,
) -> &'static M {
    let all = all.get_or_init(|| {
        Language::ALL
            .iter()
            .map(|l| {
                parse(source(*l))
                    .unwrap_or_else(|| panic!("the {what} model for {l} does not read"))
            })
            .collect()
    });
    &all[Language::ALL.iter().position(|l| *l == language).unwrap()]
}

fn source(language: Language) -> &'static str {
    match language {
        Language::En => include_str!("../triage/model/en.txt"),
        Language::Es => include_str!("../triage/model/es.txt"),
        Language::Ru => include_str!("../triage/model/ru.txt"),
        Language::It => include_str!("../triage/model/it.txt"),
        Language::Nl => include_str!("../triage/model/nl.txt"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_reads_back_what_it_wrote_and_learns_a_toy_task() {
        let ex = |c: usize, s: &str| (c, s.split(' ').map(str::to_string).collect::<Vec<_>>());
        let data = vec![
            ex(0, "the server is down"),
            ex(0, "fire in the office"),
            ex(1, "hi its marcos call me"),
            ex(1, "call me back please"),
            ex(2, "the invoice for march"),
            ex(2, "question about the contract"),
        ];
        let m = Model::train(&data, 10);
        let again = Model::train(&data, 10);
        assert_eq!(m, again, "training is deterministic");
        let words = ["server", "down"];
        let p = m.probabilities(&features(&words));
        assert!(p[0] > p[1] && p[0] > p[2], "{p:?}");
        let read = Model::parse(&m.render()).unwrap();
        let p2 = read.probabilities(&features(&words));
        assert!((p[0] - p2[0]).abs() < 0.01, "{p:?} {p2:?}");
        assert!(!m.strongest(&words, &features(&words), 0, 2).is_empty());
    }
}
