//! A rendered document reads back as its text: Poppler's `pdftotext` (Debian's poppler-utils,
//! installed by scripts/test) finds every word, in every script, and the page numbers.

use std::process::Command;

use frontdesk_pdf::{Block, Column, Document, Table, render};

fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_word_in_every_script_reads_back_and_pages_are_numbered() {
    let rows: Vec<Vec<String>> = (0..120)
        .map(|i| {
            vec![
                format!("row {i}"),
                format!("Звонок клиенту {i}"),
                "señora Núñez".into(),
            ]
        })
        .collect();
    let doc = Document {
        title: "Отчёт".into(),
        language: "ru".into(),
        footer: "frontdesk — Отчёт".into(),
        blocks: vec![
            Block::Title("Отчёт о возвращении".into()),
            Block::Heading("Acme Ltd".into()),
            Block::Text("Perché l'ufficio è chiuso — één keer".into()),
            Block::Table(Table {
                columns: vec![
                    Column::new("#", 1.0),
                    Column::new("Что", 3.0),
                    Column::new("Quién", 2.0),
                ],
                rows,
            }),
            Block::Check {
                done: true,
                text: "Позвонили 3 декабря".into(),
            },
        ],
    };
    let text = text_of(&render(&doc).unwrap());
    for word in [
        "Отчёт о возвращении",
        "Acme Ltd",
        "Perché",
        "één",
        "Звонок клиенту 0",
        "Звонок клиенту 119",
        "Núñez",
        "Позвонили 3 декабря",
    ] {
        assert!(text.contains(word), "{word:?} is not in:\n{text}");
    }
    let compact = text.replace(' ', "");
    assert!(compact.contains("1/3") && compact.contains("3/3"), "{text}");
    // The table's header is repeated on the page it continues on.
    assert!(text.matches("Quién").count() >= 3, "{text}");
}
