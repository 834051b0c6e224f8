//! The desk's use-cases: one home for what every interface does.
//!
//! The core decides (pure functions, no IO, no clock); a [`frontdesk_store::Store`] keeps what
//! happened; this crate puts the two together for each thing a person or a program can do —
//! record a contact, answer it, book and mark meetings, import busy times, make secrets. The
//! command line, the web server, and the drivers to come (mail fetcher, sender, timers) call
//! these functions and nothing beneath them. Every function takes the store as
//! `&dyn Store`/`&mut dyn Store` (any backend) and `now` as a parameter: the desk never reads
//! the clock either.

pub mod billing;
pub mod booking;
pub mod briefs;
pub mod busy;
pub mod contacts;
pub mod contract;
pub mod copy;
pub mod deliverables;
pub mod imap;
pub mod mail;
pub mod meetings;
pub mod outbox;
pub mod promises;
pub mod ratings;
pub mod risk;
pub mod secrets;
pub mod smtp;
pub mod timers;
