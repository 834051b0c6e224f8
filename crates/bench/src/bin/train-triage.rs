//! Trains the triage model of every language from the labelled messages and writes
//! `crates/core/triage/model/{lang}.txt`: `cargo run -p frontdesk-bench --bin train-triage`.
//!
//! Data: the tuning set (`crates/core/tests/data/triage/{lang}.tsv`, on which the word lists
//! were tuned) and `more/{lang}.tsv` (written later, without looking at the lists). Never the
//! held-out or blind sets.
//!
//! The thresholds are chosen on messages the rules were not tuned on: `more/` in five folds,
//! each predicted by a model trained on everything else. For each class, the lowest
//! threshold at which what the model adds to the rules is right at least 90% of the time (and
//! at least 0.6), else 1 (the model adds nothing of that class).
//!
//! `--check` trains and compares with the files instead of writing them (exit 1 when they
//! differ): the model in the repository is what its data makes.

use frontdesk_bench::triage_training::{model_dir, train};
use frontdesk_core::Language;

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let mut differ = false;
    for language in Language::ALL {
        let text = train(language).render();
        let path = model_dir().join(format!("{}.txt", language.code()));
        if check {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                eprintln!("{}: not what the data makes", path.display());
                differ = true;
            }
        } else {
            std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
    if differ {
        std::process::exit(1);
    }
}
