//! Clients' e-mail: messages recorded once with the conversation they belong to, how far each
//! mailbox was read, and the messages from senders no client has.

use frontdesk_core::{DecideError, Inbound};
use frontdesk_store::{
    Checkpoint, ContactId, DecideFn, EffectsFn, MailIn, MailboxState, PracticeId, Recorded,
    StoreError, Unmatched,
};
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::{Db, corrupt, from_micros, micros};

pub(crate) fn record_mail(
    conn: &mut Connection,
    practice: PracticeId,
    mail: &MailIn<'_>,
    now: Timestamp,
    decide: &DecideFn<'_>,
    week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
    effects: &EffectsFn<'_>,
) -> Result<(Recorded, bool), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    if let Some(id) = crate::contacts::keyed(&tx, practice, mail.key, mail.request, now)? {
        if let Some(c) = mail.checkpoint {
            advance(&tx, practice, c)?;
        }
        let r = crate::contacts::read_contact(&tx, practice, id)?;
        tx.commit().db()?;
        return Ok((r, false));
    }
    let conversation = conversation(&tx, practice, mail.refers_to)?;
    let r = crate::contacts::record_in(
        &tx,
        practice,
        std::slice::from_ref(mail.inbound),
        mail.automatic,
        decide,
        week,
        effects,
    )?
    .remove(0);
    if let Some(to) = mail.addressed_to {
        tx.execute(
            "UPDATE contacts SET addressed_to = ?2 WHERE id = ?1",
            rusqlite::params![r.id.0, to.as_str()],
        )
        .db()?;
    }
    tx.prepare_cached(
        "INSERT INTO idempotency (practice_id, key, contact_id, created_us, request, expires_us)
         VALUES (?1, ?2, ?3, ?4, ?5, NULL)",
    )
    .db()?
    .execute(params![
        practice.0,
        mail.key,
        r.id.0,
        micros(now),
        mail.request
    ])
    .db()?;
    let conversation = conversation.unwrap_or(r.id.0);
    tx.prepare_cached(
        "INSERT INTO mail_messages (contact_id, practice_id, conversation_id, new_text)
         VALUES (?1, ?2, ?3, ?4)",
    )
    .db()?
    .execute(params![r.id.0, practice.0, conversation, mail.new_text])
    .db()?;
    // Messages recorded before that answer this one join its conversation, with theirs.
    if let Some(message_id) = mail.key.strip_prefix("@mail\u{1f}")
        // Most messages were answered by nothing recorded before: one index probe.
        && tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM mail_refs WHERE practice_id = ?1 AND message_id = ?2)",
            )
            .db()?
            .query_row(params![practice.0, message_id], |r| r.get::<_, bool>(0))
            .db()?
    {
        tx.prepare_cached(
            "UPDATE mail_messages SET conversation_id = ?3
             WHERE practice_id = ?1 AND conversation_id IN
                (SELECT m.conversation_id FROM mail_refs f
                 JOIN mail_messages m ON m.contact_id = f.contact_id
                 WHERE f.practice_id = ?1 AND f.message_id = ?2)",
        )
        .db()?
        .execute(params![practice.0, message_id, conversation])
        .db()?;
    }
    for id in mail.refers_to {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO mail_refs (practice_id, message_id, contact_id)
             VALUES (?1, ?2, ?3)",
        )
        .db()?
        .execute(params![practice.0, id, r.id.0])
        .db()?;
    }
    // A message that was unmatched and is now recorded (assigned) leaves the list.
    tx.prepare_cached("DELETE FROM unmatched_mail WHERE practice_id = ?1 AND key = ?2")
        .db()?
        .execute(params![practice.0, mail.key])
        .db()?;
    if let Some(c) = mail.checkpoint {
        advance(&tx, practice, c)?;
    }
    tx.commit().db()?;
    Ok((r, true))
}

/// The conversation the first known Message-ID belongs to: a client's message recorded
/// before, or an auto-reply or answer the desk sent (`reply.7.42@…`: key `reply:7`, row 42).
fn conversation(
    tx: &Connection,
    practice: PracticeId,
    refers_to: &[String],
) -> Result<Option<i64>, StoreError> {
    for id in refers_to {
        let known: Option<i64> = tx
            .prepare_cached(
                "SELECT contact_id FROM idempotency WHERE practice_id = ?1 AND key = ?2",
            )
            .db()?
            .query_row(params![practice.0, format!("@mail\u{1f}{id}")], |r| {
                r.get(0)
            })
            .optional()
            .db()?;
        let known = match known {
            Some(c) => Some(c),
            None => ours(tx, practice, id)?,
        };
        if let Some(contact) = known {
            let root: Option<i64> = tx
                .prepare_cached("SELECT conversation_id FROM mail_messages WHERE contact_id = ?1")
                .db()?
                .query_row([contact], |r| r.get(0))
                .optional()
                .db()?;
            return Ok(Some(root.unwrap_or(contact)));
        }
    }
    Ok(None)
}

/// The contact a Message-ID the desk gave its own mail answers, if it is one of ours.
fn ours(tx: &Connection, practice: PracticeId, id: &str) -> Result<Option<i64>, StoreError> {
    let Some((local, _)) = id.split_once('@') else {
        return Ok(None);
    };
    let mut parts = local.split('.');
    let (Some(kind), Some(contact), Some(row), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(None);
    };
    if !matches!(kind, "reply" | "answer") {
        return Ok(None);
    }
    let (Ok(contact), Ok(row)) = (contact.parse::<i64>(), row.parse::<i64>()) else {
        return Ok(None);
    };
    let sent: bool = tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE id = ?1 AND practice_id = ?2 AND key = ?3)",
        )
        .db()?
        .query_row(params![row, practice.0, format!("{kind}:{contact}")], |r| {
            r.get(0)
        })
        .db()?;
    Ok(sent.then_some(contact))
}

/// Moves a mailbox's checkpoint forward (never back), counting the message read.
fn advance(tx: &Connection, practice: PracticeId, c: &Checkpoint) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO mailboxes (practice_id, mailbox, uidvalidity, uid, read)
         VALUES (?1, ?2, ?3, ?4, 1)
         ON CONFLICT (practice_id, mailbox) DO UPDATE SET
            uid = max(uid, excluded.uid),
            read = read + (excluded.uid > uid)
         WHERE uidvalidity IS excluded.uidvalidity",
    )
    .db()?
    .execute(params![practice.0, c.mailbox, c.uidvalidity, c.uid])
    .db()?;
    Ok(())
}

pub(crate) fn pass_mail(
    conn: &mut Connection,
    practice: PracticeId,
    checkpoint: Option<&Checkpoint>,
    unmatched: Option<&Unmatched>,
) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    if let Some(u) = unmatched {
        let refers = serde_json::to_string(&u.refers_to).map_err(corrupt)?;
        tx.prepare_cached(
            "INSERT INTO unmatched_mail (practice_id, key, sender, at_us, body, automatic, refers_to)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (practice_id, key) DO NOTHING",
        )
        .db()?
        .execute(params![
            practice.0,
            u.key,
            u.from,
            micros(u.at),
            u.body,
            u.automatic,
            refers
        ])
        .db()?;
    }
    if let Some(c) = checkpoint {
        advance(&tx, practice, c)?;
    }
    tx.commit().db()
}

pub(crate) fn mailboxes(
    conn: &Connection,
    practice: PracticeId,
) -> Result<Vec<MailboxState>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT mailbox, uidvalidity, uid, present, read, checked_us, error, error_us
             FROM mailboxes WHERE practice_id = ?1 ORDER BY mailbox",
        )
        .db()?;
    let rows = stmt
        .query_map([practice.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<u32>>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<i64>>(7)?,
            ))
        })
        .db()?;
    rows.map(|row| {
        let (mailbox, uidvalidity, uid, present, read, checked, error, error_at) = row.db()?;
        Ok(MailboxState {
            mailbox,
            uidvalidity,
            uid,
            present: present.max(0) as u64,
            read: read.max(0) as u64,
            checked: checked.map(from_micros).transpose()?,
            error: match (error, error_at) {
                (Some(e), Some(at)) => Some((from_micros(at)?, e)),
                _ => None,
            },
        })
    })
    .collect()
}

pub(crate) fn mailbox_checked(
    conn: &mut Connection,
    practice: PracticeId,
    mailbox: &str,
    uidvalidity: Option<u32>,
    present: Option<u64>,
    at: Timestamp,
    error: Option<&str>,
) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    tx.prepare_cached(
        "INSERT INTO mailboxes (practice_id, mailbox) VALUES (?1, ?2)
         ON CONFLICT (practice_id, mailbox) DO NOTHING",
    )
    .db()?
    .execute(params![practice.0, mailbox])
    .db()?;
    if let Some(v) = uidvalidity {
        // A new UIDVALIDITY: the folder is read again from the start (what was recorded
        // stays recorded once, by its Message-ID).
        tx.prepare_cached(
            "UPDATE mailboxes SET uidvalidity = ?3, uid = 0, read = 0
             WHERE practice_id = ?1 AND mailbox = ?2 AND uidvalidity IS NOT ?3",
        )
        .db()?
        .execute(params![practice.0, mailbox, v])
        .db()?;
    }
    let present = present.map(|p| i64::try_from(p).unwrap_or(i64::MAX));
    match error {
        None => tx
            .prepare_cached(
                "UPDATE mailboxes SET present = coalesce(?3, present), checked_us = ?4,
                    error = NULL, error_us = NULL
                 WHERE practice_id = ?1 AND mailbox = ?2",
            )
            .db()?
            .execute(params![practice.0, mailbox, present, micros(at)])
            .db()?,
        Some(e) => tx
            .prepare_cached(
                "UPDATE mailboxes SET present = coalesce(?3, present), error = ?4, error_us = ?5
                 WHERE practice_id = ?1 AND mailbox = ?2",
            )
            .db()?
            .execute(params![practice.0, mailbox, present, e, micros(at)])
            .db()?,
    };
    tx.commit().db()
}

pub(crate) fn unmatched(
    conn: &Connection,
    practice: PracticeId,
) -> Result<Vec<Unmatched>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT key, sender, at_us, body, automatic, refers_to FROM unmatched_mail
             WHERE practice_id = ?1 ORDER BY at_us DESC, key",
        )
        .db()?;
    let rows = stmt
        .query_map([practice.0], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })
        .db()?;
    rows.map(|row| {
        let (key, from, at, body, automatic, refers) = row.db()?;
        Ok(Unmatched {
            key,
            from,
            at: from_micros(at)?,
            body,
            automatic,
            refers_to: serde_json::from_str(&refers).map_err(corrupt)?,
        })
    })
    .collect()
}

pub(crate) fn drop_unmatched(
    conn: &mut Connection,
    practice: PracticeId,
    key: &str,
) -> Result<bool, StoreError> {
    let n = conn
        .prepare_cached("DELETE FROM unmatched_mail WHERE practice_id = ?1 AND key = ?2")
        .db()?
        .execute(params![practice.0, key])
        .db()?;
    Ok(n > 0)
}

pub(crate) fn thread(
    conn: &Connection,
    practice: PracticeId,
    id: ContactId,
) -> Result<Vec<Recorded>, StoreError> {
    let root: Option<i64> = conn
        .prepare_cached(
            "SELECT conversation_id FROM mail_messages WHERE contact_id = ?1 AND practice_id = ?2",
        )
        .db()?
        .query_row(params![id.0, practice.0], |r| r.get(0))
        .optional()
        .db()?;
    match root {
        None => Ok(vec![crate::contacts::read_contact(conn, practice, id)?]),
        Some(root) => crate::contacts::contacts_where(
            conn,
            "c.practice_id = ?1 AND c.id IN
                (SELECT contact_id FROM mail_messages WHERE conversation_id = ?2)
             ORDER BY c.at_us, c.id",
            params![practice.0, root],
        ),
    }
}
