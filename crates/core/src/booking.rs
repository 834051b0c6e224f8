//! A meeting a client books on the public booking page: who booked it and what about, whether
//! the client may still change it themselves, and the messages that confirm, move or cancel
//! it — in the client's language, with times in the client's zone and the invitation attached.

use jiff::Timestamp;

use crate::agenda::cancellation_notice;
use crate::outbox::{Medium, Message};
use crate::{Client, Meeting, MeetingStatus, ParseError, Practice};

/// The most characters of a booker's name.
pub const MAX_NAME_CHARS: usize = 200;
/// The most characters of what a booking is about.
pub const MAX_TOPIC_CHARS: usize = 2000;

/// Who booked a meeting, and what about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booker {
    /// Their name, as they wrote it.
    pub name: String,
    /// Their e-mail address: where the confirmation goes.
    pub email: String,
    /// What the meeting is about, so the member can prepare.
    pub topic: String,
}

impl Booker {
    /// What the booking form sent, checked: a name, an e-mail address and a topic, each named
    /// in the error when it is missing or not one.
    pub fn parse(name: &str, email: &str, topic: &str) -> Result<Booker, ParseError> {
        let clean = |s: &str| s.trim().chars().filter(|c| *c != '\0').collect::<String>();
        let (name, email, topic) = (clean(name), clean(email), clean(topic));
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.contains(['\n', '\r']) {
            return Err(ParseError::new(
                "name",
                &name,
                "your name, on one line, at most 200 characters",
            ));
        }
        if !is_address(&email) {
            return Err(ParseError::new(
                "email",
                &email,
                "an e-mail address such as ana@example.com",
            ));
        }
        if topic.is_empty() || topic.chars().count() > MAX_TOPIC_CHARS {
            return Err(ParseError::new(
                "topic",
                if topic.is_empty() { "" } else { "…" },
                "a few words on what the meeting is about, at most 2000 characters",
            ));
        }
        Ok(Booker { name, email, topic })
    }
}

/// Whether `value` reads as one e-mail address (`local@domain.tld`), with nothing a mail header
/// could be split on: what the booking page and the practice file accept.
pub fn is_address(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, host)) => {
            !local.is_empty()
                && value.len() <= 254
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
                && !host.contains('@')
                && !value
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
        }
        None => false,
    }
}

/// Until when the client may still move or cancel `meeting` themselves without it counting as
/// late: its start less the client's notice period.
pub fn change_deadline(client: &Client, meeting: &Meeting) -> Option<Timestamp> {
    meeting
        .start
        .checked_sub(cancellation_notice(client).duration())
        .ok()
}

/// What the client may do with their booking at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Move it or cancel it: the notice period has not begun.
    Free,
    /// Only cancel it, and it counts as a late cancellation (inside the notice period).
    LateCancelOnly,
    /// Nothing: it has started, happened or was cancelled.
    None,
}

/// What the client may do with `meeting` at `now`: the notice rules the practice set.
pub fn may_change(client: &Client, meeting: &Meeting, now: Timestamp) -> Change {
    if meeting.status != MeetingStatus::Scheduled || now >= meeting.start {
        return Change::None;
    }
    match change_deadline(client, meeting) {
        Some(deadline) if now <= deadline => Change::Free,
        _ => Change::LateCancelOnly,
    }
}

/// Which message about a booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// It is booked.
    Booked,
    /// It was moved to a new time.
    Moved,
    /// It was cancelled.
    Cancelled,
}

impl Notice {
    fn id(self) -> &'static str {
        match self {
            Notice::Booked => "booking-confirmed",
            Notice::Moved => "booking-moved",
            Notice::Cancelled => "booking-cancelled",
        }
    }
}

/// The invitation's title as the client reads it: "Call with Ruiz Asesores".
pub fn title(practice: &Practice, client: &Client) -> String {
    crate::reply::message(
        client.language,
        "booking-title",
        &[("practice", practice.settings().name.clone())],
    )
}

/// The message to the booker about meeting `id`: what happened, when (in the client's zone),
/// with whom, and the link to move or cancel it, with the invitation (`calendar`) attached.
/// `change` numbers the change, so each one is queued once.
#[allow(clippy::too_many_arguments)]
pub fn message(
    practice: &Practice,
    client: &Client,
    id: i64,
    meeting: &Meeting,
    booker: &Booker,
    notice: Notice,
    manage_url: &str,
    calendar: String,
) -> Message {
    let language = client.language;
    let member = practice
        .member(&meeting.member)
        .map_or(meeting.member.to_string(), |m| m.name.clone());
    let when = crate::reply::datetime(language, meeting.start, &client.zone);
    let deadline = change_deadline(client, meeting)
        .map(|d| crate::reply::datetime(language, d, &client.zone))
        .unwrap_or_else(|| when.clone());
    let args = [
        ("name", booker.name.clone()),
        ("practice", practice.settings().name.clone()),
        ("member", member),
        ("when", when),
        ("zone", client.zone.label(meeting.start)),
        ("minutes", meeting.minutes.to_string()),
        ("topic", booker.topic.clone()),
        ("link", manage_url.to_string()),
        ("deadline", deadline),
    ];
    let mut text = crate::reply::message(language, notice.id(), &args);
    if notice != Notice::Cancelled {
        text.push_str("\n\n");
        text.push_str(&crate::reply::message(language, "booking-manage", &args));
    }
    Message {
        key: format!(
            "booking:{id}:{}:{}",
            notice.id().trim_start_matches("booking-"),
            meeting.sequence
        ),
        medium: Medium::Email,
        to: booker.email.clone(),
        language,
        subject: crate::reply::message(language, &format!("{}-subject", notice.id()), &args),
        text,
        throttle: None,
        in_reply_to: None,
        from: None,
        calendar: Some(calendar),
        attachment: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_booker_needs_a_name_an_address_and_a_topic() {
        let b = Booker::parse(" Ana Ruiz ", "ana@example.com", " the VAT return ").unwrap();
        assert_eq!(b.name, "Ana Ruiz");
        assert_eq!(b.topic, "the VAT return");
        for (name, email, topic, field) in [
            ("", "ana@example.com", "x", "name"),
            ("Ana\r\nBcc: x", "ana@example.com", "x", "name"),
            ("Ana", "ana", "x", "email"),
            ("Ana", "ana@example.com>, evil@example.com", "x", "email"),
            ("Ana", "ana@example", "x", "email"),
            ("Ana", "ana@example.com", "  ", "topic"),
        ] {
            let e = Booker::parse(name, email, topic).unwrap_err();
            assert_eq!(e.kind, field, "{name:?} {email:?} {topic:?}");
        }
        let long = "x".repeat(MAX_TOPIC_CHARS + 1);
        assert_eq!(
            Booker::parse("Ana", "ana@example.com", &long)
                .unwrap_err()
                .kind,
            "topic"
        );
    }
}
