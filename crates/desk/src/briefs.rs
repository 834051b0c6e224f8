//! Briefs for an absence — which clients need one, writing them, the cover's acknowledgement or
//! question and the answer — and the audit log's verification: one path for the command line,
//! the pages and the API. The rules are the core's (`frontdesk_core::brief`); each change is
//! stored with its audit entry in one transaction.

use frontdesk_core::audit::Broken;
use frontdesk_core::brief::{self, Brief, BriefError, Content, DEFAULT_ACTIVE_WEEKS};
use frontdesk_core::{Absence, Handle, Practice};
use frontdesk_store::{BriefAct, PracticeId, Store, StoreError};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;

/// Why a brief change was not made; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum BriefFail {
    #[error(transparent)]
    Refused(#[from] BriefError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One client of an absence: whether a brief is needed (recent activity) and the brief if one
/// was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub client: Handle,
    /// Had a contact or a meeting in the last weeks: a brief is expected.
    pub needed: bool,
    pub brief: Option<Brief>,
}

impl Row {
    /// Handed over: a brief whose current version its cover acknowledged.
    pub fn handed_over(&self) -> bool {
        self.brief
            .as_ref()
            .is_some_and(|b| b.state == brief::State::Acknowledged)
    }
}

/// Whether the client had a contact or a meeting (a standing call counts) since `since`;
/// `met` are the clients with a stored meeting since then.
fn active(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    client: &Handle,
    since: Timestamp,
    met: &[Handle],
) -> Result<bool, StoreError> {
    if practice
        .client(client)
        .and_then(|c| c.terms.standing_call.as_ref())
        .is_some()
        || met.contains(client)
    {
        return Ok(true);
    }
    Ok(store
        .client_contacts(id, client, 1)?
        .first()
        .is_some_and(|c| c.inbound.at >= since))
}

/// The absent member's clients for the absence from `from`: those that need a brief (any
/// activity in the last [`DEFAULT_ACTIVE_WEEKS`] weeks) and those with a brief written anyway.
pub fn list(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    member: &Handle,
    from: Date,
    now: Timestamp,
) -> Result<(Absence, Vec<Row>), BriefFail> {
    let absence = brief::absence(practice, member, from)?.clone();
    let written = store.briefs(id, member, from)?;
    // Which of the member's clients were active, asked of the store first (the meetings of
    // those weeks once, then the latest contact of each client).
    let since = now
        .checked_sub(SignedDuration::from_hours(
            24 * 7 * i64::from(DEFAULT_ACTIVE_WEEKS),
        ))
        .unwrap_or(Timestamp::MIN);
    let met: Vec<Handle> = store
        .meetings(id, since, now)?
        .into_iter()
        .map(|(_, m)| m.client)
        .collect();
    let mut active_clients = Vec::new();
    for c in practice
        .clients()
        .iter()
        .filter(|c| c.owner == absence.member)
    {
        if active(store, id, practice, &c.handle, since, &met)? {
            active_clients.push(c.handle.clone());
        }
    }
    let needed = brief::needed(practice, &absence, &|c| active_clients.contains(c));
    let mut rows: Vec<Row> = needed
        .iter()
        .map(|c| Row {
            client: c.clone(),
            needed: true,
            brief: written.iter().find(|b| b.client == *c).cloned(),
        })
        .collect();
    for b in written {
        if !needed.contains(&b.client) {
            rows.push(Row {
                client: b.client.clone(),
                needed: false,
                brief: Some(b),
            });
        }
    }
    Ok((absence, rows))
}

/// Writes the brief of `client` for `member`'s absence from `from`, as `by`; `cover` for this
/// client only (default: the brief's cover so far, else the absence's).
#[allow(clippy::too_many_arguments)]
pub fn write(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    by: &Handle,
    member: &Handle,
    from: Date,
    client: &Handle,
    cover: Option<&Handle>,
    content: &Content,
    now: Timestamp,
) -> Result<Brief, BriefFail> {
    let absence = brief::absence(practice, member, from)?.clone();
    content.check()?;
    let existing = store
        .briefs(id, member, from)?
        .into_iter()
        .find(|b| b.client == *client);
    let cover = cover
        .cloned()
        .or_else(|| existing.map(|b| b.cover))
        .unwrap_or_else(|| absence.cover.clone());
    brief::may_write(practice, &absence, client, &cover, by)?;
    // The core's refusal inside the store's transaction, kept to be returned as itself.
    let refusal = std::cell::RefCell::new(None);
    let judge = |current: Option<&Brief>| match current {
        None => Ok(brief::State::Waiting),
        Some(b) => brief::after_edit(b.state).map_err(|e| refuse(&refusal, e)),
    };
    let written = store.write_brief(id, member, from, client, &cover, content, &judge, by, now);
    settle(written, refusal)
}

/// Keeps the core's refusal and gives the store its words.
fn refuse(kept: &std::cell::RefCell<Option<BriefError>>, e: BriefError) -> StoreError {
    let words = e.to_string();
    *kept.borrow_mut() = Some(e);
    StoreError::Refused(words)
}

/// The store's result, with a refusal given back as the core's.
fn settle(
    result: Result<Brief, StoreError>,
    kept: std::cell::RefCell<Option<BriefError>>,
) -> Result<Brief, BriefFail> {
    match (result, kept.into_inner()) {
        (Err(StoreError::Refused(_)), Some(e)) => Err(BriefFail::Refused(e)),
        (r, _) => Ok(r?),
    }
}

/// The cover acknowledges, asks about, or the absent member answers brief `brief_id`.
pub fn act(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    by: &Handle,
    brief_id: i64,
    act: BriefAct,
    now: Timestamp,
) -> Result<Brief, BriefFail> {
    let refusal = std::cell::RefCell::new(None);
    let judge = |b: &Brief| {
        let checked = match &act {
            BriefAct::Acknowledge => brief::may_acknowledge(b, by),
            BriefAct::Ask(text) => brief::may_ask(b, by, text),
            BriefAct::Answer(text) => brief::may_answer(practice, b, by, text),
            BriefAct::ItemDone(i) => brief::may_mark_done(practice, b, by, *i),
        };
        checked
            .map(|()| act.clone())
            .map_err(|e| refuse(&refusal, e))
    };
    settle(store.brief_act(id, brief_id, &judge, by, now), refusal)
}

/// Checks the practice's audit chain: how many entries, or where it breaks.
pub fn verify_audit(
    store: &dyn Store,
    id: PracticeId,
) -> Result<Result<usize, Broken>, StoreError> {
    let (entries, head) = store.audit(id)?;
    Ok(frontdesk_core::audit::verify(&entries, head).map(|()| entries.len()))
}

/// A contact of the return report: what came in during the absence and how it was handled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactLine {
    pub id: i64,
    pub arrived: Timestamp,
    pub channel: frontdesk_core::Channel,
    pub from: String,
    pub verdict: frontdesk_core::Verdict,
    pub assignee: Handle,
    pub due: Timestamp,
    pub answered: Option<Timestamp>,
    /// Answered after its due time, or still open past it.
    pub overdue: bool,
    pub urgent: bool,
    /// What the client newly wrote (quotes and signature left out), cut to
    /// [`REPLY_CHARS`] characters.
    pub said: Option<String>,
    /// How the client wrote (its decision's flags): a complaint, an escalation, talk of
    /// leaving, a follow-up.
    pub tone: frontdesk_core::tone::Tone,
    /// What was sent to the client with the answer: how it was resolved.
    pub reply: Option<String>,
    /// The sentences of that reply that read as promises.
    pub promises: Vec<String>,
}

/// One client in the return report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientReport {
    pub client: Handle,
    pub brief: Option<Brief>,
    pub contacts: Vec<ContactLine>,
    pub callbacks: Vec<frontdesk_store::Callback>,
}

impl ClientReport {
    /// The line of the report's message.
    pub fn line(&self) -> brief::ReportLine {
        brief::ReportLine {
            client: self.client.clone(),
            contacts: self.contacts.len(),
            answered: self
                .contacts
                .iter()
                .filter(|c| c.answered.is_some())
                .count(),
            overdue: self.contacts.iter().filter(|c| c.overdue).count(),
            items_left: self.brief.as_ref().map_or(0, |b| {
                b.content.open_items.iter().filter(|i| !i.done).count()
            }),
            complaints: self.complaints().count(),
            called: !self.callbacks.is_empty(),
        }
    }

    /// The contacts that read as a complaint or an escalation.
    pub fn complaints(&self) -> impl Iterator<Item = &ContactLine> {
        self.contacts.iter().filter(|c| c.tone.is_complaint())
    }

    /// The client talked of leaving during the absence.
    pub fn leaving(&self) -> bool {
        self.contacts.iter().any(|c| c.tone.leaving)
    }

    /// The promises made to the client during the absence, in the replies sent.
    pub fn promises(&self) -> impl Iterator<Item = &String> {
        self.contacts.iter().flat_map(|c| &c.promises)
    }
}

/// The most characters of a reply the report quotes.
const REPLY_CHARS: usize = 600;

/// What a message newly says, without quotes and signature, cut to [`REPLY_CHARS`].
fn excerpt(text: &str) -> String {
    let mut t = frontdesk_core::quotes::new_text(text).trim().to_string();
    if let Some((cut, _)) = t.char_indices().nth(REPLY_CHARS) {
        t.truncate(cut);
        t.push('…');
    }
    t
}

/// What the desk sent to the client with each answer, by contact number, from the audit log's
/// `contact.answered` entries.
fn replies(store: &dyn Store, id: PracticeId) -> Result<HashMap<i64, String>, StoreError> {
    let (entries, _) = store.audit(id)?;
    let mut out = HashMap::new();
    for (e, _) in entries.iter().filter(|(e, _)| e.kind == "contact.answered") {
        let Some(n) = e
            .subject
            .strip_prefix("contact ")
            .and_then(|n| n.parse::<i64>().ok())
        else {
            continue;
        };
        let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
        let text: Vec<&str> = data["sent"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["text"].as_str())
            .collect();
        if !text.is_empty() {
            out.insert(n, text.join("\n\n"));
        }
    }
    Ok(out)
}

/// The most contacts of one client read for a report.
const REPORT_CONTACTS: usize = 2000;

/// The return report of `member`'s absence from `from`, as of `now`: per client of theirs
/// with a brief, a need for one, or contacts during the absence — what came in, who answered
/// and when, what was late, the brief, and the calls back since.
pub fn return_report(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    member: &Handle,
    from: Date,
    now: Timestamp,
) -> Result<(Absence, Vec<ClientReport>), BriefFail> {
    report(store, id, practice, member, from, now, true)
}

/// The return report without the replies sent (and so without the promises in them): what the
/// timers' message counts, without reading the audit log on every pass.
pub fn return_summary(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    member: &Handle,
    from: Date,
    now: Timestamp,
) -> Result<(Absence, Vec<ClientReport>), BriefFail> {
    report(store, id, practice, member, from, now, false)
}

fn report(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    member: &Handle,
    from: Date,
    now: Timestamp,
    with_replies: bool,
) -> Result<(Absence, Vec<ClientReport>), BriefFail> {
    let (absence, rows) = list(store, id, practice, member, from, now)?;
    let tz = practice
        .member(member)
        .map(|m| m.zone.tz().clone())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let days = (absence.until - absence.from).get_days() as i64 + 1;
    let (start, end) = frontdesk_core::working_time::days_span(&tz, absence.from, days)
        .map_err(|e| StoreError::Database(e.to_string()))?;
    let callbacks = store.callbacks(id, member, from)?;
    let replies = if with_replies {
        replies(store, id)?
    } else {
        HashMap::new()
    };
    let mut clients: Vec<(Handle, Option<Brief>)> =
        rows.into_iter().map(|r| (r.client, r.brief)).collect();
    for c in practice.clients().iter().filter(|c| c.owner == *member) {
        if !clients.iter().any(|(h, _)| *h == c.handle) {
            clients.push((c.handle.clone(), None));
        }
    }
    let mut out = Vec::new();
    for (client, brief) in clients {
        let languages = client_languages(practice, &client);
        let mut contacts: Vec<ContactLine> = store
            .client_contacts(id, &client, REPORT_CONTACTS)?
            .into_iter()
            .filter(|r| r.inbound.at >= start && r.inbound.at < end)
            .map(|r| {
                let answered = r.answer.map(|a| a.at);
                let reply = replies.get(&r.id.0).map(|t| excerpt(t));
                let said = r
                    .inbound
                    .body
                    .as_deref()
                    .map(excerpt)
                    .filter(|s| !s.is_empty());
                let promises = replies
                    .get(&r.id.0)
                    .map(|t| frontdesk_core::tone::promises(&languages, t))
                    .unwrap_or_default();
                // How the client wrote, as its decision read it when it arrived.
                let flag = |f| r.decision.flags.contains(&f);
                let tone = frontdesk_core::tone::Tone {
                    complaint: flag(frontdesk_core::Flag::Complaint),
                    escalation: flag(frontdesk_core::Flag::Escalation),
                    leaving: flag(frontdesk_core::Flag::Leaving),
                    follow_up: flag(frontdesk_core::Flag::FollowUp),
                    evidence: Vec::new(),
                };
                ContactLine {
                    id: r.id.0,
                    arrived: r.inbound.at,
                    channel: r.inbound.channel,
                    from: r.inbound.from.clone(),
                    verdict: r.decision.verdict,
                    assignee: r.decision.assignee.clone(),
                    due: r.decision.due,
                    answered,
                    overdue: frontdesk_core::is_overdue(r.decision.due, answered.unwrap_or(now)),
                    urgent: r.decision.flags.contains(&frontdesk_core::Flag::Urgent),
                    said,
                    tone,
                    reply,
                    promises,
                }
            })
            .collect();
        if contacts.is_empty() && brief.is_none() {
            continue;
        }
        // In the order they came in.
        contacts.sort_by_key(|c| (c.arrived, c.id));
        let called = callbacks
            .iter()
            .filter(|c| c.client == client)
            .cloned()
            .collect();
        out.push(ClientReport {
            client,
            brief,
            contacts,
            callbacks: called,
        });
    }
    Ok((absence, out))
}

/// The languages a client's messages are read in: the client's, then the practice's.
fn client_languages(practice: &Practice, client: &Handle) -> Vec<frontdesk_core::Language> {
    let mut languages = Vec::with_capacity(2);
    if let Some(c) = practice.client(client) {
        languages.push(c.language);
    }
    if !languages.contains(&practice.settings().language) {
        languages.push(practice.settings().language);
    }
    languages
}

/// Records a call back to `client` after `member`'s absence from `from`, by `by` (the member or
/// someone who oversees the practice), with its outcome.
#[allow(clippy::too_many_arguments)]
pub fn record_callback(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    by: &Handle,
    member: &Handle,
    from: Date,
    client: &Handle,
    outcome: &str,
    now: Timestamp,
) -> Result<(), BriefFail> {
    let absence = brief::absence(practice, member, from)?;
    if *by != absence.member && !practice.oversees(by) {
        return Err(BriefError::NotTheirs(by.clone()).into());
    }
    if practice
        .client(client)
        .is_none_or(|c| c.owner != absence.member)
    {
        return Err(BriefError::NotTheirClient {
            client: client.clone(),
            member: member.clone(),
        }
        .into());
    }
    let outcome = outcome.trim();
    if outcome.is_empty() || outcome.chars().count() > brief::MAX_TEXT {
        return Err(BriefError::BadText.into());
    }
    Ok(store.record_callback(id, member, from, client, by, outcome, now)?)
}

/// How many weeks the workload preview averages.
pub const WORKLOAD_WEEKS: i64 = 8;

/// The workload preview of an absence, from the contacts of the [`WORKLOAD_WEEKS`] weeks before
/// `now`.
pub fn workload(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    absence: &Absence,
    now: Timestamp,
) -> Result<brief::Workload, StoreError> {
    let since = now
        .checked_sub(SignedDuration::from_hours(24 * 7 * WORKLOAD_WEEKS))
        .unwrap_or(Timestamp::MIN);
    let counts = store.week_counts(id, since, now)?;
    let per_week = |client: &Handle| -> f64 {
        let total: u32 = counts
            .iter()
            .filter(|w| w.client == *client)
            .map(|w| w.in_hours + w.out_of_hours)
            .sum();
        f64::from(total) / WORKLOAD_WEEKS as f64
    };
    Ok(brief::workload(practice, absence, &per_week))
}
