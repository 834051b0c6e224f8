//! One function per command: translate, delegate to the library, print.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use frontdesk_core::working_time::days_span;
use frontdesk_core::{
    AgendaFilter, Inbound, Meeting, MeetingKind, MeetingRef, MeetingStatus, Occurrence, Practice,
    decide, quota_week,
};
use frontdesk_desk::contacts::Replies;
use frontdesk_postgres::PgStore;
use frontdesk_sqlite::SqliteStore;
use frontdesk_store::{ContactId, PracticeId, Store};
use jiff::Timestamp;

use crate::cli::{
    AgendaArgs, Args, BusyCommand, CalendarCommand, Command, ContactArgs, ContactCommand,
    DbCommand, LinkCommand, MailCommand, MeetingCommand, OutboxCommand, PasswordCommand,
    TokenCommand,
};
use crate::output;

/// Runs one command.
pub fn run(args: Args) -> Result<()> {
    let json = args.json;
    if let Command::Demo = args.command {
        return crate::demo::run(json);
    }
    if let Command::Db(DbCommand::Copy { from, to }) = &args.command {
        return copy(from, to, json);
    }
    if let Command::Serve {
        addr,
        secure_cookies,
        trusted_proxy,
        header_timeout,
        max_connections,
        config,
        busy_refresh,
        mail_poll,
        demo,
        at,
        outbox_file,
        public_url,
    } = args.command
    {
        let file = match &config {
            Some(path) => ServeConfig::read(path)?,
            None => ServeConfig::default(),
        };
        let addr = addr
            .or(file.addr)
            .unwrap_or_else(|| "127.0.0.1:8080".parse().expect("a valid address"));
        let secure_cookies = secure_cookies || file.secure_cookies.unwrap_or(false);
        let busy_refresh = std::time::Duration::from_secs(
            busy_refresh
                .or(file.busy_refresh_seconds)
                .unwrap_or(900)
                .max(1),
        );
        let mail_poll = std::time::Duration::from_secs(
            mail_poll.or(file.mail_poll_seconds).unwrap_or(60).max(1),
        );
        // The demo's database lives as long as the server.
        let demo_dir = if demo {
            Some(tempfile::tempdir()?)
        } else {
            None
        };
        let db = match (&demo_dir, args.db.or(file.db)) {
            (Some(dir), _) => {
                let db = dir.path().join("demo.db");
                let (email, password) = crate::demo::prepare_server(&db)?;
                println!("demo practice: sign in as {email} with password {password}");
                db
            }
            (None, Some(p)) => p,
            (None, None) => default_db()?,
        };
        // The demo is a day of its own: the server's clock stands at its end (and says so on
        // every page), so what the demo shows is what that day's desk would do.
        let at = at.or(demo.then(crate::demo::moment));
        return serve(frontdesk_web::Config {
            addr,
            db,
            secure_cookies,
            busy_refresh,
            mail_poll,
            at,
            outbox_file: outbox_file.or(file.outbox_file),
            trusted_proxy: trusted_proxy.or(file.trusted_proxy),
            feed_allow_hosts: args.feed_allow_hosts.clone(),
            header_timeout: std::time::Duration::from_secs(
                header_timeout.or(file.header_timeout_seconds).unwrap_or(10),
            ),
            max_connections: max_connections.or(file.max_connections).unwrap_or(1024),
            public_url: public_url.or(file.public_url),
        });
    }
    let path = match args.db {
        Some(p) => p,
        None => default_db()?,
    };
    let mut store = open(&path)?;
    let practice = args.practice.as_deref();
    match args.command {
        Command::Apply { file } => apply(&mut *store, &file, json),
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
            let history = c.history;
            let recorded = record(&mut *store, id, &p, vec![inbound(c)], history)?;
            let r = &recorded[0];
            output::decision(&p, Some(r.id), &r.decision, json);
            Ok(())
        }
        Command::Contact(ContactCommand::Show { id }) => {
            let (pid, p) = store.load(practice)?;
            let r = store.contact(pid, ContactId(id))?;
            let thread = store.thread(pid, ContactId(id))?;
            output::contact(&p, &r, &thread, json);
            Ok(())
        }
        Command::Reply {
            id,
            at,
            send,
            body_file,
            minutes,
        } => {
            let (pid, p) = store.load(practice)?;
            let at = at.unwrap_or_else(Timestamp::now);
            let text = match (send, body_file) {
                (true, Some(file)) => {
                    let text = std::fs::read_to_string(&file)
                        .with_context(|| format!("--body-file: cannot read {}", file.display()))?;
                    Some(
                        frontdesk_core::outbox::answer_text(&text)
                            .with_context(|| format!("--body-file: {}", file.display()))?,
                    )
                }
                (true, None) => bail!("--send needs --body-file with the answer's text"),
                (false, Some(_)) => bail!("--body-file is sent only with --send"),
                (false, None) => None,
            };
            let r = frontdesk_desk::contacts::answer(
                &mut *store,
                pid,
                &p,
                ContactId(id),
                at,
                text.as_deref(),
                None,
                minutes,
            )?;
            // What the answer promises, to record in the register.
            let promises = text
                .as_deref()
                .map(|t| frontdesk_desk::contacts::promises_in_answer(&p, &r, t))
                .unwrap_or_default();
            output::answered(&r, &promises, json);
            Ok(())
        }
        Command::Tick {
            at,
            outbox_file,
            public_url,
        } => {
            let now = at.unwrap_or_else(Timestamp::now);
            let url = public_url.as_deref();
            let ran = match practice {
                Some(_) => {
                    let (id, p) = store.load(practice)?;
                    frontdesk_desk::timers::tick(&mut *store, id, &p, url, now)?.len()
                }
                None => frontdesk_desk::timers::tick_all(&mut *store, now, url, &|st, id| {
                    st.practice(id).map(std::sync::Arc::new)
                })?,
            };
            let transports = frontdesk_desk::smtp::transports(&*store, outbox_file)?;
            let delivered =
                frontdesk_desk::outbox::deliver_with(&mut *store, &transports, now, 10_000)?;
            output::ticked(ran, &delivered, json);
            Ok(())
        }
        Command::Brief(command) => crate::briefs::brief(&mut *store, practice, command, json),
        Command::Audit(command) => crate::briefs::audit(&mut *store, practice, command, json),
        Command::Deliverable(command) => {
            crate::deliverables::deliverable(&mut *store, practice, command, json)
        }
        Command::Input(command) => crate::deliverables::input(&mut *store, practice, command, json),
        Command::Rating(command) => crate::ratings::rating(&mut *store, practice, command, json),
        Command::Promise(command) => crate::promises::promise(&mut *store, practice, command, json),
        Command::Billing(command) => {
            crate::billing::billing_command(&mut *store, practice, command, json)
        }
        Command::Invoice(command) => {
            crate::billing::invoice_command(&mut *store, practice, command, json)
        }
        Command::Risk { client, at } => crate::risk::risk(&*store, practice, client, at, json),
        Command::Digest { manager, at } => {
            crate::risk::digest(&*store, practice, manager, at, json)
        }
        Command::Outbox(OutboxCommand::List { all, limit }) => {
            let (id, _) = store.load(practice)?;
            let list = store.outbox(id, !all, usize::from(limit))?;
            output::outbox(&list, json);
            Ok(())
        }
        Command::Outbox(OutboxCommand::Retry { id, at }) => {
            let (pid, _) = store.load(practice)?;
            let now = at.unwrap_or_else(Timestamp::now);
            if !store.outbox_retry(pid, id, now)? {
                bail!(
                    "id: no unsent message {id} in this practice (`frontdesk outbox list` shows them)"
                );
            }
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "retry": id, "at": now.to_string() })
                );
            } else {
                println!("message {id} will be tried again from {now}");
            }
            Ok(())
        }
        Command::Inbox { at, limit } => {
            let (id, p) = store.load(practice)?;
            let now = at.unwrap_or_else(Timestamp::now);
            let inbox = store.inbox(id, &frontdesk_core::Scope::All, now, limit)?;
            output::inbox(&p, &inbox, now, json);
            Ok(())
        }
        Command::Agenda(a) => {
            let (id, p) = store.load(practice)?;
            let list = agenda(&*store, id, &p, &a)?;
            output::agenda(&p, &list, json);
            Ok(())
        }
        Command::Slots {
            client,
            from,
            days,
            at,
        } => {
            let (id, p) = store.load(practice)?;
            let (c, owner) = client_and_owner(&p, &client)?;
            let now = at.unwrap_or_else(Timestamp::now);
            let first =
                from.unwrap_or_else(|| now.to_zoned_datetime(owner.zone.tz().clone()).date());
            let list = frontdesk_desk::booking::free_slots(&*store, id, &p, c, now, first, days)?;
            output::slots(c, &list, json);
            Ok(())
        }
        Command::Meeting(MeetingCommand::Book { client, start, at }) => {
            let (id, p) = store.load(practice)?;
            let (c, _) = client_and_owner(&p, &client)?;
            let now = at.unwrap_or_else(Timestamp::now);
            let (number, meeting) =
                frontdesk_desk::booking::book(&mut *store, id, &p, c, now, start, None).map_err(
                    |e| match e {
                        frontdesk_store::StoreError::Refused(why) => {
                            anyhow::anyhow!("--start {why}")
                        }
                        e => e.into(),
                    },
                )?;
            let o = Occurrence {
                id: MeetingRef::Stored(number),
                stored: Some(number),
                meeting,
            };
            output::agenda(&p, std::slice::from_ref(&o), json);
            Ok(())
        }
        Command::Mail(MailCommand::Import { path, at }) => {
            let (id, p) = store.load(practice)?;
            let now = at.unwrap_or_else(Timestamp::now);
            use std::io::IsTerminal;
            let terminal = std::io::stderr().is_terminal() && !json;
            let mut progress = |n: usize| {
                if terminal && n.is_multiple_of(100) {
                    eprint!("\r{n} messages read");
                }
            };
            let report =
                frontdesk_desk::mail::import(&mut *store, id, &p, &path, now, &mut progress)
                    .map_err(anyhow::Error::msg)?;
            if terminal && report.read >= 100 {
                eprintln!();
            }
            output::mail_imported(&report, json);
            Ok(())
        }
        Command::Mail(MailCommand::Fetch { mailbox, at }) => {
            let (id, p) = store.load(practice)?;
            let boxes: Vec<_> = p
                .settings()
                .mail
                .as_ref()
                .map(|m| m.mailboxes.clone())
                .unwrap_or_default()
                .into_iter()
                .filter(|b| mailbox.as_ref().is_none_or(|n| *n == b.name))
                .collect();
            if boxes.is_empty() {
                match &mailbox {
                    Some(n) => anyhow::bail!("--mailbox: the practice has no mailbox {n:?}"),
                    None => anyhow::bail!(
                        "the practice has no mailboxes: add [[mail.mailboxes]] to its file"
                    ),
                }
            }
            let mut reports = Vec::new();
            let mut failed = Vec::new();
            for b in &boxes {
                let now = || at.unwrap_or_else(Timestamp::now);
                let mut with = |f: &mut dyn FnMut(&mut dyn frontdesk_store::Store)| f(&mut *store);
                match frontdesk_desk::imap::fetch(&mut with, id, &p, b, &now) {
                    Ok(r) => reports.push(r),
                    Err(e) => failed.push(format!("mailbox {}: {e}", b.name)),
                }
            }
            output::mail_fetched(&reports, json);
            if !failed.is_empty() {
                anyhow::bail!(failed.join("\n"));
            }
            Ok(())
        }
        Command::Mail(MailCommand::Assign {
            message_id,
            client,
            remember,
            at,
        }) => {
            let (id, p) = store.load(practice)?;
            let now = at.unwrap_or_else(Timestamp::now);
            let (r, edited) = frontdesk_desk::mail::assign(
                &mut *store,
                id,
                &p,
                &message_id,
                &client,
                remember,
                now,
            )?;
            output::decision(edited.as_ref().unwrap_or(&p), Some(r.id), &r.decision, json);
            Ok(())
        }
        Command::Mail(MailCommand::Dismiss { message_id }) => {
            let (id, _) = store.load(practice)?;
            if !store.drop_unmatched(id, &frontdesk_desk::mail::key(&message_id))? {
                anyhow::bail!(
                    "no message from an unknown sender has the Message-ID {message_id:?}"
                );
            }
            if !json {
                println!("dismissed");
            } else {
                println!("{}", serde_json::json!({ "dismissed": message_id }));
            }
            Ok(())
        }
        Command::Mail(MailCommand::Status) => {
            let (id, _) = store.load(practice)?;
            output::mail_status(&store.mailboxes(id)?, &store.unmatched(id)?, json);
            Ok(())
        }
        Command::Busy(BusyCommand::Import { member, source, at }) => {
            let (id, p) = store.load(practice)?;
            member_of(&p, &member)?;
            let (text, source) = if source.starts_with("http://") || source.starts_with("https://")
            {
                (
                    frontdesk_desk::busy::fetch(&source, &args.feed_allow_hosts)
                        .map_err(anyhow::Error::msg)?,
                    source,
                )
            } else {
                let file = PathBuf::from(&source);
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read the calendar file {}", file.display()))?;
                let canonical = std::fs::canonicalize(&file).unwrap_or(file);
                (text, canonical.display().to_string())
            };
            let now = at.unwrap_or_else(Timestamp::now);
            let (imported, replaced) =
                frontdesk_desk::busy::import(&mut *store, id, &p, &member, &source, &text, now)
                    .map_err(|e| anyhow::anyhow!("{source}: {e}"))?;
            output::busy_imported(&member, &source, imported, replaced, json);
            Ok(())
        }
        Command::Busy(BusyCommand::Subscribe { member, url }) => {
            let (id, p) = store.load(practice)?;
            member_of(&p, &member)?;
            let text = frontdesk_desk::busy::fetch(&url, &args.feed_allow_hosts)
                .map_err(anyhow::Error::msg)?;
            let (imported, replaced) = frontdesk_desk::busy::import(
                &mut *store,
                id,
                &p,
                &member,
                &url,
                &text,
                Timestamp::now(),
            )
            .map_err(|e| anyhow::anyhow!("{url}: {e}"))?;
            store.add_busy_source(id, &member, &url)?;
            output::busy_imported(&member, &url, imported, replaced, json);
            Ok(())
        }
        Command::Busy(BusyCommand::Unsubscribe { member, url }) => {
            let (id, p) = store.load(practice)?;
            member_of(&p, &member)?;
            let feed = store
                .busy_sources()?
                .into_iter()
                .find(|s| s.practice == id && s.member == member && s.url == url)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "url: {member} is not subscribed to {:?}",
                        frontdesk_desk::busy::feed_host(&url)
                    )
                })?;
            store.remove_busy_source(id, feed.id)?;
            if json {
                println!("{}", serde_json::json!({ "unsubscribed": feed.id }));
            } else {
                println!(
                    "{member} is no longer subscribed to {}",
                    frontdesk_desk::busy::feed_host(&url)
                );
            }
            Ok(())
        }
        Command::Busy(BusyCommand::List { member, from, days }) => {
            let (id, p) = store.load(practice)?;
            let m = member_of(&p, &member)?;
            let (lo, hi) = days_span(m.zone.tz(), from, i64::from(days))?;
            let busy = store.busy(id, &member, lo, hi)?;
            output::busy(m, &busy, json);
            Ok(())
        }
        Command::Calendar(CalendarCommand::Export { member, at }) => {
            let (id, p) = store.load(practice)?;
            let m = member_of(&p, &member)?;
            let now = at.unwrap_or_else(Timestamp::now);
            let years = |n: i64| jiff::SignedDuration::from_hours(24 * 366 * n);
            let stored = store.meetings(id, now - years(3), now + years(10))?;
            print!("{}", frontdesk_core::ical::feed(&p, m, &stored, now));
            Ok(())
        }
        Command::Meeting(MeetingCommand::Ics { id: number, at }) => {
            let (id, p) = store.load(practice)?;
            let about = store.meetings_about(id, &MeetingRef::Stored(number))?;
            let (_, m) = &about[0];
            if m.kind == MeetingKind::Standing {
                bail!(
                    "meeting {number} is a standing-call occurrence: its invitation is the member's feed (`calendar export`)"
                );
            }
            let now = at.unwrap_or_else(Timestamp::now);
            print!("{}", frontdesk_core::ical::invitation(&p, number, m, now));
            Ok(())
        }
        Command::Meeting(m) => {
            let (id, p) = store.load(practice)?;
            let occurrence = meeting(&mut *store, id, &p, m)?;
            output::agenda(&p, std::slice::from_ref(&occurrence), json);
            Ok(())
        }
        Command::Link(LinkCommand::Revoke { id: number }) => {
            let (id, _) = store.load(practice)?;
            if !store.revoke_link(id, number, Timestamp::now())? {
                bail!("there is no live link {number}");
            }
            println!("link {number} revoked");
            Ok(())
        }
        Command::Link(command) => {
            let (id, p) = store.load(practice)?;
            let secret = frontdesk_desk::secrets::random_hex(24);
            let (target, url) = match command {
                LinkCommand::Booking { client, base_url } => {
                    client_and_owner(&p, &client)?;
                    (
                        frontdesk_store::LinkTarget::Booking(client),
                        format!("{}/book/{secret}", base_url.trim_end_matches('/')),
                    )
                }
                LinkCommand::Feed { member, base_url } => {
                    member_of(&p, &member)?;
                    (
                        frontdesk_store::LinkTarget::Feed(member),
                        format!("{}/calendar/{secret}.ics", base_url.trim_end_matches('/')),
                    )
                }
                LinkCommand::Revoke { .. } => unreachable!("revoked above"),
            };
            let number = store.create_link(
                id,
                &target,
                &frontdesk_desk::secrets::secret_hash(&secret),
                Timestamp::now(),
            )?;
            if json {
                println!("{}", serde_json::json!({"id": number, "url": url}));
            } else {
                println!("{url}");
            }
            Ok(())
        }
        Command::Token(TokenCommand::Create { member }) => {
            let (id, p) = store.load(practice)?;
            member_of(&p, &member)?;
            let token = frontdesk_desk::secrets::new_token();
            let number = store.create_token(
                id,
                &member,
                &frontdesk_desk::secrets::secret_hash(&token),
                Timestamp::now(),
            )?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({"id": number, "member": member.as_str(), "token": token})
                );
            } else {
                println!("{token}");
            }
            Ok(())
        }
        Command::Token(TokenCommand::Revoke { member, id: number }) => {
            let (id, p) = store.load(practice)?;
            member_of(&p, &member)?;
            if !store.revoke_token(id, &member, number, Timestamp::now())? {
                bail!("{member} has no live token {number}");
            }
            println!("token {number} of {member} revoked");
            Ok(())
        }
        Command::Password(PasswordCommand::Set { member }) => {
            let (id, p) = store.load(practice)?;
            member_of(&p, &member)?;
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("cannot read the password from standard input")?;
            let password = line.trim_end_matches(['\r', '\n']);
            let password = frontdesk_core::Password::parse(password)?;
            store.set_password(
                id,
                &member,
                &frontdesk_desk::secrets::hash_password(&password),
            )?;
            println!("password set for {member}");
            Ok(())
        }
        Command::Demo | Command::Serve { .. } | Command::Db(_) => unreachable!("handled above"),
    }
}

/// The agenda the arguments ask for.
fn agenda(
    store: &dyn Store,
    id: PracticeId,
    p: &Practice,
    a: &AgendaArgs,
) -> Result<Vec<Occurrence>> {
    let zone = match (&a.member, &a.client) {
        (Some(m), _) => member_of(p, m)?.zone.clone(),
        (None, Some(c)) => client_and_owner(p, c)?.1.zone.clone(),
        (None, None) => match p.home() {
            Some(m) => m.zone.clone(),
            None => bail!("the practice has no members, so it has no agenda"),
        },
    };
    let tz = zone.tz();
    let now = a.at.unwrap_or_else(Timestamp::now);
    let first = a
        .from
        .unwrap_or_else(|| now.to_zoned_datetime(tz.clone()).date());
    let (from, to) = days_span(tz, first, i64::from(a.days))?;
    let stored = store.meetings(id, from, to)?;
    let filter = AgendaFilter {
        client: a.client.clone(),
        member: a.member.clone(),
    };
    Ok(frontdesk_core::agenda::agenda(
        p, &stored, from, to, &filter,
    ))
}

/// The member `--member` names.
fn member_of<'p>(
    p: &'p Practice,
    handle: &frontdesk_core::Handle,
) -> Result<&'p frontdesk_core::Member> {
    p.member(handle)
        .with_context(|| format!("--member {handle}: no such member"))
}

/// The client `--client` names, and its owner.
fn client_and_owner<'p>(
    p: &'p Practice,
    handle: &frontdesk_core::Handle,
) -> Result<(&'p frontdesk_core::Client, &'p frontdesk_core::Member)> {
    let c = p
        .client(handle)
        .with_context(|| format!("--client {handle}: no such client"))?;
    Ok((c, p.member(&c.owner).expect("owners exist")))
}

/// Adds, marks or moves a meeting, and returns it as the agenda shows it.
fn meeting(
    store: &mut dyn Store,
    id: PracticeId,
    p: &Practice,
    command: MeetingCommand,
) -> Result<Occurrence> {
    use frontdesk_core::agenda;
    let (target, stored, changed) = match command {
        MeetingCommand::Add {
            client,
            start,
            minutes,
            member,
            kind,
        } => {
            let (c, _) = client_and_owner(p, &client)?;
            let member = member.unwrap_or_else(|| c.owner.clone());
            if p.member(&member).is_none() {
                bail!("--member {member}: no such member");
            }
            let m = Meeting {
                client,
                member,
                kind,
                original: None,
                start,
                minutes,
                status: MeetingStatus::Scheduled,
                held_minutes: None,
                cancelled_at: None,
                late: false,
                sequence: 0,
            };
            (None, None, m)
        }
        MeetingCommand::Mark {
            id: which,
            status,
            at,
            minutes,
        } => {
            // Marked and stored in one step; nothing is left to store below.
            let at = at.unwrap_or_else(Timestamp::now);
            return Ok(frontdesk_desk::meetings::mark(
                store, id, p, None, &which, status, at, minutes,
            )?);
        }
        MeetingCommand::Book { .. } | MeetingCommand::Ics { .. } => {
            unreachable!("handled in run")
        }
        MeetingCommand::Move { id: which, to } => {
            let about = store.meetings_about(id, &which)?;
            let o = agenda::find(p, &which, &about)?;
            let m = agenda::move_to(&o, to)?;
            (Some(o.id), o.stored, m)
        }
    };
    let number = store.save_meeting(id, stored, &changed)?;
    Ok(Occurrence {
        id: target.unwrap_or(MeetingRef::Stored(number)),
        stored: Some(number),
        meeting: changed,
    })
}

/// The optional configuration file of `serve`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ServeConfig {
    addr: Option<std::net::SocketAddr>,
    db: Option<PathBuf>,
    secure_cookies: Option<bool>,
    busy_refresh_seconds: Option<u64>,
    mail_poll_seconds: Option<u64>,
    outbox_file: Option<PathBuf>,
    trusted_proxy: Option<std::net::IpAddr>,
    header_timeout_seconds: Option<u64>,
    max_connections: Option<usize>,
    public_url: Option<String>,
}

impl ServeConfig {
    fn read(path: &Path) -> Result<ServeConfig> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        toml::from_str(&text)
            .with_context(|| format!("{} is not a valid configuration file", path.display()))
    }
}

/// The channels messages are delivered by: a file when one is named, none otherwise.
/// Runs the web server until Ctrl-C or SIGTERM, printing its URL once it listens.
fn serve(config: frontdesk_web::Config) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FRONTDESK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let store = open(&config.db)?;
    // What the log says of the database: never a password.
    let config = frontdesk_web::Config {
        db: describe(&config.db).into(),
        ..config
    };
    runtime.block_on(frontdesk_web::serve(config, store, |addr| {
        use std::io::Write;
        println!("frontdesk is serving at http://{addr}/");
        let _ = std::io::stdout().flush();
    }))
}

fn default_db() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "frontdesk")
        .context("no home directory to keep the database in: pass --db PATH")?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    Ok(dir.join("frontdesk.db"))
}

/// Whether `--db` names a PostgreSQL database (a `postgres://` or `postgresql://` URL) rather
/// than a SQLite file.
pub fn postgres_url(db: &Path) -> Option<&str> {
    db.to_str()
        .filter(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// What `--db` names, for messages and logs: the path, or the URL without its password.
pub fn describe(db: &Path) -> String {
    match postgres_url(db) {
        Some(url) => frontdesk_postgres::redacted(url),
        None => db.display().to_string(),
    }
}

/// Opens the database `--db` names: a PostgreSQL URL, or a SQLite file (created when needed).
pub fn open(path: &Path) -> Result<Box<dyn Store + Send>> {
    if let Some(url) = postgres_url(path) {
        let store = PgStore::open(url)
            .with_context(|| format!("cannot open the database {}", describe(path)))?;
        return Ok(Box::new(store));
    }
    if path.is_dir() {
        bail!(
            "--db {}: is a directory, not a database file",
            path.display()
        );
    }
    let store = SqliteStore::open(path)
        .with_context(|| format!("cannot open the database {}", path.display()))?;
    Ok(Box::new(store))
}

/// `frontdesk db copy`: the whole database into an empty one, checked.
fn copy(from: &Path, to: &Path, json: bool) -> Result<()> {
    if postgres_url(from).is_none() && !from.is_file() {
        bail!("--from {}: no such database file", from.display());
    }
    if describe(from) == describe(to) {
        bail!("--to {}: is the database copied from", describe(to));
    }
    let source = open(from).context("--from")?;
    // A new SQLite file made for the copy goes again if the copy fails: a failed copy leaves
    // nothing behind (a PostgreSQL database is the operator's, and stays).
    let created = postgres_url(to).is_none() && !to.exists();
    let copied = open(to).context("--to").and_then(|mut destination| {
        frontdesk_desk::copy::copy(&*source, &mut *destination)
            .with_context(|| format!("cannot copy {} to {}", describe(from), describe(to)))
    });
    let copied = match copied {
        Ok(copied) => copied,
        Err(e) => {
            if created {
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = to.as_os_str().to_owned();
                    file.push(suffix);
                    let _ = std::fs::remove_file(file);
                }
            }
            return Err(e);
        }
    };
    output::copied(&copied, &describe(from), &describe(to), json);
    Ok(())
}

/// Reads, validates and applies a practice file.
pub fn apply(store: &mut dyn Store, file: &Path, json: bool) -> Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the practice file {}", file.display()))?;
    let practice = frontdesk_practice::parse(&text)
        .with_context(|| format!("{} is not a valid practice file", file.display()))?;
    let applied = store.apply_as(&practice, "cli", Timestamp::now())?;
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

/// Decides and records contacts in one transaction; `history` records them without queuing
/// auto-replies (they arrived long ago).
pub fn record(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    contacts: Vec<Inbound>,
    history: bool,
) -> Result<Vec<frontdesk_store::Recorded>> {
    // The command's "now" is the arrival it was given (`--at`), or the clock's.
    let replies = match contacts.iter().map(|c| c.at).min() {
        Some(now) if !history => Replies::Timely(now),
        _ => Replies::None,
    };
    Ok(frontdesk_desk::contacts::record(
        store, id, practice, &contacts, replies,
    )?)
}
