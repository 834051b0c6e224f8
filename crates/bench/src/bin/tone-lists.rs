//! The tone word lists against the labelled messages they may be tuned on, read from the file
//! at run time so an edit is measured without a rebuild:
//!
//! `cargo run --release -p frontdesk-bench --bin tone-lists -- LANG [--model] [--show fp|fn|all] [--label complaint|escalation|follow_up]`
//!
//! Prints, per set (the tuning set, `more/` to `more14/`, `plain/`, the first four blind sets —
//! all seen; the lists were tuned on the first ten, never on `plain/` and `more6/` on), the
//! lists' precision and recall per label, and with `--show` the messages they get
//! wrong: false positives with the patterns that matched, false negatives. "Complaint" is a
//! complaint or an escalation, as the tone test and the risk read it. With `--model`, the
//! compiled-in model adds what the lists missed, as frontdesk reads a message. Never reads
//! `blind5/`: that set is scored once, after tuning, by the core's tone test.

use frontdesk_bench::tone_training::{BASE, FRESH};
use frontdesk_core::Language;
use frontdesk_core::tone::Lists;

const LABELS: [&str; 3] = ["complaint", "escalation", "follow_up"];

/// Prints a line; stops quietly when the reader has gone (`| head`).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(code) = args.first() else {
        eprintln!("usage: tone-lists LANG [--model] [--show fp|fn|all] [--label LABEL]");
        std::process::exit(2);
    };
    let language = Language::parse(code).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let show = flag("--show");
    let with_model = args.iter().any(|a| a == "--model");
    let only = flag("--label");
    let dir = frontdesk_bench::tone_training::data_dir();
    let lists_path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../core/tone/{}.toml", language.code()));
    let source = std::fs::read_to_string(&lists_path).expect("the lists file");
    let lists = Lists::parse(language, &source).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let mut total = [[0usize; 3]; 3]; // per label: tp, fp, fn
    for set in BASE.iter().chain(FRESH.iter()) {
        let path = dir.join(format!("{set}{}.tsv", language.code()));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let mut counts = [[0usize; 3]; 3];
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let Some((labels, message)) = line.split_once('\t') else {
                continue;
            };
            let message = message.replace("\\n", "\n");
            let has = |x: &str| labels.split(',').any(|l| l.trim() == x);
            let t = if with_model {
                lists.read_with_model(language, &message)
            } else {
                lists.read(&message)
            };
            let said = [t.is_complaint(), t.escalation, t.follow_up];
            for (l, name) in LABELS.iter().enumerate() {
                let truth = has(name) || (l == 0 && has("escalation"));
                let kind = match (said[l], truth) {
                    (true, true) => 0,
                    (true, false) => 1,
                    (false, true) => 2,
                    (false, false) => continue,
                };
                counts[l][kind] += 1;
                let wanted = only.as_deref().is_none_or(|o| o == *name);
                let shown = match show.as_deref() {
                    Some("fp") => kind == 1,
                    Some("fn") => kind == 2,
                    Some("all") => kind != 0,
                    _ => false,
                };
                if wanted && shown {
                    let what = if kind == 1 { "FP" } else { "FN" };
                    out!(
                        "{what} {name} [{set}] {message}{}",
                        if kind == 1 {
                            format!("   <= {}", t.evidence.join(" | "))
                        } else {
                            String::new()
                        }
                    );
                }
            }
        }
        let row: Vec<String> = (0..3)
            .map(|l| {
                let [tp, fp, fna] = counts[l];
                for k in 0..3 {
                    total[l][k] += counts[l][k];
                }
                format!(
                    "{} P {:.2} R {:.2}",
                    LABELS[l],
                    ratio(tp, tp + fp),
                    ratio(tp, tp + fna)
                )
            })
            .collect();
        let name = if set.is_empty() { "tuning" } else { set };
        out!("{name:<8} {}", row.join("  "));
    }
    let row: Vec<String> = (0..3)
        .map(|l| {
            let [tp, fp, fna] = total[l];
            format!(
                "{} P {:.2} R {:.2}",
                LABELS[l],
                ratio(tp, tp + fp),
                ratio(tp, tp + fna)
            )
        })
        .collect();
    out!("{:<8} {}", "all", row.join("  "));
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}
