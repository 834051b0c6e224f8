//! Briefs and the cover's questions, each change written with its audit entry.

use frontdesk_core::Handle;
use frontdesk_core::brief::{Brief, Content, Question, State};
use frontdesk_store::{BriefAct, PracticeId, StoreError};
use jiff::Timestamp;
use jiff::civil::Date;
use postgres::{Client, GenericClient};

use crate::audit::{Fact, append};
use crate::{Col, Db, Params, corrupt, from_micros, micros};

const COLUMNS: &str = "id, member, absence_from, client, cover, content, version, state";

/// The briefs matching `condition` (`$1`, `$2`… placeholders), with their questions.
fn rows(
    c: &mut impl GenericClient,
    condition: &str,
    params: &Params<'_>,
) -> Result<Vec<Brief>, StoreError> {
    let raw = crate::query(
        c,
        &format!("SELECT {COLUMNS} FROM briefs WHERE {condition} ORDER BY client, id"),
        params,
        |r| {
            Ok((
                r.col::<i64>(0)?,
                r.col::<String>(1)?,
                r.col::<String>(2)?,
                r.col::<String>(3)?,
                r.col::<String>(4)?,
                r.col::<String>(5)?,
                r.col::<i64>(6)?,
                r.col::<String>(7)?,
            ))
        },
    )?;
    let mut out = Vec::with_capacity(raw.len());
    for (id, member, from, client, cover, content, version, state) in raw {
        let handle = |h: &str| Handle::parse(h).map_err(corrupt);
        let questions = crate::query(
            c,
            "SELECT asked_by, asked_us, question, answer, answered_us FROM brief_questions
             WHERE brief_id = $1 ORDER BY id",
            &[&id],
            |r| {
                Ok((
                    r.col::<String>(0)?,
                    r.col::<i64>(1)?,
                    r.col::<String>(2)?,
                    r.col::<Option<String>>(3)?,
                    r.col::<Option<i64>>(4)?,
                ))
            },
        )?
        .into_iter()
        .map(|(by, asked, text, answer, answered)| {
            Ok(Question {
                asked_by: handle(&by)?,
                asked: from_micros(asked)?,
                text,
                answer,
                answered: answered.map(from_micros).transpose()?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(Brief {
            id,
            member: handle(&member)?,
            absence_from: from.parse().map_err(corrupt)?,
            client: handle(&client)?,
            cover: handle(&cover)?,
            content: serde_json::from_str(&content).map_err(corrupt)?,
            version: u32::try_from(version).map_err(corrupt)?,
            state: State::parse(&state).ok_or_else(|| corrupt(format!("brief state {state}")))?,
            questions,
        });
    }
    Ok(out)
}

pub(crate) fn briefs(
    c: &mut impl GenericClient,
    practice: PracticeId,
    member: &Handle,
    from: Date,
) -> Result<Vec<Brief>, StoreError> {
    rows(
        c,
        "practice_id = $1 AND member = $2 AND absence_from = $3",
        &[&practice.0, &member.as_str(), &from.to_string()],
    )
}

pub(crate) fn brief(
    c: &mut impl GenericClient,
    practice: PracticeId,
    id: i64,
) -> Result<Option<Brief>, StoreError> {
    Ok(rows(c, "practice_id = $1 AND id = $2", &[&practice.0, &id])?.pop())
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn write(
    c: &mut Client,
    practice: PracticeId,
    member: &Handle,
    from: Date,
    client: &Handle,
    cover: &Handle,
    content: &Content,
    judge: &dyn Fn(Option<&Brief>) -> Result<State, StoreError>,
    actor: &Handle,
    now: Timestamp,
) -> Result<Brief, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let current = rows(
        &mut tx,
        "practice_id = $1 AND member = $2 AND absence_from = $3 AND client = $4",
        &[
            &practice.0,
            &member.as_str(),
            &from.to_string(),
            &client.as_str(),
        ],
    )?
    .pop();
    let state = judge(current.as_ref())?;
    let json = serde_json::to_string(content).map_err(corrupt)?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO briefs (practice_id, member, absence_from, client, cover, content,
                version, state, updated_us)
             VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)
             ON CONFLICT (practice_id, member, absence_from, client) DO UPDATE SET
                cover = excluded.cover, content = excluded.content,
                version = briefs.version + 1, state = excluded.state,
                updated_us = excluded.updated_us
             RETURNING id",
            &[
                &practice.0,
                &member.as_str(),
                &from.to_string(),
                &client.as_str(),
                &cover.as_str(),
                &json,
                &state.as_str(),
                &micros(now),
            ],
        )
        .db()?
        .col(0)?;
    let written = brief(&mut tx, practice, id)?.ok_or_else(|| corrupt("a brief just written"))?;
    append(
        &mut tx,
        practice,
        Fact {
            at: now,
            actor: actor.as_str(),
            kind: "brief.written",
            client: Some(client.as_str()),
            subject: format!("brief {id}"),
            data: serde_json::json!({
                "member": member.as_str(), "absence_from": from.to_string(),
                "cover": cover.as_str(), "version": written.version,
                "content": content,
            })
            .to_string(),
        },
    )?;
    tx.commit().db()?;
    Ok(written)
}

pub(crate) fn act(
    c: &mut Client,
    practice: PracticeId,
    id: i64,
    judge: &dyn Fn(&Brief) -> Result<BriefAct, StoreError>,
    actor: &Handle,
    now: Timestamp,
) -> Result<Brief, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let current = brief(&mut tx, practice, id)?.ok_or(StoreError::UnknownBrief(id))?;
    let act = judge(&current)?;
    let (kind, state, data) = match &act {
        BriefAct::Acknowledge => (
            "brief.acknowledged",
            State::Acknowledged,
            serde_json::json!({"version": current.version}),
        ),
        BriefAct::Ask(text) => {
            tx.execute(
                "INSERT INTO brief_questions (brief_id, asked_by, asked_us, question)
                 VALUES ($1, $2, $3, $4)",
                &[&id, &actor.as_str(), &micros(now), text],
            )
            .db()?;
            (
                "brief.asked",
                State::Question,
                serde_json::json!({"version": current.version, "question": text}),
            )
        }
        BriefAct::Answer(text) => {
            let open: Option<i64> = tx
                .query_opt(
                    "SELECT id FROM brief_questions WHERE brief_id = $1 AND answer IS NULL
                     ORDER BY id DESC LIMIT 1",
                    &[&id],
                )
                .db()?
                .map(|r| r.col(0))
                .transpose()?;
            let q = open.ok_or_else(|| {
                StoreError::Refused("there is no question waiting for an answer".to_string())
            })?;
            tx.execute(
                "UPDATE brief_questions SET answer = $2, answered_us = $3 WHERE id = $1",
                &[&q, text, &micros(now)],
            )
            .db()?;
            (
                "brief.answered",
                State::Waiting,
                serde_json::json!({"version": current.version, "answer": text}),
            )
        }
        BriefAct::ItemDone(i) => {
            let mut content = current.content.clone();
            let item = content.open_items.get_mut(*i).ok_or_else(|| {
                StoreError::Refused(format!("open item {}: there is no such item", i + 1))
            })?;
            item.done = true;
            let text = item.text.clone();
            tx.execute(
                "UPDATE briefs SET content = $2 WHERE id = $1",
                &[&id, &serde_json::to_string(&content).map_err(corrupt)?],
            )
            .db()?;
            (
                "brief.item_done",
                current.state,
                serde_json::json!({"version": current.version, "item": text}),
            )
        }
    };
    tx.execute(
        "UPDATE briefs SET state = $2, updated_us = $3 WHERE id = $1",
        &[&id, &state.as_str(), &micros(now)],
    )
    .db()?;
    append(
        &mut tx,
        practice,
        Fact {
            at: now,
            actor: actor.as_str(),
            kind,
            client: Some(current.client.as_str()),
            subject: format!("brief {id}"),
            data: data.to_string(),
        },
    )?;
    let out = brief(&mut tx, practice, id)?.ok_or_else(|| corrupt("a brief just changed"))?;
    tx.commit().db()?;
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn record_callback(
    c: &mut Client,
    practice: PracticeId,
    member: &Handle,
    from: Date,
    client: &Handle,
    by: &Handle,
    outcome: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    let mut tx = crate::write(c, practice)?;
    tx.execute(
        "INSERT INTO callbacks (practice_id, member, absence_from, client, at_us, by_member, outcome)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            &practice.0,
            &member.as_str(),
            &from.to_string(),
            &client.as_str(),
            &micros(at),
            &by.as_str(),
            &outcome,
        ],
    )
    .db()?;
    append(
        &mut tx,
        practice,
        Fact {
            at,
            actor: by.as_str(),
            kind: "callback.recorded",
            client: Some(client.as_str()),
            subject: format!("absence of {member} from {from}"),
            data: serde_json::json!({ "outcome": outcome }).to_string(),
        },
    )?;
    tx.commit().db()
}

pub(crate) fn callbacks(
    c: &mut impl GenericClient,
    practice: PracticeId,
    member: &Handle,
    from: Date,
) -> Result<Vec<frontdesk_store::Callback>, StoreError> {
    let rows = crate::query(
        c,
        "SELECT client, at_us, by_member, outcome FROM callbacks
         WHERE practice_id = $1 AND member = $2 AND absence_from = $3 ORDER BY at_us, id",
        &[&practice.0, &member.as_str(), &from.to_string()],
        |r| {
            Ok((
                r.col::<String>(0)?,
                r.col::<i64>(1)?,
                r.col::<String>(2)?,
                r.col::<String>(3)?,
            ))
        },
    )?;
    rows.into_iter()
        .map(|(client, at, by, outcome)| {
            Ok(frontdesk_store::Callback {
                client: Handle::parse(&client).map_err(corrupt)?,
                at: from_micros(at)?,
                by: Handle::parse(&by).map_err(corrupt)?,
                outcome,
            })
        })
        .collect()
}
