//! frontdesk's embedded storage: [`Store`] on SQLite.
//!
//! One database file holds any number of practices. The connection runs in WAL mode with
//! foreign keys on, and every method that writes does so in one transaction, so a failed
//! command leaves the database as it was. SQL lives in this crate only.

mod outbox;
mod schema;

use std::collections::HashMap;
use std::path::Path;

use frontdesk_core::slots::Busy;
use frontdesk_core::{
    Belonging, Channel, DecideError, Decision, Flag, Handle, History, Inbound, Language, Meeting,
    MeetingKind, MeetingRef, MeetingStatus, Practice, PracticeChanges, Removal, Reply, Verdict,
};
use frontdesk_store::{
    Answer, Applied, Attempt, BookCheck, BusySource, ContactId, DecideFn, EffectsFn, Inbox,
    InboxEntry, Link, LinkTarget, Login, PracticeId, Principal, Queued, Recorded, Response, Scope,
    Store, StoreError, TokenInfo, WeekCounts,
};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

pub use schema::VERSION as SCHEMA_VERSION;

/// A frontdesk database in one SQLite file.
pub struct SqliteStore {
    conn: Connection,
}

trait Db<T> {
    fn db(self) -> Result<T, StoreError>;
}

impl<T> Db<T> for rusqlite::Result<T> {
    fn db(self) -> Result<T, StoreError> {
        self.map_err(|e| StoreError::Database(e.to_string()))
    }
}

fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("unreadable record: {what}"))
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let conn = Connection::open(path).db()?;
        SqliteStore::setup(conn)
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
        Ok(SqliteStore { conn })
    }

    fn id_of(
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
}

fn micros(ts: Timestamp) -> i64 {
    ts.as_microsecond()
}

fn from_micros(us: i64) -> Result<Timestamp, StoreError> {
    Timestamp::from_microsecond(us).map_err(corrupt)
}

fn flags_text(flags: &[Flag]) -> String {
    flags
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_flags(text: &str) -> Result<Vec<Flag>, StoreError> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| Flag::parse(s).ok_or_else(|| corrupt(format!("flag {s:?}"))))
        .collect()
}

fn handle(text: String) -> Result<Handle, StoreError> {
    Handle::parse(&text).map_err(corrupt)
}

impl Store for SqliteStore {
    /// SQLite's `data_version`: it changes when another connection commits.
    fn outside_writes(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .db()
    }

    fn apply(&mut self, practice: &Practice) -> Result<Applied, StoreError> {
        let document = frontdesk_practice::render(practice);
        let name = &practice.settings().name;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, document FROM practices WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .db()?;
        let (id, created, changes) = match existing {
            None => {
                tx.execute(
                    "INSERT INTO practices (name, document) VALUES (?1, ?2)",
                    params![name, document],
                )
                .db()?;
                (
                    tx.last_insert_rowid(),
                    true,
                    PracticeChanges::creating(practice),
                )
            }
            Some((id, old_document)) => {
                let old = frontdesk_practice::parse(&old_document)
                    .map_err(|e| corrupt(format!("stored practice {name:?}: {e}")))?;
                let changes = PracticeChanges::between(&old, practice);
                if !changes.any() && old_document == document {
                    return Ok(Applied {
                        id: PracticeId(id),
                        created: false,
                        changes,
                    });
                }
                for (what, table, removal, removed) in [
                    (
                        "client",
                        "clients",
                        Removal::CLIENT,
                        &changes.removed_clients,
                    ),
                    (
                        "member",
                        "members",
                        Removal::MEMBER,
                        &changes.removed_members,
                    ),
                ] {
                    let of = |b: Belonging| belonging_table(b, table == "members");
                    for h in removed {
                        let owner: i64 = tx
                            .query_row(
                                &format!(
                                    "SELECT id FROM {table} WHERE practice_id = ?1 AND handle = ?2"
                                ),
                                params![id, h.as_str()],
                                |r| r.get(0),
                            )
                            .db()?;
                        let mut count = 0i64;
                        for (t, column) in removal.refused_while.iter().map(|b| of(*b)) {
                            let n: i64 = tx
                                .query_row(
                                    &format!("SELECT COUNT(*) FROM {t} WHERE {column} = ?1"),
                                    [owner],
                                    |r| r.get(0),
                                )
                                .db()?;
                            count += n;
                        }
                        if count > 0 {
                            return Err(StoreError::WouldLoseContacts {
                                what,
                                handle: h.to_string(),
                                count: count as u64,
                            });
                        }
                        for (t, column) in removal.takes_along.iter().map(|b| of(*b)) {
                            tx.execute(&format!("DELETE FROM {t} WHERE {column} = ?1"), [owner])
                                .db()?;
                        }
                        tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [owner])
                            .db()?;
                    }
                }
                tx.execute(
                    "UPDATE practices SET document = ?2 WHERE id = ?1",
                    params![id, document],
                )
                .db()?;
                (id, false, changes)
            }
        };
        for m in practice.members() {
            tx.execute(
                "INSERT OR IGNORE INTO members (practice_id, handle) VALUES (?1, ?2)",
                params![id, m.handle.as_str()],
            )
            .db()?;
        }
        for c in practice.clients() {
            tx.execute(
                "INSERT OR IGNORE INTO clients (practice_id, handle) VALUES (?1, ?2)",
                params![id, c.handle.as_str()],
            )
            .db()?;
        }
        tx.commit().db()?;
        Ok(Applied {
            id: PracticeId(id),
            created,
            changes,
        })
    }

    fn practices(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM practices ORDER BY name")
            .db()?;
        let names = stmt.query_map([], |r| r.get(0)).db()?;
        names.collect::<Result<_, _>>().db()
    }

    fn load(&self, name: Option<&str>) -> Result<(PracticeId, Practice), StoreError> {
        let names = self.practices()?;
        let name = match (name, names.as_slice()) {
            (_, []) => return Err(StoreError::NoPractice),
            (None, [only]) => only.clone(),
            (None, _) => return Err(StoreError::WhichPractice(names.join(", "))),
            (Some(n), _) if names.iter().any(|x| x == n) => n.to_string(),
            (Some(n), _) => {
                return Err(StoreError::UnknownPractice {
                    name: n.to_string(),
                    known: names.join(", "),
                });
            }
        };
        let (id, document): (i64, String) = self
            .conn
            .query_row(
                "SELECT id, document FROM practices WHERE name = ?1",
                [&name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .db()?;
        let practice = frontdesk_practice::parse(&document)
            .map_err(|e| corrupt(format!("stored practice {name:?}: {e}")))?;
        Ok((PracticeId(id), practice))
    }

    fn practice(&self, id: PracticeId) -> Result<Practice, StoreError> {
        let (name, document): (String, String) = self
            .conn
            .query_row(
                "SELECT name, document FROM practices WHERE id = ?1",
                [id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .db()?
            .ok_or(StoreError::NoPractice)?;
        frontdesk_practice::parse(&document)
            .map_err(|e| corrupt(format!("stored practice {name:?}: {e}")))
    }

    fn history(
        &self,
        practice: PracticeId,
        inbound: &Inbound,
        week: Date,
    ) -> Result<History, StoreError> {
        let client = SqliteStore::id_of(&self.conn, "clients", practice, inbound.client.as_str())?
            .ok_or_else(|| DecideError::UnknownClient(inbound.client.to_string()))?;
        history(&self.conn, client, inbound, week)
    }

    fn record(
        &mut self,
        practice: PracticeId,
        contacts: &[Inbound],
        decide: &DecideFn<'_>,
        week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
        effects: &EffectsFn<'_>,
    ) -> Result<Vec<Recorded>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let mut clients: HashMap<Handle, i64> = HashMap::new();
        let mut members: HashMap<Handle, i64> = HashMap::new();
        let mut recorded = Vec::with_capacity(contacts.len());
        for inbound in contacts {
            let client = match clients.get(&inbound.client) {
                Some(id) => *id,
                None => {
                    let id = SqliteStore::id_of(&tx, "clients", practice, inbound.client.as_str())?
                        .ok_or_else(|| DecideError::UnknownClient(inbound.client.to_string()))?;
                    clients.insert(inbound.client.clone(), id);
                    id
                }
            };
            let history = history(&tx, client, inbound, week(inbound)?)?;
            let decision = decide(inbound, &history)?;
            let assignee = match members.get(&decision.assignee) {
                Some(id) => *id,
                None => {
                    let id =
                        SqliteStore::id_of(&tx, "members", practice, decision.assignee.as_str())?
                            .ok_or_else(|| {
                            corrupt(format!("member {} is not stored", decision.assignee))
                        })?;
                    members.insert(decision.assignee.clone(), id);
                    id
                }
            };
            let reasons = serde_json::to_string(&decision.reasons).map_err(corrupt)?;
            let why = serde_json::to_string(&decision.why).map_err(corrupt)?;
            tx.prepare_cached(
                "INSERT INTO contacts (practice_id, client_id, channel, sender, at_us, body,
                    verdict, assignee_id, due_us, flags, reasons, reply_language, reply_text,
                    in_hours, week, why, allowance)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )
            .db()?
            .execute(params![
                practice.0,
                client,
                inbound.channel.as_str(),
                inbound.from,
                micros(inbound.at),
                inbound.body,
                decision.verdict.as_str(),
                assignee,
                micros(decision.due),
                flags_text(&decision.flags),
                reasons,
                decision.reply.as_ref().map(|r| r.language.code()),
                decision.reply.as_ref().map(|r| r.text.as_str()),
                decision.in_hours,
                decision.week.to_string(),
                why,
                decision.allowance,
            ])
            .db()?;
            let r = Recorded {
                id: ContactId(tx.last_insert_rowid()),
                inbound: inbound.clone(),
                decision,
                answer: None,
            };
            let reply = r.decision.reply.as_ref().map(|x| x.text.as_str());
            for m in effects(&r) {
                outbox::enqueue(&tx, practice, &m, inbound.at, Some((r.id.0, reply)))?;
            }
            recorded.push(r);
        }
        tx.commit().db()?;
        Ok(recorded)
    }

    fn contact(&self, practice: PracticeId, id: ContactId) -> Result<Recorded, StoreError> {
        contact(&self.conn, practice, id)
    }

    fn answer(
        &mut self,
        practice: PracticeId,
        id: ContactId,
        judge: &dyn Fn(&Recorded) -> Result<Answer, StoreError>,
    ) -> Result<Recorded, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let mut recorded = contact(&tx, practice, id)?;
        let answer = judge(&recorded)?;
        tx.execute(
            "UPDATE contacts SET answered_us = ?2, response_us = ?3, working_response_us = ?4
             WHERE id = ?1",
            params![
                id.0,
                micros(answer.at),
                answer.response.as_micros() as i64,
                answer.working_response.as_micros() as i64
            ],
        )
        .db()?;
        tx.commit().db()?;
        recorded.answer = Some(answer);
        Ok(recorded)
    }

    fn inbox(
        &self,
        practice: PracticeId,
        scope: &Scope,
        now: Timestamp,
        limit: usize,
    ) -> Result<Inbox, StoreError> {
        // A member's scope as two parameters: their handle and their clients as a JSON array.
        let (member, clients) = match scope {
            Scope::All => (None, String::new()),
            Scope::Member { member, clients } => (
                Some(member.as_str()),
                serde_json::to_string(&clients.iter().map(Handle::as_str).collect::<Vec<_>>())
                    .map_err(corrupt)?,
            ),
        };
        let in_scope = "(?2 IS NULL OR m.handle = ?2
                          OR cl.handle IN (SELECT value FROM json_each(?3)))";
        let entries = inbox_entries(
            &self.conn,
            &format!(
                "c.practice_id = ?1 AND c.answered_us IS NULL AND {in_scope}
                 ORDER BY c.due_us, c.id LIMIT ?4"
            ),
            params![practice.0, member, clients, limit as i64],
        )?;
        let (open, overdue): (i64, i64) = if member.is_none() {
            self.conn
                .prepare_cached(
                    // Two counts on the partial index: all open, and the range due before now.
                    "SELECT
                       (SELECT COUNT(*) FROM contacts WHERE practice_id = ?1 AND answered_us IS NULL),
                       (SELECT COUNT(*) FROM contacts
                        WHERE practice_id = ?1 AND answered_us IS NULL AND due_us < ?2)",
                )
                .db()?
                .query_row(params![practice.0, micros(now)], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .db()?
        } else {
            self.conn
                .prepare_cached(&format!(
                    "SELECT COUNT(*), COALESCE(SUM(c.due_us < ?4), 0)
                     FROM contacts c
                     JOIN clients cl ON cl.id = c.client_id
                     JOIN members m ON m.id = c.assignee_id
                     WHERE c.practice_id = ?1 AND c.answered_us IS NULL AND {in_scope}"
                ))
                .db()?
                .query_row(params![practice.0, member, clients, micros(now)], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .db()?
        };
        Ok(Inbox {
            entries,
            open: open as u64,
            overdue: overdue as u64,
        })
    }

    fn unanswered(
        &self,
        practice: PracticeId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<InboxEntry>, StoreError> {
        inbox_entries(
            &self.conn,
            "c.practice_id = ?1 AND c.answered_us IS NULL AND c.due_us >= ?2 AND c.due_us < ?3
             ORDER BY c.due_us, c.id",
            params![practice.0, micros(from), micros(until)],
        )
    }

    fn run_jobs(
        &mut self,
        practice: PracticeId,
        jobs: &[frontdesk_core::timers::Job],
        at: Timestamp,
    ) -> Result<Vec<String>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let ran = outbox::run_jobs(&tx, practice, jobs, at)?;
        tx.commit().db()?;
        Ok(ran)
    }

    fn claim_outbox(
        &mut self,
        now: Timestamp,
        lease: Timestamp,
        media: &[frontdesk_core::outbox::Medium],
        limit: usize,
    ) -> Result<Vec<Queued>, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let due = outbox::due(&tx, now, media, limit)?;
        for q in &due {
            outbox::lease(&tx, q.id, lease)?;
        }
        tx.commit().db()?;
        Ok(due)
    }

    fn outbox_due_count(&self, now: Timestamp) -> Result<u64, StoreError> {
        outbox::due_count(&self.conn, now)
    }

    fn outbox_attempted(&mut self, id: i64, attempt: &Attempt) -> Result<(), StoreError> {
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
        outbox::retry(&self.conn, practice, id, now)
    }

    fn meetings(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(i64, Meeting)>, StoreError> {
        meeting_rows(
            &self.conn,
            "m.practice_id = ?1 AND ((m.start_us >= ?2 AND m.start_us < ?3)
             OR (m.original_us >= ?2 AND m.original_us < ?3))",
            params![practice.0, micros(from), micros(to)],
        )
    }

    fn meetings_about(
        &self,
        practice: PracticeId,
        id: &MeetingRef,
    ) -> Result<Vec<(i64, Meeting)>, StoreError> {
        match id {
            MeetingRef::Stored(n) => {
                let rows = meeting_rows(
                    &self.conn,
                    "m.practice_id = ?1 AND m.id = ?2",
                    params![practice.0, n],
                )?;
                if rows.is_empty() {
                    return Err(StoreError::UnknownMeeting(*n));
                }
                Ok(rows)
            }
            MeetingRef::Standing { client, original } => meeting_rows(
                &self.conn,
                "m.practice_id = ?1 AND cl.handle = ?2 AND (m.original_us = ?3 OR m.start_us = ?3)",
                params![practice.0, client.as_str(), micros(*original)],
            ),
        }
    }

    fn save_meeting(
        &mut self,
        practice: PracticeId,
        id: Option<i64>,
        m: &Meeting,
    ) -> Result<i64, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let id = save_meeting(&tx, practice, id, m)?;
        tx.commit().db()?;
        Ok(id)
    }

    fn adhoc_calls(
        &self,
        practice: PracticeId,
        client: &Handle,
        week: Date,
    ) -> Result<u32, StoreError> {
        adhoc_calls(&self.conn, practice, client.as_str(), week)
    }

    fn book(
        &mut self,
        practice: PracticeId,
        meeting: &Meeting,
        from: Timestamp,
        to: Timestamp,
        check: &BookCheck<'_>,
    ) -> Result<i64, StoreError> {
        // IMMEDIATE takes the write lock before reading, so a second booking waits for the
        // first and then sees it.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let around = meeting_rows(
            &tx,
            "m.practice_id = ?1 AND ((m.start_us >= ?2 AND m.start_us < ?3)
             OR (m.original_us >= ?2 AND m.original_us < ?3))",
            params![practice.0, micros(from), micros(to)],
        )?;
        let calls = |week: Date| {
            adhoc_calls(&tx, practice, meeting.client.as_str(), week).unwrap_or(u32::MAX)
        };
        check(&around, &calls).map_err(StoreError::Refused)?;
        let id = save_meeting(&tx, practice, None, meeting)?;
        tx.commit().db()?;
        Ok(id)
    }

    fn replace_busy(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        source: &str,
        busy: &[Busy],
    ) -> Result<usize, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let member_id = SqliteStore::id_of(&tx, "members", practice, member.as_str())?
            .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
        let before = tx
            .execute(
                "DELETE FROM busy WHERE member_id = ?1 AND source = ?2",
                params![member_id, source],
            )
            .db()?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO busy (practice_id, member_id, source, start_us, end_us)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .db()?;
            for b in busy {
                insert
                    .execute(params![
                        practice.0,
                        member_id,
                        source,
                        micros(b.start),
                        micros(b.end)
                    ])
                    .db()?;
            }
        }
        tx.commit().db()?;
        Ok(before)
    }

    fn busy(
        &self,
        practice: PracticeId,
        member: &Handle,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Busy>, StoreError> {
        let rows = query(
            &self.conn,
            "SELECT b.start_us, b.end_us FROM busy b JOIN members m ON m.id = b.member_id
             WHERE m.practice_id = ?1 AND m.handle = ?2 AND b.start_us < ?4 AND b.end_us > ?3
             ORDER BY b.start_us, b.end_us",
            params![practice.0, member.as_str(), micros(from), micros(to)],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        )?;
        rows.into_iter()
            .map(|(start, end)| {
                Ok(Busy {
                    start: from_micros(start)?,
                    end: from_micros(end)?,
                })
            })
            .collect()
    }

    fn set_password(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        hash: &str,
    ) -> Result<(), StoreError> {
        let member_id = SqliteStore::id_of(&self.conn, "members", practice, member.as_str())?
            .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
        self.conn
            .execute(
                "INSERT INTO accounts (member_id, password_hash) VALUES (?1, ?2)
                 ON CONFLICT (member_id) DO UPDATE SET password_hash = excluded.password_hash",
                params![member_id, hash],
            )
            .db()?;
        Ok(())
    }

    fn has_accounts(&self) -> Result<bool, StoreError> {
        self.conn
            .query_row("SELECT EXISTS (SELECT 1 FROM accounts)", [], |r| r.get(0))
            .db()
    }

    fn logins(&self, email: &str) -> Result<Vec<Login>, StoreError> {
        // Emails live in each practice's settings; the accounts table knows who has a
        // password. Practices are few, so each is loaded and searched.
        let mut out = Vec::new();
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT p.id, p.name, m.handle, a.password_hash FROM accounts a
                 JOIN members m ON m.id = a.member_id JOIN practices p ON p.id = m.practice_id",
            )
            .db()?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .db()?;
        for row in rows {
            let (id, name, handle, hash) = row.db()?;
            let (_, practice) = self.load(Some(&name))?;
            let handle = Handle::parse(&handle).map_err(corrupt)?;
            if practice
                .member(&handle)
                .is_some_and(|m| m.email.eq_ignore_ascii_case(email.trim()))
            {
                out.push(Login {
                    practice: PracticeId(id),
                    practice_name: name,
                    member: handle,
                    password_hash: hash,
                });
            }
        }
        Ok(out)
    }

    fn create_session(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        token_hash: &[u8],
        csrf: &str,
        expires: Timestamp,
    ) -> Result<(), StoreError> {
        let member_id = SqliteStore::id_of(&self.conn, "members", practice, member.as_str())?
            .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
        self.conn
            .execute(
                "INSERT INTO sessions (token_hash, member_id, csrf, expires_us) VALUES (?1, ?2, ?3, ?4)",
                params![token_hash, member_id, csrf, micros(expires)],
            )
            .db()?;
        Ok(())
    }

    fn session(&self, token_hash: &[u8], now: Timestamp) -> Result<Option<Principal>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT m.practice_id, m.handle, s.csrf, a.language FROM sessions s
                 JOIN members m ON m.id = s.member_id
                 LEFT JOIN accounts a ON a.member_id = m.id
                 WHERE s.token_hash = ?1 AND s.expires_us > ?2",
            )
            .db()?
            .query_row(params![token_hash, micros(now)], principal)
            .optional()
            .db()?
            .transpose()
    }

    fn delete_session(&mut self, token_hash: &[u8]) -> Result<(), StoreError> {
        self.conn
            .execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                params![token_hash],
            )
            .db()?;
        Ok(())
    }

    fn create_token(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let member_id = SqliteStore::id_of(&self.conn, "members", practice, member.as_str())?
            .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
        self.conn
            .query_row(
                "INSERT INTO api_tokens (token_hash, member_id, created_us) VALUES (?1, ?2, ?3)
                 RETURNING id",
                params![token_hash, member_id, micros(now)],
                |r| r.get(0),
            )
            .db()
    }

    fn token(&self, token_hash: &[u8]) -> Result<Option<Principal>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT m.practice_id, m.handle, '', a.language FROM api_tokens t
                 JOIN members m ON m.id = t.member_id
                 LEFT JOIN accounts a ON a.member_id = m.id
                 WHERE t.token_hash = ?1 AND t.revoked_us IS NULL",
            )
            .db()?
            .query_row(params![token_hash], principal)
            .optional()
            .db()?
            .transpose()
    }

    fn revoke_token(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = self
            .conn
            .execute(
                "UPDATE api_tokens SET revoked_us = ?4 WHERE id = ?1 AND revoked_us IS NULL
                   AND member_id = (SELECT id FROM members WHERE practice_id = ?2 AND handle = ?3)",
                params![id, practice.0, member.as_str(), micros(now)],
            )
            .db()?;
        Ok(changed > 0)
    }

    fn set_language(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        language: Option<&str>,
    ) -> Result<(), StoreError> {
        let member_id = SqliteStore::id_of(&self.conn, "members", practice, member.as_str())?
            .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
        self.conn
            .execute(
                "UPDATE accounts SET language = ?2 WHERE member_id = ?1",
                params![member_id, language],
            )
            .db()?;
        Ok(())
    }

    fn client_contacts(
        &self,
        practice: PracticeId,
        client: &Handle,
        limit: usize,
    ) -> Result<Vec<Recorded>, StoreError> {
        let ids: Vec<i64> = query(
            &self.conn,
            "SELECT c.id FROM contacts c JOIN clients cl ON cl.id = c.client_id
             WHERE cl.practice_id = ?1 AND cl.handle = ?2
             ORDER BY c.at_us DESC, c.id DESC LIMIT ?3",
            params![practice.0, client.as_str(), limit as i64],
            |r| r.get(0),
        )?;
        ids.into_iter()
            .map(|id| contact(&self.conn, practice, ContactId(id)))
            .collect()
    }

    fn week_counts(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<WeekCounts>, StoreError> {
        let rows = query(
            &self.conn,
            "SELECT cl.handle, c.week, SUM(c.in_hours), SUM(1 - c.in_hours),
                    SUM(c.allowance)
             FROM contacts c JOIN clients cl ON cl.id = c.client_id
             WHERE c.practice_id = ?1 AND c.at_us >= ?2 AND c.at_us < ?3
             GROUP BY cl.handle, c.week ORDER BY c.week, cl.handle",
            params![practice.0, micros(from), micros(to)],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            },
        )?;
        rows.into_iter()
            .map(|(client, week, inside, outside, adhoc)| {
                Ok(WeekCounts {
                    client: Handle::parse(&client).map_err(corrupt)?,
                    week: week.parse().map_err(corrupt)?,
                    in_hours: inside as u32,
                    out_of_hours: outside as u32,
                    adhoc_calls: adhoc as u32,
                })
            })
            .collect()
    }

    fn responses(
        &self,
        practice: PracticeId,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Response>, StoreError> {
        let rows = query(
            &self.conn,
            "SELECT cl.handle, c.channel, c.flags, c.working_response_us
             FROM contacts c JOIN clients cl ON cl.id = c.client_id
             WHERE c.practice_id = ?1 AND c.at_us >= ?2 AND c.at_us < ?3
               AND c.working_response_us IS NOT NULL",
            params![practice.0, micros(from), micros(to)],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            },
        )?;
        rows.into_iter()
            .map(|(client, channel, flags, working)| {
                Ok(Response {
                    client: Handle::parse(&client).map_err(corrupt)?,
                    channel: Channel::parse(&channel).map_err(corrupt)?,
                    urgent: parse_flags(&flags)?.contains(&Flag::Urgent),
                    working: SignedDuration::from_micros(working),
                })
            })
            .collect()
    }

    fn tokens(&self, practice: PracticeId, member: &Handle) -> Result<Vec<TokenInfo>, StoreError> {
        let rows = query(
            &self.conn,
            "SELECT t.id, t.created_us, t.revoked_us FROM api_tokens t
             JOIN members m ON m.id = t.member_id
             WHERE m.practice_id = ?1 AND m.handle = ?2 ORDER BY t.id DESC",
            params![practice.0, member.as_str()],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                ))
            },
        )?;
        rows.into_iter()
            .map(|(id, created, revoked)| {
                Ok(TokenInfo {
                    id,
                    created: from_micros(created)?,
                    revoked: revoked.map(from_micros).transpose()?,
                })
            })
            .collect()
    }

    fn create_link(
        &mut self,
        practice: PracticeId,
        target: &LinkTarget,
        token_hash: &[u8],
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        let (kind, client, member) = match target {
            LinkTarget::Booking(c) => (
                "booking",
                Some(
                    SqliteStore::id_of(&self.conn, "clients", practice, c.as_str())?
                        .ok_or_else(|| DecideError::UnknownClient(c.to_string()))?,
                ),
                None,
            ),
            LinkTarget::Feed(m) => (
                "feed",
                None,
                Some(
                    SqliteStore::id_of(&self.conn, "members", practice, m.as_str())?
                        .ok_or_else(|| StoreError::UnknownMember(m.to_string()))?,
                ),
            ),
        };
        self.conn
            .query_row(
                "INSERT INTO links (practice_id, kind, client_id, member_id, token_hash, created_us)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                params![practice.0, kind, client, member, token_hash, micros(now)],
                |r| r.get(0),
            )
            .db()
    }

    fn link(&self, token_hash: &[u8]) -> Result<Option<Link>, StoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT l.id, l.practice_id, l.kind, c.handle, m.handle FROM links l
                 LEFT JOIN clients c ON c.id = l.client_id
                 LEFT JOIN members m ON m.id = l.member_id
                 WHERE l.token_hash = ?1 AND l.revoked_us IS NULL",
            )
            .db()?
            .query_row(params![token_hash], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .optional()
            .db()?;
        let Some((id, practice, kind, client, member)) = row else {
            return Ok(None);
        };
        let handle = |h: Option<String>| {
            Handle::parse(&h.ok_or_else(|| corrupt("a link without its target"))?).map_err(corrupt)
        };
        let target = match kind.as_str() {
            "booking" => LinkTarget::Booking(handle(client)?),
            _ => LinkTarget::Feed(handle(member)?),
        };
        Ok(Some(Link {
            id,
            practice: PracticeId(practice),
            target,
        }))
    }

    fn revoke_link(
        &mut self,
        practice: PracticeId,
        id: i64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let changed = self
            .conn
            .execute(
                "UPDATE links SET revoked_us = ?3
                 WHERE id = ?1 AND practice_id = ?2 AND revoked_us IS NULL",
                params![id, practice.0, micros(now)],
            )
            .db()?;
        Ok(changed > 0)
    }

    fn add_busy_source(
        &mut self,
        practice: PracticeId,
        member: &Handle,
        url: &str,
    ) -> Result<i64, StoreError> {
        let member_id = SqliteStore::id_of(&self.conn, "members", practice, member.as_str())?
            .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
        self.conn
            .query_row(
                "INSERT INTO busy_sources (practice_id, member_id, url) VALUES (?1, ?2, ?3)
                 ON CONFLICT (member_id, url) DO UPDATE SET url = excluded.url
                 RETURNING id",
                params![practice.0, member_id, url],
                |r| r.get(0),
            )
            .db()
    }

    fn busy_sources(&self) -> Result<Vec<BusySource>, StoreError> {
        let rows = query(
            &self.conn,
            "SELECT s.id, s.practice_id, m.handle, s.url, s.checked_us, s.error
             FROM busy_sources s JOIN members m ON m.id = s.member_id ORDER BY s.id",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            },
        )?;
        rows.into_iter()
            .map(|(id, practice, member, url, checked, error)| {
                Ok(BusySource {
                    id,
                    practice: PracticeId(practice),
                    member: Handle::parse(&member).map_err(corrupt)?,
                    url,
                    checked: checked.map(from_micros).transpose()?,
                    error,
                })
            })
            .collect()
    }

    fn busy_source_checked(
        &mut self,
        id: i64,
        at: Timestamp,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE busy_sources SET checked_us = ?2, error = ?3 WHERE id = ?1",
                params![id, micros(at), error],
            )
            .db()?;
        Ok(())
    }
}

/// Runs a query and maps its rows.
/// The table that keeps what belongs to a member (`member`) or a client, and its column that
/// names them.
fn belonging_table(b: Belonging, member: bool) -> (&'static str, &'static str) {
    let table = match b {
        Belonging::Contacts => "contacts",
        Belonging::Meetings => "meetings",
        Belonging::BusyTimes => "busy",
        Belonging::BusyFeeds => "busy_sources",
        Belonging::Sessions => "sessions",
        Belonging::ApiTokens => "api_tokens",
        Belonging::Account => "accounts",
        Belonging::Links => "links",
    };
    let column = match (b, member) {
        (Belonging::Contacts, true) => "assignee_id",
        (_, true) => "member_id",
        (_, false) => "client_id",
    };
    (table, column)
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

/// A session or token row: practice, member handle, CSRF token, language.
/// Unanswered contacts as inbox lines, chosen and ordered by `filter` (a WHERE clause over
/// `c` contacts, `cl` clients and `m` members, with its ORDER BY and LIMIT).
fn inbox_entries(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<InboxEntry>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT c.id, cl.handle, c.channel, c.sender, c.at_us, c.verdict, m.handle,
                    c.due_us, c.flags, substr(c.body, 1, 80)
             FROM contacts c
             JOIN clients cl ON cl.id = c.client_id
             JOIN members m ON m.id = c.assignee_id
             WHERE {filter}"
        ))
        .db()?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, String>(8)?,
                r.get::<_, Option<String>>(9)?,
            ))
        })
        .db()?;
    let mut entries = Vec::new();
    for row in rows {
        let (id, client, channel, from, at, verdict, assignee, due, flags, summary) = row.db()?;
        entries.push(InboxEntry {
            id: ContactId(id),
            client: handle(client)?,
            channel: Channel::parse(&channel).map_err(corrupt)?,
            from,
            at: from_micros(at)?,
            verdict: Verdict::parse(&verdict).ok_or_else(|| corrupt(&verdict))?,
            assignee: handle(assignee)?,
            due: from_micros(due)?,
            flags: parse_flags(&flags)?,
            summary,
        });
    }
    Ok(entries)
}

fn principal(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Principal, StoreError>> {
    let practice: i64 = r.get(0)?;
    let handle: String = r.get(1)?;
    let csrf: String = r.get(2)?;
    let language: Option<String> = r.get(3)?;
    Ok(Handle::parse(&handle)
        .map_err(corrupt)
        .map(|member| Principal {
            practice: PracticeId(practice),
            member,
            csrf,
            language,
        }))
}

fn adhoc_calls(
    conn: &Connection,
    practice: PracticeId,
    client: &str,
    week: Date,
) -> Result<u32, StoreError> {
    conn.prepare_cached(
        "SELECT COUNT(*) FROM contacts c JOIN clients cl ON cl.id = c.client_id
         WHERE cl.practice_id = ?1 AND cl.handle = ?2 AND c.week = ?3 AND c.allowance = 1",
    )
    .db()?
    .query_row(params![practice.0, client, week.to_string()], |r| r.get(0))
    .db()
}

/// Inserts or updates a meeting inside the caller's transaction.
fn save_meeting(
    tx: &Connection,
    practice: PracticeId,
    id: Option<i64>,
    m: &Meeting,
) -> Result<i64, StoreError> {
    let client = SqliteStore::id_of(tx, "clients", practice, m.client.as_str())?
        .ok_or_else(|| DecideError::UnknownClient(m.client.to_string()))?;
    let member = SqliteStore::id_of(tx, "members", practice, m.member.as_str())?
        .ok_or_else(|| corrupt(format!("member {} is not stored", m.member)))?;
    let values = params![
        practice.0,
        client,
        member,
        m.kind.as_str(),
        m.original.map(micros),
        micros(m.start),
        m.minutes,
        m.status.as_str(),
        m.held_minutes,
        m.cancelled_at.map(micros),
        m.late,
    ];
    let id = match id {
        Some(id) => {
            let changed = tx
                .prepare_cached(
                    "UPDATE meetings SET client_id = ?2, member_id = ?3, kind = ?4,
                        original_us = ?5, start_us = ?6, minutes = ?7, status = ?8,
                        held_minutes = ?9, cancelled_us = ?10, late = ?11, sequence = sequence + 1
                     WHERE practice_id = ?1 AND id = ?12",
                )
                .db()?
                .execute(rusqlite::params_from_iter(
                    values
                        .iter()
                        .copied()
                        .chain(std::iter::once(&id as &dyn rusqlite::ToSql)),
                ))
                .db()?;
            if changed == 0 {
                return Err(StoreError::UnknownMeeting(id));
            }
            id
        }
        None => tx
            .prepare_cached(
                "INSERT INTO meetings (practice_id, client_id, member_id, kind, original_us,
                    start_us, minutes, status, held_minutes, cancelled_us, late)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (client_id, original_us) WHERE original_us IS NOT NULL
                 DO UPDATE SET member_id = excluded.member_id, start_us = excluded.start_us,
                    minutes = excluded.minutes, status = excluded.status,
                    held_minutes = excluded.held_minutes,
                    cancelled_us = excluded.cancelled_us, late = excluded.late,
                    sequence = meetings.sequence + 1
                 RETURNING id",
            )
            .db()?
            .query_row(values, |r| r.get(0))
            .db()?,
    };
    Ok(id)
}

fn history(
    conn: &Connection,
    client: i64,
    inbound: &Inbound,
    week: Date,
) -> Result<History, StoreError> {
    if !inbound.channel.is_adhoc_call() {
        return Ok(History::default());
    }
    // The week's allowance use, and whether any standing-call occurrence of the client was
    // ever changed (most never are: then one index probe is all it costs).
    let (count, any_change): (u32, bool) = conn
        .prepare_cached(
            "SELECT
               (SELECT COUNT(*) FROM contacts
                WHERE client_id = ?1 AND week = ?2 AND allowance = 1),
               EXISTS (SELECT 1 FROM meetings WHERE client_id = ?1 AND original_us IS NOT NULL)",
        )
        .db()?
        .query_row(params![client, week.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .db()?;
    // Changes to the standing call around the contact: the decision looks a week ahead for
    // the next call, and an occurrence may have been moved there from up to a week before.
    let week_us = 7 * 24 * 3600 * 1_000_000i64;
    let at = micros(inbound.at);
    if !any_change {
        return Ok(History {
            adhoc_calls_this_week: count,
            standing_changes: Vec::new(),
        });
    }
    let standing_changes = meeting_rows(
        conn,
        "m.client_id = ?1 AND m.original_us IS NOT NULL
         AND ((m.start_us >= ?2 AND m.start_us < ?3) OR (m.original_us >= ?2 AND m.original_us < ?3))",
        params![client, at - week_us, at + 2 * week_us],
    )?;
    Ok(History {
        adhoc_calls_this_week: count,
        standing_changes,
    })
}

const MEETING_COLUMNS: &str = "m.id, cl.handle, mb.handle, m.kind, m.original_us, m.start_us,
    m.minutes, m.status, m.held_minutes, m.cancelled_us, m.late, m.sequence";

/// The meetings matching `condition` (on `m`, the meetings table), by start.
fn meeting_rows(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<(i64, Meeting)>, StoreError> {
    let sql = format!(
        "SELECT {MEETING_COLUMNS} FROM meetings m
         JOIN clients cl ON cl.id = m.client_id
         JOIN members mb ON mb.id = m.member_id
         WHERE {condition} ORDER BY m.start_us, m.id"
    );
    let mut stmt = conn.prepare_cached(&sql).db()?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<i64>>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, bool>(10)?,
                r.get::<_, i64>(11)?,
            ))
        })
        .db()?;
    let mut out = Vec::new();
    for row in rows {
        let (
            id,
            client,
            member,
            kind,
            original,
            start,
            minutes,
            status,
            held,
            cancelled,
            late,
            seq,
        ) = row.db()?;
        out.push((
            id,
            Meeting {
                client: Handle::parse(&client).map_err(corrupt)?,
                member: Handle::parse(&member).map_err(corrupt)?,
                kind: MeetingKind::parse(&kind).map_err(corrupt)?,
                original: original.map(from_micros).transpose()?,
                start: from_micros(start)?,
                minutes: u32::try_from(minutes).map_err(corrupt)?,
                status: MeetingStatus::parse(&status).map_err(corrupt)?,
                held_minutes: held.map(u32::try_from).transpose().map_err(corrupt)?,
                cancelled_at: cancelled.map(from_micros).transpose()?,
                late,
                sequence: u32::try_from(seq).map_err(corrupt)?,
            },
        ));
    }
    Ok(out)
}

fn contact(conn: &Connection, practice: PracticeId, id: ContactId) -> Result<Recorded, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT cl.handle, c.channel, c.sender, c.at_us, c.body, c.verdict, m.handle,
                    c.due_us, c.flags, c.reasons, c.reply_language, c.reply_text, c.in_hours,
                    c.week, c.answered_us, c.response_us, c.working_response_us, c.why,
                    c.allowance
             FROM contacts c
             JOIN clients cl ON cl.id = c.client_id
             JOIN members m ON m.id = c.assignee_id
             WHERE c.id = ?1 AND c.practice_id = ?2",
        )
        .db()?
        .query_row(params![id.0, practice.0], |r| {
            Ok(RawContact {
                client: r.get(0)?,
                channel: r.get(1)?,
                from: r.get(2)?,
                at: r.get(3)?,
                body: r.get(4)?,
                verdict: r.get(5)?,
                assignee: r.get(6)?,
                due: r.get(7)?,
                flags: r.get(8)?,
                reasons: r.get(9)?,
                reply_language: r.get(10)?,
                reply_text: r.get(11)?,
                in_hours: r.get(12)?,
                week: r.get(13)?,
                answered: r.get(14)?,
                response: r.get(15)?,
                working_response: r.get(16)?,
                why: r.get(17)?,
                allowance: r.get(18)?,
            })
        })
        .optional()
        .db()?
        .ok_or(StoreError::UnknownContact(id.0))?;
    row.into_recorded(id)
}

/// A contacts row as SQLite returns it.
struct RawContact {
    client: String,
    channel: String,
    from: String,
    at: i64,
    body: Option<String>,
    verdict: String,
    assignee: String,
    due: i64,
    flags: String,
    reasons: String,
    reply_language: Option<String>,
    reply_text: Option<String>,
    in_hours: bool,
    allowance: bool,
    week: String,
    answered: Option<i64>,
    response: Option<i64>,
    working_response: Option<i64>,
    why: Option<String>,
}

impl RawContact {
    fn into_recorded(self, id: ContactId) -> Result<Recorded, StoreError> {
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
            },
            answer,
        })
    }
}
