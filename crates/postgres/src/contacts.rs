//! Contacts: recording them with their decisions (and the outbox rows they cause), answers,
//! the inbox, and the figures the dashboard draws.

use postgres::types::Type;

use crate::*;
use frontdesk_store::columns::RawContact;

pub(crate) fn history_of(
    c: &mut impl GenericClient,
    practice: PracticeId,
    inbound: &Inbound,
    week: Date,
) -> Result<History, StoreError> {
    let client = id_of(c, "clients", practice, inbound.client.as_str())?
        .ok_or_else(|| DecideError::UnknownClient(inbound.client.to_string()))?;
    crate::recording::history(c, client, inbound, week)
}

pub(crate) fn record(
    c: &mut Client,
    prepared: &Prepared,
    practice: PracticeId,
    contacts: &[Inbound],
    decide: &DecideFn<'_>,
    week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
    effects: &EffectsFn<'_>,
) -> Result<Vec<Recorded>, StoreError> {
    let mut tx = crate::write_as(c, practice, prepared)?;
    let recorded = crate::recording::record_in(
        &mut tx, prepared, practice, contacts, None, decide, week, effects,
    )?;
    tx.commit().db()?;
    Ok(recorded)
}

/// Records one contact under an idempotency key, in one transaction with the key: a key used
/// since `since` gives back its contact instead (false: nothing new was recorded).
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_once(
    c: &mut Client,
    prepared: &Prepared,
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
    let mut tx = crate::write_as(c, practice, prepared)?;
    if let Some(id) = keyed(&mut tx, prepared, practice, key, request, now)? {
        let r = read_contact(&mut tx, practice, id)?;
        tx.commit().db()?;
        return Ok((r, false));
    }
    let r = crate::recording::record_in(
        &mut tx,
        prepared,
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
    prepared.execute(
        &mut tx,
        "DELETE FROM idempotency WHERE practice_id = $1 AND expires_us < $2",
        &[(&practice.0, Type::INT8), (&micros(forget), Type::INT8)],
    )?;
    prepared.execute(
        &mut tx,
        "INSERT INTO idempotency
            (practice_id, key, contact_id, created_us, request, expires_us)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (practice_id, key) DO UPDATE SET
            contact_id = excluded.contact_id, created_us = excluded.created_us,
            request = excluded.request, expires_us = excluded.expires_us",
        &[
            (&practice.0, Type::INT8),
            (&key, Type::TEXT),
            (&r.id.0, Type::INT8),
            (&micros(now), Type::INT8),
            (&request, Type::BYTEA),
            (&expires.map(micros), Type::INT8),
        ],
    )?;
    tx.commit().db()?;
    Ok((r, true))
}

/// The contact kept under an idempotency key (unexpired at `now`), if any; the key kept for
/// another request is [`StoreError::KeyReused`].
pub(crate) fn keyed(
    c: &mut impl GenericClient,
    prepared: &Prepared,
    practice: PracticeId,
    key: &str,
    request: &[u8],
    now: Timestamp,
) -> Result<Option<ContactId>, StoreError> {
    let earlier: Option<(i64, Vec<u8>)> = prepared
        .query(
            c,
            "SELECT contact_id, request FROM idempotency
             WHERE practice_id = $1 AND key = $2 AND (expires_us IS NULL OR expires_us >= $3)",
            &[
                (&practice.0, Type::INT8),
                (&key, Type::TEXT),
                (&micros(now), Type::INT8),
            ],
        )?
        .first()
        .map(|r| Ok::<_, StoreError>((r.col(0)?, r.col(1)?)))
        .transpose()?;
    match earlier {
        Some((_, asked)) if asked != request => Err(StoreError::KeyReused(
            key.rsplit('\u{1f}').next().unwrap_or(key).to_string(),
        )),
        Some((id, _)) => Ok(Some(ContactId(id))),
        None => Ok(None),
    }
}

pub(crate) fn read_contact(
    c: &mut impl GenericClient,
    practice: PracticeId,
    id: ContactId,
) -> Result<Recorded, StoreError> {
    contact(c, practice, id)
}

pub(crate) fn answer(
    c: &mut Client,
    practice: PracticeId,
    id: ContactId,
    judge: &dyn Fn(&Recorded) -> Result<Answer, StoreError>,
    effects: &EffectsFn<'_>,
) -> Result<Recorded, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let mut recorded = contact(&mut tx, practice, id)?;
    let answer = judge(&recorded)?;
    tx.execute(
        "UPDATE contacts SET answered_us = $2, response_us = $3, working_response_us = $4,
                work_minutes = $5
         WHERE id = $1",
        &[
            &id.0,
            &micros(answer.at),
            &(answer.response.as_micros() as i64),
            &(answer.working_response.as_micros() as i64),
            &answer.minutes.map(i64::from),
        ],
    )
    .db()?;
    recorded.answer = Some(answer);
    // What was sent to the client with the answer is evidence too (what the cover promised).
    let mut sent = Vec::new();
    for m in effects(&recorded) {
        outbox::enqueue(&mut tx, practice, &m, answer.at, None)?;
        sent.push(serde_json::json!({"to": m.to, "subject": m.subject, "text": m.text}));
    }
    crate::audit::append(
        &mut tx,
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

/// A member's scope as two parameters: their handle, and their clients.
fn scope_params(scope: &Scope) -> (Option<&str>, Vec<&str>) {
    match scope {
        Scope::All => (None, Vec::new()),
        Scope::Member { member, clients } => (
            Some(member.as_str()),
            clients.iter().map(Handle::as_str).collect(),
        ),
    }
}

pub(crate) fn inbox(
    c: &mut impl GenericClient,
    practice: PracticeId,
    scope: &Scope,
    now: Timestamp,
    limit: usize,
) -> Result<Inbox, StoreError> {
    let (member, clients) = scope_params(scope);
    let in_scope = "($2::text IS NULL OR m.handle = $2 OR cl.handle = ANY($3::text[]))";
    // Asked for no entries (only the counts): nothing to look up.
    let entries = if limit == 0 {
        Vec::new()
    } else {
        inbox_entries(
            c,
            &format!(
                "c.practice_id = $1 AND c.answered_us IS NULL AND c.automatic IS NULL AND {in_scope}
                 ORDER BY c.due_us, c.id LIMIT $4"
            ),
            &[
                &practice.0,
                &member,
                &clients,
                &i64::try_from(limit).unwrap_or(i64::MAX),
            ],
        )?
    };
    let row = if member.is_none() {
        c.query_one(
            // Two counts on the partial index: all open, and the range due before now.
            "SELECT
                   (SELECT COUNT(*) FROM contacts WHERE practice_id = $1 AND answered_us IS NULL AND automatic IS NULL),
                   (SELECT COUNT(*) FROM contacts
                    WHERE practice_id = $1 AND answered_us IS NULL AND automatic IS NULL AND due_us < $2)",
            &[&practice.0, &micros(now)],
        )
        .db()?
    } else {
        c.query_one(
            &format!(
                "SELECT COUNT(*), COUNT(*) FILTER (WHERE c.due_us < $4)
                 FROM contacts c
                 JOIN clients cl ON cl.id = c.client_id
                 JOIN members m ON m.id = c.assignee_id
                 WHERE c.practice_id = $1 AND c.answered_us IS NULL AND c.automatic IS NULL AND {in_scope}"
            ),
            &[&practice.0, &member, &clients, &micros(now)],
        )
        .db()?
    };
    let open: i64 = row.col(0)?;
    let overdue: i64 = row.col(1)?;
    Ok(Inbox {
        entries,
        open: open as u64,
        overdue: overdue as u64,
    })
}

pub(crate) fn unanswered(
    c: &mut impl GenericClient,
    practice: PracticeId,
    from: Timestamp,
    until: Timestamp,
) -> Result<Vec<InboxEntry>, StoreError> {
    inbox_entries(
        c,
        "c.practice_id = $1 AND c.answered_us IS NULL AND c.automatic IS NULL AND c.due_us >= $2 AND c.due_us < $3
         ORDER BY c.due_us, c.id",
        &[&practice.0, &micros(from), &micros(until)],
    )
}

pub(crate) fn adhoc_calls_of(
    c: &mut impl GenericClient,
    practice: PracticeId,
    client: &Handle,
    week: Date,
) -> Result<u32, StoreError> {
    adhoc_calls(c, practice, client.as_str(), week)
}

pub(crate) fn client_contacts(
    c: &mut impl GenericClient,
    practice: PracticeId,
    client: &Handle,
    limit: usize,
) -> Result<Vec<Recorded>, StoreError> {
    // One statement for the lot (SQLite reads the ids, then each contact by its id).
    contacts_where(
        c,
        "cl.practice_id = $1 AND cl.handle = $2 AND c.practice_id = $1
         ORDER BY c.at_us DESC, c.id DESC LIMIT $3",
        &[
            &practice.0,
            &client.as_str(),
            &i64::try_from(limit).unwrap_or(i64::MAX),
        ],
    )
}

pub(crate) fn week_counts(
    c: &mut impl GenericClient,
    practice: PracticeId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<WeekCounts>, StoreError> {
    let rows = query(
        c,
        "SELECT cl.handle, c.week, SUM(c.in_hours)::bigint, SUM(1 - c.in_hours)::bigint,
                SUM(c.allowance)::bigint
         FROM contacts c JOIN clients cl ON cl.id = c.client_id
         WHERE c.practice_id = $1 AND c.at_us >= $2 AND c.at_us < $3
         GROUP BY cl.handle, c.week ORDER BY c.week, cl.handle",
        &[&practice.0, &micros(from), &micros(to)],
        |r| {
            Ok((
                r.col::<String>(0)?,
                r.col::<String>(1)?,
                r.col::<i64>(2)?,
                r.col::<i64>(3)?,
                r.col::<i64>(4)?,
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
    c: &mut impl GenericClient,
    practice: PracticeId,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Response>, StoreError> {
    let rows = query(
        c,
        "SELECT cl.handle, c.channel, c.flags, c.working_response_us
         FROM contacts c JOIN clients cl ON cl.id = c.client_id
         WHERE c.practice_id = $1 AND c.at_us >= $2 AND c.at_us < $3
           AND c.working_response_us IS NOT NULL",
        &[&practice.0, &micros(from), &micros(to)],
        |r| {
            Ok((
                r.col::<String>(0)?,
                r.col::<String>(1)?,
                r.col::<String>(2)?,
                r.col::<i64>(3)?,
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

/// Unanswered contacts as inbox lines, chosen and ordered by `filter` (a WHERE clause over
/// `c` contacts, `cl` clients and `m` members, with its ORDER BY and LIMIT).
pub(crate) fn inbox_entries(
    c: &mut impl GenericClient,
    filter: &str,
    params: &Params<'_>,
) -> Result<Vec<InboxEntry>, StoreError> {
    let rows = c
        .query(
            &format!(
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
            ),
            params,
        )
        .db()?;
    let mut entries = Vec::with_capacity(rows.len());
    for r in &rows {
        let channel: String = r.col(2)?;
        let verdict: String = r.col(5)?;
        let flags: String = r.col(8)?;
        entries.push(InboxEntry {
            id: ContactId(r.col(0)?),
            client: handle(r.col(1)?)?,
            channel: Channel::parse(&channel).map_err(corrupt)?,
            from: r.col(3)?,
            at: from_micros(r.col(4)?)?,
            verdict: Verdict::parse(&verdict).ok_or_else(|| corrupt(&verdict))?,
            assignee: handle(r.col(6)?)?,
            due: from_micros(r.col(7)?)?,
            flags: parse_flags(&flags)?,
            summary: r.col(9)?,
        });
    }
    Ok(entries)
}

pub(crate) fn adhoc_calls(
    c: &mut impl GenericClient,
    practice: PracticeId,
    client: &str,
    week: Date,
) -> Result<u32, StoreError> {
    let n: i64 = c
        .query_one(
            "SELECT COUNT(*) FROM contacts c JOIN clients cl ON cl.id = c.client_id
             WHERE cl.practice_id = $1 AND cl.handle = $2 AND c.week = $3 AND c.allowance = 1",
            &[&practice.0, &client, &week.to_string()],
        )
        .db()?
        .col(0)?;
    u32::try_from(n).map_err(corrupt)
}

pub(crate) fn contact(
    c: &mut impl GenericClient,
    practice: PracticeId,
    id: ContactId,
) -> Result<Recorded, StoreError> {
    contacts_where(c, "c.id = $1 AND c.practice_id = $2", &[&id.0, &practice.0])?
        .pop()
        .ok_or(StoreError::UnknownContact(id.0))
}

/// The contacts a condition on `c` (contacts) selects, with what follows it (an order).
pub(crate) fn contacts_where(
    c: &mut impl GenericClient,
    condition: &str,
    params: &Params<'_>,
) -> Result<Vec<Recorded>, StoreError> {
    let rows = c
        .query(
            &format!(
                "SELECT cl.handle, c.channel, c.sender, c.at_us, c.body, c.verdict, m.handle,
                        c.due_us, c.flags, c.reasons, c.reply_language, c.reply_text, c.in_hours,
                        c.week, c.answered_us, c.response_us, c.working_response_us, c.why,
                        c.allowance, c.automatic, c.id, c.message_language, c.work_minutes
                 FROM contacts c
                 JOIN clients cl ON cl.id = c.client_id
                 JOIN members m ON m.id = c.assignee_id
                 WHERE {condition}"
            ),
            params,
        )
        .db()?;
    rows.iter()
        .map(|r| {
            let raw = RawContact {
                client: r.col(0)?,
                channel: r.col(1)?,
                from: r.col(2)?,
                at: r.col(3)?,
                body: r.col(4)?,
                verdict: r.col(5)?,
                assignee: r.col(6)?,
                due: r.col(7)?,
                flags: r.col(8)?,
                reasons: r.col(9)?,
                reply_language: r.col(10)?,
                reply_text: r.col(11)?,
                in_hours: r.col::<i64>(12)? != 0,
                week: r.col(13)?,
                answered: r.col(14)?,
                response: r.col(15)?,
                working_response: r.col(16)?,
                why: r.col(17)?,
                allowance: r.col::<i64>(18)? != 0,
                automatic: r.col(19)?,
                message_language: r.col(21)?,
                work_minutes: r
                    .col::<Option<i64>>(22)?
                    .map(u32::try_from)
                    .transpose()
                    .map_err(|e| corrupt(format!("column 22: {e}")))?,
            };
            raw.into_recorded(ContactId(r.col(20)?))
        })
        .collect()
}

pub(crate) fn inbox_page(
    c: &mut impl GenericClient,
    practice: PracticeId,
    scope: &Scope,
    now: Timestamp,
    query: &frontdesk_store::InboxQuery,
) -> Result<frontdesk_store::InboxPage, StoreError> {
    let (member, clients) = scope_params(scope);
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
    // SQLite's LIKE ignores the case of A–Z, and only theirs: so does ILIKE under COLLATE "C".
    let filter = "c.practice_id = $1 AND c.answered_us IS NULL AND c.automatic IS NULL
        AND ($2::text IS NULL OR m.handle = $2 OR cl.handle = ANY($3::text[]))
        AND (NOT $5::boolean OR c.due_us < $4)
        AND (NOT $6::boolean OR (',' || c.flags || ',') ILIKE '%,urgent,%')
        AND ($7::text IS NULL OR m.handle = $7)
        AND ($8::text IS NULL OR c.channel = $8)
        AND ($9::text IS NULL OR cl.handle = $9)
        AND ($10::text IS NULL OR cl.handle ILIKE $10 ESCAPE '\\'
             OR c.sender ILIKE $10 ESCAPE '\\' OR c.body ILIKE $10 ESCAPE '\\')";
    let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
    let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
    let now_us = micros(now);
    let assignee = query.assignee.as_ref().map(Handle::as_str);
    let channel = query.channel.map(|c| c.as_str());
    let client = query.client.as_ref().map(Handle::as_str);
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
            c,
            "c.practice_id = $1 AND c.answered_us IS NULL AND c.automatic IS NULL
             AND ($2::text IS NULL OR m.handle = $2 OR cl.handle = ANY($3::text[]))
             ORDER BY c.due_us, c.id LIMIT $4 OFFSET $5",
            &[&practice.0, &member, &clients, &limit, &offset],
        )?;
        let counts = inbox(c, practice, scope, now, 0)?;
        return Ok(frontdesk_store::InboxPage {
            entries,
            matching: counts.open,
            open: counts.open,
            overdue: counts.overdue,
        });
    }
    // The filter's parameters ($1 to $10), shared by the page and its count.
    let named: Vec<&(dyn ToSql + Sync)> = vec![
        &practice.0,
        &member,
        &clients,
        &now_us,
        &query.overdue,
        &query.urgent,
        &assignee,
        &channel,
        &client,
        &search,
    ];
    let mut paged = named.clone();
    paged.push(&limit);
    paged.push(&offset);
    let entries = inbox_entries(
        c,
        &format!("{filter} ORDER BY c.due_us, c.id LIMIT $11 OFFSET $12"),
        &paged,
    )?;
    let matching: i64 = c
        .query_one(
            &format!(
                "SELECT COUNT(*) FROM contacts c
                 JOIN clients cl ON cl.id = c.client_id
                 JOIN members m ON m.id = c.assignee_id
                 WHERE {filter}"
            ),
            &named,
        )
        .db()?
        .col(0)?;
    let counts = inbox(c, practice, scope, now, 0)?;
    Ok(frontdesk_store::InboxPage {
        entries,
        matching: matching.max(0) as u64,
        open: counts.open,
        overdue: counts.overdue,
    })
}
