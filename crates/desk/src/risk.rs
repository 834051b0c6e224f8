//! Escalation risk and the managers' digest, read from the store: one query for every client's
//! recent contacts, one for the missed meetings, the rules the core's (`frontdesk_core::risk`,
//! `frontdesk_core::digest`).

use frontdesk_core::agenda::MeetingStatus;
use frontdesk_core::digest::{Digest, Handled, NotHandedOver, Overdue};
use frontdesk_core::risk::{self, LOOKBACK, Missed, Risk};
use frontdesk_core::{Flag, Handle, Practice};
use frontdesk_store::{PracticeId, Store, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;

/// How many days of scores the chart shows.
pub const HISTORY_DAYS: i64 = 90;
/// How far ahead the digest looks for absences whose briefs are not handed over.
const BRIEFS_AHEAD_DAYS: i64 = 14;

/// What the risk reads, since [`LOOKBACK`] before `now`: contacts, missed meetings, and the
/// client of each overdue promise.
struct Inputs {
    contacts: Vec<risk::Contact>,
    missed: Vec<Missed>,
    other: risk::Other,
}

fn inputs(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    now: Timestamp,
) -> Result<Inputs, StoreError> {
    let from = now.checked_sub(LOOKBACK).unwrap_or(Timestamp::MIN);
    let contacts = store.risk_contacts(id, from)?;
    let missed = store
        .meetings(id, from, now)?
        .into_iter()
        .filter_map(|(_, m)| match m.status {
            MeetingStatus::NoShow => Some(Missed {
                client: m.client,
                at: m.start,
                no_show: true,
            }),
            MeetingStatus::Cancelled if m.late => Some(Missed {
                client: m.client,
                at: m.start,
                no_show: false,
            }),
            _ => None,
        })
        .collect();
    let overdue_promises = crate::promises::live(store, id)?
        .into_iter()
        .filter(|p| frontdesk_core::promise::overdue(practice, p, now))
        .map(|p| p.client)
        .collect();
    let on_hold = store
        .deliverables(id)?
        .into_iter()
        .filter(|d| d.state == frontdesk_core::deliverable::State::OnHold)
        .map(|d| d.client)
        .collect();
    Ok(Inputs {
        contacts,
        missed,
        other: risk::Other {
            overdue_promises,
            on_hold,
            owners: practice
                .clients()
                .iter()
                .map(|c| (c.handle.clone(), c.owner.clone()))
                .collect(),
            ratings: {
                let all = store.ratings(id, None)?;
                practice
                    .clients()
                    .iter()
                    .filter_map(|c| {
                        frontdesk_core::rating::latest(&all, &c.handle)
                            .map(|(s, p)| (c.handle.clone(), s, p))
                    })
                    .collect()
            },
        },
    })
}

/// The risk of every client `member` may see (all of them for those who oversee the
/// practice), highest first.
pub fn all(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    member: &Handle,
    now: Timestamp,
) -> Result<Vec<Risk>, StoreError> {
    let i = inputs(store, id, practice, now)?;
    let clients: Vec<&Handle> = practice.clients_of(member).map(|c| &c.handle).collect();
    Ok(risk::assess_all(
        clients,
        &i.contacts,
        &i.missed,
        &i.other,
        now,
    ))
}

/// One client's risk now and its kept daily scores of the last [`HISTORY_DAYS`] days (today's
/// replaced by the score now).
pub fn of_client(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    client: &Handle,
    now: Timestamp,
) -> Result<(Risk, Vec<(Date, u32)>), StoreError> {
    let i = inputs(store, id, practice, now)?;
    let risk = risk::assess(client, &i.contacts, &i.missed, &i.other, now);
    let today = today(practice, now);
    let from = today
        .checked_sub(jiff::Span::new().days(HISTORY_DAYS))
        .unwrap_or(today);
    let mut history: Vec<(Date, u32)> = store
        .risk_history(id, client, from)?
        .into_iter()
        .filter(|(d, _)| *d < today)
        .collect();
    history.push((today, risk.score));
    Ok((risk, history))
}

/// Today in the practice: the first owner's (else the first member's) zone.
fn today(practice: &Practice, now: Timestamp) -> Date {
    let zone = practice
        .members()
        .iter()
        .find(|m| m.role == frontdesk_core::Role::Owner)
        .or_else(|| practice.members().first())
        .map(|m| m.zone.tz().clone())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    now.to_zoned_datetime(zone).date()
}

/// Keeps every client's score of today (the day's last computation wins): the points of the
/// chart.
pub fn keep_today(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    now: Timestamp,
) -> Result<(), StoreError> {
    let i = inputs(store, id, practice, now)?;
    let clients = practice.clients().iter().map(|c| &c.handle);
    let scores: Vec<(Handle, u32)> =
        risk::assess_all(clients, &i.contacts, &i.missed, &i.other, now)
            .into_iter()
            .map(|r| (r.client, r.score))
            .collect();
    store.save_risk_day(id, today(practice, now), &scores)
}

/// What `manager`'s digest reports at `now`, counting handled urgent contacts since `since`.
pub fn digest(
    store: &dyn Store,
    id: PracticeId,
    practice: &Practice,
    manager: &Handle,
    since: Timestamp,
    now: Timestamp,
) -> Result<Digest, StoreError> {
    let Inputs {
        contacts,
        missed,
        other,
    } = inputs(store, id, practice, now)?;
    let visible: Vec<&Handle> = practice.clients_of(manager).map(|c| &c.handle).collect();
    let risks = frontdesk_core::digest::worth_reporting(risk::assess_all(
        visible.iter().copied(),
        &contacts,
        &missed,
        &other,
        now,
    ));
    let mine = |c: &Handle| visible.contains(&c);
    let urgent = contacts
        .iter()
        .filter(|c| mine(&c.client) && c.flags.contains(&Flag::Urgent))
        .filter_map(|c| {
            let answered = c.answered.filter(|a| *a > since && *a <= now)?;
            Some(Handled {
                id: c.id,
                client: c.client.clone(),
                at: c.at,
                answered,
                by: c.assignee.clone(),
            })
        })
        .collect();
    // Overdue: open now, due before now, from the open contacts of the lookback.
    let from = now.checked_sub(LOOKBACK).unwrap_or(Timestamp::MIN);
    let mut overdue: Vec<Overdue> = store
        .unanswered(id, from, now)?
        .into_iter()
        .filter(|e| e.due < now && mine(&e.client))
        .map(|e| Overdue {
            id: e.id.0,
            client: e.client,
            channel: e.channel,
            from: e.from,
            assignee: e.assignee,
            due: e.due,
        })
        .collect();
    overdue.sort_by_key(|o| (o.due, o.id));
    // Coming absences (starting within two weeks, or under way) with clients not handed over.
    let today = today(practice, now);
    let horizon = today
        .checked_add(jiff::Span::new().days(BRIEFS_AHEAD_DAYS))
        .unwrap_or(today);
    let mut briefs = Vec::new();
    for absence in practice.absences() {
        if absence.from > horizon || absence.until < today {
            continue;
        }
        let Ok((_, rows)) =
            crate::briefs::list(store, id, practice, &absence.member, absence.from, now)
        else {
            continue;
        };
        for row in rows {
            if (row.needed || row.brief.is_some()) && !row.handed_over() && mine(&row.client) {
                briefs.push(NotHandedOver {
                    member: absence.member.clone(),
                    from: absence.from,
                    client: row.client,
                    state: row.brief.map(|b| b.state),
                });
            }
        }
    }
    let promises = crate::promises::live(store, id)?
        .into_iter()
        .filter(|p| mine(&p.client))
        .filter(|p| {
            p.state == frontdesk_core::promise::State::Pending
                || frontdesk_core::promise::overdue(practice, p, now)
        })
        .collect();
    let on_hold = store
        .deliverables(id)?
        .into_iter()
        .filter(|d| d.state == frontdesk_core::deliverable::State::OnHold && mine(&d.client))
        .map(|d| {
            let days = frontdesk_core::deliverable::days_on_hold(&d, today);
            (d, days)
        })
        .collect();
    Ok(Digest {
        day: Some(today),
        risks,
        overdue,
        urgent,
        briefs,
        promises,
        on_hold,
    })
}
