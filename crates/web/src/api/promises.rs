//! The promise register over the API: the same desk use-cases as the command line and the
//! pages (`frontdesk_desk::promises`); the token's member is who promises or decides.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use frontdesk_core::Handle;
use frontdesk_core::promise::{Act, Kind, NewPromise, Promise, PromiseError, State as PState};
use frontdesk_desk::promises::{self, PromiseFail};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

/// A promise to a client.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PromiseObject {
    pub id: i64,
    pub client: String,
    /// The contact it answers.
    pub contact: Option<i64>,
    /// delivery, callback, refund, discount, earlier_date, senior_call, scope_change.
    pub kind: String,
    pub what: String,
    /// By when (YYYY-MM-DD).
    pub due: String,
    /// Who promised.
    pub by: String,
    /// pending (waiting for approval), open, refused, kept.
    pub state: String,
    /// Open and past its date.
    pub overdue: bool,
    pub decided_by: Option<String>,
    pub note: Option<String>,
    /// While pending: what to tell the client instead of promising, in their language.
    pub suggested_reply: Option<String>,
}

fn object(p: &Promise, practice: &frontdesk_core::Practice, now: jiff::Timestamp) -> PromiseObject {
    let language = practice
        .client(&p.client)
        .map_or(practice.settings().language, |c| c.language);
    PromiseObject {
        id: p.id,
        client: p.client.to_string(),
        contact: p.contact,
        kind: p.kind.as_str().to_string(),
        what: p.what.clone(),
        due: p.due.to_string(),
        by: p.by.to_string(),
        state: p.state.as_str().to_string(),
        overdue: frontdesk_core::promise::overdue(practice, p, now),
        decided_by: p.decided_by.as_ref().map(|h| h.to_string()),
        note: p.note.clone(),
        suggested_reply: (p.state == PState::Pending)
            .then(|| frontdesk_core::promise::confirm_by(language, p.due)),
    }
}

fn fail(e: PromiseFail) -> ApiError {
    match e {
        PromiseFail::Refused(
            e @ (PromiseError::Empty
            | PromiseError::TooLong
            | PromiseError::DueInPast { .. }
            | PromiseError::UnknownClient(_)),
        ) => ApiError::invalid(e.to_string()),
        PromiseFail::Refused(e) => {
            ApiError::new(axum::http::StatusCode::CONFLICT, "conflict", e.to_string())
        }
        PromiseFail::Store(frontdesk_store::StoreError::Refused(m)) if m.contains("no such") => {
            ApiError::not_found(m)
        }
        PromiseFail::Store(e) => e.into(),
    }
}

#[utoipa::path(get, path = "/api/v1/promises",
    responses((status = 200, body = Vec<PromiseObject>), (status = 401, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_promises(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<PromiseObject>>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let list = promises::list(store, user.practice, &practice, &user.member, None)?;
            Ok(Json(
                list.iter().map(|p| object(p, &practice, now)).collect(),
            ))
        })
        .await
}

/// A promise to record, made by the token's member.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct PromiseWrite {
    pub client: String,
    /// delivery (default), callback, refund, discount, earlier_date, senior_call, scope_change.
    #[serde(default)]
    pub kind: Option<String>,
    pub what: String,
    /// YYYY-MM-DD.
    pub due: String,
    #[serde(default)]
    pub contact: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/promises", request_body = PromiseWrite,
    responses((status = 201, body = PromiseObject), (status = 401, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_add_promise(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<PromiseWrite>,
) -> Result<(axum::http::StatusCode, Json<PromiseObject>), ApiError> {
    let client =
        Handle::parse(&body.client).map_err(|e| ApiError::invalid(format!("client: {e}")))?;
    let kind = match body.kind.as_deref() {
        None => Kind::Delivery,
        Some(k) => Kind::parse(k).ok_or_else(|| {
            ApiError::invalid(format!(
                "kind: {k:?} is not delivery, callback, refund, discount, earlier_date, senior_call or scope_change"
            ))
        })?,
    };
    let due = body.due.parse::<jiff::civil::Date>().map_err(|_| {
        ApiError::invalid(format!("due: {:?} is not a date (YYYY-MM-DD)", body.due))
    })?;
    let new = NewPromise {
        client,
        contact: body.contact,
        kind,
        what: body.what,
        due,
        by: user.member.clone(),
    };
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let p = promises::record(store, user.practice, &practice, &new, now).map_err(fail)?;
            Ok((
                axum::http::StatusCode::CREATED,
                Json(object(&p, &practice, now)),
            ))
        })
        .await
}

/// A manager's note on an approval or a refusal.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct PromiseNote {
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/promises/{id}/{act}",
    params(("id" = i64, Path, description = "The promise's number"),
           ("act" = String, Path, description = "approve, refuse or kept")),
    request_body = PromiseNote,
    responses((status = 200, body = PromiseObject), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_promise_act(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, act)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> Result<Json<PromiseObject>, ApiError> {
    // The body is optional: `{"note": "…"}` for an approval or a refusal.
    let note = if body.iter().all(u8::is_ascii_whitespace) {
        String::new()
    } else {
        serde_json::from_slice::<PromiseNote>(&body)
            .map_err(|e| ApiError::invalid(format!("body: {e}")))?
            .note
    };
    let act = match act.as_str() {
        "approve" => Act::Approve(note),
        "refuse" => Act::Refuse(note),
        "kept" => Act::Keep,
        _ => return Err(ApiError::not_found(format!("no action {act:?}"))),
    };
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let p = promises::act(store, user.practice, &practice, id, &act, &user.member, now)
                .map_err(fail)?;
            Ok(Json(object(&p, &practice, now)))
        })
        .await
}

#[derive(OpenApi)]
#[openapi(
    paths(api_promises, api_add_promise, api_promise_act),
    components(schemas(PromiseObject, PromiseWrite, PromiseNote))
)]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/promises", get(api_promises).post(api_add_promise))
        .route("/api/v1/promises/{id}/{act}", post(api_promise_act))
}
