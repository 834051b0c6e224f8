//! Edits of the practice from forms and the API: typed changes to the practice file
//! (`frontdesk_practice::edit`), validated as `frontdesk apply` validates, then applied.

use frontdesk_core::{Handle, Practice};
use frontdesk_practice::{FileError, PracticeFile, ResponseEntry, TermsEntry};
use serde::Deserialize;

use crate::state::AppState;

/// Applies an edited or parsed practice. `Err` is the store's refusal (a removed client with
/// contacts, …); nothing is written then.
pub(crate) async fn apply_practice(state: &AppState, updated: Practice) -> Result<(), String> {
    let result = state.db(move |store| Ok(store.apply(&updated)?)).await;
    state.forget_practices();
    result.map(|_| ()).map_err(|e| e.message)
}

/// The form's fields, as the practice file writes them.
#[derive(Debug, Default, Deserialize)]
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
