//! Inbound contacts: what reaches the desk.

use std::fmt;

use jiff::{SignedDuration, Timestamp};

use crate::{Handle, ParseError, Practice, working_time};

/// How a contact reached the desk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    /// A phone call, answered or missed.
    Call,
    /// A voicemail; its body is the transcript.
    Voicemail,
    /// An email.
    Email,
    /// A chat message.
    Chat,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 4] = [
        Channel::Call,
        Channel::Voicemail,
        Channel::Email,
        Channel::Chat,
    ];

    /// Parses `call`, `voicemail`, `email` or `chat`.
    pub fn parse(value: &str) -> Result<Channel, ParseError> {
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == value)
            .ok_or_else(|| {
                ParseError::new("channel", value, "use one of call, voicemail, email, chat")
            })
    }

    /// The channel's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Call => "call",
            Channel::Voicemail => "voicemail",
            Channel::Email => "email",
            Channel::Chat => "chat",
        }
    }

    /// Whether the contact counts against the weekly ad-hoc call allowance.
    pub fn is_adhoc_call(self) -> bool {
        matches!(self, Channel::Call | Channel::Voicemail)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who sent a contact, checked: an address, a phone number or a name, not empty, at most 320
/// characters (the longest e-mail address), without control characters. The CLI and the API
/// both take a sender through this.
pub fn sender(value: &str) -> Result<String, ParseError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ParseError::new(
            "sender",
            value,
            "name who sent it: an e-mail address, a phone number or a name",
        ));
    }
    if v.chars().count() > 320 || v.chars().any(char::is_control) {
        return Err(ParseError::new(
            "sender",
            value,
            "at most 320 characters, without control characters",
        ));
    }
    Ok(v.to_string())
}

/// An inbound contact, as it arrives: before any decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbound {
    /// The client it comes from.
    pub client: Handle,
    /// How it arrived.
    pub channel: Channel,
    /// Who sent it: an address or a phone number.
    pub from: String,
    /// When it arrived.
    pub at: Timestamp,
    /// What it says: a message, a transcript, or a note of the call.
    pub body: Option<String>,
}

/// Whether an unanswered contact due at `due` is overdue at `now`.
pub fn is_overdue(due: Timestamp, now: Timestamp) -> bool {
    due < now
}

/// The answer to a contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answer {
    /// When it was answered.
    pub at: Timestamp,
    /// Clock time from arrival to answer.
    pub response: SignedDuration,
    /// The assignee's working time from arrival to answer: what targets are measured against.
    pub working_response: SignedDuration,
    /// Minutes of work the answer took, when recorded: billed as time.
    pub minutes: Option<u32>,
}

/// Why a contact cannot be answered at the time given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswerRefused {
    /// A contact is answered once.
    #[error("it was already answered at {0}")]
    Already(Timestamp),
    /// An answer cannot come before the contact arrived.
    #[error("it arrived at {arrived}; an answer at {at} would be before it")]
    BeforeArrival {
        /// When the contact arrived.
        arrived: Timestamp,
        /// The answer's time given.
        at: Timestamp,
    },
}

/// The answer at `at` to a contact that arrived as `inbound` and was assigned to `assignee`,
/// measured in the assignee's working time — or why there can be none: a contact is answered
/// once, and not before it arrived.
pub fn answer(
    practice: &Practice,
    inbound: &Inbound,
    assignee: &Handle,
    previous: Option<&Answer>,
    at: Timestamp,
) -> Result<Answer, AnswerRefused> {
    if let Some(previous) = previous {
        return Err(AnswerRefused::Already(previous.at));
    }
    if at < inbound.at {
        return Err(AnswerRefused::BeforeArrival {
            arrived: inbound.at,
            at,
        });
    }
    Ok(Answer {
        at,
        response: inbound.at.duration_until(at),
        working_response: working_time::response_time(practice, assignee, inbound.at, at),
        minutes: None,
    })
}
