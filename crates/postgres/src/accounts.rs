//! Accounts, sessions, API tokens and secret links (hashes only), and members' languages.

use crate::*;

pub(crate) fn set_password(
    c: &mut Client,
    practice: PracticeId,
    member: &Handle,
    hash: &str,
) -> Result<(), StoreError> {
    let mut tx = crate::write(c, practice)?;
    let member_id = id_of(&mut tx, "members", practice, member.as_str())?
        .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
    tx.execute(
        "INSERT INTO accounts (member_id, password_hash) VALUES ($1, $2)
             ON CONFLICT (member_id) DO UPDATE SET password_hash = excluded.password_hash",
        &[&member_id, &hash],
    )
    .db()?;
    // Whoever signed in with the old password is signed out.
    tx.execute("DELETE FROM sessions WHERE member_id = $1", &[&member_id])
        .db()?;
    tx.commit().db()?;
    Ok(())
}

pub(crate) fn has_accounts(c: &mut impl GenericClient) -> Result<bool, StoreError> {
    c.query_one("SELECT EXISTS (SELECT 1 FROM accounts)", &[])
        .db()?
        .col(0)
}

pub(crate) fn logins(c: &mut impl GenericClient, email: &str) -> Result<Vec<Login>, StoreError> {
    // Emails live in each practice's settings; the accounts table knows who has a
    // password. Practices are few, so each is loaded and searched.
    let rows = query(
        c,
        "SELECT p.id, p.name, m.handle, a.password_hash FROM accounts a
         JOIN members m ON m.id = a.member_id JOIN practices p ON p.id = m.practice_id
         ORDER BY a.member_id",
        &[],
        |r| {
            Ok((
                r.col::<i64>(0)?,
                r.col::<String>(1)?,
                r.col::<String>(2)?,
                r.col::<String>(3)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for (id, name, handle, hash) in rows {
        let (_, practice) = crate::practices::load(c, Some(&name))?;
        let handle = Handle::parse(&handle).map_err(corrupt)?;
        if practice
            .member(&handle)
            .is_some_and(|m| m.email.eq_ignore_ascii_case(email.trim()))
        {
            out.push(Login {
                practice: PracticeId(id),
                practice_name: name,
                member: handle,
                password_hash: hash,
            });
        }
    }
    Ok(out)
}

pub(crate) fn create_session(
    c: &mut Client,
    practice: PracticeId,
    member: &Handle,
    token_hash: &[u8],
    csrf: &str,
    expires: Timestamp,
) -> Result<(), StoreError> {
    let mut tx = crate::write(c, practice)?;
    let member_id = id_of(&mut tx, "members", practice, member.as_str())?
        .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
    tx.execute(
        "INSERT INTO sessions (token_hash, member_id, csrf, expires_us) VALUES ($1, $2, $3, $4)",
        &[&token_hash, &member_id, &csrf, &micros(expires)],
    )
    .db()?;
    tx.commit().db()?;
    Ok(())
}

pub(crate) fn session(
    c: &mut impl GenericClient,
    token_hash: &[u8],
    now: Timestamp,
) -> Result<Option<Principal>, StoreError> {
    c.query_opt(
        "SELECT m.practice_id, m.handle, s.csrf, a.language FROM sessions s
             JOIN members m ON m.id = s.member_id
             LEFT JOIN accounts a ON a.member_id = m.id
             WHERE s.token_hash = $1 AND s.expires_us > $2",
        &[&token_hash, &micros(now)],
    )
    .db()?
    .map(|r| principal(&r))
    .transpose()
}

pub(crate) fn delete_session(c: &mut Client, token_hash: &[u8]) -> Result<(), StoreError> {
    c.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])
        .db()?;
    Ok(())
}

/// The advisory lock class of sign-in limits (the key's first four bytes are the object).
const LIMITS: i32 = 0x6c69_6d73;

pub(crate) fn limit_attempt(
    c: &mut Client,
    key: &[u8],
    at: Timestamp,
    since: Timestamp,
    max: u32,
) -> Result<bool, StoreError> {
    let mut tx = c.transaction().db()?;
    // Attempts of one key take turns across servers: two cannot both count the last one left.
    let object = i32::from_be_bytes(
        key.get(..4)
            .and_then(|b| b.try_into().ok())
            .unwrap_or([0; 4]),
    );
    tx.execute("SELECT pg_advisory_xact_lock($1, $2)", &[&LIMITS, &object])
        .db()?;
    tx.execute(
        "DELETE FROM sign_in_attempts WHERE at_us < $1",
        &[&micros(since)],
    )
    .db()?;
    let counted: i64 = tx
        .query_one(
            "SELECT count(*) FROM sign_in_attempts WHERE key = $1",
            &[&key],
        )
        .db()?
        .col(0)?;
    let allowed = counted < i64::from(max);
    if allowed {
        tx.execute(
            "INSERT INTO sign_in_attempts (key, at_us) VALUES ($1, $2)",
            &[&key, &micros(at)],
        )
        .db()?;
    }
    tx.commit().db()?;
    Ok(allowed)
}

pub(crate) fn limit_forget(c: &mut Client, key: &[u8], all: bool) -> Result<(), StoreError> {
    let sql = if all {
        "DELETE FROM sign_in_attempts WHERE key = $1"
    } else {
        "DELETE FROM sign_in_attempts WHERE id = (SELECT id FROM sign_in_attempts
             WHERE key = $1 ORDER BY at_us DESC, id DESC LIMIT 1)"
    };
    c.execute(sql, &[&key]).db()?;
    Ok(())
}

pub(crate) fn create_token(
    c: &mut Client,
    practice: PracticeId,
    member: &Handle,
    token_hash: &[u8],
    now: Timestamp,
) -> Result<i64, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let member_id = id_of(&mut tx, "members", practice, member.as_str())?
        .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
    let id: i64 = tx
        .query_one(
            "INSERT INTO api_tokens (token_hash, member_id, created_us) VALUES ($1, $2, $3)
             RETURNING id",
            &[&token_hash, &member_id, &micros(now)],
        )
        .db()?
        .col(0)?;
    tx.commit().db()?;
    Ok(id)
}

pub(crate) fn token(
    c: &mut impl GenericClient,
    token_hash: &[u8],
) -> Result<Option<Principal>, StoreError> {
    c.query_opt(
        "SELECT m.practice_id, m.handle, ''::text, a.language FROM api_tokens t
             JOIN members m ON m.id = t.member_id
             LEFT JOIN accounts a ON a.member_id = m.id
             WHERE t.token_hash = $1 AND t.revoked_us IS NULL",
        &[&token_hash],
    )
    .db()?
    .map(|r| principal(&r))
    .transpose()
}

pub(crate) fn revoke_token(
    c: &mut Client,
    practice: PracticeId,
    member: &Handle,
    id: i64,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let changed = tx
        .execute(
            "UPDATE api_tokens SET revoked_us = $4 WHERE id = $1 AND revoked_us IS NULL
               AND member_id = (SELECT id FROM members WHERE practice_id = $2 AND handle = $3)",
            &[&id, &practice.0, &member.as_str(), &micros(now)],
        )
        .db()?;
    tx.commit().db()?;
    Ok(changed > 0)
}

pub(crate) fn set_language(
    c: &mut Client,
    practice: PracticeId,
    member: &Handle,
    language: Option<&str>,
) -> Result<(), StoreError> {
    let mut tx = crate::write(c, practice)?;
    let member_id = id_of(&mut tx, "members", practice, member.as_str())?
        .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
    tx.execute(
        "UPDATE accounts SET language = $2 WHERE member_id = $1",
        &[&member_id, &language],
    )
    .db()?;
    tx.commit().db()?;
    Ok(())
}

pub(crate) fn languages(
    c: &mut impl GenericClient,
    practice: PracticeId,
) -> Result<Vec<(Handle, String)>, StoreError> {
    let rows: Vec<(String, String)> = query(
        c,
        "SELECT m.handle, a.language FROM accounts a JOIN members m ON m.id = a.member_id
         WHERE m.practice_id = $1 AND a.language IS NOT NULL",
        &[&practice.0],
        |r| Ok((r.col(0)?, r.col(1)?)),
    )?;
    rows.into_iter().map(|(h, l)| Ok((handle(h)?, l))).collect()
}

pub(crate) fn tokens(
    c: &mut impl GenericClient,
    practice: PracticeId,
    member: &Handle,
) -> Result<Vec<TokenInfo>, StoreError> {
    let rows = query(
        c,
        "SELECT t.id, t.created_us, t.revoked_us FROM api_tokens t
         JOIN members m ON m.id = t.member_id
         WHERE m.practice_id = $1 AND m.handle = $2 ORDER BY t.id DESC",
        &[&practice.0, &member.as_str()],
        info_row,
    )?;
    infos(rows)
}

/// A token's or link's `(id, created, revoked)` row.
fn info_row(r: &Row) -> Result<(i64, i64, Option<i64>), StoreError> {
    Ok((r.col(0)?, r.col(1)?, r.col(2)?))
}

/// Tokens or links as `(id, created, revoked)` rows.
fn infos(rows: Vec<(i64, i64, Option<i64>)>) -> Result<Vec<TokenInfo>, StoreError> {
    rows.into_iter()
        .map(|(id, created, revoked)| {
            Ok(TokenInfo {
                id,
                created: from_micros(created)?,
                revoked: revoked.map(from_micros).transpose()?,
            })
        })
        .collect()
}

pub(crate) fn links(
    c: &mut impl GenericClient,
    practice: PracticeId,
    target: &LinkTarget,
) -> Result<Vec<TokenInfo>, StoreError> {
    let (sql, handle) = match target {
        LinkTarget::Booking(c) => (
            "SELECT l.id, l.created_us, l.revoked_us FROM links l JOIN clients c ON c.id = l.client_id
             WHERE l.practice_id = $1 AND c.handle = $2 ORDER BY l.id DESC",
            c,
        ),
        LinkTarget::Feed(m) => (
            "SELECT l.id, l.created_us, l.revoked_us FROM links l JOIN members m ON m.id = l.member_id
             WHERE l.practice_id = $1 AND m.handle = $2 ORDER BY l.id DESC",
            m,
        ),
    };
    let rows = query(c, sql, &[&practice.0, &handle.as_str()], info_row)?;
    infos(rows)
}

pub(crate) fn create_link(
    c: &mut Client,
    practice: PracticeId,
    target: &LinkTarget,
    token_hash: &[u8],
    now: Timestamp,
) -> Result<i64, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let (kind, client, member) = match target {
        LinkTarget::Booking(c) => (
            "booking",
            Some(
                id_of(&mut tx, "clients", practice, c.as_str())?
                    .ok_or_else(|| DecideError::UnknownClient(c.to_string()))?,
            ),
            None,
        ),
        LinkTarget::Feed(m) => (
            "feed",
            None,
            Some(
                id_of(&mut tx, "members", practice, m.as_str())?
                    .ok_or_else(|| StoreError::UnknownMember(m.to_string()))?,
            ),
        ),
    };
    let id: i64 = tx
        .query_one(
            "INSERT INTO links (practice_id, kind, client_id, member_id, token_hash, created_us)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &practice.0,
                &kind,
                &client,
                &member,
                &token_hash,
                &micros(now),
            ],
        )
        .db()?
        .col(0)?;
    tx.commit().db()?;
    Ok(id)
}

pub(crate) fn link(
    c: &mut impl GenericClient,
    token_hash: &[u8],
) -> Result<Option<Link>, StoreError> {
    let Some(row) = c
        .query_opt(
            "SELECT l.id, l.practice_id, l.kind, c.handle, m.handle FROM links l
             LEFT JOIN clients c ON c.id = l.client_id
             LEFT JOIN members m ON m.id = l.member_id
             WHERE l.token_hash = $1 AND l.revoked_us IS NULL",
            &[&token_hash],
        )
        .db()?
    else {
        return Ok(None);
    };
    let id: i64 = row.col(0)?;
    let practice: i64 = row.col(1)?;
    let kind: String = row.col(2)?;
    let client: Option<String> = row.col(3)?;
    let member: Option<String> = row.col(4)?;
    let handle = |h: Option<String>| {
        Handle::parse(&h.ok_or_else(|| corrupt("a link without its target"))?).map_err(corrupt)
    };
    let target = match kind.as_str() {
        "booking" => LinkTarget::Booking(handle(client)?),
        _ => LinkTarget::Feed(handle(member)?),
    };
    Ok(Some(Link {
        id,
        practice: PracticeId(practice),
        target,
    }))
}

pub(crate) fn revoke_link(
    c: &mut Client,
    practice: PracticeId,
    id: i64,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let mut tx = crate::write(c, practice)?;
    let changed = tx
        .execute(
            "UPDATE links SET revoked_us = $3
             WHERE id = $1 AND practice_id = $2 AND revoked_us IS NULL",
            &[&id, &practice.0, &micros(now)],
        )
        .db()?;
    tx.commit().db()?;
    Ok(changed > 0)
}

/// Who a session or API token belongs to: `(practice_id, handle, csrf, language)`.
pub(crate) fn principal(r: &Row) -> Result<Principal, StoreError> {
    let practice: i64 = r.col(0)?;
    let handle: String = r.col(1)?;
    let csrf: String = r.col(2)?;
    let language: Option<String> = r.col(3)?;
    let member = Handle::parse(&handle).map_err(corrupt)?;
    Ok(Principal {
        practice: PracticeId(practice),
        member,
        csrf,
        language,
    })
}
