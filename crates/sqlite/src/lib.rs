//! frontdesk's embedded storage: [`Store`] on SQLite.
//!
//! One database file holds any number of practices. The connection runs in WAL mode with
//! foreign keys on, and every method that writes does so in one transaction, so a failed
//! command leaves the database as it was. SQL lives in this crate only.
//!
//! The `Store` implementation here only delegates: each group of records has its module
//! (`practices`, `contacts`, `meetings`, `busy`, `accounts`, `outbox`, and `schema` for the
//! migrations), and the modules share this file's helpers (`Db`, `micros`, `id_of`, …).

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
mod risk;
mod schema;

use std::collections::HashMap;
use std::path::Path;

use frontdesk_core::slots::Busy;
use frontdesk_core::{
    Belonging, Channel, DecideError, Flag, Handle, History, Inbound, Meeting, MeetingKind,
    MeetingRef, MeetingStatus, Practice, PracticeChanges, Removal, Verdict,
};
use frontdesk_store::{
    Answer, Applied, Attempt, BookRequest, Booked, BusySource, ContactId, DecideFn, EffectsFn,
    Inbox, InboxEntry, Link, LinkTarget, Login, PracticeId, Principal, Queued, Recorded, Response,
    Scope, Store, StoreError, TokenInfo, WeekCounts,
};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

pub use schema::VERSION as SCHEMA_VERSION;

/// A frontdesk database in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
    /// The file, for the connections of a listener (None: in memory).
    path: Option<std::path::PathBuf>,
    /// Writers of this process take turns here, handles from [`Store::another`] sharing it:
    /// they queue in order instead of polling SQLite's lock in its busy handler (which sleeps
    /// up to 100 ms a step). Other processes still meet the busy timeout.
    writers: std::sync::Arc<std::sync::Mutex<()>>,
}

trait Db<T> {
    fn db(self) -> Result<T, StoreError>;
}

impl<T> Db<T> for rusqlite::Result<T> {
    fn db(self) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::Database(e.to_string()))
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path).db()?;
        let mut store = SqliteStore::setup(conn)?;
        store.path = Some(path.to_path_buf());
        Ok(store)
    }

    /// A database that lives in memory only, for tests and demos.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        SqliteStore::setup(Connection::open_in_memory().db()?)
    }

    fn setup(mut conn: Connection) -> Result<SqliteStore, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5)).db()?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;",
        )
        .db()?;
        if let Err(version) = schema::migrate(&mut conn).db()? {
            return Err(StoreError::Database(format!(
                "the database has schema version {version}, newer than this frontdesk ({}); upgrade frontdesk",
                schema::VERSION
            )));
        }
        Ok(SqliteStore {
            conn,
            path: None,
            writers: Default::default(),
        })
    }
}

/// The row id of a member or client (`table`) of the practice by handle.
pub(crate) fn id_of(
    conn: &Connection,
    table: &str,
    practice: PracticeId,
    handle: &str,
) -> Result<Option<i64>, StoreError> {
    conn.prepare_cached(&format!(
        "SELECT id FROM {table} WHERE practice_id = ?1 AND handle = ?2"
    ))
    .db()?
    .query_row(params![practice.0, handle], |r| r.get(0))
    .optional()
    .db()
}

pub(crate) use frontdesk_store::columns::{
    corrupt, flags_text, from_micros, handle, micros, parse_flags,
};

/// This process's turn to write (see `SqliteStore::writers`).
fn turn(writers: &std::sync::Mutex<()>) -> std::sync::MutexGuard<'_, ()> {
    writers
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Store for SqliteStore {
    fn outside_writes(&self) -> Result<i64, StoreError> {
        practices::outside_writes(&self.conn)
    }

    fn apply(&mut self, practice: &Practice) -> Result<Applied, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        practices::apply(&mut self.conn, practice, None, None)
    }

    fn apply_as(
        &mut self,
        practice: &Practice,
        actor: &str,
        at: Timestamp,
    ) -> Result<Applied, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        practices::apply(&mut self.conn, practice, Some((actor, at)), None)
    }

    fn apply_over(
        &mut self,
        practice: &Practice,
        over: &Practice,
        actor: &str,
        at: Timestamp,
    ) -> Result<Applied, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        practices::apply(&mut self.conn, practice, Some((actor, at)), Some(over))
    }

    fn practice_ids(&self) -> Result<Vec<PracticeId>, StoreError> {
        practices::practice_ids(&self.conn)
    }

    fn practices(&self) -> Result<Vec<String>, StoreError> {
        practices::practices(&self.conn)
    }

    fn load(&self, name: Option<&str>) -> Result<(PracticeId, Practice), StoreError> {
        practices::load(&self.conn, name)
    }

    fn practice(&self, id: PracticeId) -> Result<Practice, StoreError> {
        practices::practice(&self.conn, id)
    }

    fn history(
        &self,
        practice: PracticeId,
        inbound: &Inbound,
        week: Date,
    ) -> Result<History, StoreError> {
        contacts::history_of(&self.conn, practice, inbound, week)
    }

    fn record(
        &mut self,
        practice: PracticeId,
        contacts: &[Inbound],
        decide: &DecideFn<'_>,
        week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
        effects: &EffectsFn<'_>,
    ) -> Result<Vec<Recorded>, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        contacts::record(&mut self.conn, practice, contacts, decide, week, effects)
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
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        contacts::record_once(
            &mut self.conn,
            practice,
            key,
            request,
            now,
            expires,
            inbound,
            decide,
            week,
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
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        mail::record_mail(&mut self.conn, practice, mail, now, decide, week, effects)
    }

    fn pass_mail(
        &mut self,
        practice: PracticeId,
        checkpoint: Option<&frontdesk_store::Checkpoint>,
        unmatched: Option<&frontdesk_store::Unmatched>,
    ) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        mail::pass_mail(&mut self.conn, practice, checkpoint, unmatched)
    }

    fn mailboxes(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<frontdesk_store::MailboxState>, StoreError> {
        mail::mailboxes(&self.conn, practice)
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
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        mail::mailbox_checked(
            &mut self.conn,
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
        mail::unmatched(&self.conn, practice)
    }

    fn drop_unmatched(&mut self, practice: PracticeId, key: &str) -> Result<bool, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        mail::drop_unmatched(&mut self.conn, practice, key)
    }

    fn inbox_page(
        &self,
        practice: PracticeId,
        scope: &Scope,
        now: Timestamp,
        query: &frontdesk_store::InboxQuery,
    ) -> Result<frontdesk_store::InboxPage, StoreError> {
        contacts::inbox_page(&self.conn, practice, scope, now, query)
    }

    fn thread(&self, practice: PracticeId, id: ContactId) -> Result<Vec<Recorded>, StoreError> {
        mail::thread(&self.conn, practice, id)
    }

    fn contact(&self, practice: PracticeId, id: ContactId) -> Result<Recorded, StoreError> {
        contacts::read_contact(&self.conn, practice, id)
    }

    fn languages(&self, practice: PracticeId) -> Result<Vec<(Handle, String)>, StoreError> {
        accounts::languages(&self.conn, practice)
    }

    fn answer(
        &mut self,
        practice: PracticeId,
        id: ContactId,
        judge: &dyn Fn(&Recorded) -> Result<Answer, StoreError>,
        effects: &EffectsFn<'_>,
    ) -> Result<Recorded, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        contacts::answer(&mut self.conn, practice, id, judge, effects)
    }

    fn inbox(
        &self,
        practice: PracticeId,
        scope: &Scope,
        now: Timestamp,
        limit: usize,
    ) -> Result<Inbox, StoreError> {
        contacts::inbox(&self.conn, practice, scope, now, limit)
    }

    fn unanswered(
        &self,
        practice: PracticeId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<InboxEntry>, StoreError> {
        contacts::unanswered(&self.conn, practice, from, until)
    }

    fn run_jobs(
        &mut self,
        practice: PracticeId,
        jobs: &[frontdesk_core::timers::Job],
        at: Timestamp,
    ) -> Result<Vec<String>, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        outbox::run_jobs(&mut self.conn, practice, jobs, at)
    }

    fn claim_outbox(
        &mut self,
        now: Timestamp,
        lease: Timestamp,
        routes: &[(frontdesk_core::outbox::Medium, Option<PracticeId>)],
        limit: usize,
    ) -> Result<Vec<Queued>, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        outbox::claim_outbox(&mut self.conn, now, lease, routes, limit)
    }

    fn outbox_due_count(&self, now: Timestamp) -> Result<u64, StoreError> {
        outbox::due_count(&self.conn, now)
    }

    fn outbox_attempted(&mut self, id: i64, attempt: &Attempt) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        outbox::attempted(&self.conn, id, attempt)
    }

    fn outbox(
        &self,
        practice: PracticeId,
        unsent: bool,
        limit: usize,
    ) -> Result<Vec<Queued>, StoreError> {
        outbox::list(&self.conn, practice, unsent, limit)
    }

    fn outbox_retry(
        &mut self,
        practice: PracticeId,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        outbox::retry(&self.conn, practice, id, now)
    }

    fn meetings(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(i64, Meeting)>, StoreError> {
        meetings::meetings(&self.conn, practice, from, to)
    }

    fn meetings_about(
        &self,
        practice: PracticeId,
        id: &MeetingRef,
    ) -> Result<Vec<(i64, Meeting)>, StoreError> {
        meetings::meetings_about(&self.conn, practice, id)
    }

    fn save_meeting(
        &mut self,
        practice: PracticeId,
        id: Option<i64>,
        m: &Meeting,
    ) -> Result<i64, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        meetings::store_meeting(&mut self.conn, practice, id, m)
    }

    fn adhoc_calls(
        &self,
        practice: PracticeId,
        client: &Handle,
        week: Date,
    ) -> Result<u32, StoreError> {
        contacts::adhoc_calls_of(&self.conn, practice, client, week)
    }

    fn book(&mut self, practice: PracticeId, request: &BookRequest<'_>) -> Result<i64, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        meetings::book(&mut self.conn, practice, request)
    }

    fn audit(&self, practice: PracticeId) -> Result<frontdesk_store::AuditChain, StoreError> {
        audit::chain(&self.conn, practice)
    }

    fn briefs(
        &self,
        practice: PracticeId,
        member: &Handle,
        from: Date,
    ) -> Result<Vec<frontdesk_store::Brief>, StoreError> {
        briefs::briefs(&self.conn, practice, member, from)
    }

    fn brief(
        &self,
        practice: PracticeId,
        id: i64,
    ) -> Result<Option<frontdesk_store::Brief>, StoreError> {
        briefs::brief(&self.conn, practice, id)
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
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        briefs::write(
            &mut self.conn,
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
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        briefs::record_callback(
            &mut self.conn,
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
        briefs::callbacks(&self.conn, practice, member, from)
    }

    fn brief_act(
        &mut self,
        practice: PracticeId,
        id: i64,
        judge: &dyn Fn(&frontdesk_store::Brief) -> Result<frontdesk_store::BriefAct, StoreError>,
        actor: &Handle,
        now: Timestamp,
    ) -> Result<frontdesk_store::Brief, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        briefs::act(&mut self.conn, practice, id, judge, actor, now)
    }

    fn booking(&self, manage_hash: &[u8]) -> Result<Option<Booked>, StoreError> {
        meetings::booking(&self.conn, manage_hash)
    }

    fn booker(
        &self,
        practice: PracticeId,
        id: i64,
    ) -> Result<Option<frontdesk_core::booking::Booker>, StoreError> {
        meetings::booker(&self.conn, practice, id)
    }

    fn change_meeting(
        &mut self,
        practice: PracticeId,
        id: i64,
        meeting: &Meeting,
        messages: &[frontdesk_core::outbox::Message],
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        meetings::change_meeting(&mut self.conn, practice, id, meeting, messages, now)
    }

    fn replace_busy(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        source: &str,
        busy: &[Busy],
    ) -> Result<usize, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        busy::replace_busy(&mut self.conn, practice, member, source, busy)
    }

    fn busy(
        &self,
        practice: PracticeId,
        member: &Handle,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Busy>, StoreError> {
        busy::busy(&self.conn, practice, member, from, to)
    }

    fn set_password(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        hash: &str,
    ) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        accounts::set_password(&mut self.conn, practice, member, hash)
    }

    fn has_accounts(&self) -> Result<bool, StoreError> {
        accounts::has_accounts(&self.conn)
    }

    fn logins(&self, email: &str) -> Result<Vec<Login>, StoreError> {
        accounts::logins(&self.conn, email)
    }

    fn create_session(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        token_hash: &[u8],
        csrf: &str,
        expires: Timestamp,
    ) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        accounts::create_session(&mut self.conn, practice, member, token_hash, csrf, expires)
    }

    fn session(&self, token_hash: &[u8], now: Timestamp) -> Result<Option<Principal>, StoreError> {
        accounts::session(&self.conn, token_hash, now)
    }

    fn delete_session(&mut self, token_hash: &[u8]) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        accounts::delete_session(&mut self.conn, token_hash)
    }

    fn limit_attempt(
        &mut self,
        key: &[u8],
        at: Timestamp,
        since: Timestamp,
        max: u32,
    ) -> Result<bool, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        accounts::limit_attempt(&mut self.conn, key, at, since, max)
    }

    fn limit_forget(&mut self, key: &[u8], all: bool) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        accounts::limit_forget(&mut self.conn, key, all)
    }

    fn create_token(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        accounts::create_token(&mut self.conn, practice, member, token_hash, now)
    }

    fn token(&self, token_hash: &[u8]) -> Result<Option<Principal>, StoreError> {
        accounts::token(&self.conn, token_hash)
    }

    fn revoke_token(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        accounts::revoke_token(&mut self.conn, practice, member, id, now)
    }

    fn set_language(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        language: Option<&str>,
    ) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        accounts::set_language(&mut self.conn, practice, member, language)
    }

    fn client_contacts(
        &self,
        practice: PracticeId,
        client: &Handle,
        limit: usize,
    ) -> Result<Vec<Recorded>, StoreError> {
        contacts::client_contacts(&self.conn, practice, client, limit)
    }

    fn week_counts(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<WeekCounts>, StoreError> {
        contacts::week_counts(&self.conn, practice, from, to)
    }

    fn billing_work(
        &self,
        practice: PracticeId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<frontdesk_core::billing::Work>, StoreError> {
        billing::work(&self.conn, practice, from, until)
    }

    fn put_items(
        &mut self,
        practice: PracticeId,
        items: &[frontdesk_core::billing::Item],
    ) -> Result<Vec<frontdesk_core::billing::Item>, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        billing::put_items(&mut self.conn, practice, items)
    }

    fn item_keys(
        &self,
        practice: PracticeId,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        billing::item_keys(&self.conn, practice, from, until)
    }

    fn items(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
        from: jiff::civil::Date,
        until: jiff::civil::Date,
        open: bool,
    ) -> Result<Vec<frontdesk_core::billing::Item>, StoreError> {
        billing::items(&self.conn, practice, client, from, until, open)
    }

    fn adjust_item(
        &mut self,
        practice: PracticeId,
        id: i64,
        judge: &frontdesk_store::AdjustFn<'_>,
    ) -> Result<frontdesk_core::billing::Item, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        billing::adjust(&mut self.conn, practice, id, judge)
    }

    fn save_draft(
        &mut self,
        practice: PracticeId,
        draft: &frontdesk_core::invoice::Invoice,
    ) -> Result<frontdesk_core::invoice::Invoice, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        billing::save_draft(&mut self.conn, practice, draft)
    }

    fn invoices(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
    ) -> Result<Vec<frontdesk_core::invoice::Invoice>, StoreError> {
        billing::invoices(&self.conn, practice, client)
    }

    fn invoice(
        &self,
        practice: PracticeId,
        id: Option<i64>,
        number: Option<&str>,
    ) -> Result<Option<frontdesk_core::invoice::Invoice>, StoreError> {
        billing::invoice(&self.conn, practice, id, number)
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
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        billing::issue(&mut self.conn, practice, id, year, make, actor, at)
    }

    fn put_deliverable(
        &mut self,
        practice: PracticeId,
        deliverable: &frontdesk_core::deliverable::Deliverable,
        actor: &str,
        kind: &str,
        at: Timestamp,
    ) -> Result<frontdesk_core::deliverable::Deliverable, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        let change = deliverables::Change { actor, kind, at };
        deliverables::put_deliverable(&mut self.conn, practice, deliverable, &change)
    }

    fn deliverables(
        &self,
        practice: PracticeId,
    ) -> Result<Vec<frontdesk_core::deliverable::Deliverable>, StoreError> {
        deliverables::deliverables(&self.conn, practice)
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
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        let change = deliverables::Change { actor, kind, at };
        deliverables::put_request(
            &mut self.conn,
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
        deliverables::requests(&self.conn, practice)
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
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        ratings::request(
            &mut self.conn,
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
        ratings::by_token(&self.conn, token_hash)
    }

    fn rate(
        &mut self,
        practice: PracticeId,
        id: i64,
        score: u8,
        comment: Option<&str>,
        now: Timestamp,
    ) -> Result<frontdesk_core::rating::Rating, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        ratings::rate(&mut self.conn, practice, id, score, comment, now)
    }

    fn ratings(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
    ) -> Result<Vec<frontdesk_core::rating::Rating>, StoreError> {
        ratings::list(&self.conn, practice, client)
    }

    fn revoke_rating(
        &mut self,
        practice: PracticeId,
        id: i64,
        actor: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        ratings::revoke(&mut self.conn, practice, id, actor, now)
    }

    fn record_promise(
        &mut self,
        practice: PracticeId,
        promise: &frontdesk_core::promise::NewPromise,
        state: frontdesk_core::promise::State,
        now: Timestamp,
    ) -> Result<frontdesk_core::promise::Promise, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        promises::record(&mut self.conn, practice, promise, state, now)
    }

    fn promises(
        &self,
        practice: PracticeId,
        client: Option<&Handle>,
    ) -> Result<Vec<frontdesk_core::promise::Promise>, StoreError> {
        promises::promises(&self.conn, practice, client)
    }

    fn promise(
        &self,
        practice: PracticeId,
        id: i64,
    ) -> Result<Option<frontdesk_core::promise::Promise>, StoreError> {
        promises::promise(&self.conn, practice, id)
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
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        promises::act(&mut self.conn, practice, id, act, judge, actor, now)
    }

    fn risk_contacts(
        &self,
        practice: PracticeId,
        from: Timestamp,
    ) -> Result<Vec<frontdesk_core::risk::Contact>, StoreError> {
        risk::contacts(&self.conn, practice, from)
    }

    fn save_risk_day(
        &mut self,
        practice: PracticeId,
        day: jiff::civil::Date,
        scores: &[(Handle, u32)],
    ) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        risk::save_day(&mut self.conn, practice, day, scores)
    }

    fn risk_history(
        &self,
        practice: PracticeId,
        client: &Handle,
        from: jiff::civil::Date,
    ) -> Result<Vec<(jiff::civil::Date, u32)>, StoreError> {
        risk::history(&self.conn, practice, client, from)
    }

    fn responses(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Response>, StoreError> {
        contacts::responses(&self.conn, practice, from, to)
    }

    fn tokens(&self, practice: PracticeId, member: &Handle) -> Result<Vec<TokenInfo>, StoreError> {
        accounts::tokens(&self.conn, practice, member)
    }

    fn create_link(
        &mut self,
        practice: PracticeId,
        target: &LinkTarget,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        accounts::create_link(&mut self.conn, practice, target, token_hash, now)
    }

    fn link(&self, token_hash: &[u8]) -> Result<Option<Link>, StoreError> {
        accounts::link(&self.conn, token_hash)
    }

    fn links(
        &self,
        practice: PracticeId,
        target: &LinkTarget,
    ) -> Result<Vec<TokenInfo>, StoreError> {
        accounts::links(&self.conn, practice, target)
    }

    fn revoke_link(
        &mut self,
        practice: PracticeId,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        accounts::revoke_link(&mut self.conn, practice, id, now)
    }

    fn add_busy_source(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        url: &str,
    ) -> Result<i64, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        busy::add_busy_source(&mut self.conn, practice, member, url)
    }

    fn busy_sources(&self) -> Result<Vec<BusySource>, StoreError> {
        busy::busy_sources(&self.conn)
    }

    fn remove_busy_source(
        &mut self,
        practice: PracticeId,
        id: i64,
    ) -> Result<Option<BusySource>, StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        busy::remove_busy_source(&mut self.conn, practice, id)
    }

    fn busy_source_checked(
        &mut self,
        id: i64,
        at: Timestamp,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        busy::busy_source_checked(&mut self.conn, id, at, error)
    }

    fn export(&self, sink: &mut frontdesk_store::Sink<'_>) -> Result<(), StoreError> {
        copy::export(&self.conn, sink)
    }

    fn import(
        &mut self,
        source: &mut dyn FnMut(&mut frontdesk_store::Sink<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let writers = self.writers.clone();
        let _turn = turn(&writers);
        copy::import(&mut self.conn, source)
    }

    fn another(&self) -> Result<Option<Box<dyn Store + Send>>, StoreError> {
        match &self.path {
            Some(path) => {
                let mut more = SqliteStore::open(path)?;
                more.writers = self.writers.clone();
                Ok(Some(Box::new(more)))
            }
            None => Ok(None),
        }
    }

    fn changes(&self) -> Result<Option<Box<dyn frontdesk_store::Changes>>, StoreError> {
        Ok(self
            .path
            .clone()
            .map(|p| Box::new(listen::Listener::new(p)) as Box<dyn frontdesk_store::Changes>))
    }

    fn counts(&self) -> Result<Vec<(&'static str, u64)>, StoreError> {
        copy::counts(&self.conn)
    }
}

fn query<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).db()?;
    let rows = stmt.query_map(params, f).db()?;
    rows.collect::<Result<Vec<T>, _>>().db()
}
