//! Contacts over the API: record them, read them, answer them, and the inbox.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use frontdesk_core::{Channel, Handle, Inbound};
use frontdesk_desk::contract::{ContactObject, DecisionObject, InboxLine};
use frontdesk_store::{ContactId, Principal, Recorded};
use jiff::Timestamp;
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::state::{AppState, Event};

use super::*;

/// A contact as a script reports it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    /// The client's handle.
    pub client: String,
    /// call, voicemail, email or chat.
    pub channel: String,
    /// Who sent it: an email address or a phone number.
    pub from: String,
    /// When it arrived (RFC 3339 with an offset; default: now).
    pub at: Option<String>,
    /// What it says.
    pub body: Option<String>,
}

impl ContactRequest {
    fn inbound(self, now: Timestamp) -> Result<Inbound, ApiError> {
        let client =
            Handle::parse(&self.client).map_err(|e| ApiError::invalid(format!("client: {e}")))?;
        let channel = Channel::parse(&self.channel)
            .map_err(|e| ApiError::invalid(format!("channel: {e}")))?;
        let from = frontdesk_core::sender(&self.from)
            .map_err(|e| ApiError::invalid(format!("from: {e}")))?;
        let at = match &self.at {
            None => now,
            Some(a) => frontdesk_core::bounds::instant(a)
                .map_err(|e| ApiError::invalid(format!("at: {e}")))?,
        };
        Ok(Inbound {
            client,
            channel,
            from,
            at,
            body: self.body.filter(|b| !b.trim().is_empty()),
        })
    }
}

/// The `Idempotency-Key` header, if any: 1 to 255 visible ASCII characters.
fn idempotency_key(headers: &axum::http::HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let text = v.to_str().unwrap_or("");
    if text.is_empty() || text.len() > 255 || !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::invalid(
            "Idempotency-Key: 1 to 255 visible ASCII characters, such as a UUID",
        ));
    }
    Ok(Some(text.to_string()))
}

/// Records an inbound contact and returns the desk's decision. A system that may retry sends
/// an `Idempotency-Key` header (a UUID per contact): a retry with the same key within 24 hours
/// records nothing new and gets the first answer again.
#[utoipa::path(
    post,
    path = "/api/v1/contacts",
    params(("Idempotency-Key" = Option<String>, Header, description = "Unique per contact; a retry with the same key within 24 h gets the first answer and records nothing")),
    request_body = ContactRequest,
    responses(
        (status = 201, description = "Recorded; the decision object with the contact's id", body = DecisionObject),
        (status = 400, description = "Not JSON (code invalid_json)", body = ErrorBody),
        (status = 401, description = "No valid API token", body = ErrorBody),
        (status = 413, description = "The body is over 64 KiB (code too_large)", body = ErrorBody),
        (status = 422, description = "Unknown, missing or mistyped fields (invalid_json), or a field's value is invalid (invalid)", body = ErrorBody),
    ),
    security(("token" = []))
)]
pub async fn record_contact(
    axum::extract::State(state): axum::extract::State<AppState>,
    ApiUser(user): ApiUser,
    headers: axum::http::HeaderMap,
    ApiJson(request): ApiJson<ContactRequest>,
) -> Result<(StatusCode, Json<DecisionObject>), ApiError> {
    let now = state.now();
    let key = idempotency_key(&headers)?;
    let inbound = request.inbound(now)?;
    let practice_id = user.practice;
    let s = state.clone();
    let (recorded, new) = state
        .db(move |store| {
            let practice = s.practice(store, practice_id)?;
            if practice.client(&inbound.client).is_none() {
                return Err(ApiError::invalid(format!(
                    "client: no client {:?} in this practice",
                    inbound.client.as_str()
                )));
            }
            if let Some(key) = key {
                return Ok(frontdesk_desk::contacts::record_once(
                    store,
                    practice_id,
                    &practice,
                    &inbound,
                    &user.member,
                    &key,
                    now,
                )?);
            }
            let mut recorded = frontdesk_desk::contacts::record(
                store,
                practice_id,
                &practice,
                std::slice::from_ref(&inbound),
                frontdesk_desk::contacts::Replies::Timely(now),
            )?;
            Ok((recorded.remove(0), true))
        })
        .await?;
    if new {
        let _ = state.events.send(Event::Inbox {
            practice: practice_id,
        });
        state.wake.notify_one();
    }
    Ok((
        StatusCode::CREATED,
        Json(DecisionObject::new(Some(recorded.id.0), &recorded.decision)),
    ))
}

/// Loads a contact the member may see, or not found.
fn visible_contact(
    state: &AppState,
    store: &crate::state::DynStore,
    user: &Principal,
    id: i64,
) -> Result<Recorded, ApiError> {
    let not_found = || ApiError::not_found(format!("no contact {id}"));
    let r = store
        .contact(user.practice, ContactId(id))
        .map_err(|_| not_found())?;
    let practice = state.practice(store, user.practice)?;
    if !practice.may_see(&user.member, &r.inbound.client, &r.decision.assignee) {
        return Err(not_found());
    }
    Ok(r)
}

/// One recorded contact.
#[utoipa::path(
    get,
    path = "/api/v1/contacts/{id}",
    params(("id" = i64, Path, description = "The contact's number")),
    responses(
        (status = 200, body = ContactObject),
        (status = 404, description = "No such contact in the token's practice", body = ErrorBody),
    ),
    security(("token" = []))
)]
pub async fn get_contact(
    axum::extract::State(state): axum::extract::State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<ContactObject>, ApiError> {
    let s = state.clone();
    let r = state
        .db(move |store| visible_contact(&s, store, &user, id))
        .await?;
    Ok(Json(ContactObject::new(&r)))
}

/// When an answer was given.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    /// When it was answered (RFC 3339; default: now).
    pub at: Option<String>,
    /// The answer for the client: sent to them (by the medium the contact came through, in
    /// their language). Without it the answer is only recorded.
    pub text: Option<String>,
    /// Minutes of work the answer took (1 to 1440): billed as time under the client's terms.
    pub minutes: Option<i64>,
}

/// The text of an answer to send, if any (empty: only mark it answered).
pub(crate) fn answer_text(text: Option<&str>) -> Result<Option<String>, ApiError> {
    match text.filter(|t| !t.trim().is_empty()) {
        None => Ok(None),
        Some(t) => frontdesk_core::outbox::answer_text(t)
            .map(Some)
            .map_err(|e| ApiError::invalid(format!("text: {e}"))),
    }
}

/// Records the answer to a contact; the response time is kept.
#[utoipa::path(
    post,
    path = "/api/v1/contacts/{id}/reply",
    params(("id" = i64, Path, description = "The contact's number")),
    request_body = ReplyRequest,
    responses(
        (status = 200, body = ContactObject),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already answered, or answered before it arrived", body = ErrorBody),
    ),
    security(("token" = []))
)]
pub async fn reply_contact(
    axum::extract::State(state): axum::extract::State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(request): ApiJson<ReplyRequest>,
) -> Result<Json<ContactObject>, ApiError> {
    let at = match &request.at {
        None => state.now(),
        Some(a) => {
            frontdesk_core::bounds::instant(a).map_err(|e| ApiError::invalid(format!("at: {e}")))?
        }
    };
    let text = answer_text(request.text.as_deref())?;
    let minutes = match request.minutes {
        Some(m) if !(1..=1440).contains(&m) => {
            return Err(ApiError::invalid(format!(
                "minutes: {m} is not a number of minutes from 1 to 1440"
            )));
        }
        m => m.map(|m| m as u32),
    };
    let practice_id = user.practice;
    let s = state.clone();
    let r = state
        .db(move |store| {
            visible_contact(&s, store, &user, id)?;
            let practice = s.practice(store, practice_id)?;
            Ok(frontdesk_desk::contacts::answer(
                store,
                practice_id,
                &practice,
                ContactId(id),
                at,
                text.as_deref(),
                Some(&user.member),
                minutes,
            )?)
        })
        .await?;
    let _ = state.events.send(Event::Inbox {
        practice: practice_id,
    });
    state.wake.notify_one();
    Ok(Json(ContactObject::new(&r)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// The moment to judge overdue at (RFC 3339; default: now).
    pub at: Option<String>,
    /// How many contacts at most (default 50, at most 500).
    pub limit: Option<usize>,
    /// How many to skip, by due time (default 0).
    pub offset: Option<usize>,
    /// Only those whose client, sender or text contains this.
    pub q: Option<String>,
    /// Only `mine`, `overdue` or `urgent` ones.
    pub show: Option<String>,
    /// Only those of this channel (call, voicemail, email, chat).
    pub channel: Option<String>,
    /// Only this client's (a handle).
    pub client: Option<String>,
}

/// The inbox: what still needs an answer.
#[derive(Debug, serde::Serialize, Deserialize, ToSchema)]
pub struct InboxObject {
    pub at: String,
    pub open: u64,
    pub overdue: u64,
    /// How many the request's filters select in all (every page).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub matching: Option<u64>,
    pub contacts: Vec<InboxLine>,
}

/// The filters of an inbox view, as a request gives them (the API's query, the page's).
pub(crate) struct InboxFilters<'a> {
    pub q: Option<&'a str>,
    pub show: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub client: Option<&'a str>,
}

/// The store's query of an inbox view; a value that is not one is refused, naming its
/// parameter.
pub(crate) fn inbox_query(
    me: &Handle,
    f: InboxFilters<'_>,
    offset: usize,
    limit: usize,
) -> Result<frontdesk_store::InboxQuery, ApiError> {
    fn given(v: Option<&str>) -> Option<&str> {
        v.map(str::trim).filter(|v| !v.is_empty())
    }
    let show = given(f.show).unwrap_or("");
    if !matches!(show, "" | "mine" | "overdue" | "urgent") {
        return Err(ApiError::invalid(format!(
            "show: {show:?} is not one of mine, overdue, urgent"
        )));
    }
    let channel = given(f.channel)
        .map(|c| Channel::parse(c).map_err(|e| ApiError::invalid(format!("channel: {e}"))))
        .transpose()?;
    let client = given(f.client)
        .map(|c| Handle::parse(c).map_err(|e| ApiError::invalid(format!("client: {e}"))))
        .transpose()?;
    Ok(frontdesk_store::InboxQuery {
        overdue: show == "overdue",
        urgent: show == "urgent",
        assignee: (show == "mine").then(|| me.clone()),
        channel,
        client,
        search: given(f.q).map(|s| s.chars().take(200).collect()),
        offset: offset.min(10_000_000),
        limit,
    })
}

/// What still needs an answer, by due time.
#[utoipa::path(
    get,
    path = "/api/v1/inbox",
    params(InboxQuery),
    responses((status = 200, body = InboxObject), (status = 401, body = ErrorBody)),
    security(("token" = []))
)]
pub async fn inbox(
    axum::extract::State(state): axum::extract::State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<Query<InboxQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<InboxObject>, ApiError> {
    let Query(q) =
        query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid", e.body_text()))?;
    let now = match &q.at {
        None => state.now(),
        Some(a) => {
            frontdesk_core::bounds::instant(a).map_err(|e| ApiError::invalid(format!("at: {e}")))?
        }
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid(format!(
            "limit: {limit} is not from 1 to 500"
        )));
    }
    let query = inbox_query(
        &user.member,
        InboxFilters {
            q: q.q.as_deref(),
            show: q.show.as_deref(),
            channel: q.channel.as_deref(),
            client: q.client.as_deref(),
        },
        q.offset.unwrap_or(0),
        limit,
    )?;
    let s = state.clone();
    let object = state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let inbox =
                store.inbox_page(user.practice, &practice.scope(&user.member), now, &query)?;
            let contacts = inbox
                .entries
                .iter()
                .map(|e| InboxLine::new(e, now))
                .collect();
            Ok(InboxObject {
                at: now.to_string(),
                open: inbox.open,
                overdue: inbox.overdue,
                matching: Some(inbox.matching),
                contacts,
            })
        })
        .await?;
    Ok(Json(object))
}

#[derive(OpenApi)]
#[openapi(
    paths(record_contact, get_contact, reply_contact, inbox),
    components(schemas(
        ContactRequest,
        ReplyRequest,
        DecisionObject,
        ContactObject,
        InboxObject,
        InboxLine,
        ErrorBody
    ))
)]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/contacts", post(record_contact))
        .route("/api/v1/contacts/{id}", get(get_contact))
        .route("/api/v1/contacts/{id}/reply", post(reply_contact))
        .route("/api/v1/inbox", get(inbox))
}
