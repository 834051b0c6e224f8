//! Messages the desk means to send, and when to try again after a failure.
//!
//! A message is decided here, as data, with the text already rendered in the recipient's
//! language; storage keeps it in the outbox in the same transaction as what caused it, and a
//! sender delivers it. The key makes it idempotent: the same cause never queues it twice.

use std::fmt;

use jiff::SignedDuration;

use crate::{Channel, Decision, Inbound, Language, ParseError, Practice};

/// How a message reaches its recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Medium {
    /// An e-mail to an address.
    Email,
    /// A text message to a phone number.
    Sms,
    /// A message in the chat the contact came from.
    Chat,
}

impl Medium {
    /// Every medium.
    pub const ALL: [Medium; 3] = [Medium::Email, Medium::Sms, Medium::Chat];

    /// Its name: `email`, `sms` or `chat`.
    pub fn as_str(self) -> &'static str {
        match self {
            Medium::Email => "email",
            Medium::Sms => "sms",
            Medium::Chat => "chat",
        }
    }

    /// Parses a medium's name.
    pub fn parse(value: &str) -> Result<Medium, ParseError> {
        Medium::ALL
            .into_iter()
            .find(|m| m.as_str() == value)
            .ok_or_else(|| ParseError::new("medium", value, "use one of email, sms, chat"))
    }
}

impl fmt::Display for Medium {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A message to send, rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Unique in the practice: what caused it (`reply:42`, `overdue:42`).
    pub key: String,
    /// How it goes.
    pub medium: Medium,
    /// The address or number it goes to.
    pub to: String,
    /// The language it is written in.
    pub language: Language,
    /// A subject line (e-mail), in that language.
    pub subject: String,
    /// The text.
    pub text: String,
    /// At most one message of this group per window: queued only when none was in the last
    /// window (an instruction for queuing; not kept with the message).
    pub throttle: Option<Throttle>,
    /// The Message-ID of the client's e-mail it answers, for threading (`In-Reply-To`): the
    /// store fills it in from what it recorded; None when the contact did not come by e-mail.
    pub in_reply_to: Option<String>,
    /// Who it comes from (`Name <address>`), when not the practice's own address: a member's
    /// answer, when the practice sends answers from its members.
    pub from: Option<String>,
    /// An iCalendar file sent along (a booking's invitation or its cancellation).
    pub calendar: Option<String>,
    /// A file sent along (an invoice's PDF).
    pub attachment: Option<Attachment>,
}

/// A file an e-mail carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Its file name.
    pub name: String,
    /// Its media type ("application/pdf").
    pub mime: String,
    pub data: Vec<u8>,
}

/// "At most one of these per window", for automatic replies (RFC 3834: one per sender and
/// reason in a few days, so two autoresponders cannot write to each other forever).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Throttle {
    /// What counts as the same: the recipient and the reason.
    pub group: String,
    /// How long one holds.
    pub window: SignedDuration,
}

/// How long after a contact arrived its auto-reply still makes sense. A contact recorded
/// later than this (imported history, a backfilled call) gets none: the client would hear
/// "we will answer by tomorrow" days after the fact.
pub const REPLY_WINDOW: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// Whether a contact that arrived at `arrived` may still get its auto-reply at `now`.
pub fn reply_is_timely(arrived: jiff::Timestamp, now: jiff::Timestamp) -> bool {
    arrived
        .checked_add(REPLY_WINDOW)
        .map_or(true, |last| now <= last)
}

/// The auto-reply to contact `id` as a message to its sender, if the decision has one: by
/// e-mail to an address, by text message to a phone number, in the chat it came from.
pub fn reply_message(
    practice: &Practice,
    id: i64,
    inbound: &Inbound,
    decision: &Decision,
) -> Option<Message> {
    let reply = decision.reply.as_ref()?;
    let mut m = to_sender(
        practice,
        format!("reply:{id}"),
        inbound,
        reply.language,
        &reply.text,
    )?;
    // By e-mail, one automatic reply per sender and reason a week: a client writing three
    // times tonight hears once that the answer comes tomorrow, and an autoresponder on the
    // other side cannot start a loop.
    if m.medium == Medium::Email {
        let days = practice
            .settings()
            .mail
            .as_ref()
            .map_or(crate::DEFAULT_AUTO_REPLY_EVERY_DAYS, |s| {
                s.auto_reply_every_days
            })
            .max(1);
        m.throttle = Some(Throttle {
            // The reason is the reply's: held, held but urgent, covered, …
            group: format!(
                "{}|{}{}",
                m.to.to_ascii_lowercase(),
                decision.verdict.as_str(),
                if decision.flags.contains(&crate::Flag::Urgent) {
                    "+urgent"
                } else {
                    ""
                }
            ),
            window: SignedDuration::from_hours(24 * i64::from(days)),
        });
    }
    Some(m)
}

/// The most bytes of an answer written for a client.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Checks the text of an answer to send: trimmed, not empty, at most [`MAX_ANSWER_BYTES`],
/// without NUL. The CLI and the web take answers through this.
pub fn answer_text(value: &str) -> Result<String, crate::ParseError> {
    let t = value.trim();
    if t.is_empty() || t.len() > MAX_ANSWER_BYTES || t.contains('\0') {
        return Err(crate::ParseError::new(
            "answer",
            if t.len() > 80 { "…" } else { t },
            "write the answer's text, at most 64 KiB",
        ));
    }
    Ok(t.to_string())
}

/// A person's answer to contact `id`, written for the client by member `by`, as a message to
/// its sender in the client's language: sent as the auto-reply would be — from the member's
/// own address when the practice sends answers from its members.
pub fn answer_message(
    practice: &Practice,
    id: i64,
    inbound: &Inbound,
    text: &str,
    by: &crate::Handle,
) -> Option<Message> {
    let language = practice
        .client(&inbound.client)
        .map_or(practice.settings().language, |c| c.language);
    let mut m = to_sender(practice, format!("answer:{id}"), inbound, language, text)?;
    if practice
        .settings()
        .mail
        .as_ref()
        .is_some_and(|s| s.answers_from_member)
        && let Some(member) = practice.member(by)
    {
        m.from = Some(format!(
            "{} <{}>",
            member.name.replace(['<', '>', '"'], ""),
            member.email
        ));
    }
    Some(m)
}

/// A message to whoever sent `inbound`: by e-mail to an address, by text message to a phone
/// number, in the chat it came from.
fn to_sender(
    practice: &Practice,
    key: String,
    inbound: &Inbound,
    language: crate::Language,
    text: &str,
) -> Option<Message> {
    let from = inbound.from.trim();
    let medium = if from.contains('@') {
        Medium::Email
    } else if inbound.channel == Channel::Chat {
        Medium::Chat
    } else if from.chars().any(|c| c.is_ascii_digit()) {
        Medium::Sms
    } else {
        return None;
    };
    Some(Message {
        key,
        medium,
        to: from.to_string(),
        language,
        subject: crate::reply::message(
            language,
            "subject-reply",
            &[("practice", practice.settings().name.clone())],
        ),
        text: text.to_string(),
        throttle: None,
        in_reply_to: None,
        from: None,
        calendar: None,
        attachment: None,
    })
}

/// How many failed attempts make a message dead: it then waits for a person to retry it.
pub const MAX_ATTEMPTS: u32 = 8;

/// How long to wait after the `attempts`-th failed attempt before the next one, growing from a
/// minute to half a day; `None` once the message has failed [`MAX_ATTEMPTS`] times.
pub fn retry_delay(attempts: u32) -> Option<SignedDuration> {
    const MINUTES: [i64; MAX_ATTEMPTS as usize - 1] = [1, 5, 15, 60, 180, 360, 720];
    let i = usize::try_from(attempts.checked_sub(1)?).ok()?;
    MINUTES.get(i).map(|m| SignedDuration::from_mins(*m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_to_send_has_text_within_bounds() {
        assert_eq!(
            answer_text("  Sí, esta tarde.\n").unwrap(),
            "Sí, esta tarde."
        );
        assert!(answer_text(" \n ").is_err());
        assert!(answer_text("a\0b").is_err());
        assert!(answer_text(&"x".repeat(MAX_ANSWER_BYTES + 1)).is_err());
        assert!(answer_text(&"x".repeat(MAX_ANSWER_BYTES)).is_ok());
    }

    #[test]
    fn retries_back_off_and_then_stop() {
        assert_eq!(retry_delay(0), None);
        assert_eq!(retry_delay(1), Some(SignedDuration::from_mins(1)));
        assert_eq!(retry_delay(7), Some(SignedDuration::from_hours(12)));
        assert_eq!(retry_delay(MAX_ATTEMPTS), None);
        let delays: Vec<_> = (1..MAX_ATTEMPTS).filter_map(retry_delay).collect();
        assert!(delays.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn media_parse_by_name() {
        for m in Medium::ALL {
            assert_eq!(Medium::parse(m.as_str()).unwrap(), m);
        }
        assert!(
            Medium::parse("fax")
                .unwrap_err()
                .to_string()
                .contains("fax")
        );
    }
}
