//! The command line, parsed into values that are already valid.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use frontdesk_core::{Channel, Handle, MeetingKind, MeetingRef, MeetingStatus};
use jiff::Timestamp;
use jiff::civil::Date;

/// frontdesk: screens every call and message, says who answers and by when, and replies to the
/// client in their language.
#[derive(Parser, Debug)]
#[command(name = "frontdesk", version, about)]
pub struct Args {
    /// The database: a SQLite file (default: frontdesk.db in the platform's data directory), or a
    /// PostgreSQL URL, postgres://USER@HOST:PORT/NAME (the password in the URL or PGPASSFILE).
    #[arg(long, global = true, env = "FRONTDESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Which practice, where the database holds more than one.
    #[arg(long, global = true, value_name = "NAME")]
    pub practice: Option<String>,
    /// Print JSON instead of tables (a stable contract for scripts).
    #[arg(long, global = true)]
    pub json: bool,
    /// Hosts a calendar feed may be fetched from although they are not on the public
    /// internet (loopback, private or link-local addresses are refused otherwise).
    #[arg(
        long = "feed-allow-host",
        global = true,
        env = "FRONTDESK_FEED_ALLOW_HOSTS",
        value_delimiter = ',',
        value_name = "HOST"
    )]
    pub feed_allow_hosts: Vec<String>,
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
    /// Record the answer to a contact; with --send, also send it to the client.
    Reply {
        /// The contact's number, as `contact add` and `inbox` print it.
        id: i64,
        /// When it was answered (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
        /// Send the answer to the client (by the medium the contact came through, in their
        /// language), through the outbox.
        #[arg(long, requires = "body_file")]
        send: bool,
        /// The file holding the answer's text (with --send).
        #[arg(long, value_name = "FILE")]
        body_file: Option<PathBuf>,
        /// Minutes of work the answer took: billed as time under the client's terms.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1440))]
        minutes: Option<u32>,
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
    /// List standing calls and meetings, by start.
    Agenda(AgendaArgs),
    /// List the slots a client can book.
    Slots {
        /// The client's handle.
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        /// The first day (YYYY-MM-DD in the client owner's zone; default: today).
        #[arg(long, value_parser = parse_date)]
        from: Option<Date>,
        /// How many days.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..=366))]
        days: u16,
        /// The moment that is "now", for the minimum notice (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// iCalendar out: a member's feed.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Busy times from a member's own calendar.
    #[command(subcommand)]
    Busy(BusyCommand),
    /// Clients' e-mail: import an old mailbox.
    #[command(subcommand)]
    Mail(MailCommand),
    /// Add, book, mark or move meetings, and print their invitations.
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// Show a day at the desk from the four stories, on a temporary database.
    Demo,
    /// Serve the web app and the JSON API.
    Serve {
        /// Where to listen (default 127.0.0.1:8080).
        #[arg(long, env = "FRONTDESK_ADDR")]
        addr: Option<std::net::SocketAddr>,
        /// Mark cookies Secure (set this when users reach the server through TLS).
        #[arg(long, env = "FRONTDESK_SECURE_COOKIES")]
        secure_cookies: bool,
        /// The address of a reverse proxy in front of the server: requests from it are
        /// counted by the client address it puts last in X-Forwarded-For (sign-in limits).
        #[arg(long, env = "FRONTDESK_TRUSTED_PROXY", value_name = "IP")]
        trusted_proxy: Option<std::net::IpAddr>,
        /// Seconds a client has to send a request's headers, and a kept-alive connection may
        /// sit idle (default 10); three times as long for a body.
        #[arg(long, env = "FRONTDESK_HEADER_TIMEOUT", value_name = "SECONDS",
              value_parser = clap::value_parser!(u64).range(1..=3600))]
        header_timeout: Option<u64>,
        /// The most connections served at once (default 1024); more are closed as they come.
        #[arg(long, env = "FRONTDESK_MAX_CONNECTIONS", value_name = "N",
              value_parser = clap::value_parser!(usize))]
        max_connections: Option<usize>,
        /// A TOML file with `addr`, `db` and `secure_cookies`; flags and environment variables
        /// win over it.
        #[arg(long, env = "FRONTDESK_CONFIG", value_name = "PATH")]
        config: Option<PathBuf>,
        /// How often subscribed calendar feeds are refreshed, in seconds (default 900).
        #[arg(long, env = "FRONTDESK_BUSY_REFRESH", value_name = "SECONDS",
              value_parser = clap::value_parser!(u64).range(1..=86_400))]
        busy_refresh: Option<u64>,
        /// How often a mailbox whose server has no IMAP IDLE is read, in seconds (default 60;
        /// with IDLE, mail is read as it arrives).
        #[arg(long, env = "FRONTDESK_MAIL_POLL", value_name = "SECONDS",
              value_parser = clap::value_parser!(u64).range(1..=3_600))]
        mail_poll: Option<u64>,
        /// Serve a demo practice (the four stories) from a temporary database (not `--db`),
        /// and print how to sign in.
        #[arg(long)]
        demo: bool,
        /// Judge every request as if it were this moment (RFC 3339): the server's clock stands
        /// still there. For tests and for showing a given day.
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
        /// Deliver every outgoing message (auto-replies, notices) by appending it as a JSON line
        /// to this file. Without a channel for a medium, its messages wait in the outbox.
        #[arg(long, env = "FRONTDESK_OUTBOX_FILE", value_name = "PATH")]
        outbox_file: Option<PathBuf>,
        /// The address clients reach the server at (`https://desk.example.com`): the links in
        /// messages to clients (a booking's change link) start with it. Default: the address
        /// the server listens on.
        #[arg(long, env = "FRONTDESK_PUBLIC_URL", value_name = "URL")]
        public_url: Option<String>,
    },
    /// Run the timers once (notices of contacts due soon or overdue) and deliver what is due in
    /// the outbox; what `serve` does every minute. Each job runs once, however often this runs.
    /// With `--practice`, only that practice's timers run; the outbox is the database's, and
    /// every practice's due messages are delivered.
    Tick {
        /// Act as if it were this moment (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
        /// Deliver messages to this file as JSON lines (as `serve --outbox-file`).
        #[arg(long, env = "FRONTDESK_OUTBOX_FILE", value_name = "PATH")]
        outbox_file: Option<PathBuf>,
        /// Where clients reach the server (the links of monthly ratings); without it the
        /// monthly ratings wait for a pass that knows it.
        #[arg(long, env = "FRONTDESK_PUBLIC_URL", value_name = "URL", value_parser = parse_public_url)]
        public_url: Option<String>,
    },
    /// The messages the desk sends: auto-replies to clients, notices to members.
    #[command(subcommand)]
    Outbox(OutboxCommand),
    /// Briefs for an absence: what the member who is away leaves their cover about each
    /// client, handed over when the cover acknowledges it.
    #[command(subcommand)]
    Brief(BriefCommand),
    /// Deliverables: what is done for a client, by when, and against which goal.
    #[command(subcommand)]
    Deliverable(DeliverableCommand),
    /// Input requests: what the client must provide for a deliverable, by when.
    #[command(subcommand)]
    Input(InputCommand),
    /// Satisfaction ratings 1–10 against the goal, asked through a secret link.
    #[command(subcommand)]
    Rating(RatingCommand),
    /// The promise register: what was promised to clients, approvals, promises kept.
    #[command(subcommand)]
    Promise(PromiseCommand),
    /// What clients' habits cost: billable items derived from the desk (time, out-of-hours
    /// work, no-shows, late cancellations, calls over the allowance, holding days), waivers,
    /// adjustments, manual items.
    #[command(subcommand)]
    Billing(BillingCommand),
    /// Invoices and credit notes: draft, issue (the next number of the series), show, PDF, CSV.
    #[command(subcommand)]
    Invoice(InvoiceCommand),
    /// Each client's escalation risk: a score 0–100, the reasons as a colleague would say them,
    /// and the next step; highest first.
    Risk {
        /// Only this client, with its daily scores of the last 90 days.
        #[arg(long, value_parser = parse_handle)]
        client: Option<Handle>,
        /// Act as if it were this moment (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// What a manager's daily digest says at a moment: clients at risk, overdue contacts, urgent
    /// contacts handled since the last digest, briefs not handed over. Sends nothing (`tick`
    /// sends it at the digest time).
    Digest {
        /// The manager (default: the first owner).
        #[arg(long = "as", value_parser = parse_handle)]
        manager: Option<Handle>,
        /// Act as if it were this moment (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// The tamper-evident audit log: contacts, answers, briefs, acknowledgements, questions.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Secret links: a client's booking page, a member's calendar feed.
    #[command(subcommand)]
    Link(LinkCommand),
    /// API tokens for scripts and phone or chat systems.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Passwords for signing in to the web app.
    #[command(subcommand)]
    Password(PasswordCommand),
    /// The database as a whole: copy it to another backend.
    #[command(subcommand)]
    Db(DbCommand),
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Copy a whole database (every practice, contact, meeting, account, link, log) into a new,
    /// empty one — SQLite to PostgreSQL or back — and check the copy: the rows of every table
    /// counted in both, every audit chain verified. Stop the servers writing to the source first.
    Copy {
        /// The database to copy: a SQLite file or a postgres:// URL.
        #[arg(long, value_name = "PATH_OR_URL")]
        from: PathBuf,
        /// The empty database to copy into: a SQLite file (created) or a postgres:// URL.
        #[arg(long, value_name = "PATH_OR_URL")]
        to: PathBuf,
    },
}

#[derive(clap::Args, Debug, Clone)]
pub struct AgendaArgs {
    /// Only this client's meetings.
    #[arg(long, value_parser = parse_handle, conflicts_with = "member")]
    pub client: Option<Handle>,
    /// Only this member's meetings.
    #[arg(long, value_parser = parse_handle)]
    pub member: Option<Handle>,
    /// The first day (YYYY-MM-DD, in the member's zone, or the client owner's, or the
    /// practice owner's; default: today).
    #[arg(long, value_parser = parse_date)]
    pub from: Option<Date>,
    /// How many days.
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..=366))]
    pub days: u16,
    /// The moment that is "today" (RFC 3339; default: now).
    #[arg(long, value_parser = parse_at)]
    pub at: Option<Timestamp>,
}

#[derive(Subcommand, Debug)]
pub enum LinkCommand {
    /// A link to the client's booking page (send it to the client).
    Booking {
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        /// Where the server is reached.
        #[arg(long, env = "FRONTDESK_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
    /// A private iCalendar feed of the member's calendar (subscribe to it in a calendar program).
    Feed {
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
        /// Where the server is reached.
        #[arg(long, env = "FRONTDESK_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
    },
    /// Revoke a link by its number: it stops working at once.
    Revoke { id: i64 },
}

#[derive(Subcommand, Debug)]
pub enum OutboxCommand {
    /// The newest messages, with where each stands (pending, sent, dead) and its last error.
    List {
        /// Also those already sent.
        #[arg(long)]
        all: bool,
        /// How many at most.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u16).range(1..=1000))]
        limit: u16,
    },
    /// Try a dead (or waiting) message again at the next delivery, attempts counted anew.
    Retry {
        /// The message's number, as `outbox list` prints it.
        id: i64,
        /// Act as if it were this moment (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
}

#[derive(Subcommand, Debug)]
pub enum BriefCommand {
    /// The absent member's clients for the absence: which need a brief (a contact or meeting
    /// in the last 8 weeks) and where each brief stands.
    List {
        /// Who is away.
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
        /// The absence's first day (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        from: Date,
        /// Judge activity as of this moment (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// One brief, with its questions and answers.
    Show {
        /// The brief's number, as `brief list` prints it.
        id: i64,
    },
    /// Write (or write again) the brief of a client for an absence; a new version needs a new
    /// acknowledgement.
    Edit(Box<BriefEdit>),
    /// The return report of an absence: per client what came in, who answered and when, what
    /// was late, the brief's open items, and the calls back since.
    Report {
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
        #[arg(long, value_parser = parse_date)]
        from: Date,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
        /// Also write the report as a printable PDF to this file, in the practice's language.
        #[arg(long)]
        pdf: Option<std::path::PathBuf>,
    },
    /// Record a call back to a client after the absence, with its outcome.
    Callback {
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
        #[arg(long, value_parser = parse_date)]
        from: Date,
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        /// What came of the call.
        #[arg(long)]
        outcome: String,
        /// Who called (default: the member who was away).
        #[arg(long = "as", value_parser = parse_handle)]
        by: Option<Handle>,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// The cover acknowledges the brief: it counts as handed over.
    Ack {
        id: i64,
        /// The cover.
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// The cover asks a question; the brief waits for the answer.
    Ask {
        id: i64,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long)]
        text: String,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// An open item of the brief is done (the cover, the member, or an owner or manager).
    Done {
        id: i64,
        /// The item's place in the brief, from 1.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        item: u16,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// The member who is away answers the cover's question.
    Answer {
        id: i64,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long)]
        text: String,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
}

#[derive(clap::Args, Debug)]
pub struct BriefEdit {
    #[arg(long, value_parser = parse_handle)]
    pub member: Handle,
    #[arg(long, value_parser = parse_date)]
    pub from: Date,
    #[arg(long, value_parser = parse_handle)]
    pub client: Handle,
    /// Who covers this client (default: the absence's cover).
    #[arg(long, value_parser = parse_handle)]
    pub cover: Option<Handle>,
    /// Who writes it (default: the member who is away).
    #[arg(long = "as", value_parser = parse_handle)]
    pub by: Option<Handle>,
    /// Where the work stands.
    #[arg(long)]
    pub status: String,
    /// An open item, "YYYY-MM-DD: what" or just "what"; repeat for more.
    #[arg(long = "item")]
    pub items: Vec<String>,
    /// Promises already made to the client.
    #[arg(long, default_value = "")]
    pub promises: String,
    /// What the client is waiting for.
    #[arg(long, default_value = "")]
    pub waiting_for: String,
    /// People to know at the client.
    #[arg(long, default_value = "")]
    pub people: String,
    /// What the cover may promise.
    #[arg(long, default_value = "")]
    pub may_promise: String,
    /// What the cover must not promise.
    #[arg(long, default_value = "")]
    pub must_not_promise: String,
    /// Where the material is.
    #[arg(long, default_value = "")]
    pub material: String,
    /// Tell the client 3 days before the absence who covers and how to reach them.
    #[arg(long)]
    pub tell_client: bool,
    #[arg(long, value_parser = parse_at)]
    pub at: Option<Timestamp>,
}

#[derive(Subcommand, Debug)]
pub enum DeliverableCommand {
    /// Record a deliverable for a client: what, the goal agreed at the start, the due date.
    Add {
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        #[arg(long)]
        name: String,
        #[arg(long)]
        goal: String,
        #[arg(long, value_parser = parse_date)]
        due: Date,
        /// Who does it (one who serves the client).
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// The deliverables a member may see, with their input requests and days on hold.
    List {
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// The deliverable is done.
    Done {
        id: i64,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
}

#[derive(Subcommand, Debug)]
pub enum InputCommand {
    /// Ask the client for what a deliverable needs by a date ("to finish X by 1 February we
    /// need A, B and C by 20 January"), sent in their language; reminded two days before, and
    /// the deliverable goes on hold the day after if items are still missing.
    Request {
        /// The deliverable's number.
        #[arg(long)]
        deliverable: i64,
        /// An item the client must provide (repeat for each).
        #[arg(long = "item", required = true)]
        items: Vec<String>,
        #[arg(long, value_parser = parse_date)]
        by: Date,
        #[arg(long = "as", value_parser = parse_handle)]
        member: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// An item of a request arrived; the last one resumes a deliverable on hold.
    Received {
        /// The request's number.
        id: i64,
        /// The item's place in the request, from 1.
        #[arg(long)]
        item: usize,
        #[arg(long = "as", value_parser = parse_handle)]
        member: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
}

#[derive(Subcommand, Debug)]
pub enum RatingCommand {
    /// Ask a client to rate the work 1–10 against the goal agreed at the start: a deliverable
    /// (its goal), or the period's work (`--goal`). The client gets a secret link in their
    /// language; it is printed too.
    Request {
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        #[arg(long)]
        deliverable: Option<i64>,
        /// The goal, when not a deliverable's.
        #[arg(long)]
        goal: Option<String>,
        /// Where the server is reached from outside (as `serve --public-url`): the link's start.
        #[arg(long, env = "FRONTDESK_PUBLIC_URL")]
        public_url: String,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// The ratings asked and given, newest first.
    List {
        #[arg(long, value_parser = parse_handle)]
        client: Option<Handle>,
    },
    /// The link of rating N no longer opens.
    Revoke {
        id: i64,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
}

#[derive(Subcommand, Debug)]
pub enum BillingCommand {
    /// The billable items of a month (derived up to --at first), each with its evidence and
    /// its rule in words, and what each habit cost.
    Items {
        #[arg(long, value_parser = parse_handle)]
        client: Option<Handle>,
        /// The month, YYYY-MM (default: this month).
        #[arg(long, value_parser = parse_period)]
        period: Option<frontdesk_core::billing::Period>,
        /// Write the items as CSV for the accountant to this file.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Record an item by hand: work that is not a meeting or an answer.
    Add {
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        #[arg(long)]
        description: String,
        /// How many (hours, days or pieces).
        #[arg(long, default_value = "1")]
        quantity: String,
        /// hour, day or piece; hours and days are priced at the client's rates by default.
        #[arg(long, default_value = "piece", value_parser = parse_unit)]
        unit: frontdesk_core::billing::Unit,
        /// The price of one, in the client's currency ("120.00").
        #[arg(long)]
        price: Option<String>,
        /// The day the work was done (default: the day of --at).
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Waive an item (bill nothing for it), with the reason; kept with it.
    Waive {
        id: i64,
        #[arg(long)]
        reason: String,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Bill another amount for an item, with the reason; kept with it.
    Adjust {
        id: i64,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        reason: String,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
}

#[derive(Subcommand, Debug)]
pub enum InvoiceCommand {
    /// Draft a client's invoice for a month: every open item up to its end (replaces the
    /// month's earlier draft).
    Draft {
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        /// The month, YYYY-MM (default: this month).
        #[arg(long, value_parser = parse_period)]
        period: Option<frontdesk_core::billing::Period>,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Issue a draft as it stands: it takes the next number of the series and never changes.
    Issue {
        /// The draft's id.
        id: String,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Show an invoice or a credit note, by number or id.
    Show { id: String },
    /// The invoices and credit notes, newest first.
    List {
        #[arg(long, value_parser = parse_handle)]
        client: Option<Handle>,
    },
    /// Write an invoice as a PDF (A4, in the client's language).
    Pdf {
        id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write an issued invoice as a Factur-X / ZUGFeRD PDF: the invoice as PDF/A-3 carrying its
    /// EN 16931 XML.
    Facturx {
        id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write an issued invoice as UBL 2.1 (Peppol BIS Billing 3.0).
    Ubl {
        id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write an issued invoice as CII (the EN 16931 XML of Factur-X / ZUGFeRD).
    Cii {
        id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write an issued invoice as FatturaPA 1.2 XML, for an Italian practice's SdI intermediary.
    Fatturapa {
        id: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Send an issued invoice or credit note to the client by e-mail (through the outbox),
    /// in their language, with the PDF attached (Factur-X when it can be one).
    Send {
        id: String,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Write the issued invoices and credit notes as CSV for the accountant.
    Csv {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Draft a credit note correcting an issued invoice: whole lines (all when none is
    /// named), or an amount of one line.
    Credit {
        /// The invoice's number.
        number: String,
        #[arg(long)]
        reason: String,
        /// A line to credit (from 1); repeat for more.
        #[arg(long = "line")]
        lines: Vec<usize>,
        /// Credit this amount of the one line named.
        #[arg(long)]
        amount: Option<String>,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
}

fn parse_period(value: &str) -> Result<frontdesk_core::billing::Period, String> {
    frontdesk_core::billing::Period::parse(value).map_err(|e| e.to_string())
}

fn parse_unit(value: &str) -> Result<frontdesk_core::billing::Unit, String> {
    use frontdesk_core::billing::Unit;
    match value {
        "hour" | "hours" => Ok(Unit::Hour),
        "day" | "days" => Ok(Unit::Day),
        "piece" => Ok(Unit::Piece),
        other => Err(format!("{other:?}: use hour, day or piece")),
    }
}

#[derive(Subcommand, Debug)]
pub enum PromiseCommand {
    /// Record a promise made (or about to be made) to a client. Refunds, discounts, earlier
    /// dates, calls from a partner or the CEO and scope changes wait for a manager's approval
    /// (`promise_approval` in the practice file); meanwhile tell the client you will confirm.
    Add {
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        /// What was promised.
        #[arg(long)]
        what: String,
        /// By when (YYYY-MM-DD, in the promiser's zone).
        #[arg(long, value_parser = parse_date)]
        due: Date,
        /// delivery, callback, refund, discount, earlier_date, senior_call, scope_change.
        #[arg(long, default_value = "delivery", value_parser = parse_promise_kind)]
        kind: frontdesk_core::promise::Kind,
        /// The contact it answers.
        #[arg(long)]
        contact: Option<i64>,
        /// Who promised.
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// The promises a member may see, newest first; pending and overdue ones marked.
    List {
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_handle)]
        client: Option<Handle>,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// A manager approves a pending promise, with a note.
    Approve {
        id: i64,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// A manager refuses a pending promise, with a note (the client must be told otherwise).
    Refuse {
        id: i64,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// The promise was kept.
    Kept {
        id: i64,
        #[arg(long = "as", value_parser = parse_handle)]
        by: Handle,
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
}

fn parse_promise_kind(value: &str) -> Result<frontdesk_core::promise::Kind, String> {
    frontdesk_core::promise::Kind::parse(value).ok_or_else(|| {
        format!(
            "{value:?}: use delivery, callback, refund, discount, earlier_date, senior_call or scope_change"
        )
    })
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Check the chain: every entry's hash follows from the ones before, none missing.
    Verify,
    /// The entries, newest last.
    List {
        /// Only this client's.
        #[arg(long, value_parser = parse_handle)]
        client: Option<Handle>,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for a member and print it (once: only its hash is kept).
    Create {
        /// Whose token: requests made with it act as this member.
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
    },
    /// Revoke a member's token by its number.
    Revoke {
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
        /// The token's number, as `token create --json` prints it.
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum PasswordCommand {
    /// Set a member's password, read from standard input (one line, at least 10 characters).
    Set {
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
    },
}

#[derive(Subcommand, Debug)]
pub enum MailCommand {
    /// Record every message of an mbox file or a Maildir folder as contacts of the clients
    /// whose addresses or domains sent them — as history: no auto-reply is sent. A message is
    /// recorded once however often it is imported (by its Message-ID); the others are
    /// reported with why.
    Import {
        /// The mbox file, or the Maildir folder (with `cur` and `new`).
        path: PathBuf,
        /// The moment of the import (RFC 3339; default: now): the arrival of messages without
        /// a usable Date.
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Read what arrived in the practice's IMAP mailboxes (`[[mail.mailboxes]]`) since the
    /// last read, once: each new message becomes a contact (with its auto-reply queued), a
    /// sender no client has goes to the unmatched list. Nothing on the server is changed.
    Fetch {
        /// Only this mailbox.
        #[arg(long)]
        mailbox: Option<String>,
        /// The moment of the fetch (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Each mailbox: how far it was read, the messages it holds and has read, the last error;
    /// and the messages from senders no client has.
    Status,
    /// Record a message from a sender no client has (see `mail status`) as a contact of a
    /// client; with `--remember`, the sender's address is added to the client's people so
    /// their next message is matched.
    Assign {
        /// The message's Message-ID, as `mail status` shows it.
        message_id: String,
        /// The client it is from.
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        /// Remember the sender's address as one of the client's.
        #[arg(long)]
        remember: bool,
        /// The moment of the assignment (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Take a message from a sender no client has off the list, unrecorded.
    Dismiss {
        /// The message's Message-ID, as `mail status` shows it.
        message_id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum BusyCommand {
    /// Import the busy times of an iCalendar file (an export of the member's main calendar)
    /// for the next year, replacing those imported from the same file before. A malformed
    /// file is refused, naming the line, and the previous busy times stay.
    Import {
        /// Whose calendar it is.
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
        /// The .ics file, or an http(s) URL of a calendar feed.
        source: String,
        /// The moment to import from (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Subscribe a member's busy times to a calendar feed URL: imported now, and refreshed by
    /// `frontdesk serve` every `--busy-refresh` seconds. A feed that cannot be read is refused
    /// now; later failures keep the busy times it gave before.
    Subscribe {
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
        /// The feed's http(s) URL (the "secret address in iCal format" of the calendar).
        url: String,
    },
    /// Unsubscribe a member from a calendar feed: the feed and the busy times it gave go.
    Unsubscribe {
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
        /// The feed's URL, as it was subscribed.
        url: String,
    },
    /// List a member's busy times.
    List {
        /// Whose busy times.
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
        /// The first day (YYYY-MM-DD in the member's zone).
        #[arg(long, value_parser = parse_date)]
        from: Date,
        /// How many days.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..=366))]
        days: u16,
    },
}

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Print the member's calendar as iCalendar (RFC 5545): standing calls as recurring
    /// events, booked and ad-hoc meetings, cancellations.
    Export {
        /// Whose calendar.
        #[arg(long, value_parser = parse_handle)]
        member: Handle,
        /// The moment written as DTSTAMP (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
}

#[derive(Subcommand, Debug)]
pub enum MeetingCommand {
    /// Print the iCalendar invitation for a booked or ad-hoc meeting (a cancellation once
    /// it is cancelled).
    Ics {
        /// The meeting's number, as `agenda` prints it.
        id: i64,
        /// The moment written as DTSTAMP (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Put a meeting with a client in the agenda.
    Add {
        /// The client's handle.
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        /// When it starts (RFC 3339 with an offset).
        #[arg(long, value_parser = parse_at)]
        start: Timestamp,
        /// How long it lasts.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=1440))]
        minutes: u32,
        /// Who meets the client (default: the client's owner).
        #[arg(long, value_parser = parse_handle)]
        member: Option<Handle>,
        /// `adhoc` (arranged by hand) or `booked` (the client booked it).
        #[arg(long, default_value = "adhoc", value_parser = parse_kind)]
        kind: MeetingKind,
    },
    /// Book one of the client's slots, as their booking link would: refused if the slot is no
    /// longer free.
    Book {
        /// The client's handle.
        #[arg(long, value_parser = parse_handle)]
        client: Handle,
        /// The slot's start, as `slots` prints it.
        #[arg(long, value_parser = parse_at)]
        start: Timestamp,
        /// The moment of booking (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
    },
    /// Record what became of a meeting: held, no-show, cancelled (or scheduled, to undo).
    Mark {
        /// The meeting, as `agenda` prints it: a number, or client@start for a standing call.
        #[arg(value_parser = parse_meeting)]
        id: MeetingRef,
        /// held, no-show, cancelled or scheduled.
        #[arg(value_parser = parse_status)]
        status: MeetingStatus,
        /// When it was marked; a cancellation inside the notice period before the start is
        /// late (RFC 3339; default: now).
        #[arg(long, value_parser = parse_at)]
        at: Option<Timestamp>,
        /// How long a held meeting lasted (default: as planned).
        #[arg(long)]
        minutes: Option<u32>,
    },
    /// Move a meeting to another time.
    Move {
        /// The meeting, as `agenda` prints it.
        #[arg(value_parser = parse_meeting)]
        id: MeetingRef,
        /// The new start (RFC 3339 with an offset).
        #[arg(long, value_parser = parse_at)]
        to: Timestamp,
    },
}

fn parse_date(value: &str) -> Result<Date, String> {
    frontdesk_core::bounds::date(value).map_err(|e| e.to_string())
}

fn parse_kind(value: &str) -> Result<MeetingKind, String> {
    match MeetingKind::parse(value) {
        Ok(MeetingKind::Standing) => {
            Err("standing calls come from the client's terms; add adhoc or booked meetings".into())
        }
        Ok(k) => Ok(k),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_status(value: &str) -> Result<MeetingStatus, String> {
    MeetingStatus::parse(value).map_err(|e| e.to_string())
}

fn parse_meeting(value: &str) -> Result<MeetingRef, String> {
    MeetingRef::parse(value).map_err(|e| e.to_string())
}

#[derive(Subcommand, Debug)]
pub enum ContactCommand {
    /// Record an inbound contact and print the desk's decision.
    Add(ContactArgs),
    /// Show a recorded contact: what arrived, the decision, the answer, whether it is
    /// automatic mail, and the conversation it belongs to.
    Show {
        /// The contact's number.
        id: i64,
    },
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
    #[arg(long, value_parser = parse_sender)]
    pub from: String,
    /// When it arrived (RFC 3339 with an offset; default: now).
    #[arg(long, value_parser = parse_at)]
    pub at: Option<Timestamp>,
    /// What it says: the message, the voicemail transcript, or a note of the call.
    #[arg(long)]
    pub body: Option<String>,
    /// Recorded after the fact, for the record: no auto-reply is queued (it would reach the
    /// client late). Without it, `contact add` queues the reply the decision has.
    #[arg(long)]
    pub history: bool,
}

fn parse_handle(value: &str) -> Result<Handle, String> {
    Handle::parse(value).map_err(|e| e.to_string())
}

fn parse_sender(value: &str) -> Result<String, String> {
    frontdesk_core::sender(value).map_err(|e| e.to_string())
}

fn parse_channel(value: &str) -> Result<Channel, String> {
    Channel::parse(value).map_err(|e| e.to_string())
}

/// Parses an RFC 3339 instant; the offset is required so the instant is unambiguous.
fn parse_public_url(value: &str) -> Result<String, String> {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
            Ok(value.trim_end_matches('/').to_string())
        }
        _ => Err(format!(
            "{value:?} is not an address such as https://desk.example.com"
        )),
    }
}

pub fn parse_at(value: &str) -> Result<Timestamp, String> {
    frontdesk_core::bounds::instant(value).map_err(|e| e.to_string())
}
