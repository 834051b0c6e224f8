//! Contacts: recording them with their decisions (and the outbox rows they cause), answers,
//! the inbox, and the figures the dashboard draws.
//!
//! A batch is recorded in a fixed number of statements whatever its size (each a round trip to
//! the server): the batch's clients with their briefs, the allowance counts of its ad-hoc calls,
//! the assignees, the new ids, then every contact, every audit entry and every outbox row each
//! in one statement over arrays (`UNNEST`). What a later contact of the batch needs from an
//! earlier one (the allowance used this week) is counted here as the batch is decided.

use crate::*;
use frontdesk_store::columns::RawContact;

/// The batch's clients by handle, each with its briefs (a client without any comes once, with
/// NULLs).
const CLIENTS: &str = "SELECT c.handle, c.id, b.member, b.absence_from, b.cover, b.state
     FROM clients c
     LEFT JOIN briefs b ON b.practice_id = c.practice_id AND b.client = c.handle
     WHERE c.practice_id = $1 AND c.handle = ANY($2)
     ORDER BY c.id, b.id";
/// The week's allowance use of each (client, week), and whether any standing-call occurrence
/// of the client was ever changed (most never are: then one index probe is all it costs).
const ALLOWANCES: &str = "SELECT k.client, k.week,
       (SELECT COUNT(*) FROM contacts c
        WHERE c.client_id = k.client AND c.week = k.week AND c.allowance = 1),
       EXISTS (SELECT 1 FROM meetings m WHERE m.client_id = k.client AND m.original_us IS NOT NULL)
     FROM UNNEST($1::bigint[], $2::text[]) AS k(client, week)";
const MEMBERS: &str = "SELECT handle, id FROM members WHERE practice_id = $1 AND handle = ANY($2)";
/// Ids for the batch, taken from the contacts' identity sequence.
const IDS: &str = "SELECT nextval(pg_get_serial_sequence('contacts', 'id'))
     FROM generate_series(1, $1::bigint)";
const INSERT: &str = "INSERT INTO contacts (id, practice_id, client_id, channel, sender, at_us,
        body, verdict, assignee_id, due_us, flags, reasons, reply_language, reply_text,
        in_hours, week, why, allowance, automatic, message_language)
     SELECT u.id, $1::bigint, u.client, u.channel, u.sender, u.at_us, u.body, u.verdict,
        u.assignee, u.due_us, u.flags, u.reasons, u.reply_language, u.reply_text, u.in_hours,
        u.week, u.why, u.allowance, $2::text, u.message_language
     FROM UNNEST($3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::bigint[], $8::text[],
        $9::text[], $10::bigint[], $11::bigint[], $12::text[], $13::text[], $14::text[],
        $15::text[], $16::bigint[], $17::text[], $18::text[], $19::bigint[], $20::text[])
       AS u(id, client, channel, sender, at_us, body, verdict, assignee, due_us, flags, reasons,
        reply_language, reply_text, in_hours, week, why, allowance, message_language)";

/// A client of the batch: its row id and its briefs.
struct ClientOf {
    id: i64,
    briefs: Vec<frontdesk_core::BriefOf>,
}

/// The batch's clients by handle, with their briefs, in one statement.
fn clients_of(
    c: &mut impl GenericClient,
    practice: PracticeId,
    contacts: &[Inbound],
) -> Result<HashMap<String, ClientOf>, StoreError> {
    let mut handles: Vec<&str> = contacts.iter().map(|i| i.client.as_str()).collect();
    handles.sort_unstable();
    handles.dedup();
    let mut clients: HashMap<String, ClientOf> = HashMap::with_capacity(handles.len());
    for r in c.query(CLIENTS, &[&practice.0, &handles]).db()? {
        let handle: String = r.col(0)?;
        let client = clients.entry(handle).or_insert(ClientOf {
            id: r.col(1)?,
            briefs: Vec::new(),
        });
        let member: Option<String> = r.col(2)?;
        if let Some(member) = member {
            let (from, cover, state): (String, String, String) = (r.col(3)?, r.col(4)?, r.col(5)?);
            client
                .briefs
                .push(brief_of(&member, &from, &cover, &state)?);
        }
    }
    Ok(clients)
}

fn brief_of(
    member: &str,
    from: &str,
    cover: &str,
    state: &str,
) -> Result<frontdesk_core::BriefOf, StoreError> {
    Ok(frontdesk_core::BriefOf {
        member: Handle::parse(member).map_err(corrupt)?,
        absence_from: from.parse().map_err(corrupt)?,
        cover: Handle::parse(cover).map_err(corrupt)?,
        handed_over: state == "acknowledged",
    })
}

/// A client's row id and a week (its Monday), as stored.
type ClientWeek = (i64, String);

/// The allowance used by each (client id, week) asked, and whether the client's standing call
/// was ever changed, in one statement.
fn allowances(
    c: &mut impl GenericClient,
    keys: &[ClientWeek],
) -> Result<HashMap<ClientWeek, (u32, bool)>, StoreError> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let clients: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let weeks: Vec<&str> = keys.iter().map(|k| k.1.as_str()).collect();
    let mut out = HashMap::with_capacity(keys.len());
    for r in c.query(ALLOWANCES, &[&clients, &weeks]).db()? {
        let count = u32::try_from(r.col::<i64>(2)?).map_err(corrupt)?;
        out.insert((r.col(0)?, r.col(1)?), (count, r.col(3)?));
    }
    Ok(out)
}

/// A contact's history from what was read for it: with the changes to the standing call
/// around it when there are any.
fn history_from(
    c: &mut impl GenericClient,
    client: i64,
    inbound: &Inbound,
    briefs: Vec<frontdesk_core::BriefOf>,
    allowance: Option<(u32, bool)>,
) -> Result<History, StoreError> {
    let Some((count, any_change)) = allowance else {
        return Ok(History {
            briefs,
            ..History::default()
        });
    };
    if !any_change {
        return Ok(History {
            adhoc_calls_this_week: count,
            standing_changes: Vec::new(),
            briefs,
        });
    }
    // Changes to the standing call around the contact: the decision looks a week ahead for
    // the next call, and an occurrence may have been moved there from up to a week before.
    let week_us = 7 * 24 * 3600 * 1_000_000i64;
    let at = micros(inbound.at);
    let standing_changes = crate::meetings::meeting_rows(
        c,
        "m.client_id = $1 AND m.original_us IS NOT NULL
         AND ((m.start_us >= $2 AND m.start_us < $3) OR (m.original_us >= $2 AND m.original_us < $3))",
        &[&client, &(at - week_us), &(at + 2 * week_us)],
    )?;
    Ok(History {
        adhoc_calls_this_week: count,
        standing_changes,
        briefs,
    })
}

pub(crate) fn history_of(
    c: &mut impl GenericClient,
    practice: PracticeId,
    inbound: &Inbound,
    week: Date,
) -> Result<History, StoreError> {
    let client = id_of(c, "clients", practice, inbound.client.as_str())?
        .ok_or_else(|| DecideError::UnknownClient(inbound.client.to_string()))?;
    history(c, client, inbound, week)
}

pub(crate) fn record(
    c: &mut Client,
    practice: PracticeId,
    contacts: &[Inbound],
    decide: &DecideFn<'_>,
    week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
    effects: &EffectsFn<'_>,
) -> Result<Vec<Recorded>, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let recorded = record_in(&mut tx, practice, contacts, None, decide, week, effects)?;
    tx.commit().db()?;
    Ok(recorded)
}

/// Records one contact under an idempotency key, in one transaction with the key: a key used
/// since `since` gives back its contact instead (false: nothing new was recorded).
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_once(
    c: &mut Client,
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
    let mut tx = crate::write(c, practice)?;
    if let Some(id) = keyed(&mut tx, practice, key, request, now)? {
        let r = read_contact(&mut tx, practice, id)?;
        tx.commit().db()?;
        return Ok((r, false));
    }
    let r = record_in(
        &mut tx,
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
    tx.execute(
        "DELETE FROM idempotency WHERE practice_id = $1 AND expires_us < $2",
        &[&practice.0, &micros(forget)],
    )
    .db()?;
    tx.execute(
        "INSERT INTO idempotency
            (practice_id, key, contact_id, created_us, request, expires_us)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (practice_id, key) DO UPDATE SET
            contact_id = excluded.contact_id, created_us = excluded.created_us,
            request = excluded.request, expires_us = excluded.expires_us",
        &[
            &practice.0,
            &key,
            &r.id.0,
            &micros(now),
            &request,
            &expires.map(micros),
        ],
    )
    .db()?;
    tx.commit().db()?;
    Ok((r, true))
}

/// The contact kept under an idempotency key (unexpired at `now`), if any; the key kept for
/// another request is [`StoreError::KeyReused`].
pub(crate) fn keyed(
    c: &mut impl GenericClient,
    practice: PracticeId,
    key: &str,
    request: &[u8],
    now: Timestamp,
) -> Result<Option<ContactId>, StoreError> {
    let earlier: Option<(i64, Vec<u8>)> = c
        .query_opt(
            "SELECT contact_id, request FROM idempotency
             WHERE practice_id = $1 AND key = $2 AND (expires_us IS NULL OR expires_us >= $3)",
            &[&practice.0, &key, &micros(now)],
        )
        .db()?
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

/// Records contacts in order inside the caller's transaction; `automatic` says why they
/// are automatic mail, if they are.
pub(crate) fn record_in(
    c: &mut impl GenericClient,
    practice: PracticeId,
    contacts: &[Inbound],
    automatic: Option<&str>,
    decide: &DecideFn<'_>,
    week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
    effects: &EffectsFn<'_>,
) -> Result<Vec<Recorded>, StoreError> {
    if contacts.is_empty() {
        return Ok(Vec::new());
    }
    let mut clients = clients_of(c, practice, contacts)?;
    // The allowance of every ad-hoc call's week, read before deciding any.
    let weeks: Vec<_> = contacts.iter().map(week).collect();
    let mut keys: Vec<ClientWeek> = contacts
        .iter()
        .zip(&weeks)
        .filter(|(i, _)| i.channel.is_adhoc_call())
        .filter_map(|(i, w)| Some((clients.get(i.client.as_str())?.id, w.as_ref().ok()?)))
        .map(|(client, w)| (client, w.to_string()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let read = allowances(c, &keys)?;
    // The allowance this batch has used so far, by (client, week).
    let mut used: HashMap<ClientWeek, u32> = HashMap::new();
    let mut decided = Vec::with_capacity(contacts.len());
    for (inbound, week) in contacts.iter().zip(weeks) {
        let client = clients
            .get_mut(inbound.client.as_str())
            .ok_or_else(|| DecideError::UnknownClient(inbound.client.to_string()))?;
        let week = week?.to_string();
        let allowance = match inbound.channel.is_adhoc_call() {
            true => {
                let key = (client.id, week);
                let (count, any_change) = read.get(&key).copied().unwrap_or((0, false));
                Some((count + used.get(&key).copied().unwrap_or(0), any_change))
            }
            false => None,
        };
        let history = history_from(c, client.id, inbound, client.briefs.clone(), allowance)?;
        let decision = decide(inbound, &history)?;
        if decision.allowance {
            *used
                .entry((client.id, decision.week.to_string()))
                .or_default() += 1;
        }
        decided.push((client.id, decision));
    }
    let members = members_of(c, practice, decided.iter().map(|(_, d)| &d.assignee))?;
    let ids = next_ids(c, decided.len())?;
    let mut rows = Rows::with_capacity(decided.len());
    let mut recorded = Vec::with_capacity(decided.len());
    let mut chain = crate::audit::Appender::open(c, practice)?;
    for ((inbound, (client, decision)), id) in contacts.iter().zip(decided).zip(ids) {
        let assignee = *members
            .get(decision.assignee.as_str())
            .ok_or_else(|| corrupt(format!("member {} is not stored", decision.assignee)))?;
        rows.push(id, client, assignee, inbound, &decision)?;
        let r = Recorded {
            id: ContactId(id),
            inbound: inbound.clone(),
            decision,
            answer: None,
            automatic: automatic.map(str::to_string),
        };
        // The contact and its decision, as evidence, dated when it arrived.
        chain.push(crate::audit::Fact {
            at: inbound.at,
            actor: "desk",
            kind: "contact.recorded",
            client: Some(inbound.client.as_str()),
            subject: format!("contact {}", r.id.0),
            data: frontdesk_store::columns::recorded_evidence(&r),
        });
        recorded.push(r);
    }
    rows.insert(c, practice, automatic)?;
    chain.close(c)?;
    let messages: Vec<(usize, frontdesk_core::outbox::Message)> = recorded
        .iter()
        .enumerate()
        .flat_map(|(i, r)| effects(r).into_iter().map(move |m| (i, m)))
        .collect();
    let outgoing: Vec<outbox::Outgoing<'_>> = messages
        .iter()
        .map(|(i, message)| {
            let r = &recorded[*i];
            outbox::Outgoing {
                message,
                due: r.inbound.at,
                contact: Some((r.id.0, r.decision.reply.as_ref().map(|x| x.text.as_str()))),
            }
        })
        .collect();
    outbox::enqueue_all(c, practice, &outgoing)?;
    Ok(recorded)
}

/// The row ids of the members named, by handle, in one statement.
fn members_of<'a>(
    c: &mut impl GenericClient,
    practice: PracticeId,
    handles: impl Iterator<Item = &'a Handle>,
) -> Result<HashMap<String, i64>, StoreError> {
    let mut handles: Vec<&str> = handles.map(Handle::as_str).collect();
    handles.sort_unstable();
    handles.dedup();
    c.query(MEMBERS, &[&practice.0, &handles])
        .db()?
        .iter()
        .map(|r| Ok((r.col(0)?, r.col(1)?)))
        .collect()
}

/// `n` new contact ids, in increasing order (the batch's order).
fn next_ids(c: &mut impl GenericClient, n: usize) -> Result<Vec<i64>, StoreError> {
    let n = i64::try_from(n).map_err(corrupt)?;
    let mut ids = c
        .query(IDS, &[&n])
        .db()?
        .iter()
        .map(|r| r.col(0))
        .collect::<Result<Vec<i64>, _>>()?;
    ids.sort_unstable();
    Ok(ids)
}

/// The batch's contacts as the columns of one INSERT.
#[derive(Default)]
struct Rows {
    id: Vec<i64>,
    client: Vec<i64>,
    channel: Vec<&'static str>,
    sender: Vec<String>,
    at: Vec<i64>,
    body: Vec<Option<String>>,
    verdict: Vec<&'static str>,
    assignee: Vec<i64>,
    due: Vec<i64>,
    flags: Vec<String>,
    reasons: Vec<String>,
    reply_language: Vec<Option<&'static str>>,
    reply_text: Vec<Option<String>>,
    in_hours: Vec<i64>,
    week: Vec<String>,
    why: Vec<String>,
    allowance: Vec<i64>,
    message_language: Vec<Option<&'static str>>,
}

impl Rows {
    fn with_capacity(n: usize) -> Rows {
        Rows {
            id: Vec::with_capacity(n),
            ..Rows::default()
        }
    }

    fn push(
        &mut self,
        id: i64,
        client: i64,
        assignee: i64,
        inbound: &Inbound,
        decision: &frontdesk_core::Decision,
    ) -> Result<(), StoreError> {
        self.id.push(id);
        self.client.push(client);
        self.channel.push(inbound.channel.as_str());
        self.sender.push(inbound.from.clone());
        self.at.push(micros(inbound.at));
        self.body.push(inbound.body.clone());
        self.verdict.push(decision.verdict.as_str());
        self.assignee.push(assignee);
        self.due.push(micros(decision.due));
        self.flags.push(flags_text(&decision.flags));
        self.reasons
            .push(serde_json::to_string(&decision.reasons).map_err(corrupt)?);
        self.reply_language
            .push(decision.reply.as_ref().map(|r| r.language.code()));
        self.reply_text
            .push(decision.reply.as_ref().map(|r| r.text.clone()));
        self.in_hours.push(i64::from(decision.in_hours));
        self.week.push(decision.week.to_string());
        self.why
            .push(serde_json::to_string(&decision.why).map_err(corrupt)?);
        self.allowance.push(i64::from(decision.allowance));
        self.message_language
            .push(decision.message_language.map(|l| l.code()));
        Ok(())
    }

    fn insert(
        &self,
        c: &mut impl GenericClient,
        practice: PracticeId,
        automatic: Option<&str>,
    ) -> Result<(), StoreError> {
        c.execute(
            INSERT,
            &[
                &practice.0,
                &automatic,
                &self.id,
                &self.client,
                &self.channel,
                &self.sender,
                &self.at,
                &self.body,
                &self.verdict,
                &self.assignee,
                &self.due,
                &self.flags,
                &self.reasons,
                &self.reply_language,
                &self.reply_text,
                &self.in_hours,
                &self.week,
                &self.why,
                &self.allowance,
                &self.message_language,
            ],
        )
        .db()?;
        Ok(())
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

pub(crate) fn history(
    c: &mut impl GenericClient,
    client: i64,
    inbound: &Inbound,
    week: Date,
) -> Result<History, StoreError> {
    let briefs = c
        .query(
            "SELECT b.member, b.absence_from, b.cover, b.state FROM briefs b
             JOIN clients c ON c.practice_id = b.practice_id AND c.handle = b.client
             WHERE c.id = $1
             ORDER BY b.id",
            &[&client],
        )
        .db()?
        .iter()
        .map(|r| {
            brief_of(
                &r.col::<String>(0)?,
                &r.col::<String>(1)?,
                &r.col::<String>(2)?,
                &r.col::<String>(3)?,
            )
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let allowance = match inbound.channel.is_adhoc_call() {
        true => allowances(c, &[(client, week.to_string())])?.remove(&(client, week.to_string())),
        false => None,
    };
    history_from(c, client, inbound, briefs, allowance)
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
