//! Quote and signature stripping measured on labelled e-mails (tests/data/quotes): `dev.json`
//! is the set the rules were tuned on; `heldout.json` was written apart and is only measured —
//! its failures are never printed, so nobody tunes on them.

use frontdesk_core::quotes::new_text;

#[derive(serde::Deserialize)]
struct Case {
    id: String,
    language: String,
    text: String,
    new: String,
}

fn load(name: &str) -> Vec<Case> {
    let path = format!("{}/tests/data/quotes/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Line ends and runs of blank lines do not count.
fn normal(s: &str) -> String {
    let mut out = Vec::new();
    for l in s.lines().map(str::trim_end) {
        if l.is_empty() && out.last().is_some_and(|p: &&str| p.is_empty()) {
            continue;
        }
        out.push(l);
    }
    out.join("\n").trim().to_string()
}

/// Per language and in all: (exact, all the new text kept, cases).
fn measure(cases: &[Case], show_failures: bool) -> Vec<(String, usize, usize, usize)> {
    let mut rows: Vec<(String, usize, usize, usize)> = ["en", "es", "it", "nl", "ru", "all"]
        .iter()
        .map(|l| (l.to_string(), 0, 0, 0))
        .collect();
    for c in cases {
        let got = normal(&new_text(&c.text));
        let want = normal(&c.new);
        let exact = got == want;
        let kept = got.contains(&want) || want.is_empty();
        if show_failures && !exact {
            println!("--- {}\nwant: {want:?}\n got: {got:?}", c.id);
        }
        for row in rows
            .iter_mut()
            .filter(|r| r.0 == c.language || r.0 == "all")
        {
            row.1 += usize::from(exact);
            row.2 += usize::from(kept);
            row.3 += 1;
        }
    }
    println!("| language | exact | new text all kept | cases |");
    println!("|---|---|---|---|");
    for (l, e, k, n) in &rows {
        println!(
            "| {l} | {:.2} | {:.2} | {n} |",
            *e as f64 / *n as f64,
            *k as f64 / *n as f64
        );
    }
    rows
}

#[test]
fn the_development_set() {
    let rows = measure(&load("dev.json"), true);
    let (_, exact, kept, n) = rows.last().unwrap();
    assert!(*exact as f64 / *n as f64 >= 0.9, "{exact}/{n} exact");
    assert!(*kept as f64 / *n as f64 >= 0.95, "{kept}/{n} kept");
}

#[test]
fn the_blind_set() {
    let rows = measure(&load("heldout.json"), false);
    let (_, exact, kept, n) = rows.last().unwrap();
    // Floors a little under what was measured the first time it ran (docs/QUALITY.md): a
    // change that makes stripping worse on unseen mail fails here.
    assert!(*exact as f64 / *n as f64 >= 0.88, "{exact}/{n} exact");
    assert!(*kept as f64 / *n as f64 >= 0.98, "{kept}/{n} kept");
}
