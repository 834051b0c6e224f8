//! Mail in: a raw message becomes a contact of the client whose address or domain sent it.
//!
//! Parsing is `mail-parser`'s, made for hostile mail (charsets, RFC 2047 words, HTML-only
//! bodies). A message is recorded once per practice, by its Message-ID — or, without one, by a
//! digest of its sender, date and text — however often it comes (an import run twice, two
//! mailboxes, a crash and a retry). Importing an old mailbox records history: no auto-reply is
//! queued for it.

use std::path::Path;

use frontdesk_core::{Channel, Handle, Inbound, Practice, bounds};
use frontdesk_store::{Checkpoint, MailIn, PracticeId, Recorded, Store, StoreError};

use crate::contacts::Replies;
use jiff::Timestamp;
use mail_parser::{MessageParser, MimeHeaders};

/// The largest message read; larger ones are refused, not truncated.
pub const MAX_MESSAGE_BYTES: usize = 25 * 1024 * 1024;

/// The most characters of a message's text kept as the contact's body.
pub const MAX_BODY_CHARS: usize = 64 * 1024;

/// A message, as the desk reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    /// The Message-ID without angle brackets, or a digest when the message has none.
    pub id: String,
    /// The sender's address, lower case.
    pub from: String,
    /// When it was written (its Date header), if that is a date frontdesk works with.
    pub date: Option<Timestamp>,
    /// The subject and the text of the message, as the contact's body.
    pub body: String,
    /// What kind of automatic mail it is ([`Automatic::kind`](frontdesk_core::automatic::Automatic::kind):
    /// a bounce, an out-of-office reply, list mail …), which never gets an automatic reply;
    /// None for a person's message.
    pub automatic: Option<String>,
    /// The Message-IDs it answers: In-Reply-To, then References from the newest.
    pub refers_to: Vec<String>,
}

/// The most Message-IDs of a message's In-Reply-To and References that are looked up.
pub const MAX_REFERENCES: usize = 50;

/// Attachments listed with a message's text, at most.
const MAX_ATTACHMENTS_LISTED: usize = 20;

/// Why a message was not recorded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Not something that parses as a mail message.
    #[error("not a mail message")]
    NotMail,
    /// Over [`MAX_MESSAGE_BYTES`].
    #[error("larger than {} MB", MAX_MESSAGE_BYTES / 1024 / 1024)]
    TooLarge,
    /// No From address.
    #[error("no sender address")]
    NoSender,
    /// No client has the sender's address or domain.
    #[error("no client has the address {0} or its domain")]
    Unmatched(String),
    /// Sent from one of the practice's own addresses: not a client's message.
    #[error("sent from one of our own addresses ({0})")]
    OwnAddress(String),
}

/// Reads a raw message.
pub fn parse(raw: &[u8]) -> Result<Mail, Refused> {
    if raw.len() > MAX_MESSAGE_BYTES {
        return Err(Refused::TooLarge);
    }
    let m = MessageParser::default()
        .parse(raw)
        .ok_or(Refused::NotMail)?;
    if m.headers().is_empty() {
        return Err(Refused::NotMail);
    }
    let from = m
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.address())
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| a.contains('@') && !a.chars().any(char::is_control))
        .ok_or(Refused::NoSender)?;
    let date = m
        .date()
        .and_then(|d| Timestamp::from_second(d.to_timestamp()).ok())
        .and_then(|t| bounds::check_instant(t).ok());
    let headers = frontdesk_core::automatic::MailHeaders {
        from: &from,
        return_path: m.header_raw("Return-Path"),
        content_type: m.header_raw("Content-Type"),
        auto_submitted: m.header_raw("Auto-Submitted"),
        precedence: m.header_raw("Precedence"),
        list: m
            .headers()
            .iter()
            .any(|h| h.name().to_ascii_lowercase().starts_with("list-")),
        x_autoreply: m.header_raw("X-Autoreply").is_some()
            || m.header_raw("X-Autorespond").is_some(),
        x_auto_response_suppress: m.header_raw("X-Auto-Response-Suppress"),
    };
    let automatic = frontdesk_core::automatic::automatic(&headers).map(|a| a.kind().to_string());
    let subject = m.subject().unwrap_or("").trim().to_string();
    let text = m.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    let mut body = if subject.is_empty() {
        text.trim().to_string()
    } else {
        format!("{subject}\n\n{}", text.trim())
    };
    // Attachments are recorded by name, type and size; their content is not kept.
    for (listed, a) in m.attachments().enumerate() {
        if listed == MAX_ATTACHMENTS_LISTED {
            body.push_str("\n[…]");
            break;
        }
        let name: String = a
            .attachment_name()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let kind = a
            .content_type()
            .map(|t| match t.subtype() {
                Some(sub) => format!("{}/{sub}", t.ctype()),
                None => t.ctype().to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".to_string());
        body.push_str(&format!(
            "\n[📎 {} · {kind} · {}]",
            if name.is_empty() { "?" } else { &name },
            size(a.len())
        ));
    }
    if body.chars().count() > MAX_BODY_CHARS {
        body = body.chars().take(MAX_BODY_CHARS).collect();
    }
    body.retain(|c| c != '\0');
    let id = match m.message_id().map(str::trim).filter(|i| !i.is_empty()) {
        Some(id) => id.trim_matches(['<', '>']).to_string(),
        None => {
            let digest = crate::secrets::secret_hash(&format!(
                "{from}\u{1f}{}\u{1f}{body}",
                date.map(|d| d.to_string()).unwrap_or_default()
            ));
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            format!("sha256:{hex}")
        }
    };
    let mut refers_to = Vec::new();
    let ids = |v: &mail_parser::HeaderValue<'_>| -> Vec<String> {
        v.as_text_list()
            .unwrap_or_default()
            .iter()
            .map(|i| i.trim().trim_matches(['<', '>']).to_string())
            .filter(|i| !i.is_empty() && i.len() <= 998 && !i.chars().any(char::is_control))
            .collect()
    };
    for i in ids(m.in_reply_to())
        .into_iter()
        .chain(ids(m.references()).into_iter().rev())
    {
        if refers_to.len() == MAX_REFERENCES {
            break;
        }
        if i != id && !refers_to.contains(&i) {
            refers_to.push(i);
        }
    }
    Ok(Mail {
        id,
        from,
        date,
        body,
        automatic,
        refers_to,
    })
}

/// A size in words a person reads.
fn size(bytes: usize) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// Raw messages, one by one; an error says why one could not be read.
pub type RawMessages = Box<dyn Iterator<Item = Result<Vec<u8>, String>>>;

/// The raw messages of an mbox file or a Maildir folder (one with `cur` and `new`).
pub fn messages(path: &Path) -> Result<RawMessages, String> {
    if path.is_dir() {
        let it = mail_parser::mailbox::maildir::MessageIterator::new(path)
            .map_err(|e| format!("{}: not a Maildir folder ({e})", path.display()))?;
        Ok(Box::new(it.map(|m| {
            m.map(|m| m.unwrap_contents())
                .map_err(|e| format!("a message could not be read: {e}"))
        })))
    } else {
        let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let it = mail_parser::mailbox::mbox::MessageIterator::new(std::io::BufReader::new(file));
        Ok(Box::new(it.map(|m| {
            m.map(|m| m.unwrap_contents())
                .map_err(|e| format!("a message could not be read: {e}"))
        })))
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Imported {
    /// Messages read.
    pub read: usize,
    /// Recorded as new contacts.
    pub recorded: usize,
    /// Recorded before (the same Message-ID).
    pub duplicates: usize,
    /// Of those recorded now, how many are automatic mail (bounces, out-of-office replies,
    /// list mail): kept, and never answered automatically.
    pub automatic: usize,
    /// Not recorded, with why: (the message's number in the file, its Message-ID if it has
    /// one, the reason).
    pub refused: Vec<RefusedMessage>,
}

/// A message an import did not record.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RefusedMessage {
    /// Its place in the file or folder, from 1.
    pub number: usize,
    /// Its Message-ID, when it could be read.
    pub message_id: Option<String>,
    /// Why.
    pub reason: String,
}

/// Records one message of the practice's mail: matched to a client by address, then domain;
/// arrived at its Date (or `now`). With `Replies::Timely`, a person's message gets its
/// auto-reply (automatic mail never does); `checkpoint` is stored in the same transaction.
/// The flag says whether it is new.
pub fn record(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    mail: &Mail,
    now: Timestamp,
    replies: Replies,
    checkpoint: Option<&Checkpoint>,
) -> Result<Result<(Recorded, bool), Refused>, StoreError> {
    if practice.is_own_address(&mail.from) {
        return Ok(Err(Refused::OwnAddress(mail.from.clone())));
    }
    let Some(client) = practice.client_for_address(&mail.from) else {
        return Ok(Err(Refused::Unmatched(mail.from.clone())));
    };
    record_for(
        store,
        id,
        practice,
        mail,
        &client.handle,
        now,
        replies,
        checkpoint,
    )
    .map(Ok)
}

/// Records a message as one of `client`'s (a matched one, or one a member assigned).
#[allow(clippy::too_many_arguments)]
pub fn record_for(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    mail: &Mail,
    client: &Handle,
    now: Timestamp,
    replies: Replies,
    checkpoint: Option<&Checkpoint>,
) -> Result<(Recorded, bool), StoreError> {
    let inbound = Inbound {
        client: client.clone(),
        channel: Channel::Email,
        from: mail.from.clone(),
        // A Date ahead of the import is not believed: the message arrived by then.
        at: mail.date.filter(|d| *d <= now).unwrap_or(now),
        body: Some(mail.body.clone()).filter(|b| !b.trim().is_empty()),
    };
    let key = key(&mail.id);
    let request = request(mail);
    let automatic = mail.automatic.is_some();
    // The decision reads what the client newly wrote (`decide` strips quotes and signature);
    // the stored message stays whole, and the inbox line summarizes the new text.
    let new_text = frontdesk_core::quotes::new_text(&mail.body);
    // Read from one member's own mailbox: addressed to that member.
    let addressed_to = checkpoint.and_then(|c| {
        practice
            .settings()
            .mail
            .as_ref()?
            .mailboxes
            .iter()
            .find(|m| m.name == c.mailbox)?
            .member
            .as_ref()
    });
    store.record_mail(
        id,
        &MailIn {
            key: &key,
            request: &request,
            inbound: &inbound,
            automatic: mail.automatic.as_deref(),
            new_text: &new_text,
            refers_to: &mail.refers_to,
            checkpoint,
            addressed_to,
        },
        now,
        &|_, inbound, history| frontdesk_core::decide(practice, inbound, history),
        &|inbound| frontdesk_core::quota_week(practice, inbound),
        &|r| match replies {
            Replies::Timely(now) if !automatic => crate::contacts::timely_reply(practice, r, now)
                .into_iter()
                .collect(),
            _ => Vec::new(),
        },
    )
}

/// Records a message from the unmatched list (a sender no client has) as a contact of
/// `client`, as a member chose, and takes it off the list in the same transaction. Its
/// auto-reply is queued if it is still timely. `message_id` is the Message-ID the list shows.
/// With `remember`, the sender's address first joins the client's people (the practice file
/// is applied changed; the practice the contact was decided with is returned).
pub fn assign(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    message_id: &str,
    client: &Handle,
    remember: bool,
    now: Timestamp,
) -> Result<(Recorded, Option<Practice>), StoreError> {
    let key = key(message_id);
    let Some(u) = store.unmatched(id)?.into_iter().find(|u| u.key == key) else {
        return Err(StoreError::Refused(format!(
            "message: no message from an unknown sender has the Message-ID {message_id:?}"
        )));
    };
    if practice.client(client).is_none() {
        return Err(StoreError::Refused(format!(
            "client: {client} is not a client of the practice"
        )));
    }
    let edited = if remember {
        let edited = frontdesk_practice::edit(practice, |file| {
            frontdesk_practice::add_client_address(file, client.as_str(), &u.from)
        })
        .map_err(|e| StoreError::Refused(e.to_string()))?;
        store.apply(&edited)?;
        Some(edited)
    } else {
        None
    };
    let practice = edited.as_ref().unwrap_or(practice);
    let mail = Mail {
        id: message_id.to_string(),
        from: u.from,
        date: Some(u.at),
        body: u.body,
        automatic: u.automatic,
        refers_to: u.refers_to,
    };
    let recorded = record_for(
        store,
        id,
        practice,
        &mail,
        client,
        now,
        Replies::Timely(now),
        None,
    )?;
    Ok((recorded.0, edited))
}

/// The key a message is recorded once under. '@' starts no member's handle, so no API key
/// can take this form.
pub fn key(message_id: &str) -> String {
    format!("@mail\u{1f}{message_id}")
}

/// What the message is: another message under a reused Message-ID is not a duplicate.
fn request(mail: &Mail) -> Vec<u8> {
    crate::secrets::secret_hash(&format!(
        "{}\u{1f}{}\u{1f}{}",
        mail.from,
        mail.date.map(|d| d.to_string()).unwrap_or_default(),
        mail.body
    ))
}

/// Imports every message of an mbox file or a Maildir folder; `progress` hears the count read
/// so far. Each message is recorded in its own transaction, so an import cut short keeps what
/// it recorded and, run again, records the rest.
pub fn import(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    path: &Path,
    now: Timestamp,
    progress: &mut dyn FnMut(usize),
) -> Result<Imported, String> {
    let mut report = Imported::default();
    for (i, raw) in messages(path)?.enumerate() {
        report.read += 1;
        progress(report.read);
        let refuse = |report: &mut Imported, message_id: Option<String>, reason: String| {
            report.refused.push(RefusedMessage {
                number: i + 1,
                message_id,
                reason,
            });
        };
        let raw = match raw {
            Ok(raw) => raw,
            Err(e) => {
                refuse(&mut report, None, e);
                continue;
            }
        };
        let mail = match parse(&raw) {
            Ok(m) => m,
            Err(e) => {
                refuse(&mut report, None, e.to_string());
                continue;
            }
        };
        let outcome = match record(store, id, practice, &mail, now, Replies::None, None) {
            Err(StoreError::KeyReused(_)) => {
                refuse(
                    &mut report,
                    Some(mail.id.clone()),
                    "another message came before with the same Message-ID".to_string(),
                );
                continue;
            }
            other => other.map_err(|e| e.to_string())?,
        };
        match outcome {
            Ok((_, true)) => {
                report.recorded += 1;
                report.automatic += usize::from(mail.automatic.is_some());
            }
            Ok((_, false)) => report.duplicates += 1,
            Err(e) => refuse(&mut report, Some(mail.id.clone()), e.to_string()),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MBOX: &str = include_str!("../../cli/tests/data/mail/inbox.mbox");

    #[test]
    fn truncated_and_random_bytes_never_panic() {
        // Every prefix of a real mailbox, and bytes from a simple generator.
        let bytes = MBOX.as_bytes();
        for end in 0..bytes.len() {
            let _ = parse(&bytes[..end]);
        }
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..2_000 {
            let raw: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x >> 24) as u8
                })
                .collect();
            let _ = parse(&raw);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Arbitrary bytes, and a real message cut anywhere with arbitrary bytes after it,
        /// are read or refused: never a panic, and what is read is bounded.
        #[test]
        fn any_bytes_are_read_or_refused(
            raw in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..4096),
            cut in 0usize..2000,
        ) {
            for bytes in [raw.clone(), [&MBOX.as_bytes()[..cut.min(MBOX.len())], &raw[..]].concat()] {
                if let Ok(m) = parse(&bytes) {
                    proptest::prop_assert!(m.body.chars().count() <= MAX_BODY_CHARS + 64 * 21);
                    proptest::prop_assert!(m.refers_to.len() <= MAX_REFERENCES);
                    proptest::prop_assert!(m.from.contains('@'));
                }
                let _ = frontdesk_core::quotes::new_text(&String::from_utf8_lossy(&bytes));
            }
        }
    }

    #[test]
    fn a_message_without_a_message_id_gets_the_same_digest_each_time() {
        let raw = b"From: a@b.example\r\nSubject: hi\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n\r\nhello\r\n";
        let a = parse(raw).unwrap();
        assert!(a.id.starts_with("sha256:"));
        assert_eq!(parse(raw).unwrap().id, a.id);
        assert_eq!(a.body, "hi\n\nhello");
        assert_eq!(a.from, "a@b.example");
    }

    #[test]
    fn a_message_far_in_time_keeps_no_date() {
        let raw = b"From: a@b.example\r\nDate: Fri, 31 Dec 9999 10:00:00 +0000\r\nMessage-ID: <x@y>\r\n\r\nhello\r\n";
        let m = parse(raw).unwrap();
        assert_eq!(m.date, None);
        assert_eq!(m.id, "x@y");
    }
}
