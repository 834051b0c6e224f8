//! Busy times imported from members' calendars, and the feeds they are fetched from.

use crate::*;

pub(crate) fn replace_busy(
    c: &mut Client,
    practice: PracticeId,
    member: &Handle,
    source: &str,
    busy: &[Busy],
) -> Result<usize, StoreError> {
    let mut tx = write(c, practice)?;
    let member_id = id_of(&mut tx, "members", practice, member.as_str())?
        .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
    let before = tx
        .execute(
            "DELETE FROM busy WHERE member_id = $1 AND source = $2",
            &[&member_id, &source],
        )
        .db()?;
    let insert = tx
        .prepare(
            "INSERT INTO busy (practice_id, member_id, source, start_us, end_us)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .db()?;
    for b in busy {
        tx.execute(
            &insert,
            &[
                &practice.0,
                &member_id,
                &source,
                &micros(b.start),
                &micros(b.end),
            ],
        )
        .db()?;
    }
    tx.commit().db()?;
    usize::try_from(before).map_err(corrupt)
}

pub(crate) fn busy(
    c: &mut impl GenericClient,
    practice: PracticeId,
    member: &Handle,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Busy>, StoreError> {
    let rows = query(
        c,
        "SELECT b.start_us, b.end_us FROM busy b JOIN members m ON m.id = b.member_id
         WHERE m.practice_id = $1 AND m.handle = $2 AND b.start_us < $4 AND b.end_us > $3
         ORDER BY b.start_us, b.end_us",
        &[&practice.0, &member.as_str(), &micros(from), &micros(to)],
        |r| Ok((r.col::<i64>(0)?, r.col::<i64>(1)?)),
    )?;
    rows.into_iter()
        .map(|(start, end)| {
            Ok(Busy {
                start: from_micros(start)?,
                end: from_micros(end)?,
            })
        })
        .collect()
}

pub(crate) fn add_busy_source(
    c: &mut impl GenericClient,
    practice: PracticeId,
    member: &Handle,
    url: &str,
) -> Result<i64, StoreError> {
    let member_id = id_of(c, "members", practice, member.as_str())?
        .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
    // A feed added before keeps its id; asked first, as an upsert that finds the row would draw
    // an id from the sequence for nothing (SQLite's does not).
    let known = c
        .query_opt(
            "SELECT id FROM busy_sources WHERE member_id = $1 AND url = $2",
            &[&member_id, &url],
        )
        .db()?;
    if let Some(row) = known {
        return row.col(0);
    }
    c.query_one(
        "INSERT INTO busy_sources (practice_id, member_id, url) VALUES ($1, $2, $3)
             ON CONFLICT (member_id, url) DO UPDATE SET url = excluded.url
             RETURNING id",
        &[&practice.0, &member_id, &url],
    )
    .db()?
    .col(0)
}

pub(crate) fn busy_sources(c: &mut impl GenericClient) -> Result<Vec<BusySource>, StoreError> {
    let rows = query(
        c,
        "SELECT s.id, s.practice_id, m.handle, s.url, s.checked_us, s.error
         FROM busy_sources s JOIN members m ON m.id = s.member_id ORDER BY s.id",
        &[],
        |r| {
            Ok((
                r.col::<i64>(0)?,
                r.col::<i64>(1)?,
                r.col::<String>(2)?,
                r.col::<String>(3)?,
                r.col::<Option<i64>>(4)?,
                r.col::<Option<String>>(5)?,
            ))
        },
    )?;
    rows.into_iter()
        .map(|(id, practice, member, url, checked, error)| {
            Ok(BusySource {
                id,
                practice: PracticeId(practice),
                member: Handle::parse(&member).map_err(corrupt)?,
                url,
                checked: checked.map(from_micros).transpose()?,
                error,
            })
        })
        .collect()
}

pub(crate) fn remove_busy_source(
    c: &mut Client,
    practice: PracticeId,
    id: i64,
) -> Result<Option<BusySource>, StoreError> {
    let mut tx = write(c, practice)?;
    let Some(source) = busy_sources(&mut tx)?
        .into_iter()
        .find(|s| s.id == id && s.practice == practice)
    else {
        return Ok(None);
    };
    tx.execute(
        "DELETE FROM busy WHERE member_id = (SELECT member_id FROM busy_sources WHERE id = $1)
           AND source = $2",
        &[&id, &source.url],
    )
    .db()?;
    tx.execute("DELETE FROM busy_sources WHERE id = $1", &[&id])
        .db()?;
    tx.commit().db()?;
    Ok(Some(source))
}

pub(crate) fn busy_source_checked(
    c: &mut impl GenericClient,
    id: i64,
    at: Timestamp,
    error: Option<&str>,
) -> Result<(), StoreError> {
    c.execute(
        "UPDATE busy_sources SET checked_us = $2, error = $3 WHERE id = $1",
        &[&id, &micros(at), &error],
    )
    .db()?;
    Ok(())
}
