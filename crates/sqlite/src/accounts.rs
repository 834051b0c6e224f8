//! Accounts, sessions, API tokens and secret links (hashes only), and members' languages.

use crate::*;

pub(crate) fn set_password(
    conn: &mut Connection,
    practice: PracticeId,
    member: &Handle,
    hash: &str,
) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    let member_id = id_of(&tx, "members", practice, member.as_str())?
        .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
    tx.execute(
        "INSERT INTO accounts (member_id, password_hash) VALUES (?1, ?2)
             ON CONFLICT (member_id) DO UPDATE SET password_hash = excluded.password_hash",
        params![member_id, hash],
    )
    .db()?;
    // Whoever signed in with the old password is signed out.
    tx.execute("DELETE FROM sessions WHERE member_id = ?1", [member_id])
        .db()?;
    tx.commit().db()?;
    Ok(())
}

pub(crate) fn has_accounts(conn: &Connection) -> Result<bool, StoreError> {
    conn.query_row("SELECT EXISTS (SELECT 1 FROM accounts)", [], |r| r.get(0))
        .db()
}

pub(crate) fn logins(conn: &Connection, email: &str) -> Result<Vec<Login>, StoreError> {
    // Emails live in each practice's settings; the accounts table knows who has a
    // password. Practices are few, so each is loaded and searched.
    let mut out = Vec::new();
    let mut stmt = conn
        .prepare_cached(
            "SELECT p.id, p.name, m.handle, a.password_hash FROM accounts a
             JOIN members m ON m.id = a.member_id JOIN practices p ON p.id = m.practice_id",
        )
        .db()?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .db()?;
    for row in rows {
        let (id, name, handle, hash) = row.db()?;
        let (_, practice) = crate::practices::load(conn, Some(&name))?;
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
    conn: &mut Connection,
    practice: PracticeId,
    member: &Handle,
    token_hash: &[u8],
    csrf: &str,
    expires: Timestamp,
) -> Result<(), StoreError> {
    let member_id = id_of(conn, "members", practice, member.as_str())?
        .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
    conn.execute(
        "INSERT INTO sessions (token_hash, member_id, csrf, expires_us) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, member_id, csrf, micros(expires)],
    )
    .db()?;
    Ok(())
}

pub(crate) fn session(
    conn: &Connection,
    token_hash: &[u8],
    now: Timestamp,
) -> Result<Option<Principal>, StoreError> {
    conn.prepare_cached(
        "SELECT m.practice_id, m.handle, s.csrf, a.language FROM sessions s
             JOIN members m ON m.id = s.member_id
             LEFT JOIN accounts a ON a.member_id = m.id
             WHERE s.token_hash = ?1 AND s.expires_us > ?2",
    )
    .db()?
    .query_row(params![token_hash, micros(now)], principal)
    .optional()
    .db()?
    .transpose()
}

pub(crate) fn delete_session(conn: &mut Connection, token_hash: &[u8]) -> Result<(), StoreError> {
    conn.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        params![token_hash],
    )
    .db()?;
    Ok(())
}

pub(crate) fn limit_attempt(
    conn: &mut Connection,
    key: &[u8],
    at: Timestamp,
    since: Timestamp,
    max: u32,
) -> Result<bool, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    tx.execute(
        "DELETE FROM sign_in_attempts WHERE at_us < ?1",
        params![micros(since)],
    )
    .db()?;
    let counted: i64 = tx
        .query_row(
            "SELECT count(*) FROM sign_in_attempts WHERE key = ?1",
            params![key],
            |r| r.get(0),
        )
        .db()?;
    let allowed = counted < i64::from(max);
    if allowed {
        tx.execute(
            "INSERT INTO sign_in_attempts (key, at_us) VALUES (?1, ?2)",
            params![key, micros(at)],
        )
        .db()?;
    }
    tx.commit().db()?;
    Ok(allowed)
}

pub(crate) fn limit_forget(conn: &mut Connection, key: &[u8], all: bool) -> Result<(), StoreError> {
    let sql = if all {
        "DELETE FROM sign_in_attempts WHERE key = ?1"
    } else {
        "DELETE FROM sign_in_attempts WHERE id = (SELECT id FROM sign_in_attempts
             WHERE key = ?1 ORDER BY at_us DESC, id DESC LIMIT 1)"
    };
    conn.execute(sql, params![key]).db()?;
    Ok(())
}

pub(crate) fn create_token(
    conn: &mut Connection,
    practice: PracticeId,
    member: &Handle,
    token_hash: &[u8],
    now: Timestamp,
) -> Result<i64, StoreError> {
    let member_id = id_of(conn, "members", practice, member.as_str())?
        .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
    conn.query_row(
        "INSERT INTO api_tokens (token_hash, member_id, created_us) VALUES (?1, ?2, ?3)
             RETURNING id",
        params![token_hash, member_id, micros(now)],
        |r| r.get(0),
    )
    .db()
}

pub(crate) fn token(conn: &Connection, token_hash: &[u8]) -> Result<Option<Principal>, StoreError> {
    conn.prepare_cached(
        "SELECT m.practice_id, m.handle, '', a.language FROM api_tokens t
             JOIN members m ON m.id = t.member_id
             LEFT JOIN accounts a ON a.member_id = m.id
             WHERE t.token_hash = ?1 AND t.revoked_us IS NULL",
    )
    .db()?
    .query_row(params![token_hash], principal)
    .optional()
    .db()?
    .transpose()
}

pub(crate) fn revoke_token(
    conn: &mut Connection,
    practice: PracticeId,
    member: &Handle,
    id: i64,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            "UPDATE api_tokens SET revoked_us = ?4 WHERE id = ?1 AND revoked_us IS NULL
               AND member_id = (SELECT id FROM members WHERE practice_id = ?2 AND handle = ?3)",
            params![id, practice.0, member.as_str(), micros(now)],
        )
        .db()?;
    Ok(changed > 0)
}

pub(crate) fn set_language(
    conn: &mut Connection,
    practice: PracticeId,
    member: &Handle,
    language: Option<&str>,
) -> Result<(), StoreError> {
    let member_id = id_of(conn, "members", practice, member.as_str())?
        .ok_or_else(|| StoreError::UnknownMember(member.to_string()))?;
    conn.execute(
        "UPDATE accounts SET language = ?2 WHERE member_id = ?1",
        params![member_id, language],
    )
    .db()?;
    Ok(())
}

pub(crate) fn languages(
    conn: &Connection,
    practice: PracticeId,
) -> Result<Vec<(Handle, String)>, StoreError> {
    let rows: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT m.handle, a.language FROM accounts a JOIN members m ON m.id = a.member_id
             WHERE m.practice_id = ?1 AND a.language IS NOT NULL",
        )
        .db()?
        .query_map([practice.0], |r| Ok((r.get(0)?, r.get(1)?)))
        .db()?
        .collect::<Result<_, _>>()
        .db()?;
    rows.into_iter().map(|(h, l)| Ok((handle(h)?, l))).collect()
}

pub(crate) fn tokens(
    conn: &Connection,
    practice: PracticeId,
    member: &Handle,
) -> Result<Vec<TokenInfo>, StoreError> {
    let rows = query(
        conn,
        "SELECT t.id, t.created_us, t.revoked_us FROM api_tokens t
         JOIN members m ON m.id = t.member_id
         WHERE m.practice_id = ?1 AND m.handle = ?2 ORDER BY t.id DESC",
        params![practice.0, member.as_str()],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        },
    )?;
    infos(rows)
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
    conn: &Connection,
    practice: PracticeId,
    target: &LinkTarget,
) -> Result<Vec<TokenInfo>, StoreError> {
    let (sql, handle) = match target {
        LinkTarget::Booking(c) => (
            "SELECT l.id, l.created_us, l.revoked_us FROM links l JOIN clients c ON c.id = l.client_id
             WHERE l.practice_id = ?1 AND c.handle = ?2 ORDER BY l.id DESC",
            c,
        ),
        LinkTarget::Feed(m) => (
            "SELECT l.id, l.created_us, l.revoked_us FROM links l JOIN members m ON m.id = l.member_id
             WHERE l.practice_id = ?1 AND m.handle = ?2 ORDER BY l.id DESC",
            m,
        ),
    };
    let rows = query(conn, sql, params![practice.0, handle.as_str()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?,
        ))
    })?;
    infos(rows)
}

pub(crate) fn create_link(
    conn: &mut Connection,
    practice: PracticeId,
    target: &LinkTarget,
    token_hash: &[u8],
    now: Timestamp,
) -> Result<i64, StoreError> {
    let (kind, client, member) = match target {
        LinkTarget::Booking(c) => (
            "booking",
            Some(
                id_of(conn, "clients", practice, c.as_str())?
                    .ok_or_else(|| DecideError::UnknownClient(c.to_string()))?,
            ),
            None,
        ),
        LinkTarget::Feed(m) => (
            "feed",
            None,
            Some(
                id_of(conn, "members", practice, m.as_str())?
                    .ok_or_else(|| StoreError::UnknownMember(m.to_string()))?,
            ),
        ),
    };
    conn.query_row(
        "INSERT INTO links (practice_id, kind, client_id, member_id, token_hash, created_us)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![practice.0, kind, client, member, token_hash, micros(now)],
        |r| r.get(0),
    )
    .db()
}

pub(crate) fn link(conn: &Connection, token_hash: &[u8]) -> Result<Option<Link>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT l.id, l.practice_id, l.kind, c.handle, m.handle FROM links l
             LEFT JOIN clients c ON c.id = l.client_id
             LEFT JOIN members m ON m.id = l.member_id
             WHERE l.token_hash = ?1 AND l.revoked_us IS NULL",
        )
        .db()?
        .query_row(params![token_hash], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })
        .optional()
        .db()?;
    let Some((id, practice, kind, client, member)) = row else {
        return Ok(None);
    };
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
    conn: &mut Connection,
    practice: PracticeId,
    id: i64,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let changed = conn
        .execute(
            "UPDATE links SET revoked_us = ?3
             WHERE id = ?1 AND practice_id = ?2 AND revoked_us IS NULL",
            params![id, practice.0, micros(now)],
        )
        .db()?;
    Ok(changed > 0)
}

pub(crate) fn principal(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Principal, StoreError>> {
    let practice: i64 = r.get(0)?;
    let handle: String = r.get(1)?;
    let csrf: String = r.get(2)?;
    let language: Option<String> = r.get(3)?;
    Ok(Handle::parse(&handle)
        .map_err(corrupt)
        .map(|member| Principal {
            practice: PracticeId(practice),
            member,
            csrf,
            language,
        }))
}
