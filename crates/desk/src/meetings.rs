//! Marking a meeting held, no-show or cancelled: one path for the command line, the agenda
//! page and the API.

use frontdesk_core::agenda::{self, AgendaError};
use frontdesk_core::{Handle, MeetingRef, MeetingStatus, Occurrence, Practice};
use frontdesk_store::{PracticeId, Store, StoreError};
use jiff::Timestamp;

/// Why a meeting was not marked.
#[derive(Debug, thiserror::Error)]
pub enum MarkError {
    /// No such meeting, or not one the member may mark.
    #[error("{0}")]
    NotFound(String),
    /// The meeting cannot take that mark now (before it starts, already started…).
    #[error(transparent)]
    Refused(AgendaError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Marks meeting `which` as `status` at `at` and stores it. `who` is the member asking
/// (members mark their own meetings, those who oversee the practice anyone's); `None` is the
/// command line, which may mark any.
#[allow(clippy::too_many_arguments)]
pub fn mark(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    who: Option<&Handle>,
    which: &MeetingRef,
    status: MeetingStatus,
    at: Timestamp,
    minutes: Option<u32>,
) -> Result<Occurrence, MarkError> {
    let about = store.meetings_about(id, which)?;
    let o =
        agenda::find(practice, which, &about).map_err(|e| MarkError::NotFound(e.to_string()))?;
    if let Some(who) = who
        && !practice.oversees(who)
        && o.meeting.member != *who
    {
        return Err(MarkError::NotFound(format!("no meeting {which}")));
    }
    let m = agenda::mark(practice, &o, status, at, minutes).map_err(MarkError::Refused)?;
    // A meeting the client booked on the booking page and the practice cancels: the booker
    // hears of it, with the cancellation for their calendar, in the same transaction.
    if let (Some(n), MeetingStatus::Cancelled) = (o.stored, status)
        && o.meeting.status != MeetingStatus::Cancelled
        && let Some(booker) = store.booker(id, n)?
        && let Some(client) = practice.client(&m.client)
    {
        let mut told = m.clone();
        told.sequence += 1;
        let calendar =
            frontdesk_core::ical::booking_invitation(practice, client, n, &told, &booker, at);
        let message = frontdesk_core::booking::message(
            practice,
            client,
            n,
            &told,
            &booker,
            frontdesk_core::booking::Notice::Cancelled,
            "",
            calendar,
        );
        store.change_meeting(id, n, &m, &[message], at)?;
        return Ok(Occurrence {
            id: o.id,
            stored: Some(n),
            meeting: m,
        });
    }
    let number = store.save_meeting(id, o.stored, &m)?;
    Ok(Occurrence {
        id: o.id,
        stored: Some(number),
        meeting: m,
    })
}
