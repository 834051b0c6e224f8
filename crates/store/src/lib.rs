//! The storage interface: what frontdesk needs from a database, and nothing about how.
//!
//! One crate per backend implements [`Store`] (`frontdesk-sqlite` today). Rules never live
//! here: recording a contact hands the backend a `decide` function from the core, and the
//! backend only supplies the [`History`] it knows and keeps what comes back, inside one
//! transaction.

pub use frontdesk_core::Answer;
use frontdesk_core::booking::Booker;
use frontdesk_core::outbox::{Medium, Message};
use frontdesk_core::slots::Busy;
use frontdesk_core::timers::Job;
use frontdesk_core::{
    Channel, DecideError, Decision, Flag, Handle, History, Inbound, Meeting, MeetingRef, Practice,
    PracticeChanges, Verdict,
};
use jiff::{SignedDuration, Timestamp};

/// How both backends write values into columns and read them back: instants as microseconds
/// since the Unix epoch, flags as comma-separated names, handles as text; a value that does
/// not read back is a corrupt record.
pub mod columns {
    use frontdesk_core::promise::{Kind, Promise, State};
    use frontdesk_core::rating::Rating;
    use frontdesk_core::{Channel, Decision, Flag, Handle, Inbound, Language, Reply, Verdict};
    use jiff::{SignedDuration, Timestamp};

    use crate::{Answer, ContactId, Recorded, StoreError};

    /// A stored value this version cannot read.
    pub fn corrupt(what: impl std::fmt::Display) -> StoreError {
        StoreError::Database(format!("unreadable record: {what}"))
    }

    pub fn micros(ts: Timestamp) -> i64 {
        ts.as_microsecond()
    }

    /// What the audit log keeps of a contact as recorded (its `contact.recorded` entry's data):
    /// how it came and what was decided.
    pub fn recorded_evidence(r: &Recorded) -> String {
        serde_json::json!({
            "channel": r.inbound.channel.as_str(), "from": r.inbound.from,
            "verdict": r.decision.verdict.as_str(), "assignee": r.decision.assignee.as_str(),
            "due": r.decision.due.to_string(), "flags": flags_text(&r.decision.flags),
        })
        .to_string()
    }

    pub fn from_micros(us: i64) -> Result<Timestamp, StoreError> {
        Timestamp::from_microsecond(us).map_err(corrupt)
    }

    pub fn flags_text(flags: &[Flag]) -> String {
        flags
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn parse_flags(text: &str) -> Result<Vec<Flag>, StoreError> {
        text.split(',')
            .filter(|s| !s.is_empty())
            .map(|s| Flag::parse(s).ok_or_else(|| corrupt(format!("flag {s:?}"))))
            .collect()
    }

    pub fn handle(text: String) -> Result<Handle, StoreError> {
        Handle::parse(&text).map_err(corrupt)
    }

    /// A promises row as both backends read it: id, client, contact, kind, what, due, by,
    /// state, recorded, decided by, note, kept.
    pub type PromiseRow = (
        i64,
        String,
        Option<i64>,
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<String>,
        Option<String>,
        Option<i64>,
    );

    /// The promise a row holds, checked.
    pub fn promise_of(r: PromiseRow) -> Result<Promise, StoreError> {
        let (id, client, contact, kind, what, due, by, state, recorded, decided_by, note, kept) = r;
        Ok(Promise {
            id,
            client: Handle::parse(&client).map_err(corrupt)?,
            contact,
            kind: Kind::parse(&kind).ok_or_else(|| corrupt(format!("promise kind {kind:?}")))?,
            what,
            due: due.parse().map_err(corrupt)?,
            by: Handle::parse(&by).map_err(corrupt)?,
            state: State::parse(&state)
                .ok_or_else(|| corrupt(format!("promise state {state:?}")))?,
            recorded: from_micros(recorded)?,
            decided_by: decided_by
                .map(|h| Handle::parse(&h).map_err(corrupt))
                .transpose()?,
            note,
            kept: kept.map(from_micros).transpose()?,
        })
    }

    /// A ratings row as both backends read it: id, client, deliverable, goal, requested,
    /// score, comment, rated, revoked.
    pub type RatingRow = (
        i64,
        String,
        Option<i64>,
        String,
        i64,
        Option<i64>,
        Option<String>,
        Option<i64>,
        bool,
    );

    /// The rating a row holds, checked.
    pub fn rating_of(r: RatingRow) -> Result<Rating, StoreError> {
        let (id, client, deliverable, goal, requested, score, comment, rated, revoked) = r;
        Ok(Rating {
            id,
            client: Handle::parse(&client).map_err(corrupt)?,
            deliverable,
            goal,
            requested: from_micros(requested)?,
            score: score
                .map(|s| u8::try_from(s).map_err(corrupt))
                .transpose()?,
            comment,
            rated: rated.map(from_micros).transpose()?,
            revoked,
        })
    }

    /// A contacts row as both backends read it, before it is checked and made a
    /// [`Recorded`].
    pub struct RawContact {
        pub client: String,
        pub channel: String,
        pub from: String,
        pub at: i64,
        pub body: Option<String>,
        pub verdict: String,
        pub assignee: String,
        pub due: i64,
        pub flags: String,
        pub reasons: String,
        pub reply_language: Option<String>,
        pub reply_text: Option<String>,
        pub in_hours: bool,
        pub allowance: bool,
        pub week: String,
        pub answered: Option<i64>,
        pub response: Option<i64>,
        pub working_response: Option<i64>,
        pub why: Option<String>,
        pub automatic: Option<String>,
        pub message_language: Option<String>,
        pub work_minutes: Option<u32>,
    }

    impl RawContact {
        pub fn into_recorded(self, id: ContactId) -> Result<Recorded, StoreError> {
            let reply = match (self.reply_language, self.reply_text) {
                (Some(l), Some(text)) => Some(Reply {
                    language: Language::parse(&l).map_err(corrupt)?,
                    text,
                }),
                _ => None,
            };
            let answer = match (self.answered, self.response, self.working_response) {
                (Some(at), Some(r), Some(w)) => Some(Answer {
                    at: from_micros(at)?,
                    response: SignedDuration::from_micros(r),
                    working_response: SignedDuration::from_micros(w),
                    minutes: self.work_minutes,
                }),
                _ => None,
            };
            Ok(Recorded {
                id,
                inbound: Inbound {
                    client: handle(self.client)?,
                    channel: Channel::parse(&self.channel).map_err(corrupt)?,
                    from: self.from,
                    at: from_micros(self.at)?,
                    body: self.body,
                },
                decision: Decision {
                    verdict: Verdict::parse(&self.verdict).ok_or_else(|| corrupt(&self.verdict))?,
                    assignee: handle(self.assignee)?,
                    due: from_micros(self.due)?,
                    flags: parse_flags(&self.flags)?,
                    reasons: serde_json::from_str(&self.reasons).map_err(corrupt)?,
                    why: match &self.why {
                        Some(w) => serde_json::from_str(w).map_err(corrupt)?,
                        None => Vec::new(),
                    },
                    reply,
                    in_hours: self.in_hours,
                    allowance: self.allowance,
                    week: self.week.parse().map_err(corrupt)?,
                    message_language: self
                        .message_language
                        .as_deref()
                        .map(Language::parse)
                        .transpose()
                        .map_err(corrupt)?,
                },
                answer,
                automatic: self.automatic,
            })
        }
    }
}

/// How an item is waived or adjusted: seeing it and the number of the issued invoice it is on.
pub type AdjustFn<'a> = dyn Fn(
        &frontdesk_core::billing::Item,
        Option<&str>,
    ) -> Result<frontdesk_core::billing::Adjustment, StoreError>
    + 'a;

/// What issuing a draft sees inside its transaction ([`Store::issue_invoice`]).
#[derive(Clone, Debug, Default)]
pub struct Issuing {
    /// The client's items on no issued invoice, dated up to the end of the draft's period.
    pub open_items: Vec<frontdesk_core::billing::Item>,
    /// For a credit note: the invoice it corrects and the credit notes issued for it before.
    pub corrected: Option<frontdesk_core::invoice::Invoice>,
    pub credits: Vec<frontdesk_core::invoice::Invoice>,
    /// The number in the series it takes.
    pub sequence: u32,
    /// The hash of the document issued before it, if any.
    pub previous_hash: Option<String>,
}

/// A practice's key in a database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PracticeId(pub i64);

/// A recorded contact's number, shown to people (`frontdesk reply 42`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContactId(pub i64);

/// What applying a practice did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The practice's key.
    pub id: PracticeId,
    /// Whether it did not exist before.
    pub created: bool,
    /// What changed (nothing when the same file is applied twice).
    pub changes: PracticeChanges,
}

/// A contact as recorded, with its decision and its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// Its number.
    pub id: ContactId,
    /// What arrived.
    pub inbound: Inbound,
    /// What the desk decided when it arrived.
    pub decision: Decision,
    /// When it was answered, if it was.
    pub answer: Option<Answer>,
    /// Why it is automatic mail (a bounce, an out-of-office reply, list mail), if it is: kept
    /// and shown, never open, never answered automatically.
    pub automatic: Option<String>,
}

/// A client's e-mail message to record with its contact ([`Store::record_mail`]).
#[derive(Clone, Copy, Debug)]
pub struct MailIn<'a> {
    /// The key it is recorded once under (`@mail`, U+001F and its Message-ID or digest).
    pub key: &'a str,
    /// A digest of the message: another message under a reused Message-ID is refused.
    pub request: &'a [u8],
    /// The contact it becomes.
    pub inbound: &'a Inbound,
    /// Why it is automatic mail, if it is.
    pub automatic: Option<&'a str>,
    /// What the client newly wrote (the subject and the text without quotes and signature):
    /// what the inbox summarizes.
    pub new_text: &'a str,
    /// The Message-IDs it answers (In-Reply-To, then References from the newest): the first
    /// one the desk knows — a client's message, or an auto-reply or answer the desk sent —
    /// puts the new contact in that conversation.
    pub refers_to: &'a [String],
    /// Where it was read from on an IMAP server: stored in the same transaction.
    pub checkpoint: Option<&'a Checkpoint>,
    /// The member whose own mailbox it came to, if it came to one member's.
    pub addressed_to: Option<&'a Handle>,
}

/// How far a mailbox's folder has been read: every message up to `uid` under `uidvalidity`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The mailbox's name in the practice file.
    pub mailbox: String,
    /// The folder's UIDVALIDITY: when it changes, the UIDs before mean nothing.
    pub uidvalidity: u32,
    /// The last UID read.
    pub uid: u32,
}

/// A message from a sender no client has, kept until a member assigns it to a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmatched {
    /// The key it would be recorded under.
    pub key: String,
    /// The sender's address.
    pub from: String,
    /// When it arrived.
    pub at: Timestamp,
    /// Its subject and text.
    pub body: String,
    /// Why it is automatic mail, if it is.
    pub automatic: Option<String>,
    /// The Message-IDs it answers.
    pub refers_to: Vec<String>,
}

/// A mailbox's state, as `mail status` and the settings page show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailboxState {
    /// The mailbox's name in the practice file.
    pub mailbox: String,
    /// The folder's UIDVALIDITY when last read.
    pub uidvalidity: Option<u32>,
    /// The last UID read.
    pub uid: u32,
    /// Messages in the folder when last read.
    pub present: u64,
    /// Messages of the folder read so far under this UIDVALIDITY (recorded, duplicates and
    /// refused).
    pub read: u64,
    /// When it was last read without an error.
    pub checked: Option<Timestamp>,
    /// The last error, and when, until a read succeeds.
    pub error: Option<(Timestamp, String)>,
}

/// One line of the inbox: an unanswered contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxEntry {
    /// Its number.
    pub id: ContactId,
    /// From which client.
    pub client: Handle,
    /// How it arrived.
    pub channel: Channel,
    /// Who sent it.
    pub from: String,
    /// When it arrived.
    pub at: Timestamp,
    /// What the desk decided.
    pub verdict: Verdict,
    /// Who answers.
    pub assignee: Handle,
    /// By when.
    pub due: Timestamp,
    /// Its flags.
    pub flags: Vec<Flag>,
    /// The start of what it says, for a one-line view.
    pub summary: Option<String>,
}

/// The unanswered contacts, most urgent (earliest due) first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inbox {
    /// The first entries, by due time.
    pub entries: Vec<InboxEntry>,
    /// How many are unanswered in all.
    pub open: u64,
    /// How many of those are overdue at `now`.
    pub overdue: u64,
}

/// Which open contacts an inbox page lists ([`Store::inbox_page`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InboxQuery {
    /// Only those overdue at `now`.
    pub overdue: bool,
    /// Only those flagged urgent.
    pub urgent: bool,
    /// Only those assigned to this member.
    pub assignee: Option<Handle>,
    /// Only those that came through this channel.
    pub channel: Option<Channel>,
    /// Only this client's.
    pub client: Option<Handle>,
    /// Only those whose client, sender or text contains this (letters A–Z in any case).
    pub search: Option<String>,
    /// Skip this many, by due time.
    pub offset: usize,
    /// At most this many.
    pub limit: usize,
}

/// A page of the inbox: the entries the query selects, how many it selects in all, and the
/// scope's counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboxPage {
    /// The page's entries, by due time.
    pub entries: Vec<InboxEntry>,
    /// How many the query selects in all (every page).
    pub matching: u64,
    /// How many are unanswered in the scope, and overdue: as [`Inbox`].
    pub open: u64,
    pub overdue: u64,
}

/// What can go wrong in storage. Variants a person can act on carry what they need to.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database holds no practice yet.
    #[error("no practice in this database yet: run `frontdesk apply FILE` first")]
    NoPractice,
    /// No practice has that name.
    #[error("no practice is named {name:?}; this database has: {known}")]
    UnknownPractice {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: String,
    },
    /// Several practices, and none was named.
    #[error("this database holds several practices ({0}): pass --practice NAME")]
    WhichPractice(String),
    /// No contact has that number in this practice.
    #[error("no contact {0} in this practice")]
    UnknownContact(i64),
    /// An idempotency key used before for a different request.
    #[error(
        "Idempotency-Key: {0:?} was used before for a different contact; use a new key per contact"
    )]
    KeyReused(String),
    /// The contact was answered already.
    #[error("contact {id} was already answered at {at}")]
    AlreadyAnswered {
        /// Its number.
        id: i64,
        /// When.
        at: Timestamp,
    },
    /// An answer dated before the contact arrived.
    #[error("contact {id} arrived at {arrived}; an answer at {at} would be before it")]
    AnswerBeforeContact {
        /// Its number.
        id: i64,
        /// When it arrived.
        arrived: Timestamp,
        /// The answer's time given.
        at: Timestamp,
    },
    /// Removing a client or member that has recorded contacts would lose them.
    #[error(
        "{what} {handle:?} has {count} recorded contacts or meetings and cannot be removed; keep it in the practice file"
    )]
    WouldLoseContacts {
        /// "client" or "member".
        what: &'static str,
        /// Its handle.
        handle: String,
        /// How many contacts.
        count: u64,
    },
    /// The core refused the contact.
    /// A booking the calendar no longer allows (someone else took the slot first).
    #[error("{0}")]
    Refused(String),
    /// No member has this handle.
    #[error("no member {0:?} in this practice")]
    UnknownMember(String),
    /// No stored meeting has this number in the practice.
    #[error("no meeting {0} in this practice")]
    UnknownMeeting(i64),
    /// No brief has this number in the practice.
    #[error("no brief {0} in this practice")]
    UnknownBrief(i64),
    #[error(transparent)]
    Decide(#[from] DecideError),
    /// The practice an edit was made on was changed meanwhile.
    #[error("the practice was changed meanwhile: make the change again on what it is now")]
    PracticeChanged,
    /// The database failed or holds something this version cannot read.
    #[error("database: {0}")]
    Database(String),
    /// The database server cannot be reached right now (restarting, the network down): nothing
    /// was stored; the same request may be tried again shortly.
    #[error("the database is not reachable right now ({0}); nothing was stored: try again shortly")]
    Unavailable(String),
}

/// Decides one contact given what the database knows; the core's [`frontdesk_core::decide`]
/// with the practice bound.
/// Judges a booking against the meetings stored around it and the client's ad-hoc calls per
/// week (by the Monday of the week), as read inside the booking's transaction.
pub type BookCheck<'a> =
    dyn Fn(&[(i64, Meeting)], &dyn Fn(jiff::civil::Date) -> u32) -> Result<(), String> + 'a;

/// An audit chain: entries with their stored hashes, and the stored head.
pub type AuditChain = (
    Vec<(frontdesk_core::audit::Entry, frontdesk_core::audit::Hash)>,
    Option<(i64, frontdesk_core::audit::Hash)>,
);

/// A call back to a client after an absence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Callback {
    pub client: Handle,
    pub at: Timestamp,
    pub by: Handle,
    pub outcome: String,
}

/// What is done to a brief besides writing it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BriefAct {
    /// The cover acknowledges the version they read.
    Acknowledge,
    /// The cover asks a question.
    Ask(String),
    /// The absent member answers the open question.
    Answer(String),
    /// An open item (by its place, from 0) is done; the version and the state stay.
    ItemDone(usize),
}

pub use frontdesk_core::brief::Brief;

/// A booking to store: the meeting, the calendar it must fit, who booked it and what to send.
pub struct BookRequest<'a> {
    pub meeting: &'a Meeting,
    /// The stored meeting this moves (its own time does not count as taken), or None.
    pub moving: Option<i64>,
    /// The instants whose stored meetings `check` is given.
    pub range: (Timestamp, Timestamp),
    pub check: &'a BookCheck<'a>,
    /// Who booked it on the booking page, with the hash of their change link's secret.
    pub booker: Option<(&'a Booker, &'a [u8])>,
    /// The messages to queue with it, given its number (the booker's confirmation).
    pub messages: &'a dyn Fn(i64) -> Vec<Message>,
    /// When: the messages are due then.
    pub now: Timestamp,
}

/// A booking found by its change link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booked {
    pub practice: PracticeId,
    pub id: i64,
    pub meeting: Meeting,
    pub booker: Booker,
}

/// Contacts of one client in one week (the Monday of the owner's week).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekCounts {
    pub client: Handle,
    pub week: jiff::civil::Date,
    pub in_hours: u32,
    pub out_of_hours: u32,
    /// Calls and voicemails inside working hours: what the weekly allowance counts.
    pub adhoc_calls: u32,
}

/// How long one answered contact waited, in the assignee's working time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub client: Handle,
    pub channel: Channel,
    pub urgent: bool,
    pub working: SignedDuration,
}

/// A calendar feed a member's busy times come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusySource {
    pub id: i64,
    pub practice: PracticeId,
    pub member: Handle,
    pub url: String,
    /// When it was last fetched, and what went wrong then (None: it was read).
    pub checked: Option<Timestamp>,
    pub error: Option<String>,
}

/// What a secret link opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// A client's booking page.
    Booking(Handle),
    /// A member's calendar feed.
    Feed(Handle),
}

/// A live secret link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub id: i64,
    pub practice: PracticeId,
    pub target: LinkTarget,
}

/// An API token as its owner sees it (never the secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: i64,
    pub created: Timestamp,
    pub revoked: Option<Timestamp>,
}

/// A member who can sign in with an email address, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Login {
    pub practice: PracticeId,
    pub practice_name: String,
    pub member: Handle,
    /// The argon2id PHC string.
    pub password_hash: String,
}

/// Who a session or an API token belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub practice: PracticeId,
    pub member: Handle,
    /// The session's CSRF token (empty for API tokens).
    pub csrf: String,
    /// The member's language preference, if set.
    pub language: Option<String>,
}

/// Decides a contact of the batch being recorded, given its place in the batch (what the caller
/// may have prepared for it, such as its text already read), the contact and its history.
pub type DecideFn<'a> = dyn Fn(usize, &Inbound, &History) -> Result<Decision, DecideError> + 'a;

/// What recording a contact sends (its auto-reply), queued in the same transaction.
pub type EffectsFn<'a> = dyn Fn(&Recorded) -> Vec<Message> + 'a;

/// Where a queued message stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueState {
    /// Waiting for its next attempt.
    Pending,
    /// Delivered.
    Sent,
    /// Failed too often; waits for a person to retry it.
    Dead,
}

impl QueueState {
    /// `pending`, `sent` or `dead`.
    pub fn as_str(self) -> &'static str {
        match self {
            QueueState::Pending => "pending",
            QueueState::Sent => "sent",
            QueueState::Dead => "dead",
        }
    }
}

/// A message in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queued {
    pub id: i64,
    pub practice: PracticeId,
    pub message: Message,
    /// When it was queued.
    pub created: Timestamp,
    /// Failed attempts so far.
    pub attempts: u32,
    /// When it is tried next (pending only).
    pub next_attempt: Option<Timestamp>,
    /// What went wrong the last time.
    pub last_error: Option<String>,
    /// When it was delivered.
    pub sent: Option<Timestamp>,
}

impl Queued {
    /// Where it stands.
    pub fn state(&self) -> QueueState {
        match (self.sent, self.next_attempt) {
            (Some(_), _) => QueueState::Sent,
            (None, Some(_)) => QueueState::Pending,
            (None, None) => QueueState::Dead,
        }
    }
}

/// How one delivery attempt went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Delivered at this instant.
    Sent(Timestamp),
    /// Failed with this error; tried again at `next`, or dead when `None`.
    Failed {
        error: String,
        next: Option<Timestamp>,
    },
}

/// Whose contacts a query returns: what [`frontdesk_core::Scope`] allows.
pub use frontdesk_core::Scope;

/// What frontdesk needs from a database.
/// One value of a stored row, as both backends keep it: the copy between them
/// ([`Store::export`], [`Store::import`]) moves rows as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

/// Rows of one table, in the order of [`TABLES`] and, within a table, of its key.
#[derive(Clone, Debug)]
pub struct Chunk {
    pub table: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Where [`Store::export`] hands its chunks.
pub type Sink<'a> = dyn FnMut(Chunk) -> Result<(), StoreError> + 'a;

/// Every table a frontdesk database holds, each after the tables it refers to: what a copy
/// moves, in the order it moves it.
pub const TABLES: &[&str] = &[
    "practices",
    "members",
    "clients",
    "contacts",
    "meetings",
    "bookings",
    "busy",
    "accounts",
    "sessions",
    "api_tokens",
    "links",
    "busy_sources",
    "timer_runs",
    "outbox",
    "idempotency",
    "auto_replies",
    "mail_messages",
    "mail_refs",
    "mailboxes",
    "unmatched_mail",
    "audit_log",
    "audit_heads",
    "briefs",
    "brief_questions",
    "callbacks",
    "risk_days",
    "promises",
    "deliverables",
    "input_requests",
    "ratings",
    "billing_items",
    "invoices",
    "invoice_series",
    "invoice_heads",
];

/// The columns a copy moves: every column both backends have (PostgreSQL's
/// `practices.version` is its own bookkeeping and starts again at the destination).
pub fn copied_column(table: &str, column: &str) -> bool {
    !(table == "practices" && column == "version")
}

/// What other processes on the same database change, as they change it (PostgreSQL's LISTEN;
/// on SQLite, the file's `data_version` looked at every 100 ms): a server's live inbox shows a
/// contact recorded through another instance or the CLI.
pub trait Changes: Send {
    /// Waits up to `timeout` for changes; the practices whose contacts were recorded or
    /// answered elsewhere (empty when nothing happened). An error: the connection was lost; the
    /// next call connects again.
    fn wait(&mut self, timeout: std::time::Duration) -> Result<Vec<PracticeId>, StoreError>;
}

pub trait Store {
    /// A number that changes whenever a practice was applied, through any handle or process:
    /// the server's cache of parsed practices is stale when it changes. The same for every
    /// handle on the database.
    fn outside_writes(&self) -> Result<i64, StoreError>;

    /// Creates or updates the practice named in `practice`, in one transaction.
    fn apply(&mut self, practice: &Practice) -> Result<Applied, StoreError>;

    /// [`Store::apply`], with the change appended to the audit log in its transaction: who
    /// (`actor`) changed what, at `at`, and the digest of the file.
    fn apply_as(
        &mut self,
        practice: &Practice,
        actor: &str,
        at: Timestamp,
    ) -> Result<Applied, StoreError>;

    /// [`Store::apply_as`] of `practice` as an edit of `over`: refused with
    /// [`StoreError::PracticeChanged`], nothing written, when the stored practice is no longer
    /// `over` (another request, server or process applied a change since it was read).
    fn apply_over(
        &mut self,
        practice: &Practice,
        over: &Practice,
        actor: &str,
        at: Timestamp,
    ) -> Result<Applied, StoreError>;

    /// The names of the practices in the database.
    fn practices(&self) -> Result<Vec<String>, StoreError>;

    /// The keys of the practices in the database.
    fn practice_ids(&self) -> Result<Vec<PracticeId>, StoreError>;

    /// Loads a practice by name, or the only one when no name is given.
    fn load(&self, name: Option<&str>) -> Result<(PracticeId, Practice), StoreError>;

    /// Loads the practice with this number.
    fn practice(&self, id: PracticeId) -> Result<Practice, StoreError>;

    /// What the database knows that a decision on `inbound` depends on.
    fn history(
        &self,
        practice: PracticeId,
        inbound: &Inbound,
        week: jiff::civil::Date,
    ) -> Result<History, StoreError>;

    /// Decides and records contacts in order, in one transaction: each sees the ones before it.
    /// The messages `effects` gives for each recorded contact are queued in the outbox in the
    /// same transaction (a message whose key is queued already is not queued again), due at
    /// the contact's arrival.
    fn record(
        &mut self,
        practice: PracticeId,
        contacts: &[Inbound],
        decide: &DecideFn<'_>,
        week: &dyn Fn(&Inbound) -> Result<jiff::civil::Date, DecideError>,
        effects: &EffectsFn<'_>,
    ) -> Result<Vec<Recorded>, StoreError>;

    /// Records one contact under an idempotency key, as `record` does, keeping the key (at
    /// `now`, until `expires` — None: for good) and `request` (a digest of what was asked) in
    /// the same transaction. When the key is kept for the same request, nothing is recorded
    /// and that contact is returned instead (the flag says whether the contact is new); for a
    /// different request it is [`StoreError::KeyReused`]. Callers scope keys (per member, or
    /// `mail` and a Message-ID).
    #[allow(clippy::too_many_arguments)]
    fn record_once(
        &mut self,
        practice: PracticeId,
        key: &str,
        request: &[u8],
        now: Timestamp,
        expires: Option<Timestamp>,
        inbound: &Inbound,
        decide: &DecideFn<'_>,
        week: &dyn Fn(&Inbound) -> Result<jiff::civil::Date, DecideError>,
        effects: &EffectsFn<'_>,
    ) -> Result<(Recorded, bool), StoreError>;

    /// Records a client's e-mail once (under `mail.key`, kept for good), as `record_once`
    /// does, with what it is (automatic, which conversation it belongs to) and the
    /// mailbox's checkpoint, in one transaction. Automatic mail is recorded but never open.
    fn record_mail(
        &mut self,
        practice: PracticeId,
        mail: &MailIn<'_>,
        now: Timestamp,
        decide: &DecideFn<'_>,
        week: &dyn Fn(&Inbound) -> Result<jiff::civil::Date, DecideError>,
        effects: &EffectsFn<'_>,
    ) -> Result<(Recorded, bool), StoreError>;

    /// Moves a mailbox's checkpoint past a message that was not recorded, keeping it in the
    /// unmatched list when it came from a sender no client has.
    fn pass_mail(
        &mut self,
        practice: PracticeId,
        checkpoint: Option<&Checkpoint>,
        unmatched: Option<&Unmatched>,
    ) -> Result<(), StoreError>;

    /// Where a mailbox's folder was read up to, and what happened last.
    fn mailboxes(&self, practice: PracticeId) -> Result<Vec<MailboxState>, StoreError>;

    /// Notes a mailbox's read at `at`: how many messages the folder holds and the error, if
    /// it failed (None clears it). A new UIDVALIDITY starts the folder again from UID 0.
    fn mailbox_checked(
        &mut self,
        practice: PracticeId,
        mailbox: &str,
        uidvalidity: Option<u32>,
        present: Option<u64>,
        at: Timestamp,
        error: Option<&str>,
    ) -> Result<(), StoreError>;

    /// Messages from senders no client has, newest first.
    fn unmatched(&self, practice: PracticeId) -> Result<Vec<Unmatched>, StoreError>;

    /// Forgets an unmatched message (once it was assigned or dismissed); false when there
    /// was none under that key.
    fn drop_unmatched(&mut self, practice: PracticeId, key: &str) -> Result<bool, StoreError>;

    /// The contacts of the conversation `id` belongs to (its mail thread), oldest first; a
    /// contact of no thread is alone in its own.
    fn thread(&self, practice: PracticeId, id: ContactId) -> Result<Vec<Recorded>, StoreError>;

    /// One recorded contact.
    fn contact(&self, practice: PracticeId, id: ContactId) -> Result<Recorded, StoreError>;

    /// The languages members chose for themselves (their account's preference), by handle;
    /// members who chose none are left out.
    fn languages(&self, practice: PracticeId) -> Result<Vec<(Handle, String)>, StoreError>;

    /// Records the answer to a contact. `judge` sees the contact as it is inside the write
    /// transaction and says what the answer is, or refuses it (the core's rule: answered
    /// once, not before it arrived); a refusal writes nothing. The messages `effects` gives
    /// (the answer sent to the client) are queued in the same transaction, due at the answer.
    fn answer(
        &mut self,
        practice: PracticeId,
        id: ContactId,
        judge: &dyn Fn(&Recorded) -> Result<Answer, StoreError>,
        effects: &EffectsFn<'_>,
    ) -> Result<Recorded, StoreError>;

    /// The unanswered contacts in `scope` by due time, at most `limit`, with the scope's
    /// counts at `now`.
    fn inbox(
        &self,
        practice: PracticeId,
        scope: &Scope,
        now: Timestamp,
        limit: usize,
    ) -> Result<Inbox, StoreError>;

    /// A page of the unanswered contacts in `scope` that `query` selects, by due time.
    fn inbox_page(
        &self,
        practice: PracticeId,
        scope: &Scope,
        now: Timestamp,
        query: &InboxQuery,
    ) -> Result<InboxPage, StoreError>;

    /// Every unanswered contact due in `[from, until)`, by due time (what the timers look at).
    fn unanswered(
        &self,
        practice: PracticeId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<InboxEntry>, StoreError>;

    /// Runs the jobs whose keys have not run yet, in one transaction: each key is claimed and
    /// its messages queued (due at `at`) together, so a job runs exactly once however often
    /// and from wherever the timers run. Returns the keys that ran now.
    fn run_jobs(
        &mut self,
        practice: PracticeId,
        jobs: &[Job],
        at: Timestamp,
    ) -> Result<Vec<String>, StoreError>;

    /// Claims up to `limit` pending messages whose next attempt is due at `now`, oldest first,
    /// of the `routes` a sender can send: a medium for every practice (None), or for one.
    /// In one transaction their next attempt moves to `lease`, so another sender does not
    /// take them while this one tries, and a sender that dies midway leaves them to be tried
    /// again after the lease. Other messages are left alone, untouched, for a sender that can.
    fn claim_outbox(
        &mut self,
        now: Timestamp,
        lease: Timestamp,
        routes: &[(Medium, Option<PracticeId>)],
        limit: usize,
    ) -> Result<Vec<Queued>, StoreError>;

    /// How many pending messages of every practice are due at `now`.
    fn outbox_due_count(&self, now: Timestamp) -> Result<u64, StoreError>;

    /// Records how an attempt to deliver message `id` went.
    fn outbox_attempted(&mut self, id: i64, attempt: &Attempt) -> Result<(), StoreError>;

    /// The practice's messages, newest first; only those not sent when `unsent`.
    fn outbox(
        &self,
        practice: PracticeId,
        unsent: bool,
        limit: usize,
    ) -> Result<Vec<Queued>, StoreError>;

    /// Makes a dead (or pending) message due again at `now`, attempts counted from zero; false
    /// when the practice has no such unsent message.
    fn outbox_retry(
        &mut self,
        practice: PracticeId,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// The stored meetings that start in `[from, to)` and the stored changes to standing-call
    /// occurrences whose rule start is in it, by number.
    fn meetings(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(i64, Meeting)>, StoreError>;

    /// What is stored about the meeting `id` names: the stored meeting, or the change to a
    /// standing-call occurrence (empty when nothing was stored about it yet).
    fn meetings_about(
        &self,
        practice: PracticeId,
        id: &MeetingRef,
    ) -> Result<Vec<(i64, Meeting)>, StoreError>;

    /// Stores a meeting: a new one (`id` `None`; a standing-call occurrence replaces what was
    /// stored about it) or a change to stored meeting `id`. Returns its number.
    fn save_meeting(
        &mut self,
        practice: PracticeId,
        id: Option<i64>,
        meeting: &Meeting,
    ) -> Result<i64, StoreError>;

    /// The client's calls and voicemails recorded inside working hours in the week starting
    /// on `week` (a Monday in the owner's zone).
    fn adhoc_calls(
        &self,
        practice: PracticeId,
        client: &Handle,
        week: jiff::civil::Date,
    ) -> Result<u32, StoreError>;

    /// Stores a booked meeting (new, or `request.moving` at its new time) if `request.check`
    /// accepts it, judged on the meetings stored in `request.range` read in the same
    /// transaction as the write: of two bookings of one slot made at once, exactly one is
    /// stored and the other is `Refused`. Who booked it and the messages that confirm it are
    /// stored in the same transaction. Returns its number.
    fn book(&mut self, practice: PracticeId, request: &BookRequest<'_>) -> Result<i64, StoreError>;

    /// The booking whose change link has this secret's hash: its practice, meeting and booker.
    fn booking(&self, manage_hash: &[u8]) -> Result<Option<Booked>, StoreError>;

    /// Who booked stored meeting `id` on the booking page, if someone did.
    fn booker(&self, practice: PracticeId, id: i64) -> Result<Option<Booker>, StoreError>;

    /// Stores a change to meeting `id` and queues `messages` (due at `now`) in one
    /// transaction: a cancellation and the message that tells the booker.
    fn change_meeting(
        &mut self,
        practice: PracticeId,
        id: i64,
        meeting: &Meeting,
        messages: &[Message],
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Replaces the member's busy times that came from `source` with `busy`, in one
    /// transaction. Returns how many there were before.
    fn replace_busy(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        source: &str,
        busy: &[Busy],
    ) -> Result<usize, StoreError>;

    /// The member's busy times that overlap `[from, to)`, from every source, by start.
    fn busy(
        &self,
        practice: PracticeId,
        member: &Handle,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Busy>, StoreError>;

    /// Sets (or replaces) a member's password hash, and ends their sessions: a new password
    /// signs out whoever used the old one.
    fn set_password(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        hash: &str,
    ) -> Result<(), StoreError>;

    /// Whether any member of any practice can sign in yet (the first run sets one up).
    fn has_accounts(&self) -> Result<bool, StoreError>;

    /// The practice's audit chain in order, each entry with its stored hash, and the stored head
    /// (`(seq, hash)` of the last entry).
    fn audit(&self, practice: PracticeId) -> Result<AuditChain, StoreError>;

    /// The briefs of `member`'s absence starting on `from`, by client.
    fn briefs(
        &self,
        practice: PracticeId,
        member: &Handle,
        from: jiff::civil::Date,
    ) -> Result<Vec<Brief>, StoreError>;

    /// Brief `id`.
    fn brief(&self, practice: PracticeId, id: i64) -> Result<Option<Brief>, StoreError>;

    /// Writes the brief of `client` for `member`'s absence from `from` — a new one, or a new
    /// version — in one transaction with its audit entry: `judge` sees the brief as stored now
    /// (None for a new one) and gives the state to store, or refuses.
    #[allow(clippy::too_many_arguments)]
    fn write_brief(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        from: jiff::civil::Date,
        client: &Handle,
        cover: &Handle,
        content: &frontdesk_core::brief::Content,
        judge: &dyn Fn(Option<&Brief>) -> Result<frontdesk_core::brief::State, StoreError>,
        actor: &Handle,
        now: Timestamp,
    ) -> Result<Brief, StoreError>;

    /// Records a call back to `client` after `member`'s absence from `from`, with its outcome,
    /// in one transaction with its audit entry.
    #[allow(clippy::too_many_arguments)]
    fn record_callback(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        from: jiff::civil::Date,
        client: &Handle,
        by: &Handle,
        outcome: &str,
        at: Timestamp,
    ) -> Result<(), StoreError>;

    /// The practice's contacts that arrived since `from`, oldest first, as the escalation risk
    /// reads them (automatic mail left out).
    fn risk_contacts(
        &self,
        practice: PracticeId,
        from: Timestamp,
    ) -> Result<Vec<frontdesk_core::risk::Contact>, StoreError>;

    /// Keeps each client's risk score of `day` (replacing any kept for it).
    fn save_risk_day(
        &mut self,
        practice: PracticeId,
        day: jiff::civil::Date,
        scores: &[(Handle, u32)],
    ) -> Result<(), StoreError>;

    /// The kept daily risk scores of `client` from `from` on, oldest first.
    fn risk_history(
        &self,
        practice: PracticeId,
        client: &Handle,
        from: jiff::civil::Date,
    ) -> Result<Vec<(jiff::civil::Date, u32)>, StoreError>;

    /// Records a promise in `state`, with its audit entry.
    fn record_promise(
        &mut self,
        practice: PracticeId,
        promise: &frontdesk_core::promise::NewPromise,
        state: frontdesk_core::promise::State,
        now: Timestamp,
    ) -> Result<frontdesk_core::promise::Promise, StoreError>;

    /// The practice's promises (of `client` when given): every pending and open one and the
    /// latest others, newest first.
    fn promises(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
    ) -> Result<Vec<frontdesk_core::promise::Promise>, StoreError>;

    /// Promise `id`.
    fn promise(
        &self,
        practice: PracticeId,
        id: i64,
    ) -> Result<Option<frontdesk_core::promise::Promise>, StoreError>;

    /// Approves, refuses or keeps promise `id` as `judge` (seeing it as stored now) allows, in
    /// one transaction with its audit entry.
    fn promise_act(
        &mut self,
        practice: PracticeId,
        id: i64,
        act: &frontdesk_core::promise::Act,
        judge: &dyn Fn(
            &frontdesk_core::promise::Promise,
        ) -> Result<frontdesk_core::promise::State, StoreError>,
        actor: &Handle,
        now: Timestamp,
    ) -> Result<frontdesk_core::promise::Promise, StoreError>;

    /// The practice's contacts that arrived in `[from, until)`, as billing reads them (automatic
    /// mail left out).
    fn billing_work(
        &self,
        practice: PracticeId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<frontdesk_core::billing::Work>, StoreError>;

    /// Keeps the items whose keys are not kept yet (an item derived once keeps the amounts of
    /// that day); a manual item (empty key) gets the key `manual:ID`. Returns the items kept now.
    fn put_items(
        &mut self,
        practice: PracticeId,
        items: &[frontdesk_core::billing::Item],
    ) -> Result<Vec<frontdesk_core::billing::Item>, StoreError>;

    /// The keys of the items kept with dates in `[from, until]`: what a derivation need not offer
    /// again.
    fn item_keys(
        &self,
        practice: PracticeId,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
    ) -> Result<std::collections::HashSet<String>, StoreError>;

    /// The kept items dated in `[from, until]` (of `client` when given), oldest first; only
    /// those on no issued invoice when `open`.
    fn items(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
        open: bool,
    ) -> Result<Vec<frontdesk_core::billing::Item>, StoreError>;

    /// Waives or adjusts item `id` as `judge` says, seeing it and the number of the issued
    /// invoice it is on, with its audit entry, in one transaction.
    fn adjust_item(
        &mut self,
        practice: PracticeId,
        id: i64,
        judge: &AdjustFn<'_>,
    ) -> Result<frontdesk_core::billing::Item, StoreError>;

    /// Keeps a draft, replacing the client's draft for the same period (an invoice) or the
    /// draft correcting the same invoice (a credit note).
    fn save_draft(
        &mut self,
        practice: PracticeId,
        draft: &frontdesk_core::invoice::Invoice,
    ) -> Result<frontdesk_core::invoice::Invoice, StoreError>;

    /// The practice's invoices and credit notes (of `client` when given), drafts included,
    /// newest first.
    fn invoices(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
    ) -> Result<Vec<frontdesk_core::invoice::Invoice>, StoreError>;

    /// Invoice `id`, or the one numbered `number`.
    fn invoice(
        &self,
        practice: PracticeId,
        id: Option<i64>,
        number: Option<&str>,
    ) -> Result<Option<frontdesk_core::invoice::Invoice>, StoreError>;

    /// Issues draft `id` in one transaction: `make` sees the draft and what [`Issuing`] holds
    /// as it is inside the transaction, and returns the issued document; it is kept, its
    /// items marked as invoiced, the series of `year` and the chain's head moved, with its
    /// audit entry. Two issues at once take two consecutive numbers; a refusal writes nothing.
    fn issue_invoice(
        &mut self,
        practice: PracticeId,
        id: i64,
        year: i16,
        make: &dyn Fn(
            &frontdesk_core::invoice::Invoice,
            &Issuing,
        ) -> Result<frontdesk_core::invoice::Invoice, StoreError>,
        actor: &str,
        at: Timestamp,
    ) -> Result<frontdesk_core::invoice::Invoice, StoreError>;

    /// Writes a deliverable (a new one when its id is 0) with an audit entry of `kind`.
    fn put_deliverable(
        &mut self,
        practice: PracticeId,
        deliverable: &frontdesk_core::deliverable::Deliverable,
        actor: &str,
        kind: &str,
        at: Timestamp,
    ) -> Result<frontdesk_core::deliverable::Deliverable, StoreError>;

    /// The practice's deliverables, oldest first.
    fn deliverables(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<frontdesk_core::deliverable::Deliverable>, StoreError>;

    /// Writes an input request (a new one when its id is 0) and, when given, its deliverable
    /// as changed with it, with their audit entries, in one transaction.
    #[allow(clippy::too_many_arguments)]
    fn put_input_request(
        &mut self,
        practice: PracticeId,
        request: &frontdesk_core::deliverable::InputRequest,
        client: &Handle,
        deliverable: Option<&frontdesk_core::deliverable::Deliverable>,
        actor: &str,
        kind: &str,
        at: Timestamp,
    ) -> Result<frontdesk_core::deliverable::InputRequest, StoreError>;

    /// The practice's input requests, oldest first.
    fn input_requests(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<frontdesk_core::deliverable::InputRequest>, StoreError>;

    /// Records a rating asked of `client` through a link whose secret hashes to `token_hash`,
    /// and queues `messages(id)` (the link to the client) in the same transaction.
    #[allow(clippy::too_many_arguments)]
    fn request_rating(
        &mut self,
        practice: PracticeId,
        client: &Handle,
        deliverable: Option<i64>,
        goal: &str,
        token_hash: &[u8],
        messages: &dyn Fn(i64) -> Vec<frontdesk_core::outbox::Message>,
        actor: &str,
        now: Timestamp,
    ) -> Result<frontdesk_core::rating::Rating, StoreError>;

    /// The live rating behind a link's secret hash, with its practice.
    fn rating_by_token(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<(PracticeId, frontdesk_core::rating::Rating)>, StoreError>;

    /// The client's answer to rating `id`, once (refused when given or revoked).
    fn rate(
        &mut self,
        practice: PracticeId,
        id: i64,
        score: u8,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Result<frontdesk_core::rating::Rating, StoreError>;

    /// The practice's ratings (of `client` when given), newest first.
    fn ratings(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
    ) -> Result<Vec<frontdesk_core::rating::Rating>, StoreError>;

    /// Revokes rating `id`'s link; false when there is no such live link.
    fn revoke_rating(
        &mut self,
        practice: PracticeId,
        id: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// The calls back after `member`'s absence from `from`, oldest first.
    fn callbacks(
        &self,
        practice: PracticeId,
        member: &Handle,
        from: jiff::civil::Date,
    ) -> Result<Vec<Callback>, StoreError>;

    /// Acknowledges brief `id`, asks about it or answers its question, as `judge` (seeing the
    /// brief as stored now) allows, in one transaction with its audit entry.
    fn brief_act(
        &mut self,
        practice: PracticeId,
        id: i64,
        judge: &dyn Fn(&Brief) -> Result<BriefAct, StoreError>,
        actor: &Handle,
        now: Timestamp,
    ) -> Result<Brief, StoreError>;

    /// The members with a password whose email is `email` (case-insensitive).
    fn logins(&self, email: &str) -> Result<Vec<Login>, StoreError>;

    /// Starts a session, kept as the hash of its secret.
    fn create_session(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        token_hash: &[u8],
        csrf: &str,
        expires: Timestamp,
    ) -> Result<(), StoreError>;

    /// The session with this secret's hash, if it has not expired at `now`.
    fn session(&self, token_hash: &[u8], now: Timestamp) -> Result<Option<Principal>, StoreError>;

    /// Ends a session.
    fn delete_session(&mut self, token_hash: &[u8]) -> Result<(), StoreError>;

    /// Counts an attempt of `key` (a digest of what is limited: an account, an address) at
    /// `at`, unless `max` of its attempts were counted since `since`; whether it was counted
    /// (may go on). Every server on the database shares the count; attempts older than
    /// `since` are forgotten.
    fn limit_attempt(
        &mut self,
        key: &[u8],
        at: Timestamp,
        since: Timestamp,
        max: u32,
    ) -> Result<bool, StoreError>;

    /// Takes back attempts of `key`: the newest (one that should not count), or all of them
    /// (a success).
    fn limit_forget(&mut self, key: &[u8], all: bool) -> Result<(), StoreError>;

    /// Stores a new API token's hash for the member; returns its number.
    fn create_token(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<i64, StoreError>;

    /// The owner of an API token that has not been revoked.
    fn token(&self, token_hash: &[u8]) -> Result<Option<Principal>, StoreError>;

    /// Revokes the member's token `id`; false when there is no such live token.
    fn revoke_token(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Sets the language a member's pages are shown in (`None`: the browser's).
    fn set_language(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        language: Option<&str>,
    ) -> Result<(), StoreError>;

    /// The most recent contacts of a client, newest first.
    fn client_contacts(
        &self,
        practice: PracticeId,
        client: &Handle,
        limit: usize,
    ) -> Result<Vec<Recorded>, StoreError>;

    /// Contacts per client and week, for those that arrived in `[from, to)`.
    fn week_counts(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<WeekCounts>, StoreError>;

    /// The response times of contacts that arrived in `[from, to)` and were answered.
    fn responses(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Response>, StoreError>;

    /// The member's API tokens, newest first.
    fn tokens(&self, practice: PracticeId, member: &Handle) -> Result<Vec<TokenInfo>, StoreError>;

    /// Stores a new secret link's hash; returns its number.
    fn create_link(
        &mut self,
        practice: PracticeId,
        target: &LinkTarget,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<i64, StoreError>;

    /// The links that open `target` (live and revoked), newest first; never their secrets.
    fn links(
        &self,
        practice: PracticeId,
        target: &LinkTarget,
    ) -> Result<Vec<TokenInfo>, StoreError>;

    /// The live link with this secret's hash.
    fn link(&self, token_hash: &[u8]) -> Result<Option<Link>, StoreError>;

    /// Revokes link `id`; false when there is no such live link in the practice.
    fn revoke_link(
        &mut self,
        practice: PracticeId,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Subscribes the member's busy times to a calendar feed; returns its number.
    fn add_busy_source(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        url: &str,
    ) -> Result<i64, StoreError>;

    /// Every subscribed feed, of every practice (the server refreshes them all).
    fn busy_sources(&self) -> Result<Vec<BusySource>, StoreError>;

    /// Unsubscribes feed `id` of the practice: the feed and the busy times it gave go. The
    /// feed as it was, or None when the practice has no such feed.
    fn remove_busy_source(
        &mut self,
        practice: PracticeId,
        id: i64,
    ) -> Result<Option<BusySource>, StoreError>;

    /// Records the outcome of fetching feed `id` at `at`.
    fn busy_source_checked(
        &mut self,
        id: i64,
        at: Timestamp,
        error: Option<&str>,
    ) -> Result<(), StoreError>;

    /// Hands every row of every table in [`TABLES`] to `sink`, a chunk at a time (a copy of the
    /// whole database: `frontdesk db copy`).
    fn export(&self, sink: &mut Sink<'_>) -> Result<(), StoreError>;

    /// Fills an empty database with what `source` hands its sink, in one transaction: refused
    /// (nothing written) when the database holds a practice or any other row.
    fn import(
        &mut self,
        source: &mut dyn FnMut(&mut Sink<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Another handle on the same database, so that a server's requests run side by side
    /// (SQLite: another connection to the file — in WAL mode its readers run beside the one
    /// writer; PostgreSQL: the same pool). None: the database has only this handle (SQLite in
    /// memory).
    fn another(&self) -> Result<Option<Box<dyn Store + Send>>, StoreError> {
        Ok(None)
    }

    /// A listener for [`Changes`] made by other processes, where the backend can tell them
    /// (None: a database in memory, which no other process sees).
    fn changes(&self) -> Result<Option<Box<dyn Changes>>, StoreError> {
        Ok(None)
    }

    /// How many rows each table of [`TABLES`] holds.
    fn counts(&self) -> Result<Vec<(&'static str, u64)>, StoreError>;
}
