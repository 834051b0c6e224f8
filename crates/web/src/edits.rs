//! Edits of the practice from forms and the API: typed changes to the practice file
//! (`frontdesk_practice::edit`), validated as `frontdesk apply` validates, then applied.

use frontdesk_core::{Handle, Practice};
use frontdesk_practice::{FileError, PracticeFile, ResponseEntry, TermsEntry};
use serde::Deserialize;

use frontdesk_store::{PracticeId, StoreError};

use crate::state::AppState;

/// Why an edit was not applied; nothing is written then.
#[derive(Debug)]
pub(crate) enum EditError {
    /// The edit is invalid (the parser's or the store's words, naming the field).
    Refused(String),
    /// The member may not make it (a role change by someone who is not an owner).
    Forbidden(String),
    /// The practice changed since the version the edit was made against.
    Stale {
        /// The version now.
        now: String,
    },
}

impl EditError {
    /// The words to show.
    pub(crate) fn message(&self) -> String {
        match self {
            EditError::Refused(m) | EditError::Forbidden(m) => m.clone(),
            EditError::Stale { .. } => {
                "the practice changed since you read it; read it again and make your change there"
                    .to_string()
            }
        }
    }
}

impl From<EditError> for crate::error::ApiError {
    fn from(e: EditError) -> Self {
        use crate::error::ApiError;
        match &e {
            EditError::Refused(m) => ApiError::invalid(m.clone()),
            EditError::Forbidden(m) => ApiError::forbidden(m.clone()),
            EditError::Stale { now } => ApiError::new(
                axum::http::StatusCode::PRECONDITION_FAILED,
                "stale",
                format!("{} (the version now is {now})", e.message()),
            ),
        }
    }
}

/// The version of a practice: a digest of its file, as a page or a GET saw it. A write of the
/// whole file names the version it was made from, so it cannot undo a change made since.
pub(crate) fn version(practice: &Practice) -> String {
    let digest = frontdesk_desk::secrets::secret_hash(&frontdesk_practice::render(practice));
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Edits the practice as `by` and applies it over what it was read as: `change` sees the
/// practice as stored now — not as a page saw it — and when another request, server or
/// process applied a change between the read and the write, it is read and changed again, so
/// concurrent edits of different parts never undo each other. With `expected`, the edit is
/// refused as stale when the practice is no longer that version. Roles change only as
/// `core::check_roles` allows.
pub(crate) async fn edit_practice(
    state: &AppState,
    id: PracticeId,
    by: Handle,
    expected: Option<String>,
    change: impl Fn(&Practice) -> Result<Practice, String> + Send + 'static,
) -> Result<Practice, EditError> {
    /// Reads and changes again at most this often before giving up (a practice edited
    /// without pause from elsewhere).
    const TRIES: usize = 20;
    let now = state.now();
    let result = state
        .db(move |store| {
            for _ in 0..TRIES {
                let current = store.practice(id)?;
                // Whoever edits must oversee the practice as it is now, not as a page saw it.
                if !current.oversees(&by) {
                    return Ok(Err(EditError::Forbidden(
                        "only owners and managers change the practice".to_string(),
                    )));
                }
                if let Some(v) = &expected
                    && *v != version(&current)
                {
                    return Ok(Err(EditError::Stale {
                        now: version(&current),
                    }));
                }
                let updated = match change(&current) {
                    Ok(p) => p,
                    Err(e) => return Ok(Err(EditError::Refused(e))),
                };
                // How the practice sends mail names a command the server runs and variables
                // it reads: it is changed on the server (`frontdesk apply`), never from a
                // browser.
                if updated.settings().mail != current.settings().mail {
                    return Ok(Err(EditError::Forbidden(
                        "mail: the mail settings are changed on the server, with frontdesk apply"
                            .to_string(),
                    )));
                }
                if let Err(e) = frontdesk_core::check_roles(&current, &updated, &by) {
                    return Ok(Err(EditError::Forbidden(e.to_string())));
                }
                match store.apply_over(&updated, &current, by.as_str(), now) {
                    Ok(_) => return Ok(Ok(updated)),
                    Err(StoreError::PracticeChanged) => continue,
                    Err(e) => return Ok(Err(EditError::Refused(e.to_string()))),
                }
            }
            Ok(Err(EditError::Refused(
                StoreError::PracticeChanged.to_string(),
            )))
        })
        .await;
    state.forget_practices();
    result.map_err(|e| EditError::Refused(e.message))?
}

/// The form's fields, as the practice file writes them.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct TermsForm {
    pub csrf: String,
    pub adhoc_calls_per_week: String,
    pub call: String,
    pub voicemail: String,
    pub email: String,
    pub chat: String,
    pub urgent: String,
    #[serde(default)]
    pub urgent_out_of_hours: Option<String>,
    pub after_hours_surcharge_pct: String,
    pub cancellation_notice: String,
}

/// The practice with the client's terms replaced by the form's, validated as a file is.
pub(crate) fn with_terms(
    practice: &Practice,
    handle: &Handle,
    f: &TermsForm,
) -> Result<Practice, String> {
    frontdesk_practice::edit(practice, |file| set_terms(file, handle, f)).map_err(|e| e.to_string())
}

/// Replaces the client's terms in the practice file with the form's.
fn set_terms(file: &mut PracticeFile, handle: &Handle, f: &TermsForm) -> Result<(), FileError> {
    let (i, client) = file
        .clients
        .iter_mut()
        .enumerate()
        .find(|(_, c)| c.handle == handle.as_str())
        .ok_or_else(|| FileError::invalid("clients", format!("there is no client {handle}")))?;
    let path = format!("clients[{i}].terms");
    let number = |field: &str, v: &str| -> Result<Option<i64>, FileError> {
        let v = v.trim();
        if v.is_empty() {
            return Ok(None);
        }
        v.parse().map(Some).map_err(|_| {
            FileError::invalid(
                format!("{path}.{field}"),
                format!("{v:?} is not a whole number"),
            )
        })
    };
    let adhoc = number("adhoc_calls_per_week", &f.adhoc_calls_per_week)?;
    let pct =
        number("after_hours_surcharge_pct", &f.after_hours_surcharge_pct)?.ok_or_else(|| {
            FileError::invalid(
                format!("{path}.after_hours_surcharge_pct"),
                "a percentage is needed",
            )
        })?;
    let text = |v: &str| Some(v.trim().to_string());
    let terms = client.terms.get_or_insert_with(TermsEntry::default);
    terms.adhoc_calls_per_week = adhoc;
    terms.response = Some(ResponseEntry {
        call: text(&f.call),
        voicemail: text(&f.voicemail),
        email: text(&f.email),
        chat: text(&f.chat),
        urgent: text(&f.urgent),
    });
    terms.urgent_out_of_hours = Some(f.urgent_out_of_hours.is_some());
    terms.after_hours_surcharge_pct = Some(pct);
    terms.cancellation_notice = text(&f.cancellation_notice);
    Ok(())
}
