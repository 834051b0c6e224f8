//! Practices: applying a practice file (what removal takes along is the core's `Removal`),
//! listing and loading them.

use crate::*;

/// Changes whenever any connection or instance applied a practice: every apply that changes a
/// practice bumps its `version`, and a new practice adds a row.
pub(crate) fn outside_writes(c: &mut impl GenericClient) -> Result<i64, StoreError> {
    c.query_one(
        "SELECT coalesce(sum(version), 0)::bigint + count(*) FROM practices",
        &[],
    )
    .db()?
    .col(0)
}

pub(crate) fn apply(
    c: &mut Client,
    practice: &Practice,
    audit: Option<(&str, Timestamp)>,
    over: Option<&Practice>,
) -> Result<Applied, StoreError> {
    let document = frontdesk_practice::render(practice);
    let name = &practice.settings().name;
    let mut tx = c.transaction().db()?;
    // Applies take turns (lock 0: no practice has id 0), so one name is inserted once; then the
    // practice's own writers wait too, as for any write to it.
    tx.execute("SELECT pg_advisory_xact_lock(0)", &[]).db()?;
    if let Some(over) = over {
        let stored: Option<String> = tx
            .query_opt(
                "SELECT document FROM practices WHERE name = $1",
                &[&over.settings().name],
            )
            .db()?
            .map(|r| r.col(0))
            .transpose()?;
        if stored != Some(frontdesk_practice::render(over)) {
            return Err(StoreError::PracticeChanged);
        }
    }
    let existing: Option<(i64, String)> = tx
        .query_opt(
            "SELECT id, document FROM practices WHERE name = $1",
            &[name],
        )
        .db()?
        .map(|r| Ok::<_, StoreError>((r.col(0)?, r.col(1)?)))
        .transpose()?;
    let (id, created, changes) = match existing {
        None => {
            let id: i64 = tx
                .query_one(
                    "INSERT INTO practices (name, document, version) VALUES ($1, $2, 1)
                     RETURNING id",
                    &[name, &document],
                )
                .db()?
                .col(0)?;
            lock(&mut tx, id)?;
            (id, true, PracticeChanges::creating(practice))
        }
        Some((id, old_document)) => {
            lock(&mut tx, id)?;
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
                        .query_one(
                            &format!(
                                "SELECT id FROM {table} WHERE practice_id = $1 AND handle = $2"
                            ),
                            &[&id, &h.as_str()],
                        )
                        .db()?
                        .col(0)?;
                    let mut count = 0i64;
                    for (t, column) in removal.refused_while.iter().map(|b| of(*b)) {
                        let n: i64 = tx
                            .query_one(
                                &format!("SELECT COUNT(*) FROM {t} WHERE {column} = $1"),
                                &[&owner],
                            )
                            .db()?
                            .col(0)?;
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
                        tx.execute(&format!("DELETE FROM {t} WHERE {column} = $1"), &[&owner])
                            .db()?;
                    }
                    tx.execute(&format!("DELETE FROM {table} WHERE id = $1"), &[&owner])
                        .db()?;
                }
            }
            tx.execute(
                "UPDATE practices SET document = $2, version = version + 1 WHERE id = $1",
                &[&id, &document],
            )
            .db()?;
            (id, false, changes)
        }
    };
    let stmt = tx
        .prepare("INSERT INTO members (practice_id, handle) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .db()?;
    for m in practice.members() {
        tx.execute(&stmt, &[&id, &m.handle.as_str()]).db()?;
    }
    let stmt = tx
        .prepare("INSERT INTO clients (practice_id, handle) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .db()?;
    for client in practice.clients() {
        tx.execute(&stmt, &[&id, &client.handle.as_str()]).db()?;
    }
    // A change of the practice is evidence too: who changed what, when, and the file's digest.
    if let Some((actor, at)) = audit {
        let c = &changes;
        let count = |x: &frontdesk_core::Changes| serde_json::json!({"added": x.added, "updated": x.updated, "removed": x.removed});
        let digest = frontdesk_core::audit::digest(document.as_bytes());
        crate::audit::append(
            &mut tx,
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

/// Waits for the practice's other writers (see `crate::write`), until this transaction ends.
fn lock(tx: &mut Transaction<'_>, id: i64) -> Result<(), StoreError> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&id])
        .db()?;
    Ok(())
}

pub(crate) fn practices(c: &mut impl GenericClient) -> Result<Vec<String>, StoreError> {
    query(c, "SELECT name FROM practices ORDER BY name", &[], |r| {
        r.col(0)
    })
}

pub(crate) fn practice_ids(c: &mut impl GenericClient) -> Result<Vec<PracticeId>, StoreError> {
    query(c, "SELECT id FROM practices ORDER BY id", &[], |r| {
        r.col(0).map(PracticeId)
    })
}

pub(crate) fn load(
    c: &mut impl GenericClient,
    name: Option<&str>,
) -> Result<(PracticeId, Practice), StoreError> {
    let names = practices(c)?;
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
    let row = c
        .query_one(
            "SELECT id, document FROM practices WHERE name = $1",
            &[&name],
        )
        .db()?;
    let id: i64 = row.col(0)?;
    let document: String = row.col(1)?;
    let practice = frontdesk_practice::parse(&document)
        .map_err(|e| corrupt(format!("stored practice {name:?}: {e}")))?;
    Ok((PracticeId(id), practice))
}

pub(crate) fn practice(c: &mut impl GenericClient, id: PracticeId) -> Result<Practice, StoreError> {
    let row = c
        .query_opt(
            "SELECT name, document FROM practices WHERE id = $1",
            &[&id.0],
        )
        .db()?
        .ok_or(StoreError::NoPractice)?;
    let name: String = row.col(0)?;
    let document: String = row.col(1)?;
    frontdesk_practice::parse(&document)
        .map_err(|e| corrupt(format!("stored practice {name:?}: {e}")))
}

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
