//! The schema, as an ordered list of migrations. `PRAGMA user_version` records how many ran.

use rusqlite::{Connection, Transaction};

/// Each entry upgrades the schema by one version. Never edit one that has shipped: add another.
const MIGRATIONS: &[&str] = &[
    // 1: practices, the handles contacts refer to, and contacts.
    r#"
    CREATE TABLE practices (
        id        INTEGER PRIMARY KEY,
        name      TEXT NOT NULL UNIQUE,
        -- The practice's settings as a canonical practice file (frontdesk-practice renders and
        -- parses it), so what `export` prints is exactly what was applied.
        document  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE members (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        handle      TEXT NOT NULL,
        UNIQUE (practice_id, handle)
    ) STRICT;

    CREATE TABLE clients (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        handle      TEXT NOT NULL,
        UNIQUE (practice_id, handle)
    ) STRICT;

    CREATE TABLE contacts (
        id             INTEGER PRIMARY KEY,
        practice_id    INTEGER NOT NULL REFERENCES practices(id),
        client_id      INTEGER NOT NULL REFERENCES clients(id),
        channel        TEXT NOT NULL CHECK (channel IN ('call', 'voicemail', 'email', 'chat')),
        sender         TEXT NOT NULL,
        at_us          INTEGER NOT NULL,   -- microseconds since the Unix epoch, UTC
        body           TEXT,
        verdict        TEXT NOT NULL,
        assignee_id    INTEGER NOT NULL REFERENCES members(id),
        due_us         INTEGER NOT NULL,
        flags          TEXT NOT NULL,      -- comma-separated flag names
        reasons        TEXT NOT NULL,      -- JSON array of strings
        reply_language TEXT,
        reply_text     TEXT,
        in_hours       INTEGER NOT NULL CHECK (in_hours IN (0, 1)),
        week           TEXT NOT NULL,      -- the Monday of the owner's week, YYYY-MM-DD
        answered_us    INTEGER,
        response_us    INTEGER,
        working_response_us INTEGER
    ) STRICT;

    -- The inbox: unanswered contacts by due time.
    CREATE INDEX contacts_open ON contacts (practice_id, due_us, id) WHERE answered_us IS NULL;
    -- The weekly ad-hoc allowance: calls and voicemails inside working hours.
    CREATE INDEX contacts_adhoc ON contacts (client_id, week)
        WHERE in_hours = 1 AND channel IN ('call', 'voicemail');
    CREATE INDEX contacts_client ON contacts (client_id, at_us);
    CREATE INDEX contacts_assignee ON contacts (assignee_id);
    "#,
    // 2: meetings — booked and ad-hoc ones, and what happened to standing-call occurrences
    // (which are otherwise computed from the client's rule, never stored).
    r#"
    CREATE TABLE meetings (
        id           INTEGER PRIMARY KEY,
        practice_id  INTEGER NOT NULL REFERENCES practices(id),
        client_id    INTEGER NOT NULL REFERENCES clients(id),
        member_id    INTEGER NOT NULL REFERENCES members(id),
        kind         TEXT NOT NULL CHECK (kind IN ('standing', 'booked', 'adhoc')),
        original_us  INTEGER,              -- a standing-call occurrence's start by the rule
        start_us     INTEGER NOT NULL,
        minutes      INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
        status       TEXT NOT NULL CHECK (status IN ('scheduled', 'held', 'no-show', 'cancelled')),
        held_minutes INTEGER,
        cancelled_us INTEGER,
        late         INTEGER NOT NULL CHECK (late IN (0, 1)),
        CHECK ((kind = 'standing') = (original_us IS NOT NULL))
    ) STRICT;

    CREATE UNIQUE INDEX meetings_occurrence ON meetings (client_id, original_us)
        WHERE original_us IS NOT NULL;
    CREATE INDEX meetings_start ON meetings (practice_id, start_us);
    CREATE INDEX meetings_original ON meetings (practice_id, original_us)
        WHERE original_us IS NOT NULL;
    CREATE INDEX meetings_member ON meetings (member_id);
    "#,
    // 3: iCalendar's SEQUENCE: how many times a stored meeting was changed.
    r#"
    ALTER TABLE meetings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
    "#,
    // 4: busy times imported from members' own calendars, by source (a file or a feed URL);
    // an import replaces what came from the same source.
    r#"
    CREATE TABLE busy (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        member_id   INTEGER NOT NULL REFERENCES members(id),
        source      TEXT NOT NULL,
        start_us    INTEGER NOT NULL,
        end_us      INTEGER NOT NULL,
        CHECK (end_us > start_us)
    ) STRICT;
    CREATE INDEX busy_member ON busy (member_id, start_us);
    "#,
    // 5: accounts for the web app: a member's password (argon2id PHC string), sessions and API
    // tokens, each kept only as a SHA-256 hash of the secret.
    r#"
    CREATE TABLE accounts (
        member_id     INTEGER PRIMARY KEY REFERENCES members(id),
        password_hash TEXT NOT NULL,
        language      TEXT
    ) STRICT;
    CREATE TABLE sessions (
        token_hash BLOB PRIMARY KEY,
        member_id  INTEGER NOT NULL REFERENCES members(id),
        csrf       TEXT NOT NULL,
        expires_us INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sessions_member ON sessions (member_id);
    CREATE TABLE api_tokens (
        id          INTEGER PRIMARY KEY,
        token_hash  BLOB NOT NULL UNIQUE,
        member_id   INTEGER NOT NULL REFERENCES members(id),
        created_us  INTEGER NOT NULL,
        revoked_us  INTEGER
    ) STRICT;
    CREATE INDEX api_tokens_member ON api_tokens (member_id);
    "#,
    // 6: secret links: a client's booking page, a member's calendar feed. Only the SHA-256 of
    // the secret in the URL is kept; a link can be revoked.
    r#"
    CREATE TABLE links (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        kind        TEXT NOT NULL CHECK (kind IN ('booking', 'feed')),
        client_id   INTEGER REFERENCES clients(id),
        member_id   INTEGER REFERENCES members(id),
        token_hash  BLOB NOT NULL UNIQUE,
        created_us  INTEGER NOT NULL,
        revoked_us  INTEGER,
        CHECK ((kind = 'booking') = (client_id IS NOT NULL)),
        CHECK ((kind = 'feed') = (member_id IS NOT NULL))
    ) STRICT;
    "#,
    // 7: calendar feeds a member's busy times are refreshed from while the server runs.
    r#"
    CREATE TABLE busy_sources (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        member_id   INTEGER NOT NULL REFERENCES members(id),
        url         TEXT NOT NULL,
        checked_us  INTEGER,
        error       TEXT,
        UNIQUE (member_id, url)
    ) STRICT;
    "#,
    // 8: a decision's reasons as data (JSON), so pages can say them in the member's language;
    // rows from before keep only the English words.
    r#"
    ALTER TABLE contacts ADD COLUMN why TEXT;
    "#,
    // 9: the outbox (every message the desk means to send, queued with what caused it) and
    // the timer jobs that have run (claimed by key, so each runs once).
    r#"
    CREATE TABLE outbox (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        key         TEXT NOT NULL,
        medium      TEXT NOT NULL CHECK (medium IN ('email', 'sms', 'chat')),
        recipient   TEXT NOT NULL,
        language    TEXT NOT NULL,
        subject     TEXT NOT NULL,
        -- NULL when the text is the auto-reply stored with contact_id: kept once, not twice.
        body        TEXT,
        contact_id  INTEGER REFERENCES contacts(id),
        created_us  INTEGER NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        -- The next attempt; NULL once sent (sent_us set) or dead (sent_us NULL).
        next_us     INTEGER,
        last_error  TEXT,
        sent_us     INTEGER,
        UNIQUE (practice_id, key),
        CHECK (body IS NOT NULL OR contact_id IS NOT NULL)
    ) STRICT;
    CREATE INDEX outbox_due ON outbox (next_us, id) WHERE next_us IS NOT NULL;

    CREATE TABLE timer_runs (
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        key         TEXT NOT NULL,
        ran_us      INTEGER NOT NULL,
        PRIMARY KEY (practice_id, key)
    ) STRICT, WITHOUT ROWID;
    "#,
    // 10: whether a contact counts towards the weekly allowance is the decision's to say
    // (`Decision::allowance`); the store only counts the bit.
    r#"
    ALTER TABLE contacts ADD COLUMN allowance INTEGER NOT NULL DEFAULT 0
        CHECK (allowance IN (0, 1));
    UPDATE contacts SET allowance = 1 WHERE in_hours = 1 AND channel IN ('call', 'voicemail');
    DROP INDEX contacts_adhoc;
    CREATE INDEX contacts_adhoc ON contacts (client_id, week) WHERE allowance = 1;
    "#,
    // 11: an auto-reply's outbox row is unique by its contact, which is new in the transaction
    // that queues it, so only the other messages need their key indexed: one index fewer to
    // write per recorded contact.
    r#"
    CREATE TABLE outbox_new (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        key         TEXT NOT NULL,
        medium      TEXT NOT NULL CHECK (medium IN ('email', 'sms', 'chat')),
        recipient   TEXT NOT NULL,
        language    TEXT NOT NULL,
        subject     TEXT NOT NULL,
        body        TEXT,
        contact_id  INTEGER REFERENCES contacts(id),
        created_us  INTEGER NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        next_us     INTEGER,
        last_error  TEXT,
        sent_us     INTEGER,
        CHECK (body IS NOT NULL OR contact_id IS NOT NULL)
    ) STRICT;
    INSERT INTO outbox_new SELECT id, practice_id, key, medium, recipient, language, subject,
        body, contact_id, created_us, attempts, next_us, last_error, sent_us FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_new RENAME TO outbox;
    CREATE INDEX outbox_due ON outbox (next_us, id) WHERE next_us IS NOT NULL;
    CREATE UNIQUE INDEX outbox_key ON outbox (practice_id, key) WHERE contact_id IS NULL;
    "#,
    // 12: idempotency keys of recorded contacts (an API client's retry gets the first answer).
    r#"
    CREATE TABLE idempotency (
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        key         TEXT NOT NULL,
        contact_id  INTEGER NOT NULL REFERENCES contacts(id),
        created_us  INTEGER NOT NULL,
        request     BLOB NOT NULL,      -- a digest of the request: a reused key is refused
        expires_us  INTEGER,            -- NULL: kept for good (a mail's Message-ID)
        PRIMARY KEY (practice_id, key)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX idempotency_expires ON idempotency (practice_id, expires_us)
        WHERE expires_us IS NOT NULL;
    "#,
    // 13: when the last automatic reply of a group (recipient and reason) was queued: one per
    // week, across restarts and instances.
    r#"
    CREATE TABLE auto_replies (
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        grouping    TEXT NOT NULL,
        last_us     INTEGER NOT NULL,
        PRIMARY KEY (practice_id, grouping)
    ) STRICT, WITHOUT ROWID;
    "#,
    // 14: the key a contact was recorded under, by contact: the Message-ID an answer threads to.
    r#"
    CREATE INDEX idempotency_contact ON idempotency (contact_id);
    "#,
    // 15: mail — automatic mail kept but never open, the conversation a message belongs to,
    // how far each mailbox was read (in the transaction of the contacts it covers), and the
    // messages from senders no client has.
    r#"
    ALTER TABLE contacts ADD COLUMN automatic TEXT;
    DROP INDEX contacts_open;
    CREATE INDEX contacts_open ON contacts (practice_id, due_us, id)
        WHERE answered_us IS NULL AND automatic IS NULL;

    CREATE TABLE mail_messages (
        contact_id      INTEGER PRIMARY KEY REFERENCES contacts(id),
        practice_id     INTEGER NOT NULL REFERENCES practices(id),
        conversation_id INTEGER NOT NULL REFERENCES contacts(id)
    ) STRICT;
    CREATE INDEX mail_conversation ON mail_messages (conversation_id);
    -- The Message-IDs each message answers: a message recorded before the one it answers
    -- (an import out of order) joins it when that one comes.
    CREATE TABLE mail_refs (
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        message_id  TEXT NOT NULL,
        contact_id  INTEGER NOT NULL REFERENCES contacts(id),
        PRIMARY KEY (practice_id, message_id, contact_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE mailboxes (
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        mailbox     TEXT NOT NULL,
        uidvalidity INTEGER,
        uid         INTEGER NOT NULL DEFAULT 0,
        present     INTEGER NOT NULL DEFAULT 0,
        read        INTEGER NOT NULL DEFAULT 0,
        checked_us  INTEGER,
        error       TEXT,
        error_us    INTEGER,
        PRIMARY KEY (practice_id, mailbox)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE unmatched_mail (
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        key         TEXT NOT NULL,
        sender      TEXT NOT NULL,
        at_us       INTEGER NOT NULL,
        body        TEXT NOT NULL,
        automatic   TEXT,
        refers_to   TEXT NOT NULL,      -- JSON array of Message-IDs
        PRIMARY KEY (practice_id, key)
    ) STRICT, WITHOUT ROWID;
    "#,
    // 16: what a client newly wrote in a mail (quotes and signature taken away): what triage
    // read, and the inbox's summary of it.
    r#"
    ALTER TABLE mail_messages ADD COLUMN new_text TEXT;
    "#,
    // 17: who a message comes from when not the practice's address (a member's answer).
    r#"
    ALTER TABLE outbox ADD COLUMN sender TEXT;
    "#,
    // 18: the language a contact's message is written in, when it could be told.
    r#"
    ALTER TABLE contacts ADD COLUMN message_language TEXT;
    "#,
    // 19: who booked a meeting on the booking page, what about, and the hash of the secret of
    // their link to move or cancel it; an iCalendar file sent along with a message.
    r#"
    CREATE TABLE bookings (
        meeting_id INTEGER PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        topic TEXT NOT NULL,
        manage_hash BLOB NOT NULL UNIQUE
    );
    ALTER TABLE outbox ADD COLUMN calendar TEXT;
    "#,
    // 20: the audit log (append-only: triggers refuse any change in place), its head per
    // practice; briefs for absences and the cover's questions.
    r#"
    CREATE TABLE audit_log (
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        seq INTEGER NOT NULL,
        at_us INTEGER NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        client TEXT,
        subject TEXT NOT NULL,
        data TEXT NOT NULL,
        hash BLOB NOT NULL,
        PRIMARY KEY (practice_id, seq)
    );
    CREATE INDEX audit_client ON audit_log (practice_id, client, seq);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TABLE audit_heads (
        practice_id INTEGER PRIMARY KEY REFERENCES practices(id),
        seq INTEGER NOT NULL,
        hash BLOB NOT NULL
    );
    CREATE TABLE briefs (
        id INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        member TEXT NOT NULL,
        absence_from TEXT NOT NULL,
        client TEXT NOT NULL,
        cover TEXT NOT NULL,
        content TEXT NOT NULL,
        version INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('waiting', 'question', 'acknowledged')),
        updated_us INTEGER NOT NULL,
        UNIQUE (practice_id, member, absence_from, client)
    );
    CREATE TABLE brief_questions (
        id INTEGER PRIMARY KEY,
        brief_id INTEGER NOT NULL REFERENCES briefs(id),
        asked_by TEXT NOT NULL,
        asked_us INTEGER NOT NULL,
        question TEXT NOT NULL,
        answer TEXT,
        answered_us INTEGER
    );
    CREATE INDEX brief_questions_of ON brief_questions (brief_id, id);
    "#,
    // 21: a client's briefs, for the decision of each of its contacts.
    r#"
    CREATE INDEX briefs_client ON briefs (practice_id, client);
    "#,
    // 22: the calls back to each client after an absence, with their outcome.
    r#"
    CREATE TABLE callbacks (
        id INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        member TEXT NOT NULL,
        absence_from TEXT NOT NULL,
        client TEXT NOT NULL,
        at_us INTEGER NOT NULL,
        by_member TEXT NOT NULL,
        outcome TEXT NOT NULL
    );
    CREATE INDEX callbacks_of ON callbacks (practice_id, member, absence_from, client);
    "#,
    // 23: the audit log is read whole (to verify it) and filtered by client as it is read, so
    // the index by client only slowed every append.
    r#"
    DROP INDEX audit_client;
    "#,
    // 24: each client's escalation risk, one score a day, for the chart of the score over time;
    // and the contacts of a practice by arrival, for the risk of all its clients at once.
    r#"
    CREATE TABLE risk_days (
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        client      TEXT NOT NULL,
        day         TEXT NOT NULL,   -- YYYY-MM-DD, in the practice's reading of today
        score       INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
        PRIMARY KEY (practice_id, client, day)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX contacts_arrival ON contacts (practice_id, at_us);
    "#,
    // 25: the promise register: what was promised to a client, by whom, by when, and whether a
    // manager approved it; handles as text, like briefs, so they outlive a removed member.
    r#"
    CREATE TABLE promises (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        client      TEXT NOT NULL,
        contact_id  INTEGER,
        kind        TEXT NOT NULL,
        what        TEXT NOT NULL,
        due         TEXT NOT NULL,   -- YYYY-MM-DD in the promiser's zone
        by_member   TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'open', 'refused', 'kept')),
        recorded_us INTEGER NOT NULL,
        decided_by  TEXT,
        note        TEXT,
        kept_us     INTEGER
    ) STRICT;
    CREATE INDEX promises_live ON promises (practice_id, state, due);
    "#,
    // 26: deliverables and the input requests they wait on, each kept as its JSON (the core's
    // type) beside the columns it is looked up by; every change audited.
    r#"
    CREATE TABLE deliverables (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        client      TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('active', 'on_hold', 'done')),
        data        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX deliverables_of ON deliverables (practice_id, state);
    CREATE TABLE input_requests (
        id             INTEGER PRIMARY KEY,
        practice_id    INTEGER NOT NULL REFERENCES practices(id),
        deliverable_id INTEGER NOT NULL REFERENCES deliverables(id),
        data           TEXT NOT NULL
    ) STRICT;
    CREATE INDEX input_requests_of ON input_requests (practice_id, deliverable_id);
    "#,
    // 27: satisfaction ratings: each asked through a secret link (only its hash kept), answered
    // once with a score from 1 to 10 and a comment, revocable.
    r#"
    CREATE TABLE ratings (
        id             INTEGER PRIMARY KEY,
        practice_id    INTEGER NOT NULL REFERENCES practices(id),
        client         TEXT NOT NULL,
        deliverable_id INTEGER,
        goal           TEXT NOT NULL,
        token_hash     BLOB NOT NULL UNIQUE,
        requested_us   INTEGER NOT NULL,
        score          INTEGER CHECK (score BETWEEN 1 AND 10),
        comment        TEXT,
        rated_us       INTEGER,
        revoked_us     INTEGER
    ) STRICT;
    CREATE INDEX ratings_of ON ratings (practice_id, client);
    "#,
    // 28: whom a client's message was addressed to, when it came through one member's mailbox:
    // a client going around its owner shows in the risk.
    r#"
    ALTER TABLE contacts ADD COLUMN addressed_to TEXT;
    "#,
    // 29: money. The minutes of work an answer took; billable items (each kept as the core's
    // JSON, once per key: derived once, with the terms of that day); invoices and credit notes
    // (drafts replaceable, issued ones never changed or removed — triggers refuse it), their
    // gapless series per practice and year, and the head of the issued documents' hash chain.
    r#"
    ALTER TABLE contacts ADD COLUMN work_minutes INTEGER;
    CREATE TABLE billing_items (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        client      TEXT NOT NULL,
        key         TEXT NOT NULL,
        day         TEXT NOT NULL,
        invoice_id  INTEGER,
        data        TEXT NOT NULL,
        UNIQUE (practice_id, key)
    ) STRICT;
    CREATE INDEX billing_items_of ON billing_items (practice_id, client, day);
    CREATE INDEX billing_items_by_day ON billing_items (practice_id, day);
    CREATE TABLE invoices (
        id          INTEGER PRIMARY KEY,
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        client      TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('invoice', 'credit')),
        period      TEXT,
        corrects    INTEGER REFERENCES invoices(id),
        number      TEXT,
        data        TEXT NOT NULL,
        UNIQUE (practice_id, number)
    ) STRICT;
    CREATE INDEX invoices_of ON invoices (practice_id, client);
    CREATE TRIGGER invoices_issued_never_change BEFORE UPDATE ON invoices
        WHEN OLD.number IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'an issued invoice never changes: correct it with a credit note'); END;
    CREATE TRIGGER invoices_issued_never_go BEFORE DELETE ON invoices
        WHEN OLD.number IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'an issued invoice is never removed'); END;
    CREATE TABLE invoice_series (
        practice_id INTEGER NOT NULL REFERENCES practices(id),
        year        INTEGER NOT NULL,
        last        INTEGER NOT NULL,
        PRIMARY KEY (practice_id, year)
    ) STRICT;
    CREATE TABLE invoice_heads (
        practice_id INTEGER PRIMARY KEY REFERENCES practices(id),
        hash        TEXT NOT NULL
    ) STRICT;
    "#,
    // 30: a file an outbox message carries (an invoice's PDF).
    r#"
    ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
    ALTER TABLE outbox ADD COLUMN attachment_type TEXT;
    ALTER TABLE outbox ADD COLUMN attachment BLOB;
    "#,
    // 31: answers counted per practice, so another server on this file hears of them
    // (new contacts it finds by their ids); sign-in attempts, counted for every server; a
    // practice's version, moved by every apply, which every connection reads alike (the
    // servers' practice caches).
    r#"
    ALTER TABLE practices ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE sign_in_attempts (
        id    INTEGER PRIMARY KEY,
        key   BLOB NOT NULL,
        at_us INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX sign_in_attempts_key ON sign_in_attempts (key, at_us);
    CREATE INDEX sign_in_attempts_at ON sign_in_attempts (at_us);
    CREATE TABLE inbox_answers (
        practice_id INTEGER PRIMARY KEY REFERENCES practices(id),
        n           INTEGER NOT NULL
    ) STRICT;
    CREATE TRIGGER contacts_answered AFTER UPDATE OF answered_us ON contacts
        BEGIN
            INSERT INTO inbox_answers (practice_id, n) VALUES (NEW.practice_id, 1)
            ON CONFLICT (practice_id) DO UPDATE SET n = n + 1;
        END;
    "#,
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Runs the migrations the database has not seen, in one transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<Result<(), i64>> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > VERSION {
        return Ok(Err(version));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)?;
        set_version(&tx, i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(Ok(()))
}

fn set_version(tx: &Transaction<'_>, version: i64) -> rusqlite::Result<()> {
    tx.execute_batch(&format!("PRAGMA user_version = {version}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_from_before_the_allowance_bit_count_as_they_did() {
        let mut conn = Connection::open_in_memory().unwrap();
        // A database as version 9 left it, with a call and a voicemail in hours, a call out of
        // hours and an e-mail in hours.
        for sql in &MIGRATIONS[..9] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 9;
             INSERT INTO practices (id, name, document) VALUES (1, 'p', '');
             INSERT INTO members (id, practice_id, handle) VALUES (1, 1, 'eva');
             INSERT INTO clients (id, practice_id, handle) VALUES (1, 1, 'acme');",
        )
        .unwrap();
        for (channel, in_hours) in [("call", 1), ("voicemail", 1), ("call", 0), ("email", 1)] {
            conn.execute(
                "INSERT INTO contacts (practice_id, client_id, channel, sender, at_us, verdict,
                    assignee_id, due_us, flags, reasons, in_hours, week)
                 VALUES (1, 1, ?1, 'x', 0, 'accept', 1, 0, '', '[]', ?2, '2026-11-23')",
                rusqlite::params![channel, in_hours],
            )
            .unwrap();
        }
        migrate(&mut conn).unwrap().unwrap();
        let bits: Vec<i64> = conn
            .prepare("SELECT allowance FROM contacts ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(bits, [1, 1, 0, 0]);
        // And the week's count uses the new index.
        let plan: String = conn
            .query_row(
                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM contacts
                 WHERE client_id = 1 AND week = '2026-11-23' AND allowance = 1",
                [],
                |r| r.get(3),
            )
            .unwrap();
        assert!(plan.contains("contacts_adhoc"), "{plan}");
    }

    #[test]
    fn queued_messages_survive_the_outbox_rebuild_and_keys_stay_unique() {
        let mut conn = Connection::open_in_memory().unwrap();
        for sql in &MIGRATIONS[..10] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA user_version = 10;
             INSERT INTO practices (id, name, document) VALUES (1, 'p', '');
             INSERT INTO members (id, practice_id, handle) VALUES (1, 1, 'eva');
             INSERT INTO clients (id, practice_id, handle) VALUES (1, 1, 'acme');
             INSERT INTO contacts (id, practice_id, client_id, channel, sender, at_us, verdict,
                 assignee_id, due_us, flags, reasons, in_hours, week, reply_language, reply_text)
             VALUES (7, 1, 1, 'email', 'x@acme.example', 0, 'hold', 1, 0, '', '[]', 0,
                 '2026-11-23', 'en', 'We will answer tomorrow.');
             INSERT INTO outbox (practice_id, key, medium, recipient, language, subject, body,
                 contact_id, created_us, next_us)
             VALUES (1, 'reply:7', 'email', 'x@acme.example', 'en', 's', NULL, 7, 0, 0),
                    (1, 'overdue:7', 'email', 'eva@p.example', 'en', 's', 'late', NULL, 0, 0);",
        )
        .unwrap();
        migrate(&mut conn).unwrap().unwrap();
        let keys: Vec<String> = conn
            .prepare("SELECT key FROM outbox ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(keys, ["reply:7", "overdue:7"]);
        let again = conn
            .execute(
                "INSERT INTO outbox (practice_id, key, medium, recipient, language, subject, body,
                     created_us, next_us)
                 VALUES (1, 'overdue:7', 'email', 'eva@p.example', 'en', 's', 'late', 0, 0)
                 ON CONFLICT (practice_id, key) WHERE contact_id IS NULL DO NOTHING",
                [],
            )
            .unwrap();
        assert_eq!(again, 0, "a notice is queued once");
    }
}
