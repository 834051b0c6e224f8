//! One pass of the timers: the core says which jobs are due at `now`, the store runs each
//! exactly once (claiming its key with its effects in one transaction).

use frontdesk_core::timers::{LOOKBACK, OpenContact, due_jobs, horizon};
use frontdesk_core::{Handle, Language, Practice};
use frontdesk_store::{PracticeId, Store, StoreError};
use jiff::Timestamp;

/// Runs the practice's due jobs; returns the keys of those that ran now. With `public_url`
/// (where clients reach the server), the monthly ratings due are asked too.
pub fn tick(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    public_url: Option<&str>,
    now: Timestamp,
) -> Result<Vec<String>, StoreError> {
    let from = now.checked_sub(LOOKBACK).unwrap_or(Timestamp::MIN);
    let until = horizon(practice, now);
    let open: Vec<OpenContact> = store
        .unanswered(id, from, until)?
        .into_iter()
        .map(|e| OpenContact {
            id: e.id.0,
            client: e.client,
            channel: e.channel,
            from: e.from,
            assignee: e.assignee,
            due: e.due,
            summary: e.summary,
        })
        .collect();
    let languages = store.languages(id)?;
    let language_of = |member: &Handle| {
        languages
            .iter()
            .find(|(m, _)| m == member)
            .and_then(|(_, code)| Language::parse(code).ok())
    };
    let mut jobs = due_jobs(practice, &open, &language_of, now);
    jobs.extend(brief_jobs(store, id, practice, &language_of, now)?);
    jobs.extend(digest_jobs(store, id, practice, &language_of, now)?);
    // Input requests: reminders, and deliverables put on hold when the date passed.
    jobs.extend(crate::deliverables::tick(store, id, practice, now)?);
    jobs.extend(frontdesk_core::promise::jobs(
        practice,
        &crate::promises::live(store, id)?,
        &language_of,
        now,
    ));
    // Every client's risk of today, for the chart of the score over time.
    crate::risk::keep_today(store, id, practice, now)?;
    // What clients' habits cost, kept with the terms of the day.
    crate::billing::derive_recent(store, id, practice, now)?;
    if let Some(url) = public_url {
        crate::ratings::monthly(store, id, practice, url, now)?;
    }
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    store.run_jobs(id, &jobs, now)
}

/// The digest of each member who oversees the practice, on their working days at the digest
/// time, when there is something to report.
fn digest_jobs(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    language_of: &dyn Fn(&Handle) -> Option<Language>,
    now: Timestamp,
) -> Result<Vec<frontdesk_core::timers::Job>, StoreError> {
    let mut out = Vec::new();
    for manager in practice
        .members()
        .iter()
        .filter(|m| practice.oversees(&m.handle))
    {
        let Some((day, since)) = frontdesk_core::digest::due(practice, manager, now) else {
            continue;
        };
        let digest = crate::risk::digest(store, id, practice, &manager.handle, since, now)?;
        if digest.is_empty() {
            continue;
        }
        let language = language_of(&manager.handle).unwrap_or(practice.settings().language);
        out.push(frontdesk_core::digest::job(
            practice, manager, &digest, language, day,
        ));
    }
    Ok(out)
}

/// The reminders of briefs not handed over before an absence, and the red flag at its start.
fn brief_jobs(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    language_of: &dyn Fn(&Handle) -> Option<Language>,
    now: Timestamp,
) -> Result<Vec<frontdesk_core::timers::Job>, StoreError> {
    use frontdesk_core::brief::{
        CLIENT_NOTICE_DAYS, DEFAULT_REMINDER_DAYS, HandOver, client_notices, jobs, reminder_date,
        return_date, return_jobs,
    };
    let mut out = Vec::new();
    for absence in practice.absences() {
        let Some(member) = practice.member(&absence.member) else {
            continue;
        };
        let today = now.to_zoned_datetime(member.zone.tz().clone()).date();
        let notices_from = absence
            .from
            .checked_sub(jiff::Span::new().days(CLIENT_NOTICE_DAYS))
            .unwrap_or(absence.from);
        let first = reminder_date(practice, absence, DEFAULT_REMINDER_DAYS).min(notices_from);
        // The return report, in the week after the member is back.
        let back = return_date(practice, absence);
        if today >= back
            && back
                .checked_add(jiff::Span::new().days(7))
                .is_ok_and(|l| today <= l)
        {
            match crate::briefs::return_summary(
                store,
                id,
                practice,
                &absence.member,
                absence.from,
                now,
            ) {
                Ok((_, report)) => {
                    let lines: Vec<_> = report.iter().map(|c| c.line()).collect();
                    // Nothing to report for a member without clients.
                    if !lines.is_empty() {
                        out.extend(return_jobs(practice, absence, &lines, language_of, now));
                    }
                }
                Err(crate::briefs::BriefFail::Store(e)) => return Err(e),
                Err(crate::briefs::BriefFail::Refused(_)) => {}
            }
            continue;
        }
        if today < first || today > absence.until {
            continue;
        }
        let rows =
            match crate::briefs::list(store, id, practice, &absence.member, absence.from, now) {
                Ok((_, rows)) => rows,
                Err(crate::briefs::BriefFail::Store(e)) => return Err(e),
                Err(crate::briefs::BriefFail::Refused(_)) => continue,
            };
        let clients: Vec<HandOver> = rows
            .into_iter()
            .map(|r| HandOver {
                cover: r
                    .brief
                    .as_ref()
                    .map_or_else(|| absence.cover.clone(), |b| b.cover.clone()),
                tell_client: r.brief.as_ref().is_some_and(|b| b.content.tell_client),
                state: r.brief.map(|b| b.state),
                client: r.client,
            })
            .collect();
        out.extend(jobs(practice, absence, &clients, language_of, now));
        out.extend(client_notices(practice, absence, &clients, now));
    }
    Ok(out)
}

/// A practice by its key: a server's cache, or a fresh read.
pub type PracticeOf<'a> =
    dyn Fn(&dyn Store, PracticeId) -> Result<std::sync::Arc<Practice>, StoreError> + 'a;

/// Runs the due jobs of every practice in the database; returns how many ran.
pub fn tick_all(
    store: &mut dyn Store,
    now: Timestamp,
    public_url: Option<&str>,
    practice: &PracticeOf<'_>,
) -> Result<usize, StoreError> {
    let mut ran = 0;
    for id in store.practice_ids()? {
        let p = practice(store, id)?;
        ran += tick(store, id, &p, public_url, now)?.len();
    }
    Ok(ran)
}
