//! Practices: applying a practice file (what removal takes along is the core's `Removal`),
//! listing and loading them.

use crate::*;

pub(crate) fn outside_writes(conn: &Connection) -> Result<i64, StoreError> {
    conn.prepare_cached("SELECT coalesce(sum(version), 0) + count(*) FROM practices")
        .db()?
        .query_row([], |r| r.get(0))
        .db()
}

pub(crate) fn apply(
    conn: &mut Connection,
    practice: &Practice,
    audit: Option<(&str, Timestamp)>,
    over: Option<&Practice>,
) -> Result<Applied, StoreError> {
    let document = frontdesk_practice::render(practice);
    let name = &practice.settings().name;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .db()?;
    if let Some(over) = over {
        let stored: Option<String> = tx
            .query_row(
                "SELECT document FROM practices WHERE name = ?1",
                [&over.settings().name],
                |r| r.get(0),
            )
            .optional()
            .db()?;
        if stored != Some(frontdesk_practice::render(over)) {
            return Err(StoreError::PracticeChanged);
        }
    }
    let existing: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, document FROM practices WHERE name = ?1",
            [name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .db()?;
    let (id, created, changes) = match existing {
        None => {
            tx.execute(
                "INSERT INTO practices (name, document) VALUES (?1, ?2)",
                params![name, document],
            )
            .db()?;
            (
                tx.last_insert_rowid(),
                true,
                PracticeChanges::creating(practice),
            )
        }
        Some((id, old_document)) => {
            let old = frontdesk_practice::parse(&old_document)
                .map_err(|e| corrupt(format!("stored practice {name:?}: {e}")))?;
            let changes = PracticeChanges::between(&old, practice);
            if !changes.any() && old_document == document {
                return Ok(Applied {
                    id: PracticeId(id),
                    created: false,
                    changes,
                });
            }
            for (what, table, removal, removed) in [
                (
                    "client",
                    "clients",
                    Removal::CLIENT,
                    &changes.removed_clients,
                ),
                (
                    "member",
                    "members",
                    Removal::MEMBER,
                    &changes.removed_members,
                ),
            ] {
                let of = |b: Belonging| belonging_table(b, table == "members");
                for h in removed {
                    let owner: i64 = tx
                        .query_row(
                            &format!(
                                "SELECT id FROM {table} WHERE practice_id = ?1 AND handle = ?2"
                            ),
                            params![id, h.as_str()],
                            |r| r.get(0),
                        )
                        .db()?;
                    let mut count = 0i64;
                    for (t, column) in removal.refused_while.iter().map(|b| of(*b)) {
                        let n: i64 = tx
                            .query_row(
                                &format!("SELECT COUNT(*) FROM {t} WHERE {column} = ?1"),
                                [owner],
                                |r| r.get(0),
                            )
                            .db()?;
                        count += n;
                    }
                    if count > 0 {
                        return Err(StoreError::WouldLoseContacts {
                            what,
                            handle: h.to_string(),
                            count: count as u64,
                        });
                    }
                    for (t, column) in removal.takes_along.iter().map(|b| of(*b)) {
                        tx.execute(&format!("DELETE FROM {t} WHERE {column} = ?1"), [owner])
                            .db()?;
                    }
                    tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [owner])
                        .db()?;
                }
            }
            tx.execute(
                "UPDATE practices SET document = ?2, version = version + 1 WHERE id = ?1",
                params![id, document],
            )
            .db()?;
            (id, false, changes)
        }
    };
    for m in practice.members() {
        tx.execute(
            "INSERT OR IGNORE INTO members (practice_id, handle) VALUES (?1, ?2)",
            params![id, m.handle.as_str()],
        )
        .db()?;
    }
    for c in practice.clients() {
        tx.execute(
            "INSERT OR IGNORE INTO clients (practice_id, handle) VALUES (?1, ?2)",
            params![id, c.handle.as_str()],
        )
        .db()?;
    }
    // A change of the practice is evidence too: who changed what, when, and the file's digest.
    if let Some((actor, at)) = audit {
        let c = &changes;
        let count = |x: &frontdesk_core::Changes| serde_json::json!({"added": x.added, "updated": x.updated, "removed": x.removed});
        let digest = frontdesk_core::audit::digest(document.as_bytes());
        crate::audit::append(
            &tx,
            PracticeId(id),
            crate::audit::Fact {
                at,
                actor,
                kind: "practice.changed",
                client: None,
                subject: format!("practice {name}"),
                data: serde_json::json!({
                    "created": created, "settings_changed": c.settings_changed,
                    "members": count(&c.members), "absences": count(&c.absences),
                    "clients": count(&c.clients), "document_sha256": digest,
                })
                .to_string(),
            },
        )?;
    }
    tx.commit().db()?;
    Ok(Applied {
        id: PracticeId(id),
        created,
        changes,
    })
}

pub(crate) fn practices(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn
        .prepare("SELECT name FROM practices ORDER BY name")
        .db()?;
    let names = stmt.query_map([], |r| r.get(0)).db()?;
    names.collect::<Result<_, _>>().db()
}

pub(crate) fn practice_ids(conn: &Connection) -> Result<Vec<PracticeId>, StoreError> {
    let mut stmt = conn.prepare("SELECT id FROM practices ORDER BY id").db()?;
    let ids = stmt.query_map([], |r| r.get(0).map(PracticeId)).db()?;
    ids.collect::<Result<_, _>>().db()
}

pub(crate) fn load(
    conn: &Connection,
    name: Option<&str>,
) -> Result<(PracticeId, Practice), StoreError> {
    let names = practices(conn)?;
    let name = match (name, names.as_slice()) {
        (_, []) => return Err(StoreError::NoPractice),
        (None, [only]) => only.clone(),
        (None, _) => return Err(StoreError::WhichPractice(names.join(", "))),
        (Some(n), _) if names.iter().any(|x| x == n) => n.to_string(),
        (Some(n), _) => {
            return Err(StoreError::UnknownPractice {
                name: n.to_string(),
                known: names.join(", "),
            });
        }
    };
    let (id, document): (i64, String) = conn
        .query_row(
            "SELECT id, document FROM practices WHERE name = ?1",
            [&name],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .db()?;
    let practice = frontdesk_practice::parse(&document)
        .map_err(|e| corrupt(format!("stored practice {name:?}: {e}")))?;
    Ok((PracticeId(id), practice))
}

pub(crate) fn practice(conn: &Connection, id: PracticeId) -> Result<Practice, StoreError> {
    let (name, document): (String, String) = conn
        .query_row(
            "SELECT name, document FROM practices WHERE id = ?1",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .db()?
        .ok_or(StoreError::NoPractice)?;
    frontdesk_practice::parse(&document)
        .map_err(|e| corrupt(format!("stored practice {name:?}: {e}")))
}

/// Runs a query and maps its rows.
/// The table that keeps what belongs to a member (`member`) or a client, and its column that
/// names them.
pub(crate) fn belonging_table(b: Belonging, member: bool) -> (&'static str, &'static str) {
    let table = match b {
        Belonging::Contacts => "contacts",
        Belonging::Meetings => "meetings",
        Belonging::BusyTimes => "busy",
        Belonging::BusyFeeds => "busy_sources",
        Belonging::Sessions => "sessions",
        Belonging::ApiTokens => "api_tokens",
        Belonging::Account => "accounts",
        Belonging::Links => "links",
    };
    let column = match (b, member) {
        (Belonging::Contacts, true) => "assignee_id",
        (_, true) => "member_id",
        (_, false) => "client_id",
    };
    (table, column)
}
