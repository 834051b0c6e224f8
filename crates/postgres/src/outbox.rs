//! The outbox and the timer jobs that have run.

use frontdesk_core::outbox::{Medium, Message};
use frontdesk_core::timers::Job;

use postgres::types::Type;

use crate::*;

/// Queues a message unless one with its key is queued already or its throttle holds it
/// back; true when it was queued. `contact` is the contact just stored with it and its
/// auto-reply: a message whose text is that reply refers to it instead of keeping a second
/// copy.
pub(crate) fn enqueue(
    c: &mut impl GenericClient,
    practice: PracticeId,
    message: &Message,
    due: Timestamp,
    contact: Option<(i64, Option<&str>)>,
) -> Result<bool, StoreError> {
    let one = Outgoing::new(message.clone(), due, contact);
    Ok(Throttles::default().enqueue(c, practice, vec![one])? == 1)
}

/// A message to queue, due at `due`.
pub(crate) struct Outgoing {
    message: Message,
    due: Timestamp,
    /// The contact whose auto-reply the message's text is, kept there instead of twice.
    contact: Option<i64>,
}

impl Outgoing {
    /// The message; `contact` is the contact just stored with it and its auto-reply.
    pub(crate) fn new(
        message: Message,
        due: Timestamp,
        contact: Option<(i64, Option<&str>)>,
    ) -> Outgoing {
        let contact = match contact {
            Some((id, Some(reply))) if reply == message.text => Some(id),
            _ => None,
        };
        Outgoing {
            message,
            due,
            contact,
        }
    }
}

/// The last auto-reply of each throttle group read or queued so far in a transaction: what
/// holds back the messages queued after.
#[derive(Default)]
pub(crate) struct Throttles {
    last: HashMap<String, Option<i64>>,
    prepared: Prepared,
}

impl Throttles {
    /// Throttles whose statements use the connection's `prepared` ones.
    pub(crate) fn new(prepared: Prepared) -> Throttles {
        Throttles {
            last: HashMap::new(),
            prepared,
        }
    }

    /// Queues the messages in order, each unless one with its key is queued already or its
    /// throttle holds it back (within the window of the last one of its group, earlier in the
    /// list or in an earlier call included); how many were queued. At most three statements,
    /// whatever the number.
    pub(crate) fn enqueue(
        &mut self,
        c: &mut impl GenericClient,
        practice: PracticeId,
        items: Vec<Outgoing>,
    ) -> Result<u64, StoreError> {
        let mut unread: Vec<&str> = items
            .iter()
            .filter_map(|i| Some(i.message.throttle.as_ref()?.group.as_str()))
            .filter(|g| !self.last.contains_key(*g))
            .collect();
        unread.sort_unstable();
        unread.dedup();
        if !unread.is_empty() {
            for g in &unread {
                self.last.insert(g.to_string(), None);
            }
            for r in self.prepared.query(
                c,
                "SELECT grouping, last_us FROM auto_replies
                 WHERE practice_id = $1 AND grouping = ANY($2)",
                &[(&practice.0, Type::INT8), (&unread, Type::TEXT_ARRAY)],
            )? {
                self.last.insert(r.col(0)?, Some(r.col(1)?));
            }
        }
        let mut moved: HashMap<String, i64> = HashMap::new();
        let mut queue = Queue::default();
        for item in items {
            if let Some(t) = &item.message.throttle {
                let since = item.due.checked_sub(t.window).unwrap_or(Timestamp::MIN);
                let last = self.last.get(t.group.as_str()).copied().flatten();
                if last.is_some_and(|l| l > micros(since)) {
                    continue;
                }
                self.last.insert(t.group.clone(), Some(micros(item.due)));
                moved.insert(t.group.clone(), micros(item.due));
            }
            queue.push(item);
        }
        if !moved.is_empty() {
            let (groups, at): (Vec<String>, Vec<i64>) = moved.into_iter().unzip();
            self.prepared.execute(
                c,
                "INSERT INTO auto_replies (practice_id, grouping, last_us)
                 SELECT $1::bigint, u.* FROM UNNEST($2::text[], $3::bigint[]) AS u
                 ON CONFLICT (practice_id, grouping) DO UPDATE SET last_us = excluded.last_us",
                &[
                    (&practice.0, Type::INT8),
                    (&groups, Type::TEXT_ARRAY),
                    (&at, Type::INT8_ARRAY),
                ],
            )?;
        }
        queue.insert(c, &self.prepared, practice)
    }
}

/// The statement that queues a [`Queue`]'s messages in order, ending with `$tail`.
macro_rules! outbox_insert {
    ($tail:literal) => {
        concat!(
            "INSERT INTO outbox (practice_id, key, medium, recipient, language, subject, body,
                contact_id, created_us, next_us, sender, calendar, attachment_name,
                attachment_type, attachment)
             SELECT $1::bigint, u.key, u.medium, u.recipient, u.language, u.subject, u.body,
                u.contact, u.due, u.due, u.sender, u.calendar, u.attachment_name,
                u.attachment_type, u.attachment
             FROM UNNEST($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::text[],
                $14::bytea[]) WITH ORDINALITY
               AS u(key, medium, recipient, language, subject, body, contact, due, sender,
                calendar, attachment_name, attachment_type, attachment, n)
             ORDER BY u.n ",
            $tail
        )
    };
}

/// The messages to queue, as the columns of one INSERT.
#[derive(Default)]
struct Queue {
    key: Vec<String>,
    medium: Vec<&'static str>,
    to: Vec<String>,
    language: Vec<&'static str>,
    subject: Vec<String>,
    body: Vec<Option<String>>,
    contact: Vec<Option<i64>>,
    due: Vec<i64>,
    from: Vec<Option<String>>,
    calendar: Vec<Option<String>>,
    attachment_name: Vec<Option<String>>,
    attachment_type: Vec<Option<String>>,
    attachment: Vec<Option<Vec<u8>>>,
}

impl Queue {
    fn push(&mut self, item: Outgoing) {
        let m = item.message;
        self.body.push(item.contact.is_none().then_some(m.text));
        self.contact.push(item.contact);
        self.key.push(m.key);
        self.medium.push(m.medium.as_str());
        self.to.push(m.to);
        self.language.push(m.language.code());
        self.subject.push(m.subject);
        self.due.push(micros(item.due));
        self.from.push(m.from);
        self.calendar.push(m.calendar);
        let (name, mime, data) = match m.attachment {
            Some(a) => (Some(a.name), Some(a.mime), Some(a.data)),
            None => (None, None, None),
        };
        self.attachment_name.push(name);
        self.attachment_type.push(mime);
        self.attachment.push(data);
    }

    fn insert(
        &self,
        c: &mut impl GenericClient,
        prepared: &Prepared,
        practice: PracticeId,
    ) -> Result<u64, StoreError> {
        if self.key.is_empty() {
            return Ok(0);
        }
        // A message about a contact is never a duplicate (only keyed messages without one
        // are unique): a batch of those is a plain insert, without the speculative insertion
        // that ON CONFLICT costs every row.
        let sql = if self.contact.iter().all(Option::is_some) {
            outbox_insert!("")
        } else {
            outbox_insert!("ON CONFLICT (practice_id, key) WHERE contact_id IS NULL DO NOTHING")
        };
        prepared.execute(
            c,
            sql,
            &[
                (&practice.0, Type::INT8),
                (&self.key, Type::TEXT_ARRAY),
                (&self.medium, Type::TEXT_ARRAY),
                (&self.to, Type::TEXT_ARRAY),
                (&self.language, Type::TEXT_ARRAY),
                (&self.subject, Type::TEXT_ARRAY),
                (&self.body, Type::TEXT_ARRAY),
                (&self.contact, Type::INT8_ARRAY),
                (&self.due, Type::INT8_ARRAY),
                (&self.from, Type::TEXT_ARRAY),
                (&self.calendar, Type::TEXT_ARRAY),
                (&self.attachment_name, Type::TEXT_ARRAY),
                (&self.attachment_type, Type::TEXT_ARRAY),
                (&self.attachment, Type::BYTEA_ARRAY),
            ],
        )
    }
}

/// Claims each job's key and queues its messages; the keys claimed now.
fn run_jobs_in(
    c: &mut impl GenericClient,
    practice: PracticeId,
    jobs: &[Job],
    at: Timestamp,
) -> Result<Vec<String>, StoreError> {
    let mut ran = Vec::new();
    if jobs.is_empty() {
        return Ok(ran);
    }
    let claim = c
        .prepare(
            "INSERT INTO timer_runs (practice_id, key, ran_us) VALUES ($1, $2, $3)
             ON CONFLICT (practice_id, key) DO NOTHING",
        )
        .db()?;
    for job in jobs {
        let claimed = c
            .execute(&claim, &[&practice.0, &job.key, &micros(at)])
            .db()?;
        if claimed == 1 {
            for m in &job.messages {
                enqueue(c, practice, m, at, None)?;
            }
            ran.push(job.key.clone());
        }
    }
    Ok(ran)
}

/// The columns of `outbox o`; the text comes from the contact when it is its auto-reply, and
/// the Message-ID it answers from the mail the contact was recorded from (its key in
/// `idempotency`, `@mail` U+001F and the ID), for the auto-reply's or the answer's contact.
/// (An `answer:` key that is not a number names no contact: PostgreSQL's cast would fail
/// where SQLite's yields 0.)
const COLUMNS: &str = "o.id, o.practice_id, o.key, o.medium, o.recipient, o.language, o.subject,
    COALESCE(o.body, (SELECT c.reply_text FROM contacts c WHERE c.id = o.contact_id), ''),
    o.created_us, o.attempts, o.next_us, o.last_error, o.sent_us,
    (SELECT substr(i.key, 7) FROM idempotency i
     WHERE i.contact_id = COALESCE(o.contact_id,
             CASE WHEN o.key ~* '^answer:[0-9]{1,18}$' THEN CAST(substr(o.key, 8) AS BIGINT) END)
       AND i.key ILIKE ('@mail' || chr(31) || '%')
     LIMIT 1),
    o.sender, o.calendar, o.attachment_name, o.attachment_type, o.attachment";

fn rows(
    c: &mut impl GenericClient,
    sql: &str,
    params: &Params<'_>,
) -> Result<Vec<Queued>, StoreError> {
    query(c, sql, params, |r| {
        let medium: String = r.col(3)?;
        let language: String = r.col(5)?;
        let created: i64 = r.col(8)?;
        let attempts: i64 = r.col(9)?;
        let next: Option<i64> = r.col(10)?;
        let sent: Option<i64> = r.col(12)?;
        let file: (Option<String>, Option<String>, Option<Vec<u8>>) =
            (r.col(16)?, r.col(17)?, r.col(18)?);
        let attachment = match file {
            (Some(name), Some(mime), Some(data)) => {
                Some(frontdesk_core::outbox::Attachment { name, mime, data })
            }
            _ => None,
        };
        Ok(Queued {
            id: r.col(0)?,
            practice: PracticeId(r.col(1)?),
            message: Message {
                key: r.col(2)?,
                medium: Medium::parse(&medium).map_err(corrupt)?,
                to: r.col(4)?,
                language: Language::parse(&language).map_err(corrupt)?,
                subject: r.col(6)?,
                text: r.col(7)?,
                throttle: None,
                in_reply_to: r.col(13)?,
                from: r.col(14)?,
                calendar: r.col(15)?,
                attachment,
            },
            created: from_micros(created)?,
            attempts: u32::try_from(attempts).map_err(corrupt)?,
            next_attempt: next.map(from_micros).transpose()?,
            last_error: r.col(11)?,
            sent: sent.map(from_micros).transpose()?,
        })
    })
}

/// The messages due at `now` for the routes, oldest first. Inside a transaction, the rows it
/// returns stay locked until it ends, and rows another transaction holds are skipped: what
/// another instance is claiming is not claimed twice.
pub(crate) fn due(
    c: &mut impl GenericClient,
    now: Timestamp,
    routes: &[(Medium, Option<PracticeId>)],
    limit: usize,
) -> Result<Vec<Queued>, StoreError> {
    // The routes as two arrays: the medium, and the practice or null (any practice).
    let media: Vec<&str> = routes.iter().map(|(m, _)| m.as_str()).collect();
    let practices: Vec<Option<i64>> = routes.iter().map(|(_, p)| p.map(|p| p.0)).collect();
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    rows(
        c,
        &format!(
            "SELECT {COLUMNS} FROM outbox o WHERE o.next_us IS NOT NULL AND o.next_us <= $1
               AND EXISTS (SELECT 1 FROM unnest($3::text[], $4::bigint[]) AS r(medium, practice)
                           WHERE r.medium = o.medium
                             AND (r.practice IS NULL OR r.practice = o.practice_id))
             ORDER BY o.next_us, o.id LIMIT $2
             FOR UPDATE OF o SKIP LOCKED"
        ),
        &[&micros(now), &limit, &media, &practices],
    )
}

pub(crate) fn due_count(c: &mut impl GenericClient, now: Timestamp) -> Result<u64, StoreError> {
    let n: i64 = c
        .query_one(
            "SELECT COUNT(*) FROM outbox WHERE next_us IS NOT NULL AND next_us <= $1",
            &[&micros(now)],
        )
        .db()?
        .col(0)?;
    Ok(n as u64)
}

pub(crate) fn lease(
    c: &mut impl GenericClient,
    id: i64,
    until: Timestamp,
) -> Result<(), StoreError> {
    c.execute(
        "UPDATE outbox SET next_us = $2 WHERE id = $1",
        &[&id, &micros(until)],
    )
    .db()?;
    Ok(())
}

pub(crate) fn list(
    c: &mut impl GenericClient,
    practice: PracticeId,
    unsent: bool,
    limit: usize,
) -> Result<Vec<Queued>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    rows(
        c,
        &format!(
            "SELECT {COLUMNS} FROM outbox o
             WHERE o.practice_id = $1 AND (NOT $2::boolean OR o.sent_us IS NULL)
             ORDER BY o.id DESC LIMIT $3"
        ),
        &[&practice.0, &unsent, &limit],
    )
}

pub(crate) fn attempted(
    c: &mut impl GenericClient,
    id: i64,
    attempt: &Attempt,
) -> Result<(), StoreError> {
    match attempt {
        Attempt::Sent(at) => c
            .execute(
                "UPDATE outbox SET sent_us = $2, next_us = NULL WHERE id = $1 AND sent_us IS NULL",
                &[&id, &micros(*at)],
            )
            .db()?,
        Attempt::Failed { error, next } => c
            .execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_us = $3
                 WHERE id = $1 AND sent_us IS NULL",
                &[&id, error, &next.map(micros)],
            )
            .db()?,
    };
    Ok(())
}

pub(crate) fn retry(
    c: &mut impl GenericClient,
    practice: PracticeId,
    id: i64,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let n = c
        .execute(
            "UPDATE outbox SET attempts = 0, next_us = $3
             WHERE id = $1 AND practice_id = $2 AND sent_us IS NULL",
            &[&id, &practice.0, &micros(now)],
        )
        .db()?;
    Ok(n == 1)
}

pub(crate) fn run_jobs(
    c: &mut Client,
    practice: PracticeId,
    jobs: &[Job],
    at: Timestamp,
) -> Result<Vec<String>, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let ran = run_jobs_in(&mut tx, practice, jobs, at)?;
    tx.commit().db()?;
    Ok(ran)
}

/// Claims the messages due at `now` until `until` (their lease): each is claimed by one
/// instance; one whose lease ran out (its instance died) is due again.
pub(crate) fn claim_outbox(
    c: &mut Client,
    now: Timestamp,
    until: Timestamp,
    routes: &[(Medium, Option<PracticeId>)],
    limit: usize,
) -> Result<Vec<Queued>, StoreError> {
    let mut tx = c.transaction().db()?;
    let due = due(&mut tx, now, routes, limit)?;
    for q in &due {
        lease(&mut tx, q.id, until)?;
    }
    tx.commit().db()?;
    Ok(due)
}
