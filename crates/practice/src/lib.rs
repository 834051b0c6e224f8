//! The practice file: a TOML description of a practice that `frontdesk apply` imports and
//! `frontdesk export` prints.
//!
//! [`parse`] reads and validates the whole file before anything else happens, so a bad file
//! never reaches storage; every error names the field path (`clients[0].terms.response.email`)
//! and the value. [`render`] prints a practice back as a file that [`parse`] accepts and that
//! describes the same practice (the round trip).

mod edit;
mod file;
mod parse;
mod render;

pub use edit::{FirstRun, add_client_address, edit, first_run, to_file};
pub use file::{
    AbsenceEntry, BillingEntry, BookingEntry, ClientEntry, HoursEntry, LegalEntry, MailEntry,
    MemberEntry, MoneyEntry, PersonEntry, PracticeFile, PracticeSection, ResponseEntry, SmtpEntry,
    StandingCallEntry, TermsEntry,
};
pub use parse::{FileError, parse, validate};
pub use render::render;
