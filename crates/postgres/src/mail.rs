//! Clients' e-mail: messages recorded once with the conversation they belong to, how far each
//! mailbox was read, and the messages from senders no client has.

use frontdesk_store::{Checkpoint, MailIn, MailboxState, Unmatched};

use crate::*;

#[allow(clippy::too_many_arguments)]
pub(crate) fn record_mail(
    c: &mut Client,
    prepared: &Prepared,
    practice: PracticeId,
    mail: &MailIn<'_>,
    now: Timestamp,
    decide: &DecideFn<'_>,
    week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
    effects: &EffectsFn<'_>,
) -> Result<(Recorded, bool), StoreError> {
    let mut tx = crate::write_as(c, practice, prepared)?;
    if let Some(id) =
        crate::contacts::keyed(&mut tx, prepared, practice, mail.key, mail.request, now)?
    {
        if let Some(c) = mail.checkpoint {
            advance(&mut tx, practice, c)?;
        }
        let r = crate::contacts::read_contact(&mut tx, practice, id)?;
        tx.commit().db()?;
        return Ok((r, false));
    }
    let conversation = conversation(&mut tx, practice, mail.refers_to)?;
    let r = crate::recording::record_in(
        &mut tx,
        prepared,
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
            "UPDATE contacts SET addressed_to = $2 WHERE id = $1",
            &[&r.id.0, &to.as_str()],
        )
        .db()?;
    }
    tx.execute(
        "INSERT INTO idempotency (practice_id, key, contact_id, created_us, request, expires_us)
         VALUES ($1, $2, $3, $4, $5, NULL)",
        &[&practice.0, &mail.key, &r.id.0, &micros(now), &mail.request],
    )
    .db()?;
    let conversation = conversation.unwrap_or(r.id.0);
    tx.execute(
        "INSERT INTO mail_messages (contact_id, practice_id, conversation_id, new_text)
         VALUES ($1, $2, $3, $4)",
        &[&r.id.0, &practice.0, &conversation, &mail.new_text],
    )
    .db()?;
    // Messages recorded before that answer this one join its conversation, with theirs.
    if let Some(message_id) = mail.key.strip_prefix("@mail\u{1f}")
        // Most messages were answered by nothing recorded before: one index probe.
        && tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM mail_refs WHERE practice_id = $1 AND message_id = $2)",
                &[&practice.0, &message_id],
            )
            .db()?
            .col::<bool>(0)?
    {
        tx.execute(
            "UPDATE mail_messages SET conversation_id = $3
             WHERE practice_id = $1 AND conversation_id IN
                (SELECT m.conversation_id FROM mail_refs f
                 JOIN mail_messages m ON m.contact_id = f.contact_id
                 WHERE f.practice_id = $1 AND f.message_id = $2)",
            &[&practice.0, &message_id, &conversation],
        )
        .db()?;
    }
    if !mail.refers_to.is_empty() {
        let stmt = tx
            .prepare(
                "INSERT INTO mail_refs (practice_id, message_id, contact_id)
                 VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
            )
            .db()?;
        for id in mail.refers_to {
            tx.execute(&stmt, &[&practice.0, id, &r.id.0]).db()?;
        }
    }
    // A message that was unmatched and is now recorded (assigned) leaves the list.
    tx.execute(
        "DELETE FROM unmatched_mail WHERE practice_id = $1 AND key = $2",
        &[&practice.0, &mail.key],
    )
    .db()?;
    if let Some(c) = mail.checkpoint {
        advance(&mut tx, practice, c)?;
    }
    tx.commit().db()?;
    Ok((r, true))
}

/// The conversation the first known Message-ID belongs to: a client's message recorded
/// before, or an auto-reply or answer the desk sent (`reply.7.42@…`: key `reply:7`, row 42).
fn conversation(
    tx: &mut impl GenericClient,
    practice: PracticeId,
    refers_to: &[String],
) -> Result<Option<i64>, StoreError> {
    for id in refers_to {
        let known: Option<i64> = tx
            .query_opt(
                "SELECT contact_id FROM idempotency WHERE practice_id = $1 AND key = $2",
                &[&practice.0, &format!("@mail\u{1f}{id}")],
            )
            .db()?
            .map(|r| r.col(0))
            .transpose()?;
        let known = match known {
            Some(c) => Some(c),
            None => ours(tx, practice, id)?,
        };
        if let Some(contact) = known {
            let root: Option<i64> = tx
                .query_opt(
                    "SELECT conversation_id FROM mail_messages WHERE contact_id = $1",
                    &[&contact],
                )
                .db()?
                .map(|r| r.col(0))
                .transpose()?;
            return Ok(Some(root.unwrap_or(contact)));
        }
    }
    Ok(None)
}

/// The contact a Message-ID the desk gave its own mail answers, if it is one of ours.
fn ours(
    tx: &mut impl GenericClient,
    practice: PracticeId,
    id: &str,
) -> Result<Option<i64>, StoreError> {
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
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE id = $1 AND practice_id = $2 AND key = $3)",
            &[&row, &practice.0, &format!("{kind}:{contact}")],
        )
        .db()?
        .col(0)?;
    Ok(sent.then_some(contact))
}

/// Moves a mailbox's checkpoint forward (never back), counting the message read.
fn advance(
    tx: &mut impl GenericClient,
    practice: PracticeId,
    c: &Checkpoint,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO mailboxes (practice_id, mailbox, uidvalidity, uid, read)
         VALUES ($1, $2, $3, $4, 1)
         ON CONFLICT (practice_id, mailbox) DO UPDATE SET
            uid = GREATEST(mailboxes.uid, excluded.uid),
            read = mailboxes.read
                + CASE WHEN excluded.uid > mailboxes.uid THEN 1 ELSE 0 END
         WHERE mailboxes.uidvalidity IS NOT DISTINCT FROM excluded.uidvalidity",
        &[
            &practice.0,
            &c.mailbox,
            &i64::from(c.uidvalidity),
            &i64::from(c.uid),
        ],
    )
    .db()?;
    Ok(())
}

pub(crate) fn pass_mail(
    c: &mut Client,
    practice: PracticeId,
    checkpoint: Option<&Checkpoint>,
    unmatched: Option<&Unmatched>,
) -> Result<(), StoreError> {
    let mut tx = crate::write(c, practice)?;
    if let Some(u) = unmatched {
        let refers = serde_json::to_string(&u.refers_to).map_err(corrupt)?;
        tx.execute(
            "INSERT INTO unmatched_mail (practice_id, key, sender, at_us, body, automatic, refers_to)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (practice_id, key) DO NOTHING",
            &[
                &practice.0,
                &u.key,
                &u.from,
                &micros(u.at),
                &u.body,
                &u.automatic,
                &refers,
            ],
        )
        .db()?;
    }
    if let Some(c) = checkpoint {
        advance(&mut tx, practice, c)?;
    }
    tx.commit().db()
}

pub(crate) fn mailboxes(
    c: &mut impl GenericClient,
    practice: PracticeId,
) -> Result<Vec<MailboxState>, StoreError> {
    query(
        c,
        "SELECT mailbox, uidvalidity, uid, present, read, checked_us, error, error_us
         FROM mailboxes WHERE practice_id = $1 ORDER BY mailbox",
        &[&practice.0],
        |r| {
            let uidvalidity: Option<i64> = r.col(1)?;
            let uid: i64 = r.col(2)?;
            let present: i64 = r.col(3)?;
            let read: i64 = r.col(4)?;
            let checked: Option<i64> = r.col(5)?;
            let error: Option<String> = r.col(6)?;
            let error_at: Option<i64> = r.col(7)?;
            Ok(MailboxState {
                mailbox: r.col(0)?,
                uidvalidity: uidvalidity
                    .map(|v| u32::try_from(v).map_err(corrupt))
                    .transpose()?,
                uid: u32::try_from(uid).map_err(corrupt)?,
                present: present.max(0) as u64,
                read: read.max(0) as u64,
                checked: checked.map(from_micros).transpose()?,
                error: match (error, error_at) {
                    (Some(e), Some(at)) => Some((from_micros(at)?, e)),
                    _ => None,
                },
            })
        },
    )
}

pub(crate) fn mailbox_checked(
    c: &mut Client,
    practice: PracticeId,
    mailbox: &str,
    uidvalidity: Option<u32>,
    present: Option<u64>,
    at: Timestamp,
    error: Option<&str>,
) -> Result<(), StoreError> {
    let mut tx = crate::write(c, practice)?;
    tx.execute(
        "INSERT INTO mailboxes (practice_id, mailbox) VALUES ($1, $2)
         ON CONFLICT (practice_id, mailbox) DO NOTHING",
        &[&practice.0, &mailbox],
    )
    .db()?;
    if let Some(v) = uidvalidity {
        // A new UIDVALIDITY: the folder is read again from the start (what was recorded
        // stays recorded once, by its Message-ID).
        tx.execute(
            "UPDATE mailboxes SET uidvalidity = $3, uid = 0, read = 0
             WHERE practice_id = $1 AND mailbox = $2 AND uidvalidity IS DISTINCT FROM $3",
            &[&practice.0, &mailbox, &i64::from(v)],
        )
        .db()?;
    }
    let present = present.map(|p| i64::try_from(p).unwrap_or(i64::MAX));
    match error {
        None => tx
            .execute(
                "UPDATE mailboxes SET present = coalesce($3::bigint, present), checked_us = $4,
                    error = NULL, error_us = NULL
                 WHERE practice_id = $1 AND mailbox = $2",
                &[&practice.0, &mailbox, &present, &micros(at)],
            )
            .db()?,
        Some(e) => tx
            .execute(
                "UPDATE mailboxes SET present = coalesce($3::bigint, present), error = $4,
                    error_us = $5
                 WHERE practice_id = $1 AND mailbox = $2",
                &[&practice.0, &mailbox, &present, &e, &micros(at)],
            )
            .db()?,
    };
    tx.commit().db()
}

pub(crate) fn unmatched(
    c: &mut impl GenericClient,
    practice: PracticeId,
) -> Result<Vec<Unmatched>, StoreError> {
    query(
        c,
        "SELECT key, sender, at_us, body, automatic, refers_to FROM unmatched_mail
         WHERE practice_id = $1 ORDER BY at_us DESC, key",
        &[&practice.0],
        |r| {
            let refers: String = r.col(5)?;
            Ok(Unmatched {
                key: r.col(0)?,
                from: r.col(1)?,
                at: from_micros(r.col(2)?)?,
                body: r.col(3)?,
                automatic: r.col(4)?,
                refers_to: serde_json::from_str(&refers).map_err(corrupt)?,
            })
        },
    )
}

pub(crate) fn drop_unmatched(
    c: &mut impl GenericClient,
    practice: PracticeId,
    key: &str,
) -> Result<bool, StoreError> {
    let n = c
        .execute(
            "DELETE FROM unmatched_mail WHERE practice_id = $1 AND key = $2",
            &[&practice.0, &key],
        )
        .db()?;
    Ok(n > 0)
}

pub(crate) fn thread(
    c: &mut impl GenericClient,
    practice: PracticeId,
    id: ContactId,
) -> Result<Vec<Recorded>, StoreError> {
    let root: Option<i64> = c
        .query_opt(
            "SELECT conversation_id FROM mail_messages WHERE contact_id = $1 AND practice_id = $2",
            &[&id.0, &practice.0],
        )
        .db()?
        .map(|r| r.col(0))
        .transpose()?;
    match root {
        None => Ok(vec![crate::contacts::read_contact(c, practice, id)?]),
        Some(root) => crate::contacts::contacts_where(
            c,
            "c.practice_id = $1 AND c.id IN
                (SELECT contact_id FROM mail_messages WHERE conversation_id = $2)
             ORDER BY c.at_us, c.id",
            &[&practice.0, &root],
        ),
    }
}
