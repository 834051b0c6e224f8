//! Contacts: recording them with their decisions (and the outbox rows they cause), answers,
//! the inbox, and the figures the dashboard draws.

use crate::*;
use frontdesk_store::columns::RawContact;

pub(crate) fn history_of(
    conn: &Connection,
    practice: PracticeId,
    inbound: &Inbound,
    week: Date,
) -> Result<History, StoreError> {
    let client = id_of(conn, "clients", practice, inbound.client.as_str())?
        .ok_or_else(|| DecideError::UnknownClient(inbound.client.to_string()))?;
    history(conn, client, inbound, week)
}

pub(crate) fn record(
    conn: &mut Connection,
    practice: PracticeId,
    contacts: &[Inbound],
    decide: &DecideFn<'_>,
    week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
    effects: &EffectsFn<'_>,
) -> Result<Vec<Recorded>, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let recorded = record_in(&tx, practice, contacts, None, decide, week, effects)?;
    tx.commit().db()?;
    Ok(recorded)
}

/// Records one contact under an idempotency key, in one transaction with the key: a key used
/// since `since` gives back its contact instead (false: nothing new was recorded).
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_once(
    conn: &mut Connection,
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
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    if let Some(id) = keyed(&tx, practice, key, request, now)? {
        let r = read_contact(&tx, practice, id)?;
        tx.commit().db()?;
        return Ok((r, false));
    }
    let r = record_in(
        &tx,
        practice,
        std::slice::from_ref(inbound),
        None,
        decide,
        week,
        effects,
    )?
    .remove(0);
    // Expired keys are forgotten a week after.
    let forget = now
        .checked_sub(SignedDuration::from_hours(24 * 7))
        .unwrap_or(Timestamp::MIN);
    tx.prepare_cached("DELETE FROM idempotency WHERE practice_id = ?1 AND expires_us < ?2")
        .db()?
        .execute(params![practice.0, micros(forget)])
        .db()?;
    tx.prepare_cached(
        "INSERT OR REPLACE INTO idempotency
            (practice_id, key, contact_id, created_us, request, expires_us)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .db()?
    .execute(params![
        practice.0,
        key,
        r.id.0,
        micros(now),
        request,
        expires.map(micros)
    ])
    .db()?;
    tx.commit().db()?;
    Ok((r, true))
}

/// The contact kept under an idempotency key (unexpired at `now`), if any; the key kept for
/// another request is [`StoreError::KeyReused`].
pub(crate) fn keyed(
    tx: &Connection,
    practice: PracticeId,
    key: &str,
    request: &[u8],
    now: Timestamp,
) -> Result<Option<ContactId>, StoreError> {
    let earlier: Option<(i64, Vec<u8>)> = tx
        .prepare_cached(
            "SELECT contact_id, request FROM idempotency
             WHERE practice_id = ?1 AND key = ?2 AND (expires_us IS NULL OR expires_us >= ?3)",
        )
        .db()?
        .query_row(params![practice.0, key, micros(now)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .db()?;
    match earlier {
        Some((_, asked)) if asked != request => Err(StoreError::KeyReused(
            key.rsplit('\u{1f}').next().unwrap_or(key).to_string(),
        )),
        Some((id, _)) => Ok(Some(ContactId(id))),
        None => Ok(None),
    }
}

/// Records contacts in order inside the caller's transaction; `automatic` says why they
/// are automatic mail, if they are.
pub(crate) fn record_in(
    tx: &Connection,
    practice: PracticeId,
    contacts: &[Inbound],
    automatic: Option<&str>,
    decide: &DecideFn<'_>,
    week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
    effects: &EffectsFn<'_>,
) -> Result<Vec<Recorded>, StoreError> {
    let mut clients: HashMap<Handle, i64> = HashMap::new();
    let mut members: HashMap<Handle, i64> = HashMap::new();
    let mut recorded = Vec::with_capacity(contacts.len());
    let mut chain = crate::audit::Appender::open(tx, practice)?;
    for (i, inbound) in contacts.iter().enumerate() {
        let client = match clients.get(&inbound.client) {
            Some(id) => *id,
            None => {
                let id = id_of(tx, "clients", practice, inbound.client.as_str())?
                    .ok_or_else(|| DecideError::UnknownClient(inbound.client.to_string()))?;
                clients.insert(inbound.client.clone(), id);
                id
            }
        };
        let history = history(tx, client, inbound, week(inbound)?)?;
        let decision = decide(i, inbound, &history)?;
        let assignee = match members.get(&decision.assignee) {
            Some(id) => *id,
            None => {
                let id = id_of(tx, "members", practice, decision.assignee.as_str())?.ok_or_else(
                    || corrupt(format!("member {} is not stored", decision.assignee)),
                )?;
                members.insert(decision.assignee.clone(), id);
                id
            }
        };
        let reasons = serde_json::to_string(&decision.reasons).map_err(corrupt)?;
        let why = serde_json::to_string(&decision.why).map_err(corrupt)?;
        tx.prepare_cached(
            "INSERT INTO contacts (practice_id, client_id, channel, sender, at_us, body,
                verdict, assignee_id, due_us, flags, reasons, reply_language, reply_text,
                in_hours, week, why, allowance, automatic, message_language)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                     ?18, ?19)",
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
            automatic,
            decision.message_language.map(|l| l.code()),
        ])
        .db()?;
        let r = Recorded {
            id: ContactId(tx.last_insert_rowid()),
            inbound: inbound.clone(),
            decision,
            answer: None,
            automatic: automatic.map(str::to_string),
        };
        // The contact and its decision, as evidence, dated when it arrived.
        chain.push(
            tx,
            crate::audit::Fact {
                at: inbound.at,
                actor: "desk",
                kind: "contact.recorded",
                client: Some(inbound.client.as_str()),
                subject: format!("contact {}", r.id.0),
                data: frontdesk_store::columns::recorded_evidence(&r),
            },
        )?;
        let reply = r.decision.reply.as_ref().map(|x| x.text.as_str());
        for m in effects(&r) {
            outbox::enqueue(tx, practice, &m, inbound.at, Some((r.id.0, reply)))?;
        }
        recorded.push(r);
    }
    chain.close(tx)?;
    Ok(recorded)
}

pub(crate) fn read_contact(
    conn: &Connection,
    practice: PracticeId,
    id: ContactId,
) -> Result<Recorded, StoreError> {
    contact(conn, practice, id)
}

pub(crate) fn answer(
    conn: &mut Connection,
    practice: PracticeId,
    id: ContactId,
    judge: &dyn Fn(&Recorded) -> Result<Answer, StoreError>,
    effects: &EffectsFn<'_>,
) -> Result<Recorded, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let mut recorded = contact(&tx, practice, id)?;
    let answer = judge(&recorded)?;
    tx.execute(
        "UPDATE contacts SET answered_us = ?2, response_us = ?3, working_response_us = ?4,
                work_minutes = ?5
         WHERE id = ?1",
        params![
            id.0,
            micros(answer.at),
            answer.response.as_micros() as i64,
            answer.working_response.as_micros() as i64,
            answer.minutes
        ],
    )
    .db()?;
    recorded.answer = Some(answer);
    // What was sent to the client with the answer is evidence too (what the cover promised).
    let mut sent = Vec::new();
    for m in effects(&recorded) {
        outbox::enqueue(&tx, practice, &m, answer.at, None)?;
        sent.push(serde_json::json!({"to": m.to, "subject": m.subject, "text": m.text}));
    }
    crate::audit::append(
        &tx,
        practice,
        crate::audit::Fact {
            at: answer.at,
            actor: "desk",
            kind: "contact.answered",
            client: Some(recorded.inbound.client.as_str()),
            subject: format!("contact {}", id.0),
            data: serde_json::json!({
                "assignee": recorded.decision.assignee.as_str(),
                "response_minutes": answer.response.as_secs() / 60,
                "working_response_minutes": answer.working_response.as_secs() / 60,
                "sent": sent,
            })
            .to_string(),
        },
    )?;
    tx.commit().db()?;
    Ok(recorded)
}

pub(crate) fn inbox(
    conn: &Connection,
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
        conn,
        &format!(
            "c.practice_id = ?1 AND c.answered_us IS NULL AND c.automatic IS NULL AND {in_scope}
             ORDER BY c.due_us, c.id LIMIT ?4"
        ),
        params![practice.0, member, clients, limit as i64],
    )?;
    let (open, overdue): (i64, i64) = if member.is_none() {
        conn.prepare_cached(
            // Two counts on the partial index: all open, and the range due before now. The
            // index is named: with `contacts_arrival` beside it the planner would walk every
            // contact of the practice (0.5 s at 1,000,000 instead of 1 ms).
            "SELECT
                   (SELECT COUNT(*) FROM contacts INDEXED BY contacts_open
                    WHERE practice_id = ?1 AND answered_us IS NULL AND automatic IS NULL),
                   (SELECT COUNT(*) FROM contacts INDEXED BY contacts_open
                    WHERE practice_id = ?1 AND answered_us IS NULL AND automatic IS NULL AND due_us < ?2)",
        )
        .db()?
        .query_row(params![practice.0, micros(now)], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .db()?
    } else {
        conn.prepare_cached(&format!(
            "SELECT COUNT(*), COALESCE(SUM(c.due_us < ?4), 0)
                 FROM contacts c INDEXED BY contacts_open
                 JOIN clients cl ON cl.id = c.client_id
                 JOIN members m ON m.id = c.assignee_id
                 WHERE c.practice_id = ?1 AND c.answered_us IS NULL AND c.automatic IS NULL AND {in_scope}"
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

pub(crate) fn unanswered(
    conn: &Connection,
    practice: PracticeId,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<InboxEntry>, StoreError> {
    inbox_entries(
        conn,
        "c.practice_id = ?1 AND c.answered_us IS NULL AND c.automatic IS NULL AND c.due_us >= ?2 AND c.due_us < ?3
         ORDER BY c.due_us, c.id",
        params![practice.0, micros(from), micros(until)],
    )
}

pub(crate) fn adhoc_calls_of(
    conn: &Connection,
    practice: PracticeId,
    client: &Handle,
    week: Date,
) -> Result<u32, StoreError> {
    adhoc_calls(conn, practice, client.as_str(), week)
}

pub(crate) fn client_contacts(
    conn: &Connection,
    practice: PracticeId,
    client: &Handle,
    limit: usize,
) -> Result<Vec<Recorded>, StoreError> {
    let ids: Vec<i64> = query(
        conn,
        "SELECT c.id FROM contacts c JOIN clients cl ON cl.id = c.client_id
         WHERE cl.practice_id = ?1 AND cl.handle = ?2
         ORDER BY c.at_us DESC, c.id DESC LIMIT ?3",
        params![practice.0, client.as_str(), limit as i64],
        |r| r.get(0),
    )?;
    ids.into_iter()
        .map(|id| contact(conn, practice, ContactId(id)))
        .collect()
}

pub(crate) fn week_counts(
    conn: &Connection,
    practice: PracticeId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<WeekCounts>, StoreError> {
    let rows = query(
        conn,
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

pub(crate) fn responses(
    conn: &Connection,
    practice: PracticeId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Response>, StoreError> {
    let rows = query(
        conn,
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

/// A session or token row: practice, member handle, CSRF token, language.
/// Unanswered contacts as inbox lines, chosen and ordered by `filter` (a WHERE clause over
/// `c` contacts, `cl` clients and `m` members, with its ORDER BY and LIMIT).
pub(crate) fn inbox_entries(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<InboxEntry>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT c.id, cl.handle, c.channel, c.sender, c.at_us, c.verdict, m.handle,
                    c.due_us, c.flags,
                    -- A mail's summary is of what the client newly wrote.
                    substr(coalesce(
                        (SELECT mm.new_text FROM mail_messages mm WHERE mm.contact_id = c.id),
                        c.body), 1, 80)
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

pub(crate) fn adhoc_calls(
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

pub(crate) fn history(
    conn: &Connection,
    client: i64,
    inbound: &Inbound,
    week: Date,
) -> Result<History, StoreError> {
    let briefs = briefs_of(conn, client)?;
    if !inbound.channel.is_adhoc_call() {
        return Ok(History {
            briefs,
            ..History::default()
        });
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
            briefs,
        });
    }
    let standing_changes = crate::meetings::meeting_rows(
        conn,
        "m.client_id = ?1 AND m.original_us IS NOT NULL
         AND ((m.start_us >= ?2 AND m.start_us < ?3) OR (m.original_us >= ?2 AND m.original_us < ?3))",
        params![client, at - week_us, at + 2 * week_us],
    )?;
    Ok(History {
        adhoc_calls_this_week: count,
        standing_changes,
        briefs,
    })
}

/// The client's briefs, as the decision needs them (who covers it, whether handed over).
fn briefs_of(conn: &Connection, client: i64) -> Result<Vec<frontdesk_core::BriefOf>, StoreError> {
    let rows = crate::query(
        conn,
        "SELECT b.member, b.absence_from, b.cover, b.state FROM briefs b
         JOIN clients c ON c.practice_id = b.practice_id AND c.handle = b.client
         WHERE c.id = ?1",
        params![client],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        },
    )?;
    rows.into_iter()
        .map(|(member, from, cover, state)| {
            Ok(frontdesk_core::BriefOf {
                member: Handle::parse(&member).map_err(corrupt)?,
                absence_from: from.parse().map_err(corrupt)?,
                cover: Handle::parse(&cover).map_err(corrupt)?,
                handed_over: state == "acknowledged",
            })
        })
        .collect()
}

pub(crate) fn contact(
    conn: &Connection,
    practice: PracticeId,
    id: ContactId,
) -> Result<Recorded, StoreError> {
    contacts_where(
        conn,
        "c.id = ?1 AND c.practice_id = ?2",
        params![id.0, practice.0],
    )?
    .pop()
    .ok_or(StoreError::UnknownContact(id.0))
}

/// The contacts a condition on `c` (contacts) selects, with what follows it (an order).
pub(crate) fn contacts_where(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<Recorded>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!(
            "SELECT cl.handle, c.channel, c.sender, c.at_us, c.body, c.verdict, m.handle,
                    c.due_us, c.flags, c.reasons, c.reply_language, c.reply_text, c.in_hours,
                    c.week, c.answered_us, c.response_us, c.working_response_us, c.why,
                    c.allowance, c.automatic, c.id, c.message_language, c.work_minutes
             FROM contacts c
             JOIN clients cl ON cl.id = c.client_id
             JOIN members m ON m.id = c.assignee_id
             WHERE {condition}"
        ))
        .db()?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((
                ContactId(r.get(20)?),
                RawContact {
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
                    automatic: r.get(19)?,
                    message_language: r.get(21)?,
                    work_minutes: r.get(22)?,
                },
            ))
        })
        .db()?;
    rows.map(|row| {
        let (id, raw) = row.db()?;
        raw.into_recorded(id)
    })
    .collect()
}

pub(crate) fn inbox_page(
    conn: &Connection,
    practice: PracticeId,
    scope: &Scope,
    now: Timestamp,
    query: &frontdesk_store::InboxQuery,
) -> Result<frontdesk_store::InboxPage, StoreError> {
    let (member, clients) = match scope {
        Scope::All => (None, String::new()),
        Scope::Member { member, clients } => (
            Some(member.as_str()),
            serde_json::to_string(&clients.iter().map(Handle::as_str).collect::<Vec<_>>())
                .map_err(corrupt)?,
        ),
    };
    // `%`, `_` and `\` in what is searched for are taken literally.
    let search = query
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let escaped: String = s
                .chars()
                .flat_map(|c| match c {
                    '%' | '_' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            format!("%{escaped}%")
        });
    let filter = "c.practice_id = :practice AND c.answered_us IS NULL AND c.automatic IS NULL
        AND (:member IS NULL OR m.handle = :member
             OR cl.handle IN (SELECT value FROM json_each(:clients)))
        AND (:overdue = 0 OR c.due_us < :now)
        AND (:urgent = 0 OR (',' || c.flags || ',') LIKE '%,urgent,%')
        AND (:assignee IS NULL OR m.handle = :assignee)
        AND (:channel IS NULL OR c.channel = :channel)
        AND (:client IS NULL OR cl.handle = :client)
        AND (:search IS NULL OR cl.handle LIKE :search ESCAPE '\\'
             OR c.sender LIKE :search ESCAPE '\\' OR c.body LIKE :search ESCAPE '\\')";
    let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
    let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
    let now_us = micros(now);
    let assignee = query.assignee.as_ref().map(Handle::as_str);
    let channel = query.channel.map(|c| c.as_str());
    let client = query.client.as_ref().map(Handle::as_str);
    // The filter's parameters, shared by the page and its count.
    let named: Vec<(&str, &dyn rusqlite::ToSql)> = vec![
        (":practice", &practice.0),
        (":member", &member),
        (":clients", &clients),
        (":now", &now_us),
        (":overdue", &query.overdue),
        (":urgent", &query.urgent),
        (":assignee", &assignee),
        (":channel", &channel),
        (":client", &client),
        (":search", &search),
    ];
    // Without a filter the page is the inbox's own statement (one walk of the open contacts'
    // index, in due order) and what matches is every open contact: no generic statement and no
    // second count.
    let unfiltered = !query.overdue
        && !query.urgent
        && query.assignee.is_none()
        && query.channel.is_none()
        && query.client.is_none()
        && search.is_none();
    if unfiltered {
        let entries = inbox_entries(
            conn,
            "c.practice_id = ?1 AND c.answered_us IS NULL AND c.automatic IS NULL
             AND (?2 IS NULL OR m.handle = ?2 OR cl.handle IN (SELECT value FROM json_each(?3)))
             ORDER BY c.due_us, c.id LIMIT ?4 OFFSET ?5",
            params![practice.0, member, clients, limit, offset],
        )?;
        let counts = inbox(conn, practice, scope, now, 0)?;
        return Ok(frontdesk_store::InboxPage {
            entries,
            matching: counts.open,
            open: counts.open,
            overdue: counts.overdue,
        });
    }
    let mut paged = named.clone();
    paged.push((":limit", &limit));
    paged.push((":offset", &offset));
    let entries = inbox_entries(
        conn,
        &format!("{filter} ORDER BY c.due_us, c.id LIMIT :limit OFFSET :offset"),
        paged.as_slice(),
    )?;
    let matching: i64 = conn
        .prepare_cached(&format!(
            "SELECT COUNT(*) FROM contacts c INDEXED BY contacts_open
             JOIN clients cl ON cl.id = c.client_id
             JOIN members m ON m.id = c.assignee_id
             WHERE {filter}"
        ))
        .db()?
        .query_row(named.as_slice(), |r| r.get(0))
        .db()?;
    let counts = inbox(conn, practice, scope, now, 0)?;
    Ok(frontdesk_store::InboxPage {
        entries,
        matching: matching.max(0) as u64,
        open: counts.open,
        overdue: counts.overdue,
    })
}
