//! Trains the tone model of every language from the labelled messages and writes
//! `crates/core/tone/model/{lang}.txt`: `cargo run -p frontdesk-bench --bin train-tone`.
//!
//! Data: the tuning set (`crates/core/tests/data/tone/{lang}.tsv`, on which the word lists were
//! tuned), `more/` to `more5/` (written later by other authors, without looking at the lists;
//! the lists were tuned on them since), the first four blind sets `blind/` to `blind4/` (scored,
//! no longer blind), `plain/` (everyday mail, mostly routine) and `more6/` to `more14/` (written
//! by authors who saw nothing but the label definitions; nobody tuned the lists on them). Never
//! `blind5/`.
//!
//! The thresholds and vetoes are chosen on messages nobody tuned on, read as a new author's
//! would be: each of `more6/` to `more14/` predicted by a model trained on everything but it.
//! Per label, the threshold (0.5 to 1; 1: the model adds nothing) and the veto (0 to 0.3; 0:
//! it takes nothing back) at which the lists and the model together score the best F1 there
//! while keeping precision at 0.9 (or the lists' own, when lower).
//!
//! `--check` trains and compares with the files instead of writing them (exit 1 when they
//! differ): the model in the repository is what its data makes. `--hold-out SET` (as `more8/`)
//! trains without that set, writes nothing and prints what the lists and that model score on
//! it: an estimate for a set nobody tuned on, to compare ideas with before the blind set.

use frontdesk_bench::tone_training::{model_dir, score_set, train, train_without};
use frontdesk_core::Language;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let check = args.iter().any(|a| a == "--check");
    if let Some(set) = args
        .iter()
        .position(|a| a == "--hold-out")
        .and_then(|i| args.get(i + 1))
    {
        for language in Language::ALL {
            let model = train_without(language, Some(set));
            let [c, e, f] = score_set(language, &model, set);
            println!(
                "{language} {set}: complaint P {:.2} R {:.2}  escalation P {:.2} R {:.2}  follow-up P {:.2} R {:.2}",
                c.0, c.1, e.0, e.1, f.0, f.1
            );
        }
        return;
    }
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
