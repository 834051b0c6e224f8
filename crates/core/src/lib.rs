//! The pure domain of frontdesk.
//!
//! Everything here is a plain function over plain data: no IO, no clock, no database. `now` is
//! always a parameter. The data files this crate reads (triage word lists, reply texts) are
//! compiled in.
//!
//! The flow: a [`Practice`] (parsed at the edge) and an [`Inbound`] contact go into
//! [`decide`], with the [`History`] the storage knows; out comes a [`Decision`] with its due
//! time counted in [working time](working_time), flags, reasons and a [`Reply`] in the client's
//! language.

pub mod agenda;
pub mod audit;
pub mod automatic;
pub mod billing;
pub mod booking;
pub mod bounds;
pub mod brief;
mod contact;
mod decision;
pub mod deliverable;
pub mod digest;
pub mod einvoice;
mod error;
mod handle;
mod hours;
pub mod ical;
pub mod ical_in;
pub mod invoice;
mod language;
mod mail_settings;
pub mod money;
pub mod outbox;
mod password;
mod practice;
pub mod promise;
pub mod quotes;
pub mod rating;
mod reason;
mod recurrence;
mod reply;
pub mod risk;
mod roles;
pub mod slots;
pub mod stats;
mod target;
pub mod timers;
pub mod tone;
pub mod tone_model;
pub mod triage;
pub mod triage_model;
pub mod working_time;
mod zone;

pub use agenda::{
    AgendaError, AgendaFilter, Meeting, MeetingKind, MeetingRef, MeetingStatus, Occurrence,
};
pub use contact::{Answer, AnswerRefused, Channel, Inbound, answer, is_overdue, sender};
pub use decision::{
    BriefOf, DecideError, Decision, Flag, History, Reading, Verdict, decide, decide_read,
    quota_week, read_contact,
};
pub use error::ParseError;
pub use handle::Handle;
pub use hours::{TimeRange, WEEKDAY_KEYS, WeeklyHours};
pub use language::Language;
pub use mail_settings::{
    DEFAULT_AUTO_REPLY_EVERY_DAYS, ImapAuth, MailSettings, Mailbox, Secret, SmtpRelay, TlsMode,
    is_loopback,
};
pub use password::{Password, PasswordError};
pub use practice::{
    Absence, Belonging, Booking, Changes, Client, DEFAULT_DIGEST_AT, Member, Person, Practice,
    PracticeChanges, PracticeError, Removal, ResponseTargets, Role, Scope, Settings, StandingCall,
    Terms,
};
pub use reason::Reason;
pub use recurrence::{End, Frequency, RRule, Recurrence, Simple, parse_ical_datetime};
pub use reply::Reply;
pub use roles::{RoleChangeError, check_roles};
pub use target::Target;
pub use zone::Zone;
