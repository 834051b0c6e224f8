//! The command line, parsed into values that are already valid.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use frontdesk_core::{Channel, Handle};
use jiff::Timestamp;

/// frontdesk: screens every call and message, says who answers and by when, and replies to the
/// client in their language.
#[derive(Parser, Debug)]
#[command(name = "frontdesk", version, about)]
pub struct Args {
    /// The database file (default: frontdesk.db in the platform's data directory).
    #[arg(long, global = true, env = "FRONTDESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Which practice, where the database holds more than one.
    #[arg(long, global = true, value_name = "NAME")]
    pub practice: Option<String>,
    /// Print JSON instead of tables (a stable contract for scripts).
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Import a practice file: creates the practice named in it, or updates it.
    Apply {
        /// The practice file (TOML).
        file: PathBuf,
    },
    /// Print the practice's settings as a practice file that `apply` accepts.
    Export,
    /// Show what the desk would decide for a contact, without recording anything.
    Decide(ContactArgs),
    /// Record contacts.
    #[command(subcommand)]
    Contact(ContactCommand),
    /// Record the answer to a contact.
    Reply {
        /// The contact's number, as `contact add` and `inbox` print it.
        id: i64,
        /// When it was answered (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// List what still needs an answer, most urgent first.
    Inbox {
        /// The moment to judge overdue at (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
        /// How many contacts to list at most.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Show a day at the desk from the four stories, on a temporary database.
    Demo,
}

#[derive(Subcommand, Debug)]
pub enum ContactCommand {
    /// Record an inbound contact and print the desk's decision.
    Add(ContactArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct ContactArgs {
    /// The client's handle.
    #[arg(long, value_parser = parse_handle)]
    pub client: Handle,
    /// How it arrived.
    #[arg(long, value_parser = parse_channel)]
    pub channel: Channel,
    /// Who sent it: an email address or phone number.
    #[arg(long)]
    pub from: String,
    /// When it arrived (RFC 3339 with an offset; default: now).
    #[arg(long, value_parser = parse_at)]
    pub at: Option<Timestamp>,
    /// What it says: the message, the voicemail transcript, or a note of the call.
    #[arg(long)]
    pub body: Option<String>,
}

fn parse_handle(value: &str) -> Result<Handle, String> {
    Handle::parse(value).map_err(|e| e.to_string())
}

fn parse_channel(value: &str) -> Result<Channel, String> {
    Channel::parse(value).map_err(|e| e.to_string())
}

/// Parses an RFC 3339 instant; the offset is required so the instant is unambiguous.
pub fn parse_at(value: &str) -> Result<Timestamp, String> {
    value.parse::<Timestamp>().map_err(|_| {
        format!(
            "{value:?} is not an RFC 3339 instant with an offset, such as \"2026-12-07T10:30:00+01:00\" or \"2026-12-07T09:30:00Z\""
        )
    })
}
