//! frontdesk's storage for teams: [`Store`] on PostgreSQL, for several server instances on one
//! database.
//!
//! It keeps the SQLite backend's shape — a module per group of records, and this file's helpers
//! (`Db`, `micros`, `id_of`, …) — and its tables: the same columns, instants as microseconds,
//! so rows move between the two unchanged (`frontdesk db copy`). Connections come from a pool,
//! so readers never wait for one another. Every method that writes does so in one transaction;
//! the writes to one practice take turns (`write`: a transaction-scoped advisory lock on the
//! practice's id), which gives each write what SQLite's single writer gives it — the allowance,
//! answer once, one winner per slot — across any number of instances. Claims that span
//! practices (the outbox) use `FOR UPDATE SKIP LOCKED` instead.

mod accounts;
mod audit;
mod billing;
mod briefs;
mod busy;
mod contacts;
mod copy;
mod deliverables;
mod listen;
mod mail;
mod meetings;
mod outbox;
mod practices;
mod promises;
mod ratings;
mod recording;
mod risk;
mod schema;

use std::collections::HashMap;

use frontdesk_core::slots::Busy;
use frontdesk_core::{
    Belonging, Channel, DecideError, Flag, Handle, History, Inbound, Language, Meeting,
    MeetingKind, MeetingRef, MeetingStatus, Practice, PracticeChanges, Removal, Verdict,
};
use frontdesk_store::{
    Answer, Applied, Attempt, BookRequest, Booked, BusySource, ContactId, DecideFn, EffectsFn,
    Inbox, InboxEntry, Link, LinkTarget, Login, PracticeId, Principal, Queued, Recorded, Response,
    Scope, Store, StoreError, TokenInfo, WeekCounts,
};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use postgres::types::{ToSql, Type};
use postgres::{Client, GenericClient, NoTls, Row, Statement, Transaction};
use r2d2_postgres::PostgresConnectionManager;

pub use schema::VERSION as SCHEMA_VERSION;

/// The pool's connections: each with the statements prepared on it.
struct Manager(PostgresConnectionManager<NoTls>);

/// A pooled connection and the statements prepared on it so far.
struct Conn {
    client: Client,
    prepared: Prepared,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Conn;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Conn, postgres::Error> {
        Ok(Conn {
            client: self.0.connect()?,
            prepared: Prepared::cache(),
        })
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), postgres::Error> {
        self.0.is_valid(&mut conn.client)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        self.0.has_broken(&mut conn.client)
    }
}

/// A connection taken from the pool (back to it when dropped).
struct Pooled(r2d2::PooledConnection<Manager>);

impl Pooled {
    /// The statements prepared on this connection.
    fn prepared(&self) -> Prepared {
        self.0.prepared.clone()
    }
}

impl std::ops::Deref for Pooled {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.0.client
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut Client {
        &mut self.0.client
    }
}

/// Statements prepared once on a connection and run again from there: parsed and planned
/// once (PostgreSQL settles on a generic plan after a few runs) instead of at every request —
/// what the statements of recording a contact, run under the practice's lock, spend most of
/// their time on otherwise. Without a cache (`Prepared::default()`), each runs typed: parsed
/// and run in one round trip.
#[derive(Clone, Default)]
pub(crate) struct Prepared(
    Option<std::sync::Arc<std::sync::Mutex<HashMap<&'static str, Statement>>>>,
);

/// Parameters with their types.
pub(crate) type Typed<'a> = [(&'a (dyn ToSql + Sync), Type)];

impl Prepared {
    fn cache() -> Prepared {
        Prepared(Some(Default::default()))
    }

    /// The statement of `sql` on the connection, prepared on its first use.
    fn statement(
        &self,
        c: &mut impl GenericClient,
        sql: &'static str,
        params: &Typed<'_>,
    ) -> Result<Option<Statement>, StoreError> {
        let Some(cache) = &self.0 else {
            return Ok(None);
        };
        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = cache.get(sql) {
            return Ok(Some(s.clone()));
        }
        let types: Vec<Type> = params.iter().map(|(_, t)| t.clone()).collect();
        let s = c.prepare_typed(sql, &types).db()?;
        cache.insert(sql, s.clone());
        Ok(Some(s))
    }

    pub(crate) fn query(
        &self,
        c: &mut impl GenericClient,
        sql: &'static str,
        params: &Typed<'_>,
    ) -> Result<Vec<Row>, StoreError> {
        match self.statement(c, sql, params)? {
            Some(s) => c.query(&s, &values(params)).db(),
            None => c.query_typed(sql, params).db(),
        }
    }

    pub(crate) fn execute(
        &self,
        c: &mut impl GenericClient,
        sql: &'static str,
        params: &Typed<'_>,
    ) -> Result<u64, StoreError> {
        match self.statement(c, sql, params)? {
            Some(s) => c.execute(&s, &values(params)).db(),
            None => c.execute_typed(sql, params).db(),
        }
    }
}

/// The values of typed parameters, for a statement that knows their types.
fn values<'a>(params: &Typed<'a>) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|(v, _)| *v).collect()
}

/// A frontdesk database on a PostgreSQL server.
pub struct PgStore {
    pool: r2d2::Pool<Manager>,
    /// How to connect, for the listener's own connection.
    config: postgres::Config,
}

/// Parameters of a query.
pub(crate) type Params<'a> = [&'a (dyn ToSql + Sync)];

trait Db<T> {
    fn db(self) -> Result<T, StoreError>;
}

impl<T> Db<T> for Result<T, postgres::Error> {
    fn db(self) -> Result<T, StoreError> {
        self.map_err(database)
    }
}

/// The server's own words for what failed (a trigger's message, a constraint's name); a lost
/// connection or a server shutting down or starting is `Unavailable` (the request may be tried
/// again; the pool replaces the broken connection).
fn database(e: postgres::Error) -> StoreError {
    match e.as_db_error() {
        Some(db) => {
            let code = db.code().code();
            // Class 08: connection exceptions; 57P01–57P03: shutdown, crash, starting up.
            if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03") {
                StoreError::Unavailable(db.message().to_string())
            } else {
                StoreError::Database(db.message().to_string())
            }
        }
        None if e.is_closed()
            || std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>()) =>
        {
            StoreError::Unavailable(e.to_string())
        }
        None => StoreError::Database(e.to_string()),
    }
}

/// A column of a row, read without panicking: a type that does not match is a corrupt record.
pub(crate) trait Col {
    fn col<'a, T: postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T, StoreError>;
}

impl Col for Row {
    fn col<'a, T: postgres::types::FromSql<'a>>(&'a self, i: usize) -> Result<T, StoreError> {
        self.try_get(i)
            .map_err(|e| corrupt(format!("column {i}: {e}")))
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user@host:port/name`; the password from
    /// the URL or `PGPASSFILE`) and brings its schema up to date.
    pub fn open(url: &str) -> Result<PgStore, StoreError> {
        let config: postgres::Config = url.parse().map_err(|e| {
            StoreError::Database(format!("the database URL {}: {e}", redacted(url)))
        })?;
        let config = with_passfile(config);
        let manager = Manager(PostgresConnectionManager::new(config.clone(), NoTls));
        let pool = r2d2::Pool::builder()
            .max_size(8)
            // Connections open as they are needed: a CLI command uses one.
            .min_idle(Some(0))
            // A request waits this long for a connection while the server is away, then fails
            // with 503 (and the pool goes on trying to reconnect).
            .connection_timeout(std::time::Duration::from_secs(3))
            .build(manager)
            .map_err(|e| {
                StoreError::Database(format!("cannot connect to {}: {e}", redacted(url)))
            })?;
        // The first connection says precisely why it cannot be made (a wrong password, no
        // server there), which a pool's timeout would not.
        let mut c = config.connect(NoTls).map_err(connect_error)?;
        if let Err(version) = schema::migrate(&mut c).db()? {
            return Err(StoreError::Database(format!(
                "the database has schema version {version}, newer than this frontdesk ({}); upgrade frontdesk",
                schema::VERSION
            )));
        }
        drop(c);
        Ok(PgStore { pool, config })
    }

    fn conn(&self) -> Result<Pooled, StoreError> {
        self.pool
            .get()
            .map(Pooled)
            .map_err(|e| StoreError::Unavailable(format!("no connection to the database: {e}")))
    }
}

/// Why a connection could not be made, with every cause the driver gives.
fn connect_error(e: postgres::Error) -> StoreError {
    let mut why = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    };
    // The server's own message says it all; a driver's error has its causes below.
    let mut source = match e.as_db_error() {
        Some(_) => None,
        None => std::error::Error::source(&e),
    };
    while let Some(s) = source {
        let text = s.to_string();
        if !why.contains(&text) {
            why = format!("{why}: {text}");
        }
        source = s.source();
    }
    let text = format!("cannot connect: {why}");
    match database(e) {
        StoreError::Unavailable(_) => StoreError::Unavailable(text),
        _ => StoreError::Database(text),
    }
}

/// The URL without its password, for messages.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let user = &url[s + 3..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{user}{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Takes the password from `PGPASSFILE` (or `~/.pgpass`) when the URL has none, as libpq does:
/// lines `host:port:database:user:password`, `*` matching anything.
fn with_passfile(mut config: postgres::Config) -> postgres::Config {
    if config.get_password().is_some() {
        return config;
    }
    let path = match std::env::var_os("PGPASSFILE") {
        Some(p) => std::path::PathBuf::from(p),
        None => match std::env::var_os("HOME") {
            Some(h) => std::path::Path::new(&h).join(".pgpass"),
            None => return config,
        },
    };
    let Ok(text) = std::fs::read_to_string(path) else {
        return config;
    };
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(s) => s.clone(),
            postgres::config::Host::Unix(p) => p.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let dbname = config.get_dbname().unwrap_or("").to_string();
    let user = config.get_user().unwrap_or("").to_string();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.splitn(5, ':').collect();
        if fields.len() != 5 {
            continue;
        }
        let matches = |f: &str, v: &str| f == "*" || f == v;
        if matches(fields[0], &host)
            && matches(fields[1], &port)
            && matches(fields[2], &dbname)
            && matches(fields[3], &user)
        {
            config.password(fields[4]);
            break;
        }
    }
    config
}

/// Begins a transaction that writes to `practice`: the practice's writers take turns, across
/// connections and instances, until it commits or rolls back.
pub(crate) fn write(c: &mut Client, practice: PracticeId) -> Result<Transaction<'_>, StoreError> {
    write_as(c, practice, &Prepared::default())
}

/// [`write`] with the connection's prepared statements.
pub(crate) fn write_as<'c>(
    c: &'c mut Client,
    practice: PracticeId,
    prepared: &Prepared,
) -> Result<Transaction<'c>, StoreError> {
    // Read committed (whatever the server's default): each statement after the lock sees what
    // the writer before committed.
    let mut tx = c
        .build_transaction()
        .isolation_level(postgres::IsolationLevel::ReadCommitted)
        .start()
        .db()?;
    prepared.execute(
        &mut tx,
        "SELECT pg_advisory_xact_lock($1)",
        &[(&practice.0, Type::INT8)],
    )?;
    Ok(tx)
}

/// The row id of a member or client (`table`) of the practice by handle.
pub(crate) fn id_of(
    c: &mut impl GenericClient,
    table: &str,
    practice: PracticeId,
    handle: &str,
) -> Result<Option<i64>, StoreError> {
    c.query_opt(
        &format!("SELECT id FROM {table} WHERE practice_id = $1 AND handle = $2"),
        &[&practice.0, &handle],
    )
    .db()?
    .map(|r| r.col(0))
    .transpose()
}

pub(crate) use frontdesk_store::columns::{
    corrupt, flags_text, from_micros, handle, micros, parse_flags,
};

/// Runs a query and maps each row.
fn query<T>(
    c: &mut impl GenericClient,
    sql: &str,
    params: &Params<'_>,
    f: impl FnMut(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    c.query(sql, params).db()?.iter().map(f).collect()
}

impl Store for PgStore {
    fn outside_writes(&self) -> Result<i64, StoreError> {
        practices::outside_writes(&mut *self.conn()?)
    }

    fn apply(&mut self, practice: &Practice) -> Result<Applied, StoreError> {
        practices::apply(&mut *self.conn()?, practice, None, None)
    }

    fn apply_as(
        &mut self,
        practice: &Practice,
        actor: &str,
        at: Timestamp,
    ) -> Result<Applied, StoreError> {
        practices::apply(&mut *self.conn()?, practice, Some((actor, at)), None)
    }

    fn apply_over(
        &mut self,
        practice: &Practice,
        over: &Practice,
        actor: &str,
        at: Timestamp,
    ) -> Result<Applied, StoreError> {
        practices::apply(&mut *self.conn()?, practice, Some((actor, at)), Some(over))
    }

    fn practice_ids(&self) -> Result<Vec<PracticeId>, StoreError> {
        practices::practice_ids(&mut *self.conn()?)
    }

    fn practices(&self) -> Result<Vec<String>, StoreError> {
        practices::practices(&mut *self.conn()?)
    }

    fn load(&self, name: Option<&str>) -> Result<(PracticeId, Practice), StoreError> {
        practices::load(&mut *self.conn()?, name)
    }

    fn practice(&self, id: PracticeId) -> Result<Practice, StoreError> {
        practices::practice(&mut *self.conn()?, id)
    }

    fn history(
        &self,
        practice: PracticeId,
        inbound: &Inbound,
        week: Date,
    ) -> Result<History, StoreError> {
        contacts::history_of(&mut *self.conn()?, practice, inbound, week)
    }

    fn record(
        &mut self,
        practice: PracticeId,
        contacts: &[Inbound],
        decide: &DecideFn<'_>,
        week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
        effects: &EffectsFn<'_>,
    ) -> Result<Vec<Recorded>, StoreError> {
        let mut conn = self.conn()?;
        let prepared = conn.prepared();
        contacts::record(
            &mut conn, &prepared, practice, contacts, decide, week, effects,
        )
    }

    fn record_once(
        &mut self,
        practice: PracticeId,
        key: &str,
        request: &[u8],
        now: Timestamp,
        expires: Option<Timestamp>,
        inbound: &Inbound,
        decide: &DecideFn<'_>,
        week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
        effects: &EffectsFn<'_>,
    ) -> Result<(Recorded, bool), StoreError> {
        let mut conn = self.conn()?;
        let prepared = conn.prepared();
        contacts::record_once(
            &mut conn, &prepared, practice, key, request, now, expires, inbound, decide, week,
            effects,
        )
    }

    fn record_mail(
        &mut self,
        practice: PracticeId,
        mail: &frontdesk_store::MailIn<'_>,
        now: Timestamp,
        decide: &DecideFn<'_>,
        week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
        effects: &EffectsFn<'_>,
    ) -> Result<(Recorded, bool), StoreError> {
        let mut conn = self.conn()?;
        let prepared = conn.prepared();
        mail::record_mail(
            &mut conn, &prepared, practice, mail, now, decide, week, effects,
        )
    }

    fn pass_mail(
        &mut self,
        practice: PracticeId,
        checkpoint: Option<&frontdesk_store::Checkpoint>,
        unmatched: Option<&frontdesk_store::Unmatched>,
    ) -> Result<(), StoreError> {
        mail::pass_mail(&mut *self.conn()?, practice, checkpoint, unmatched)
    }

    fn mailboxes(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<frontdesk_store::MailboxState>, StoreError> {
        mail::mailboxes(&mut *self.conn()?, practice)
    }

    fn mailbox_checked(
        &mut self,
        practice: PracticeId,
        mailbox: &str,
        uidvalidity: Option<u32>,
        present: Option<u64>,
        at: Timestamp,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        mail::mailbox_checked(
            &mut *self.conn()?,
            practice,
            mailbox,
            uidvalidity,
            present,
            at,
            error,
        )
    }

    fn unmatched(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<frontdesk_store::Unmatched>, StoreError> {
        mail::unmatched(&mut *self.conn()?, practice)
    }

    fn drop_unmatched(&mut self, practice: PracticeId, key: &str) -> Result<bool, StoreError> {
        mail::drop_unmatched(&mut *self.conn()?, practice, key)
    }

    fn inbox_page(
        &self,
        practice: PracticeId,
        scope: &Scope,
        now: Timestamp,
        query: &frontdesk_store::InboxQuery,
    ) -> Result<frontdesk_store::InboxPage, StoreError> {
        contacts::inbox_page(&mut *self.conn()?, practice, scope, now, query)
    }

    fn thread(&self, practice: PracticeId, id: ContactId) -> Result<Vec<Recorded>, StoreError> {
        mail::thread(&mut *self.conn()?, practice, id)
    }

    fn contact(&self, practice: PracticeId, id: ContactId) -> Result<Recorded, StoreError> {
        contacts::read_contact(&mut *self.conn()?, practice, id)
    }

    fn languages(&self, practice: PracticeId) -> Result<Vec<(Handle, String)>, StoreError> {
        accounts::languages(&mut *self.conn()?, practice)
    }

    fn answer(
        &mut self,
        practice: PracticeId,
        id: ContactId,
        judge: &dyn Fn(&Recorded) -> Result<Answer, StoreError>,
        effects: &EffectsFn<'_>,
    ) -> Result<Recorded, StoreError> {
        contacts::answer(&mut *self.conn()?, practice, id, judge, effects)
    }

    fn inbox(
        &self,
        practice: PracticeId,
        scope: &Scope,
        now: Timestamp,
        limit: usize,
    ) -> Result<Inbox, StoreError> {
        contacts::inbox(&mut *self.conn()?, practice, scope, now, limit)
    }

    fn unanswered(
        &self,
        practice: PracticeId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<InboxEntry>, StoreError> {
        contacts::unanswered(&mut *self.conn()?, practice, from, until)
    }

    fn run_jobs(
        &mut self,
        practice: PracticeId,
        jobs: &[frontdesk_core::timers::Job],
        at: Timestamp,
    ) -> Result<Vec<String>, StoreError> {
        outbox::run_jobs(&mut *self.conn()?, practice, jobs, at)
    }

    fn claim_outbox(
        &mut self,
        now: Timestamp,
        lease: Timestamp,
        routes: &[(frontdesk_core::outbox::Medium, Option<PracticeId>)],
        limit: usize,
    ) -> Result<Vec<Queued>, StoreError> {
        outbox::claim_outbox(&mut *self.conn()?, now, lease, routes, limit)
    }

    fn outbox_due_count(&self, now: Timestamp) -> Result<u64, StoreError> {
        outbox::due_count(&mut *self.conn()?, now)
    }

    fn outbox_attempted(&mut self, id: i64, attempt: &Attempt) -> Result<(), StoreError> {
        outbox::attempted(&mut *self.conn()?, id, attempt)
    }

    fn outbox(
        &self,
        practice: PracticeId,
        unsent: bool,
        limit: usize,
    ) -> Result<Vec<Queued>, StoreError> {
        outbox::list(&mut *self.conn()?, practice, unsent, limit)
    }

    fn outbox_retry(
        &mut self,
        practice: PracticeId,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        outbox::retry(&mut *self.conn()?, practice, id, now)
    }

    fn meetings(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(i64, Meeting)>, StoreError> {
        meetings::meetings(&mut *self.conn()?, practice, from, to)
    }

    fn meetings_about(
        &self,
        practice: PracticeId,
        id: &MeetingRef,
    ) -> Result<Vec<(i64, Meeting)>, StoreError> {
        meetings::meetings_about(&mut *self.conn()?, practice, id)
    }

    fn save_meeting(
        &mut self,
        practice: PracticeId,
        id: Option<i64>,
        m: &Meeting,
    ) -> Result<i64, StoreError> {
        meetings::store_meeting(&mut *self.conn()?, practice, id, m)
    }

    fn adhoc_calls(
        &self,
        practice: PracticeId,
        client: &Handle,
        week: Date,
    ) -> Result<u32, StoreError> {
        contacts::adhoc_calls_of(&mut *self.conn()?, practice, client, week)
    }

    fn book(&mut self, practice: PracticeId, request: &BookRequest<'_>) -> Result<i64, StoreError> {
        meetings::book(&mut *self.conn()?, practice, request)
    }

    fn audit(&self, practice: PracticeId) -> Result<frontdesk_store::AuditChain, StoreError> {
        audit::chain(&mut *self.conn()?, practice)
    }

    fn briefs(
        &self,
        practice: PracticeId,
        member: &Handle,
        from: Date,
    ) -> Result<Vec<frontdesk_store::Brief>, StoreError> {
        briefs::briefs(&mut *self.conn()?, practice, member, from)
    }

    fn brief(
        &self,
        practice: PracticeId,
        id: i64,
    ) -> Result<Option<frontdesk_store::Brief>, StoreError> {
        briefs::brief(&mut *self.conn()?, practice, id)
    }

    fn write_brief(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        from: Date,
        client: &Handle,
        cover: &Handle,
        content: &frontdesk_core::brief::Content,
        judge: &dyn Fn(
            Option<&frontdesk_store::Brief>,
        ) -> Result<frontdesk_core::brief::State, StoreError>,
        actor: &Handle,
        now: Timestamp,
    ) -> Result<frontdesk_store::Brief, StoreError> {
        briefs::write(
            &mut *self.conn()?,
            practice,
            member,
            from,
            client,
            cover,
            content,
            judge,
            actor,
            now,
        )
    }

    fn record_callback(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        from: Date,
        client: &Handle,
        by: &Handle,
        outcome: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        briefs::record_callback(
            &mut *self.conn()?,
            practice,
            member,
            from,
            client,
            by,
            outcome,
            at,
        )
    }

    fn callbacks(
        &self,
        practice: PracticeId,
        member: &Handle,
        from: Date,
    ) -> Result<Vec<frontdesk_store::Callback>, StoreError> {
        briefs::callbacks(&mut *self.conn()?, practice, member, from)
    }

    fn brief_act(
        &mut self,
        practice: PracticeId,
        id: i64,
        judge: &dyn Fn(&frontdesk_store::Brief) -> Result<frontdesk_store::BriefAct, StoreError>,
        actor: &Handle,
        now: Timestamp,
    ) -> Result<frontdesk_store::Brief, StoreError> {
        briefs::act(&mut *self.conn()?, practice, id, judge, actor, now)
    }

    fn booking(&self, manage_hash: &[u8]) -> Result<Option<Booked>, StoreError> {
        meetings::booking(&mut *self.conn()?, manage_hash)
    }

    fn booker(
        &self,
        practice: PracticeId,
        id: i64,
    ) -> Result<Option<frontdesk_core::booking::Booker>, StoreError> {
        meetings::booker(&mut *self.conn()?, practice, id)
    }

    fn change_meeting(
        &mut self,
        practice: PracticeId,
        id: i64,
        meeting: &Meeting,
        messages: &[frontdesk_core::outbox::Message],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        meetings::change_meeting(&mut *self.conn()?, practice, id, meeting, messages, now)
    }

    fn replace_busy(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        source: &str,
        busy: &[Busy],
    ) -> Result<usize, StoreError> {
        busy::replace_busy(&mut *self.conn()?, practice, member, source, busy)
    }

    fn busy(
        &self,
        practice: PracticeId,
        member: &Handle,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Busy>, StoreError> {
        busy::busy(&mut *self.conn()?, practice, member, from, to)
    }

    fn set_password(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        hash: &str,
    ) -> Result<(), StoreError> {
        accounts::set_password(&mut *self.conn()?, practice, member, hash)
    }

    fn has_accounts(&self) -> Result<bool, StoreError> {
        accounts::has_accounts(&mut *self.conn()?)
    }

    fn logins(&self, email: &str) -> Result<Vec<Login>, StoreError> {
        accounts::logins(&mut *self.conn()?, email)
    }

    fn create_session(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        token_hash: &[u8],
        csrf: &str,
        expires: Timestamp,
    ) -> Result<(), StoreError> {
        accounts::create_session(
            &mut *self.conn()?,
            practice,
            member,
            token_hash,
            csrf,
            expires,
        )
    }

    fn session(&self, token_hash: &[u8], now: Timestamp) -> Result<Option<Principal>, StoreError> {
        accounts::session(&mut *self.conn()?, token_hash, now)
    }

    fn delete_session(&mut self, token_hash: &[u8]) -> Result<(), StoreError> {
        accounts::delete_session(&mut *self.conn()?, token_hash)
    }

    fn limit_attempt(
        &mut self,
        key: &[u8],
        at: Timestamp,
        since: Timestamp,
        max: u32,
    ) -> Result<bool, StoreError> {
        accounts::limit_attempt(&mut *self.conn()?, key, at, since, max)
    }

    fn limit_forget(&mut self, key: &[u8], all: bool) -> Result<(), StoreError> {
        accounts::limit_forget(&mut *self.conn()?, key, all)
    }

    fn create_token(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        accounts::create_token(&mut *self.conn()?, practice, member, token_hash, now)
    }

    fn token(&self, token_hash: &[u8]) -> Result<Option<Principal>, StoreError> {
        accounts::token(&mut *self.conn()?, token_hash)
    }

    fn revoke_token(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        accounts::revoke_token(&mut *self.conn()?, practice, member, id, now)
    }

    fn set_language(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        language: Option<&str>,
    ) -> Result<(), StoreError> {
        accounts::set_language(&mut *self.conn()?, practice, member, language)
    }

    fn client_contacts(
        &self,
        practice: PracticeId,
        client: &Handle,
        limit: usize,
    ) -> Result<Vec<Recorded>, StoreError> {
        contacts::client_contacts(&mut *self.conn()?, practice, client, limit)
    }

    fn week_counts(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<WeekCounts>, StoreError> {
        contacts::week_counts(&mut *self.conn()?, practice, from, to)
    }

    fn billing_work(
        &self,
        practice: PracticeId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<frontdesk_core::billing::Work>, StoreError> {
        billing::work(&mut *self.conn()?, practice, from, until)
    }

    fn put_items(
        &mut self,
        practice: PracticeId,
        items: &[frontdesk_core::billing::Item],
    ) -> Result<Vec<frontdesk_core::billing::Item>, StoreError> {
        billing::put_items(&mut *self.conn()?, practice, items)
    }

    fn item_keys(
        &self,
        practice: PracticeId,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        billing::item_keys(&mut *self.conn()?, practice, from, until)
    }

    fn items(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
        open: bool,
    ) -> Result<Vec<frontdesk_core::billing::Item>, StoreError> {
        billing::items(&mut *self.conn()?, practice, client, from, until, open)
    }

    fn adjust_item(
        &mut self,
        practice: PracticeId,
        id: i64,
        judge: &frontdesk_store::AdjustFn<'_>,
    ) -> Result<frontdesk_core::billing::Item, StoreError> {
        billing::adjust(&mut *self.conn()?, practice, id, judge)
    }

    fn save_draft(
        &mut self,
        practice: PracticeId,
        draft: &frontdesk_core::invoice::Invoice,
    ) -> Result<frontdesk_core::invoice::Invoice, StoreError> {
        billing::save_draft(&mut *self.conn()?, practice, draft)
    }

    fn invoices(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
    ) -> Result<Vec<frontdesk_core::invoice::Invoice>, StoreError> {
        billing::invoices(&mut *self.conn()?, practice, client)
    }

    fn invoice(
        &self,
        practice: PracticeId,
        id: Option<i64>,
        number: Option<&str>,
    ) -> Result<Option<frontdesk_core::invoice::Invoice>, StoreError> {
        billing::invoice(&mut *self.conn()?, practice, id, number)
    }

    fn issue_invoice(
        &mut self,
        practice: PracticeId,
        id: i64,
        year: i16,
        make: &dyn Fn(
            &frontdesk_core::invoice::Invoice,
            &frontdesk_store::Issuing,
        ) -> Result<frontdesk_core::invoice::Invoice, StoreError>,
        actor: &str,
        at: Timestamp,
    ) -> Result<frontdesk_core::invoice::Invoice, StoreError> {
        billing::issue(&mut *self.conn()?, practice, id, year, make, actor, at)
    }

    fn put_deliverable(
        &mut self,
        practice: PracticeId,
        deliverable: &frontdesk_core::deliverable::Deliverable,
        actor: &str,
        kind: &str,
        at: Timestamp,
    ) -> Result<frontdesk_core::deliverable::Deliverable, StoreError> {
        let change = deliverables::Change { actor, kind, at };
        deliverables::put_deliverable(&mut *self.conn()?, practice, deliverable, &change)
    }

    fn deliverables(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<frontdesk_core::deliverable::Deliverable>, StoreError> {
        deliverables::deliverables(&mut *self.conn()?, practice)
    }

    fn put_input_request(
        &mut self,
        practice: PracticeId,
        request: &frontdesk_core::deliverable::InputRequest,
        client: &Handle,
        deliverable: Option<&frontdesk_core::deliverable::Deliverable>,
        actor: &str,
        kind: &str,
        at: Timestamp,
    ) -> Result<frontdesk_core::deliverable::InputRequest, StoreError> {
        let change = deliverables::Change { actor, kind, at };
        deliverables::put_request(
            &mut *self.conn()?,
            practice,
            request,
            client.as_str(),
            deliverable,
            &change,
        )
    }

    fn input_requests(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<frontdesk_core::deliverable::InputRequest>, StoreError> {
        deliverables::requests(&mut *self.conn()?, practice)
    }

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
    ) -> Result<frontdesk_core::rating::Rating, StoreError> {
        ratings::request(
            &mut *self.conn()?,
            practice,
            client,
            deliverable,
            goal,
            token_hash,
            messages,
            actor,
            now,
        )
    }

    fn rating_by_token(
        &self,
        token_hash: &[u8],
    ) -> Result<Option<(PracticeId, frontdesk_core::rating::Rating)>, StoreError> {
        ratings::by_token(&mut *self.conn()?, token_hash)
    }

    fn rate(
        &mut self,
        practice: PracticeId,
        id: i64,
        score: u8,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Result<frontdesk_core::rating::Rating, StoreError> {
        ratings::rate(&mut *self.conn()?, practice, id, score, comment, now)
    }

    fn ratings(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
    ) -> Result<Vec<frontdesk_core::rating::Rating>, StoreError> {
        ratings::list(&mut *self.conn()?, practice, client)
    }

    fn revoke_rating(
        &mut self,
        practice: PracticeId,
        id: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        ratings::revoke(&mut *self.conn()?, practice, id, actor, now)
    }

    fn record_promise(
        &mut self,
        practice: PracticeId,
        promise: &frontdesk_core::promise::NewPromise,
        state: frontdesk_core::promise::State,
        now: Timestamp,
    ) -> Result<frontdesk_core::promise::Promise, StoreError> {
        promises::record(&mut *self.conn()?, practice, promise, state, now)
    }

    fn promises(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
    ) -> Result<Vec<frontdesk_core::promise::Promise>, StoreError> {
        promises::promises(&mut *self.conn()?, practice, client)
    }

    fn promise(
        &self,
        practice: PracticeId,
        id: i64,
    ) -> Result<Option<frontdesk_core::promise::Promise>, StoreError> {
        promises::promise(&mut *self.conn()?, practice, id)
    }

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
    ) -> Result<frontdesk_core::promise::Promise, StoreError> {
        promises::act(&mut *self.conn()?, practice, id, act, judge, actor, now)
    }

    fn risk_contacts(
        &self,
        practice: PracticeId,
        from: Timestamp,
    ) -> Result<Vec<frontdesk_core::risk::Contact>, StoreError> {
        risk::contacts(&mut *self.conn()?, practice, from)
    }

    fn save_risk_day(
        &mut self,
        practice: PracticeId,
        day: jiff::civil::Date,
        scores: &[(Handle, u32)],
    ) -> Result<(), StoreError> {
        risk::save_day(&mut *self.conn()?, practice, day, scores)
    }

    fn risk_history(
        &self,
        practice: PracticeId,
        client: &Handle,
        from: jiff::civil::Date,
    ) -> Result<Vec<(jiff::civil::Date, u32)>, StoreError> {
        risk::history(&mut *self.conn()?, practice, client, from)
    }

    fn responses(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Response>, StoreError> {
        contacts::responses(&mut *self.conn()?, practice, from, to)
    }

    fn tokens(&self, practice: PracticeId, member: &Handle) -> Result<Vec<TokenInfo>, StoreError> {
        accounts::tokens(&mut *self.conn()?, practice, member)
    }

    fn create_link(
        &mut self,
        practice: PracticeId,
        target: &LinkTarget,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        accounts::create_link(&mut *self.conn()?, practice, target, token_hash, now)
    }

    fn link(&self, token_hash: &[u8]) -> Result<Option<Link>, StoreError> {
        accounts::link(&mut *self.conn()?, token_hash)
    }

    fn links(
        &self,
        practice: PracticeId,
        target: &LinkTarget,
    ) -> Result<Vec<TokenInfo>, StoreError> {
        accounts::links(&mut *self.conn()?, practice, target)
    }

    fn revoke_link(
        &mut self,
        practice: PracticeId,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        accounts::revoke_link(&mut *self.conn()?, practice, id, now)
    }

    fn add_busy_source(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        url: &str,
    ) -> Result<i64, StoreError> {
        busy::add_busy_source(&mut *self.conn()?, practice, member, url)
    }

    fn busy_sources(&self) -> Result<Vec<BusySource>, StoreError> {
        busy::busy_sources(&mut *self.conn()?)
    }

    fn remove_busy_source(
        &mut self,
        practice: PracticeId,
        id: i64,
    ) -> Result<Option<BusySource>, StoreError> {
        busy::remove_busy_source(&mut *self.conn()?, practice, id)
    }

    fn busy_source_checked(
        &mut self,
        id: i64,
        at: Timestamp,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        busy::busy_source_checked(&mut *self.conn()?, id, at, error)
    }

    fn export(&self, sink: &mut frontdesk_store::Sink<'_>) -> Result<(), StoreError> {
        copy::export(&mut *self.conn()?, sink)
    }

    fn import(
        &mut self,
        source: &mut dyn FnMut(&mut frontdesk_store::Sink<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        copy::import(&mut *self.conn()?, source)
    }

    fn counts(&self) -> Result<Vec<(&'static str, u64)>, StoreError> {
        copy::counts(&mut *self.conn()?)
    }

    fn another(&self) -> Result<Option<Box<dyn Store + Send>>, StoreError> {
        Ok(Some(Box::new(PgStore {
            pool: self.pool.clone(),
            config: self.config.clone(),
        })))
    }

    fn changes(&self) -> Result<Option<Box<dyn frontdesk_store::Changes>>, StoreError> {
        Ok(Some(Box::new(listen::Listener::new(self.config.clone()))))
    }
}
