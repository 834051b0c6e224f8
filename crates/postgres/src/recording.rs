//! Recording a batch of contacts with their decisions, audit entries and auto-replies, in the
//! caller's transaction.
//!
//! Whatever the batch's size, what the decisions need is read first in a fixed number of
//! statements: the clients with their briefs, the allowance used in each ad-hoc call's week,
//! the changes to standing calls around them, the members, the new ids and the audit chain's
//! head. The contacts are then decided here in order — what a later contact needs from an
//! earlier one of the batch (the week's allowance, the auto-reply throttle) is counted as they
//! go — and written in chunks, each chunk's contacts, audit entries and outbox rows by one
//! statement over arrays (`UNNEST`) apiece. A batch of more than one chunk is written by a
//! second thread while the next chunk is decided: the server inserts (and checks the foreign
//! keys of) one chunk while this process decides the next.

use std::sync::mpsc;

use postgres::types::Type;

use crate::*;

// The statements here run through the connection's statement cache (`Prepared`), with their
// parameters' types given.
const INT8: Type = Type::INT8;
const TEXT: Type = Type::TEXT;
const INT8_ARRAY: Type = Type::INT8_ARRAY;
const TEXT_ARRAY: Type = Type::TEXT_ARRAY;

/// Contacts per chunk: small enough for the writing and the deciding to overlap, large enough
/// that the statements' round trips do not count.
const CHUNK: usize = 200;

/// The batch's clients by handle, each with its briefs (a client without any comes once, with
/// NULLs).
/// (A join on the unnested handles, not `handle = ANY($2)`: under a generic plan that compares
/// each of the practice's clients with every handle of the array, 10 ms for 1,000.)
const CLIENTS: &str = "SELECT c.handle, c.id, b.member, b.absence_from, b.cover, b.state
     FROM UNNEST($2::text[]) AS h(handle)
     JOIN clients c ON c.practice_id = $1 AND c.handle = h.handle
     LEFT JOIN briefs b ON b.practice_id = c.practice_id AND b.client = c.handle
     ORDER BY c.id, b.id";
/// The week's allowance use of each (client, week), and whether any standing-call occurrence
/// of the client was ever changed (most never are: then one index probe is all it costs).
const ALLOWANCES: &str = "SELECT k.client, k.week,
       (SELECT COUNT(*) FROM contacts c
        WHERE c.client_id = k.client AND c.week = k.week AND c.allowance = 1),
       EXISTS (SELECT 1 FROM meetings m WHERE m.client_id = k.client AND m.original_us IS NOT NULL)
     FROM UNNEST($1::bigint[], $2::text[]) AS k(client, week)";
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

/// A week, in microseconds.
const WEEK_US: i64 = 7 * 24 * 3600 * 1_000_000;

/// Records contacts in order inside the caller's transaction; `automatic` says why they
/// are automatic mail, if they are.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_in<C: GenericClient + Send>(
    c: &mut C,
    prepared: &Prepared,
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
    let reads = Reads::of(c, prepared, practice, contacts, week)?;
    let ids = next_ids(c, prepared, contacts.len())?;
    let mut chain = crate::audit::Appender::open(c, practice, prepared)?;
    let mut writer = Writer {
        practice,
        automatic,
        prepared: prepared.clone(),
        throttles: outbox::Throttles::new(prepared.clone()),
    };
    let mut recorded = Vec::with_capacity(contacts.len());
    let mut decider = Decider {
        contacts,
        automatic,
        ids: &ids,
        reads: &reads,
        decide,
        effects,
        used: HashMap::new(),
    };
    if contacts.len() <= CHUNK {
        // One chunk: written here, its audit entries with the chain's head.
        let chunk = decider.chunk(0..contacts.len(), &mut chain, &mut recorded, false)?;
        writer.write(c, chunk)?;
    } else {
        let db = &mut *c;
        std::thread::scope(|s| -> Result<(), StoreError> {
            let (send, receive) = mpsc::sync_channel::<Chunk>(1);
            let writing = s.spawn(move || -> Result<(), StoreError> {
                for chunk in receive {
                    writer.write(db, chunk)?;
                }
                Ok(())
            });
            let mut decided = Ok(());
            for start in (0..contacts.len()).step_by(CHUNK) {
                let end = (start + CHUNK).min(contacts.len());
                match decider.chunk(start..end, &mut chain, &mut recorded, true) {
                    // The writer stopped: its error says why.
                    Ok(chunk) => {
                        if send.send(chunk).is_err() {
                            break;
                        }
                    }
                    Err(e) => {
                        decided = Err(e);
                        break;
                    }
                }
            }
            drop(send);
            let written = writing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            decided.and(written)
        })?;
    }
    chain.close(c)?;
    Ok(recorded)
}

/// What deciding the batch needs, read before deciding any of it.
struct Reads {
    clients: HashMap<String, ClientOf>,
    /// The weeks of the contacts (a contact whose week cannot be told fails when its turn
    /// comes).
    weeks: Vec<Result<Date, DecideError>>,
    /// The allowance used by each (client, week) of an ad-hoc call, and whether the client's
    /// standing call was ever changed.
    allowances: HashMap<ClientWeek, (u32, bool)>,
    /// The changes to the standing calls of clients that have any, around the batch.
    changes: HashMap<String, Vec<(i64, Meeting)>>,
    members: HashMap<String, i64>,
}

/// A client of the batch: its row id and its briefs.
struct ClientOf {
    id: i64,
    briefs: Vec<frontdesk_core::BriefOf>,
}

/// A client's row id and a week (its Monday), as stored.
type ClientWeek = (i64, String);

impl Reads {
    fn of(
        c: &mut impl GenericClient,
        prepared: &Prepared,
        practice: PracticeId,
        contacts: &[Inbound],
        week: &dyn Fn(&Inbound) -> Result<Date, DecideError>,
    ) -> Result<Reads, StoreError> {
        let clients = clients_of(c, prepared, practice, contacts)?;
        let weeks: Vec<_> = contacts.iter().map(week).collect();
        let mut keys: Vec<ClientWeek> = contacts
            .iter()
            .zip(&weeks)
            .filter(|(i, _)| i.channel.is_adhoc_call())
            .filter_map(|(i, w)| {
                let w = w.as_ref().ok()?;
                Some((clients.get(i.client.as_str())?.id, w.to_string()))
            })
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let allowances = allowances(c, prepared, &keys)?;
        let mut changed: Vec<i64> = allowances
            .iter()
            .filter(|(_, (_, any))| *any)
            .map(|((client, _), _)| *client)
            .collect();
        changed.sort_unstable();
        changed.dedup();
        let changes = standing_changes(c, &changed, contacts)?;
        let members = prepared
            .query(
                c,
                "SELECT handle, id FROM members WHERE practice_id = $1",
                &[(&practice.0, INT8)],
            )?
            .iter()
            .map(|r| Ok((r.col(0)?, r.col(1)?)))
            .collect::<Result<_, StoreError>>()?;
        Ok(Reads {
            clients,
            weeks,
            allowances,
            changes,
            members,
        })
    }
}

/// Decides the batch chunk by chunk.
struct Decider<'a, 'f> {
    contacts: &'a [Inbound],
    automatic: Option<&'a str>,
    ids: &'a [i64],
    reads: &'a Reads,
    decide: &'a DecideFn<'f>,
    effects: &'a EffectsFn<'f>,
    /// The allowance this batch has used so far, by (client, week).
    used: HashMap<ClientWeek, u32>,
}

impl Decider<'_, '_> {
    /// Decides the contacts of `range` (adding them to `recorded` and their entries to
    /// `chain`): what writing them takes. `entries` says whether the chunk carries its audit
    /// entries (else the chain writes them when it closes).
    fn chunk(
        &mut self,
        range: std::ops::Range<usize>,
        chain: &mut crate::audit::Appender,
        recorded: &mut Vec<Recorded>,
        entries: bool,
    ) -> Result<Chunk, StoreError> {
        let mut rows = Rows::default();
        let mut outgoing = Vec::new();
        for i in range {
            let inbound = &self.contacts[i];
            let client = self
                .reads
                .clients
                .get(inbound.client.as_str())
                .ok_or_else(|| DecideError::UnknownClient(inbound.client.to_string()))?;
            let week = self.reads.weeks[i].clone()?.to_string();
            let history = match inbound.channel.is_adhoc_call() {
                true => {
                    let key = (client.id, week);
                    let (count, any_change) = self
                        .reads
                        .allowances
                        .get(&key)
                        .copied()
                        .unwrap_or((0, false));
                    let count = count + self.used.get(&key).copied().unwrap_or(0);
                    let standing_changes = match any_change {
                        true => around(&self.reads.changes, inbound),
                        false => Vec::new(),
                    };
                    History {
                        adhoc_calls_this_week: count,
                        standing_changes,
                        briefs: client.briefs.clone(),
                    }
                }
                false => History {
                    briefs: client.briefs.clone(),
                    ..History::default()
                },
            };
            let decision = (self.decide)(i, inbound, &history)?;
            if decision.allowance {
                *self
                    .used
                    .entry((client.id, decision.week.to_string()))
                    .or_default() += 1;
            }
            let assignee = *self
                .reads
                .members
                .get(decision.assignee.as_str())
                .ok_or_else(|| corrupt(format!("member {} is not stored", decision.assignee)))?;
            let id = self.ids[i];
            rows.push(id, client.id, assignee, inbound, &decision)?;
            let r = Recorded {
                id: ContactId(id),
                inbound: inbound.clone(),
                decision,
                answer: None,
                automatic: self.automatic.map(str::to_string),
            };
            // The contact and its decision, as evidence, dated when it arrived.
            chain.push(crate::audit::Fact {
                at: inbound.at,
                actor: "desk",
                kind: "contact.recorded",
                client: Some(inbound.client.as_str()),
                subject: format!("contact {id}"),
                data: frontdesk_store::columns::recorded_evidence(&r),
            });
            let reply = r.decision.reply.as_ref().map(|x| x.text.as_str());
            for message in (self.effects)(&r) {
                outgoing.push(outbox::Outgoing::new(
                    message,
                    inbound.at,
                    Some((id, reply)),
                ));
            }
            recorded.push(r);
        }
        Ok(Chunk {
            rows,
            entries: entries.then(|| chain.take()),
            outgoing,
        })
    }
}

/// The changes to the standing call of the contact's client from a week before it to two
/// weeks after (the decision looks a week ahead for the next call, and an occurrence may
/// have been moved there from up to a week before).
fn around(
    changes: &HashMap<String, Vec<(i64, Meeting)>>,
    inbound: &Inbound,
) -> Vec<(i64, Meeting)> {
    let at = micros(inbound.at);
    let within = |t: Timestamp| (at - WEEK_US..at + 2 * WEEK_US).contains(&micros(t));
    changes
        .get(inbound.client.as_str())
        .map(|all| {
            all.iter()
                .filter(|(_, m)| within(m.start) || m.original.is_some_and(within))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// What one chunk writes.
struct Chunk {
    rows: Rows,
    /// Its audit entries, when it writes them itself.
    entries: Option<crate::audit::Entries>,
    outgoing: Vec<outbox::Outgoing>,
}

/// Writes chunks, in the transaction.
struct Writer<'a> {
    practice: PracticeId,
    automatic: Option<&'a str>,
    prepared: Prepared,
    throttles: outbox::Throttles,
}

impl Writer<'_> {
    fn write(&mut self, c: &mut impl GenericClient, chunk: Chunk) -> Result<(), StoreError> {
        chunk
            .rows
            .insert(c, &self.prepared, self.practice, self.automatic)?;
        if let Some(entries) = chunk.entries {
            entries.insert(c, &self.prepared, self.practice)?;
        }
        self.throttles.enqueue(c, self.practice, chunk.outgoing)?;
        Ok(())
    }
}

/// The batch's clients by handle, with their briefs, in one statement.
fn clients_of(
    c: &mut impl GenericClient,
    prepared: &Prepared,
    practice: PracticeId,
    contacts: &[Inbound],
) -> Result<HashMap<String, ClientOf>, StoreError> {
    let mut handles: Vec<&str> = contacts.iter().map(|i| i.client.as_str()).collect();
    handles.sort_unstable();
    handles.dedup();
    let mut clients: HashMap<String, ClientOf> = HashMap::with_capacity(handles.len());
    for r in prepared.query(c, CLIENTS, &[(&practice.0, INT8), (&handles, TEXT_ARRAY)])? {
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

pub(crate) fn brief_of(
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

/// The allowance used by each (client id, week) asked, and whether the client's standing call
/// was ever changed, in one statement.
fn allowances(
    c: &mut impl GenericClient,
    prepared: &Prepared,
    keys: &[ClientWeek],
) -> Result<HashMap<ClientWeek, (u32, bool)>, StoreError> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let clients: Vec<i64> = keys.iter().map(|k| k.0).collect();
    let weeks: Vec<&str> = keys.iter().map(|k| k.1.as_str()).collect();
    let mut out = HashMap::with_capacity(keys.len());
    for r in prepared.query(
        c,
        ALLOWANCES,
        &[(&clients, INT8_ARRAY), (&weeks, TEXT_ARRAY)],
    )? {
        let count = u32::try_from(r.col::<i64>(2)?).map_err(corrupt)?;
        out.insert((r.col(0)?, r.col(1)?), (count, r.col(3)?));
    }
    Ok(out)
}

/// The changes to the standing calls of `clients` around the contacts (from a week before the
/// first to two weeks after the last), by client handle, in one statement.
fn standing_changes(
    c: &mut impl GenericClient,
    clients: &[i64],
    contacts: &[Inbound],
) -> Result<HashMap<String, Vec<(i64, Meeting)>>, StoreError> {
    let (Some(first), Some(last)) = (
        contacts.iter().map(|i| micros(i.at)).min(),
        contacts.iter().map(|i| micros(i.at)).max(),
    ) else {
        return Ok(HashMap::new());
    };
    if clients.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = crate::meetings::meeting_rows(
        c,
        "m.client_id = ANY($1) AND m.original_us IS NOT NULL
         AND ((m.start_us >= $2 AND m.start_us < $3) OR (m.original_us >= $2 AND m.original_us < $3))",
        &[&clients, &(first - WEEK_US), &(last + 2 * WEEK_US)],
    )?;
    let mut by_client: HashMap<String, Vec<(i64, Meeting)>> = HashMap::new();
    for (id, m) in rows {
        by_client
            .entry(m.client.to_string())
            .or_default()
            .push((id, m));
    }
    Ok(by_client)
}

/// The history the decision of one contact of a client (row id `client`) reads.
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
    if !inbound.channel.is_adhoc_call() {
        return Ok(History {
            briefs,
            ..History::default()
        });
    }
    let key = (client, week.to_string());
    let (count, any_change) = allowances(c, &Prepared::default(), std::slice::from_ref(&key))?
        .remove(&key)
        .unwrap_or((0, false));
    let standing_changes = match any_change {
        true => around(
            &standing_changes(c, &[client], std::slice::from_ref(inbound))?,
            inbound,
        ),
        false => Vec::new(),
    };
    Ok(History {
        adhoc_calls_this_week: count,
        standing_changes,
        briefs,
    })
}

/// `n` new contact ids, in increasing order (the batch's order).
fn next_ids(
    c: &mut impl GenericClient,
    prepared: &Prepared,
    n: usize,
) -> Result<Vec<i64>, StoreError> {
    let n = i64::try_from(n).map_err(corrupt)?;
    let mut ids = prepared
        .query(c, IDS, &[(&n, INT8)])?
        .iter()
        .map(|r| r.col(0))
        .collect::<Result<Vec<i64>, _>>()?;
    ids.sort_unstable();
    Ok(ids)
}

/// Contacts as the columns of one INSERT.
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
        prepared: &Prepared,
        practice: PracticeId,
        automatic: Option<&str>,
    ) -> Result<(), StoreError> {
        if self.id.is_empty() {
            return Ok(());
        }
        prepared.execute(
            c,
            INSERT,
            &[
                (&practice.0, INT8),
                (&automatic, TEXT),
                (&self.id, INT8_ARRAY),
                (&self.client, INT8_ARRAY),
                (&self.channel, TEXT_ARRAY),
                (&self.sender, TEXT_ARRAY),
                (&self.at, INT8_ARRAY),
                (&self.body, TEXT_ARRAY),
                (&self.verdict, TEXT_ARRAY),
                (&self.assignee, INT8_ARRAY),
                (&self.due, INT8_ARRAY),
                (&self.flags, TEXT_ARRAY),
                (&self.reasons, TEXT_ARRAY),
                (&self.reply_language, TEXT_ARRAY),
                (&self.reply_text, TEXT_ARRAY),
                (&self.in_hours, INT8_ARRAY),
                (&self.week, TEXT_ARRAY),
                (&self.why, TEXT_ARRAY),
                (&self.allowance, INT8_ARRAY),
                (&self.message_language, TEXT_ARRAY),
            ],
        )?;
        Ok(())
    }
}
