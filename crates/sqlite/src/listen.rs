//! Hearing what other processes write to the same file: `PRAGMA data_version` changes when
//! another connection commits; then new contacts are found by their ids, and answers by the
//! per-practice counter a trigger keeps (`inbox_answers`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use frontdesk_store::{Changes, PracticeId, StoreError};
use rusqlite::Connection;

use crate::Db;

/// How often the file is looked at while waiting.
const POLL: Duration = Duration::from_millis(100);

pub(crate) struct Listener {
    path: PathBuf,
    conn: Option<Connection>,
    version: i64,
    last_contact: i64,
    answers: HashMap<i64, i64>,
}

impl Listener {
    pub(crate) fn new(path: PathBuf) -> Listener {
        Listener {
            path,
            conn: None,
            version: -1,
            last_contact: 0,
            answers: HashMap::new(),
        }
    }

    fn open(&mut self) -> Result<(), StoreError> {
        if self.conn.is_some() {
            return Ok(());
        }
        let conn = Connection::open(&self.path).db()?;
        conn.busy_timeout(Duration::from_secs(5)).db()?;
        self.version = conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .db()?;
        self.last_contact = conn
            .query_row("SELECT coalesce(max(id), 0) FROM contacts", [], |r| {
                r.get(0)
            })
            .db()?;
        self.answers = answers(&conn)?;
        self.conn = Some(conn);
        Ok(())
    }

    fn changed(&mut self) -> Result<Vec<PracticeId>, StoreError> {
        let conn = self.conn.as_ref().expect("opened before");
        let mut found: Vec<PracticeId> = Vec::new();
        let mut stmt = conn
            .prepare_cached(
                "SELECT practice_id, max(id) FROM contacts WHERE id > ?1 GROUP BY practice_id",
            )
            .db()?;
        let rows = stmt
            .query_map([self.last_contact], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })
            .db()?
            .collect::<Result<Vec<_>, _>>()
            .db()?;
        for (practice, last) in rows {
            self.last_contact = self.last_contact.max(last);
            found.push(PracticeId(practice));
        }
        let now = answers(conn)?;
        for (practice, n) in &now {
            if self.answers.get(practice) != Some(n) && !found.contains(&PracticeId(*practice)) {
                found.push(PracticeId(*practice));
            }
        }
        self.answers = now;
        Ok(found)
    }
}

fn answers(conn: &Connection) -> Result<HashMap<i64, i64>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT practice_id, n FROM inbox_answers")
        .db()?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .db()?
        .collect::<Result<HashMap<i64, i64>, _>>()
        .db()?;
    Ok(rows)
}

impl Changes for Listener {
    fn wait(&mut self, timeout: Duration) -> Result<Vec<PracticeId>, StoreError> {
        if let Err(e) = self.open() {
            std::thread::sleep(timeout);
            return Err(e);
        }
        let deadline = Instant::now() + timeout;
        loop {
            let version: i64 = self
                .conn
                .as_ref()
                .expect("opened above")
                .query_row("PRAGMA data_version", [], |r| r.get(0))
                .db()?;
            if version != self.version {
                self.version = version;
                let found = self.changed()?;
                if !found.is_empty() {
                    return Ok(found);
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(Vec::new());
            }
            std::thread::sleep(left.min(POLL));
        }
    }
}
