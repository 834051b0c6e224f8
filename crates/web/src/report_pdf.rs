//! The return report as a printable PDF, in the reader's language: per client the contacts
//! that came in, who answered and when against their due time, the complaints and how each was
//! resolved, the promises made, the brief's open items, and the call-back checklist — the same
//! facts as the page (`briefs_page::report`), for the manager's file.

use frontdesk_core::{Absence, Handle, Practice};
use frontdesk_desk::briefs::ClientReport;
use frontdesk_pdf::{Block, Column, Document, PdfError, Table};

use crate::briefs_page::state_words;
use crate::i18n::T;

/// The report of `absence` for `clients` as a PDF file.
pub fn render(
    t: T,
    practice: &Practice,
    absence: &Absence,
    clients: &[ClientReport],
) -> Result<Vec<u8>, PdfError> {
    frontdesk_pdf::render(&document(t, practice, absence, clients))
}

/// The report as a document of blocks.
pub fn document(
    t: T,
    practice: &Practice,
    absence: &Absence,
    clients: &[ClientReport],
) -> Document {
    let name = |h: &Handle| practice.member(h).map_or(h.to_string(), |m| m.name.clone());
    let title = t.args(
        "report-title",
        &[
            ("member", name(&absence.member)),
            ("from", t.day(absence.from)),
            ("until", t.day(absence.until)),
        ],
    );
    let mut blocks = vec![Block::Title(title.clone())];
    if clients.is_empty() {
        blocks.push(Block::Text(t.get("report-empty")));
    }
    for c in clients {
        let l = c.line();
        let mut heading = practice
            .client(&c.client)
            .map_or(c.client.to_string(), |x| x.name.clone());
        if c.leaving() {
            heading = format!("{heading} — {}", t.get("report-leaving"));
        }
        blocks.push(Block::Heading(heading));
        let mut summary = t.args(
            "report-summary",
            &[
                ("contacts", l.contacts.to_string()),
                ("answered", l.answered.to_string()),
                ("overdue", l.overdue.to_string()),
            ],
        );
        if l.complaints > 0 {
            summary = format!(
                "{summary} {}",
                t.args(
                    "report-complaint-count",
                    &[("complaints", l.complaints.to_string())]
                )
            );
        }
        blocks.push(Block::Text(summary));
        if !c.contacts.is_empty() {
            let rows = c
                .contacts
                .iter()
                .map(|x| {
                    let mut channel = t.channel(x.channel);
                    if x.urgent {
                        channel = format!("{channel} ⚠ {}", t.flag(frontdesk_core::Flag::Urgent));
                    }
                    let mut answered = match x.answered {
                        Some(a) => t.time(practice, &x.assignee, a),
                        None => t.get("report-unanswered"),
                    };
                    if x.overdue {
                        answered = format!("{answered} — {}", t.get("report-late"));
                    }
                    vec![
                        t.time(practice, &x.assignee, x.arrived),
                        channel,
                        name(&x.assignee),
                        t.time(practice, &x.assignee, x.due),
                        answered,
                    ]
                })
                .collect();
            blocks.push(Block::Table(Table {
                columns: vec![
                    Column::new(t.get("contact-arrived"), 3.0),
                    Column::new(t.get("col-channel"), 2.0),
                    Column::new(t.get("col-assignee"), 2.0),
                    Column::new(t.get("col-due"), 3.0),
                    Column::new(t.get("report-answered"), 3.0),
                ],
                rows,
            }));
        }
        if l.complaints > 0 {
            blocks.push(Block::Subheading(t.get("report-complaints")));
            for x in c.complaints() {
                blocks.push(Block::Text(complaint_said(t, practice, x)));
                blocks.push(Block::Text(resolution(t, practice, x)));
            }
        }
        let promises: Vec<&String> = c.promises().collect();
        if !promises.is_empty() {
            blocks.push(Block::Subheading(t.get("report-promises-made")));
            for p in promises {
                blocks.push(Block::Text(format!("– {p}")));
            }
        }
        match &c.brief {
            Some(b) => {
                blocks.push(Block::Text(state_words(t, Some(b))));
                if !b.content.open_items.is_empty() {
                    blocks.push(Block::Subheading(t.get("brief-open-items")));
                    for i in &b.content.open_items {
                        let text = match i.due {
                            Some(d) => format!("{}: {}", t.day(d), i.text),
                            None => i.text.clone(),
                        };
                        blocks.push(Block::Check { done: i.done, text });
                    }
                }
                if !b.content.promises.is_empty() {
                    blocks.push(Block::Text(format!(
                        "{}: {}",
                        t.get("brief-promises"),
                        b.content.promises
                    )));
                }
            }
            None => blocks.push(Block::Text(t.get("brief-state-none"))),
        }
        blocks.push(Block::Subheading(t.get("report-callback")));
        if c.callbacks.is_empty() {
            blocks.push(Block::Check {
                done: false,
                text: t.get("report-not-called"),
            });
        }
        for cb in &c.callbacks {
            blocks.push(Block::Check {
                done: true,
                text: t.args(
                    "report-called",
                    &[
                        ("at", t.time(practice, &cb.by, cb.at)),
                        ("by", name(&cb.by)),
                        ("outcome", cb.outcome.clone()),
                    ],
                ),
            });
        }
    }
    Document {
        title: title.clone(),
        language: t.0.code().to_string(),
        footer: format!("frontdesk — {title}"),
        blocks,
    }
}

/// A complaint as the client put it: when, who, and what they wrote.
pub(crate) fn complaint_said(
    t: T,
    practice: &Practice,
    x: &frontdesk_desk::briefs::ContactLine,
) -> String {
    t.args(
        "report-complaint-said",
        &[
            ("at", t.time(practice, &x.assignee, x.arrived)),
            ("from", x.from.clone()),
            ("said", x.said.clone().unwrap_or_default()),
        ],
    )
}

/// How a complaint was resolved: the answer and what it said, or that it is still open.
pub(crate) fn resolution(
    t: T,
    practice: &Practice,
    x: &frontdesk_desk::briefs::ContactLine,
) -> String {
    let by = practice
        .member(&x.assignee)
        .map_or(x.assignee.to_string(), |m| m.name.clone());
    match (x.answered, &x.reply) {
        (Some(at), Some(reply)) => t.args(
            "report-resolved",
            &[
                ("at", t.time(practice, &x.assignee, at)),
                ("by", by),
                ("reply", reply.clone()),
            ],
        ),
        (Some(at), None) => t.args(
            "report-resolved-silent",
            &[("at", t.time(practice, &x.assignee, at)), ("by", by)],
        ),
        (None, _) => t.get("report-unresolved"),
    }
}
