//! One function per command: translate, delegate to the library, print.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use frontdesk_core::{Inbound, Practice, decide, quota_week, working_time};
use frontdesk_sqlite::SqliteStore;
use frontdesk_store::{ContactId, PracticeId, Store};
use jiff::Timestamp;

use crate::cli::{Args, Command, ContactArgs, ContactCommand};
use crate::output;

/// Runs one command.
pub fn run(args: Args) -> Result<()> {
    let json = args.json;
    if let Command::Demo = args.command {
        return crate::demo::run(json);
    }
    let path = match args.db {
        Some(p) => p,
        None => default_db()?,
    };
    let mut store = open(&path)?;
    let practice = args.practice.as_deref();
    match args.command {
        Command::Apply { file } => apply(&mut store, &file, json),
        Command::Export => {
            let (_, p) = store.load(practice)?;
            print!("{}", frontdesk_practice::render(&p));
            Ok(())
        }
        Command::Decide(c) => {
            let (id, p) = store.load(practice)?;
            let inbound = inbound(c);
            let week = quota_week(&p, &inbound)?;
            let history = store.history(id, &inbound, week)?;
            let decision = decide(&p, &inbound, &history)?;
            output::decision(&p, None, &decision, json);
            Ok(())
        }
        Command::Contact(ContactCommand::Add(c)) => {
            let (id, p) = store.load(practice)?;
            let recorded = record(&mut store, id, &p, vec![inbound(c)])?;
            let r = &recorded[0];
            output::decision(&p, Some(r.id), &r.decision, json);
            Ok(())
        }
        Command::Reply { id, at } => {
            let (pid, p) = store.load(practice)?;
            let at = at.unwrap_or_else(Timestamp::now);
            let r = answer(&mut store, pid, &p, ContactId(id), at)?;
            output::answered(&r, json);
            Ok(())
        }
        Command::Inbox { at, limit } => {
            let (id, p) = store.load(practice)?;
            let now = at.unwrap_or_else(Timestamp::now);
            let inbox = store.inbox(id, now, limit)?;
            output::inbox(&p, &inbox, now, json);
            Ok(())
        }
        Command::Demo => unreachable!("handled above"),
    }
}

fn default_db() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "frontdesk")
        .context("no home directory to keep the database in: pass --db PATH")?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    Ok(dir.join("frontdesk.db"))
}

/// Opens the database file, creating it when needed.
pub fn open(path: &Path) -> Result<SqliteStore> {
    if path.is_dir() {
        bail!(
            "--db {}: is a directory, not a database file",
            path.display()
        );
    }
    SqliteStore::open(path).with_context(|| format!("cannot open the database {}", path.display()))
}

/// Reads, validates and applies a practice file.
pub fn apply(store: &mut impl Store, file: &Path, json: bool) -> Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the practice file {}", file.display()))?;
    let practice = frontdesk_practice::parse(&text)
        .with_context(|| format!("{} is not a valid practice file", file.display()))?;
    let applied = store.apply(&practice)?;
    output::applied(&practice, &applied, json);
    Ok(())
}

fn inbound(c: ContactArgs) -> Inbound {
    Inbound {
        client: c.client,
        channel: c.channel,
        from: c.from,
        at: c.at.unwrap_or_else(Timestamp::now),
        body: c.body.filter(|b| !b.trim().is_empty()),
    }
}

/// Decides and records contacts in one transaction.
pub fn record(
    store: &mut impl Store,
    id: PracticeId,
    practice: &Practice,
    contacts: Vec<Inbound>,
) -> Result<Vec<frontdesk_store::Recorded>> {
    Ok(store.record(
        id,
        &contacts,
        &|inbound, history| decide(practice, inbound, history),
        &|inbound| quota_week(practice, inbound),
    )?)
}

/// Records an answer, measuring the response in the assignee's working time.
pub fn answer(
    store: &mut impl Store,
    id: PracticeId,
    practice: &Practice,
    contact: ContactId,
    at: Timestamp,
) -> Result<frontdesk_store::Recorded> {
    Ok(store.answer(id, contact, at, &|recorded| {
        match practice.member(&recorded.decision.assignee) {
            Some(member) => {
                working_time::working_time_between(practice, member, recorded.inbound.at, at)
            }
            // The assignee has left the practice since: only clock time is known.
            None => recorded.inbound.at.duration_until(at),
        }
    })?)
}
