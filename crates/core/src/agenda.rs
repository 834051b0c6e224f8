//! The agenda: standing-call occurrences and booked or ad-hoc meetings in one list, with what
//! became of each (held, no-show, cancelled, moved).
//!
//! A standing call is a rule, not rows: its occurrences are computed from the client's terms.
//! What happens to one occurrence is stored as a [`Meeting`] whose `original` is the start the
//! rule gave it (iCalendar's RECURRENCE-ID), so an occurrence is known by its client and that
//! start ("acme@2026-12-04T09:00:00Z") whether or not anything was stored about it yet.

use std::fmt;

use jiff::{SignedDuration, Timestamp};

use crate::{Client, Handle, ParseError, Practice, Target};

/// Where a meeting came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeetingKind {
    /// An occurrence of the client's standing call.
    Standing,
    /// Booked by the client through a booking link.
    Booked,
    /// Arranged by hand.
    Adhoc,
}

impl MeetingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Standing => "standing",
            MeetingKind::Booked => "booked",
            MeetingKind::Adhoc => "adhoc",
        }
    }

    pub fn parse(value: &str) -> Result<MeetingKind, ParseError> {
        Ok(match value {
            "standing" => MeetingKind::Standing,
            "booked" => MeetingKind::Booked,
            "adhoc" => MeetingKind::Adhoc,
            _ => {
                return Err(ParseError::new(
                    "meeting kind",
                    value,
                    "one of standing, booked, adhoc",
                ));
            }
        })
    }
}

/// What became of a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeetingStatus {
    /// Still to come (or not marked yet).
    Scheduled,
    /// It took place.
    Held,
    /// The client did not come.
    NoShow,
    /// Called off before it started.
    Cancelled,
}

impl MeetingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingStatus::Scheduled => "scheduled",
            MeetingStatus::Held => "held",
            MeetingStatus::NoShow => "no-show",
            MeetingStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Result<MeetingStatus, ParseError> {
        Ok(match value {
            "scheduled" => MeetingStatus::Scheduled,
            "held" => MeetingStatus::Held,
            "no-show" => MeetingStatus::NoShow,
            "cancelled" => MeetingStatus::Cancelled,
            _ => {
                return Err(ParseError::new(
                    "meeting status",
                    value,
                    "one of scheduled, held, no-show, cancelled",
                ));
            }
        })
    }
}

/// A meeting as stored: a booked or ad-hoc one, or what changed about one standing-call
/// occurrence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meeting {
    pub client: Handle,
    /// Who meets the client.
    pub member: Handle,
    pub kind: MeetingKind,
    /// For a standing-call occurrence: the start the rule gives it.
    pub original: Option<Timestamp>,
    pub start: Timestamp,
    /// Planned length.
    pub minutes: u32,
    pub status: MeetingStatus,
    /// How long it lasted, when held.
    pub held_minutes: Option<u32>,
    /// When it was cancelled, and whether that was inside the client's notice period.
    pub cancelled_at: Option<Timestamp>,
    pub late: bool,
    /// How many times it was changed after it was first stored (iCalendar's SEQUENCE).
    pub sequence: u32,
}

impl Meeting {
    /// When it is planned to end.
    pub fn end(&self) -> Timestamp {
        self.start
            .checked_add(SignedDuration::from_mins(i64::from(self.minutes)))
            .unwrap_or(self.start)
    }

    /// A standing-call occurrence put at another time.
    pub fn moved(&self) -> bool {
        self.original.is_some_and(|o| o != self.start)
    }
}

/// How a meeting is named in commands: a stored meeting's number, or a standing-call
/// occurrence's client and rule start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MeetingRef {
    Stored(i64),
    Standing { client: Handle, original: Timestamp },
}

impl MeetingRef {
    pub fn parse(value: &str) -> Result<MeetingRef, ParseError> {
        let err = || {
            ParseError::new(
                "meeting",
                value,
                "a meeting number such as 12, or a standing call's client@start such as acme@2026-12-04T09:00:00Z, as `agenda` prints them",
            )
        };
        if let Ok(n) = value.parse::<i64>() {
            return if n > 0 {
                Ok(MeetingRef::Stored(n))
            } else {
                Err(err())
            };
        }
        let (client, start) = value.split_once('@').ok_or_else(err)?;
        Ok(MeetingRef::Standing {
            client: Handle::parse(client).map_err(|_| err())?,
            original: start.parse().map_err(|_| err())?,
        })
    }
}

impl fmt::Display for MeetingRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MeetingRef::Stored(n) => write!(f, "{n}"),
            MeetingRef::Standing { client, original } => write!(f, "{client}@{original}"),
        }
    }
}

/// One line of the agenda.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// How commands name it: standing-call occurrences by client and rule start, others by
    /// number.
    pub id: MeetingRef,
    /// The stored meeting's number, if anything was stored about it.
    pub stored: Option<i64>,
    pub meeting: Meeting,
}

/// Why a meeting cannot be changed as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AgendaError {
    #[error("unknown client {0:?}")]
    UnknownClient(String),
    #[error("client {0} has no standing call")]
    NoStandingCall(String),
    #[error("{0} is not an occurrence of the client's standing call")]
    NotAnOccurrence(String),
    #[error("meeting {id} starts at {start}: it cannot be marked {status} before it starts")]
    NotStarted {
        id: String,
        start: Timestamp,
        status: &'static str,
    },
    #[error("meeting {id} started at {start}: mark it held or no-show instead of cancelled")]
    AlreadyStarted { id: String, start: Timestamp },
    #[error("meeting {id} is {status}: only a scheduled meeting can be moved")]
    NotMovable { id: String, status: &'static str },
    #[error("--minutes {0}: a meeting lasts from 1 to 1440 minutes")]
    BadMinutes(u32),
}

/// How long before a meeting the client may cancel without it counting as late, by default.
pub const DEFAULT_CANCELLATION_NOTICE_MINUTES: u32 = 24 * 60;

/// The client's notice period for cancelling.
pub fn cancellation_notice(client: &Client) -> Target {
    client
        .terms
        .cancellation_notice
        .unwrap_or_else(|| Target::from_minutes(DEFAULT_CANCELLATION_NOTICE_MINUTES))
}

/// The client's next standing call that starts within `within` after `at`, as the agenda has
/// it: cancelled occurrences are gone and moved ones count where they were moved to. The
/// decision looks a week ahead (a call over the allowance waits for it); the client page
/// shows the next one further out.
pub fn next_standing_call(
    practice: &Practice,
    client: &Client,
    stored: &[(i64, Meeting)],
    at: Timestamp,
    within: SignedDuration,
) -> Option<Timestamp> {
    let horizon = at.checked_add(within).ok()?;
    standing_occurrences(practice, client, stored, at, horizon)
        .into_iter()
        .find(|o| o.meeting.status == MeetingStatus::Scheduled)
        .map(|o| o.meeting.start)
}

/// The client's standing-call occurrences whose start, as the rule gives it or as moved, falls
/// in `[from, to)`, with what `stored` (the client's stored meetings) says happened to them.
pub fn standing_occurrences(
    practice: &Practice,
    client: &Client,
    stored: &[(i64, Meeting)],
    from: Timestamp,
    to: Timestamp,
) -> Vec<Occurrence> {
    let Some(call) = &client.terms.standing_call else {
        return Vec::new();
    };
    let Some(owner) = practice.member(&client.owner) else {
        return Vec::new();
    };
    let changed = |original: Timestamp| {
        stored.iter().find(|(_, m)| {
            m.client == client.handle
                && m.kind == MeetingKind::Standing
                && m.original == Some(original)
        })
    };
    let mut out = Vec::new();
    for original in call
        .rule
        .occurrences(call.starts, owner.zone.tz(), from)
        .take_while(|t| *t < to)
    {
        let id = MeetingRef::Standing {
            client: client.handle.clone(),
            original,
        };
        match changed(original) {
            // Moved out of the window: it shows where it went, if that is in the window.
            Some((_, m)) if m.start < from || m.start >= to => {}
            Some((n, m)) => out.push(Occurrence {
                id,
                stored: Some(*n),
                meeting: m.clone(),
            }),
            None => out.push(Occurrence {
                id,
                stored: None,
                meeting: Meeting {
                    client: client.handle.clone(),
                    member: owner.handle.clone(),
                    kind: MeetingKind::Standing,
                    original: Some(original),
                    start: original,
                    minutes: call.minutes,
                    status: MeetingStatus::Scheduled,
                    held_minutes: None,
                    cancelled_at: None,
                    late: false,
                    sequence: 0,
                },
            }),
        }
    }
    // Occurrences moved into the window from outside it.
    for (n, m) in stored {
        if m.client == client.handle
            && m.kind == MeetingKind::Standing
            && m.start >= from
            && m.start < to
            && m.original.is_some_and(|o| o < from || o >= to)
        {
            out.push(Occurrence {
                id: MeetingRef::Standing {
                    client: client.handle.clone(),
                    original: m.original.expect("checked"),
                },
                stored: Some(*n),
                meeting: m.clone(),
            });
        }
    }
    out.sort_by_key(|o| o.meeting.start);
    out
}

/// Which meetings an agenda shows.
#[derive(Clone, Debug, Default)]
pub struct AgendaFilter {
    pub client: Option<Handle>,
    pub member: Option<Handle>,
}

/// Every meeting that starts in `[from, to)`: the standing calls of every client (or the
/// filtered one) and the stored booked and ad-hoc meetings, by start.
///
/// `stored` must hold every stored meeting that starts in the window and every standing-call
/// change whose original start is in it.
pub fn agenda(
    practice: &Practice,
    stored: &[(i64, Meeting)],
    from: Timestamp,
    to: Timestamp,
    filter: &AgendaFilter,
) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for client in practice.clients() {
        if filter.client.as_ref().is_some_and(|c| *c != client.handle) {
            continue;
        }
        out.extend(standing_occurrences(practice, client, stored, from, to));
    }
    for (n, m) in stored {
        if m.kind != MeetingKind::Standing
            && m.start >= from
            && m.start < to
            && filter.client.as_ref().is_none_or(|c| *c == m.client)
        {
            out.push(Occurrence {
                id: MeetingRef::Stored(*n),
                stored: Some(*n),
                meeting: m.clone(),
            });
        }
    }
    if let Some(member) = &filter.member {
        out.retain(|o| o.meeting.member == *member);
    }
    out.sort_by(|a, b| {
        (a.meeting.start, a.meeting.client.as_str())
            .cmp(&(b.meeting.start, b.meeting.client.as_str()))
    });
    out
}

/// The occurrence `id` names, for changing it: a stored meeting, or a standing-call
/// occurrence (checked against the client's rule).
pub fn find(
    practice: &Practice,
    id: &MeetingRef,
    stored: &[(i64, Meeting)],
) -> Result<Occurrence, AgendaError> {
    match id {
        MeetingRef::Stored(n) => stored
            .iter()
            .find(|(k, _)| k == n)
            .map(|(k, m)| Occurrence {
                id: match (&m.kind, m.original) {
                    (MeetingKind::Standing, Some(original)) => MeetingRef::Standing {
                        client: m.client.clone(),
                        original,
                    },
                    _ => MeetingRef::Stored(*k),
                },
                stored: Some(*k),
                meeting: m.clone(),
            })
            .ok_or_else(|| AgendaError::NotAnOccurrence(id.to_string())),
        MeetingRef::Standing { client, original } => {
            let c = practice
                .client(client)
                .ok_or_else(|| AgendaError::UnknownClient(client.to_string()))?;
            if c.terms.standing_call.is_none() {
                return Err(AgendaError::NoStandingCall(client.to_string()));
            }
            let one = SignedDuration::from_secs(1);
            let window_end = original.checked_add(one).unwrap_or(*original);
            // The occurrence itself, wherever it was moved to.
            let mut found: Vec<Occurrence> =
                standing_occurrences(practice, c, stored, *original, window_end);
            found.retain(|o| o.meeting.original == Some(*original));
            if let Some(o) = found.pop() {
                return Ok(o);
            }
            // Moved out of its own slot: the stored change names it.
            stored
                .iter()
                .find(|(_, m)| m.client == *client && m.original == Some(*original))
                .map(|(k, m)| Occurrence {
                    id: id.clone(),
                    stored: Some(*k),
                    meeting: m.clone(),
                })
                .ok_or_else(|| AgendaError::NotAnOccurrence(id.to_string()))
        }
    }
}

/// The meeting after marking `occurrence` held, no-show or cancelled (or scheduled again, to
/// undo a mark) at `at`.
pub fn mark(
    practice: &Practice,
    occurrence: &Occurrence,
    status: MeetingStatus,
    at: Timestamp,
    held_minutes: Option<u32>,
) -> Result<Meeting, AgendaError> {
    let m = &occurrence.meeting;
    let id = occurrence.id.to_string();
    let mut out = m.clone();
    out.status = status;
    out.held_minutes = None;
    out.cancelled_at = None;
    out.late = false;
    match status {
        MeetingStatus::Held | MeetingStatus::NoShow if at < m.start => {
            return Err(AgendaError::NotStarted {
                id,
                start: m.start,
                status: status.as_str(),
            });
        }
        MeetingStatus::Held => {
            let minutes = held_minutes.unwrap_or(m.minutes);
            if !(1..=1440).contains(&minutes) {
                return Err(AgendaError::BadMinutes(minutes));
            }
            out.held_minutes = Some(minutes);
        }
        MeetingStatus::Cancelled => {
            if at >= m.start {
                return Err(AgendaError::AlreadyStarted { id, start: m.start });
            }
            let notice = practice
                .client(&m.client)
                .map(cancellation_notice)
                .unwrap_or_else(|| Target::from_minutes(DEFAULT_CANCELLATION_NOTICE_MINUTES));
            out.cancelled_at = Some(at);
            out.late = m
                .start
                .checked_sub(notice.duration())
                .is_ok_and(|deadline| at > deadline);
        }
        MeetingStatus::NoShow | MeetingStatus::Scheduled => {}
    }
    Ok(out)
}

/// The meeting after moving `occurrence` to start at `to`.
pub fn move_to(occurrence: &Occurrence, to: Timestamp) -> Result<Meeting, AgendaError> {
    let m = &occurrence.meeting;
    if m.status != MeetingStatus::Scheduled {
        return Err(AgendaError::NotMovable {
            id: occurrence.id.to_string(),
            status: m.status.as_str(),
        });
    }
    let mut out = m.clone();
    out.start = to;
    Ok(out)
}
