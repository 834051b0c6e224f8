//! Briefs and the audit log over the API: the same desk use-cases as the command line and the
//! pages (`frontdesk_desk::briefs`), refusals as 409 or 422 with the core's words.

use axum::extract::{Path, Query, State};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use frontdesk_core::Handle;
use frontdesk_core::brief::{Brief, BriefError, Content, OpenItem};
use frontdesk_desk::briefs::{self, BriefFail};
use frontdesk_store::BriefAct;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

/// An open item of a brief.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct OpenItemObject {
    pub text: String,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    #[serde(default)]
    pub done: bool,
}

/// What a brief says.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ContentObject {
    pub status: String,
    pub open_items: Vec<OpenItemObject>,
    pub promises: String,
    pub waiting_for: String,
    pub people: String,
    pub may_promise: String,
    pub must_not_promise: String,
    pub material: String,
    pub tell_client: bool,
}

/// A question of the cover's and its answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct QuestionObject {
    pub asked_by: String,
    pub asked: String,
    pub question: String,
    pub answer: Option<String>,
    pub answered: Option<String>,
}

/// A brief.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BriefObject {
    pub id: i64,
    pub member: String,
    pub absence_from: String,
    pub client: String,
    pub cover: String,
    pub version: u32,
    /// waiting, question or acknowledged.
    pub state: String,
    pub content: ContentObject,
    pub questions: Vec<QuestionObject>,
}

impl BriefObject {
    fn new(b: &Brief) -> BriefObject {
        let c = &b.content;
        BriefObject {
            id: b.id,
            member: b.member.to_string(),
            absence_from: b.absence_from.to_string(),
            client: b.client.to_string(),
            cover: b.cover.to_string(),
            version: b.version,
            state: b.state.as_str().to_string(),
            content: ContentObject {
                status: c.status.clone(),
                open_items: c
                    .open_items
                    .iter()
                    .map(|i| OpenItemObject {
                        text: i.text.clone(),
                        due: i.due.map(|d| d.to_string()),
                        done: i.done,
                    })
                    .collect(),
                promises: c.promises.clone(),
                waiting_for: c.waiting_for.clone(),
                people: c.people.clone(),
                may_promise: c.may_promise.clone(),
                must_not_promise: c.must_not_promise.clone(),
                material: c.material.clone(),
                tell_client: c.tell_client,
            },
            questions: b
                .questions
                .iter()
                .map(|q| QuestionObject {
                    asked_by: q.asked_by.to_string(),
                    asked: q.asked.to_string(),
                    question: q.text.clone(),
                    answer: q.answer.clone(),
                    answered: q.answered.map(|a| a.to_string()),
                })
                .collect(),
        }
    }
}

/// One client of an absence.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct BriefRowObject {
    pub client: String,
    /// A contact, meeting or standing call in the last 8 weeks: a brief is expected.
    pub needed: bool,
    pub handed_over: bool,
    pub brief: Option<BriefObject>,
}

/// An absence and its briefs.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AbsenceBriefsObject {
    pub member: String,
    pub from: String,
    pub until: String,
    pub cover: String,
    pub clients: Vec<BriefRowObject>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BriefsQuery {
    /// Only this member's absences.
    pub member: Option<String>,
    /// Only the absence starting on this day (YYYY-MM-DD).
    pub from: Option<String>,
}

fn fail(e: BriefFail) -> ApiError {
    match e {
        BriefFail::Refused(
            e @ (BriefError::TooLong(_)
            | BriefError::BadItem(_)
            | BriefError::Empty
            | BriefError::BadText),
        ) => ApiError::invalid(e.to_string()),
        BriefFail::Refused(e @ BriefError::NoAbsence(..)) => ApiError::not_found(e.to_string()),
        BriefFail::Refused(e) => {
            ApiError::new(axum::http::StatusCode::CONFLICT, "conflict", e.to_string())
        }
        BriefFail::Store(e) => e.into(),
    }
}

/// The absences of the practice (or one member's, or one), each with its clients' briefs.
#[utoipa::path(get, path = "/api/v1/briefs", params(BriefsQuery),
    responses((status = 200, body = Vec<AbsenceBriefsObject>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_briefs(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<BriefsQuery>,
) -> Result<Json<Vec<AbsenceBriefsObject>>, ApiError> {
    let member = q
        .member
        .as_deref()
        .map(Handle::parse)
        .transpose()
        .map_err(|e| ApiError::invalid(format!("member: {e}")))?;
    let from = q
        .from
        .as_deref()
        .map(frontdesk_core::bounds::date)
        .transpose()
        .map_err(|e| ApiError::invalid(format!("from: {e}")))?;
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let mut out = Vec::new();
            for a in practice.absences().iter().filter(|a| {
                member.as_ref().is_none_or(|m| a.member == *m) && from.is_none_or(|f| a.from == f)
            }) {
                let (_, rows) =
                    briefs::list(store, user.practice, &practice, &a.member, a.from, now)
                        .map_err(fail)?;
                // Only the member who is away, its covers and those who oversee read it.
                let covers: Vec<&Handle> = rows
                    .iter()
                    .filter_map(|r| r.brief.as_ref().map(|b| &b.cover))
                    .collect();
                if !frontdesk_core::brief::may_read(&practice, a, &covers, &user.member) {
                    continue;
                }
                out.push(AbsenceBriefsObject {
                    member: a.member.to_string(),
                    from: a.from.to_string(),
                    until: a.until.to_string(),
                    cover: a.cover.to_string(),
                    clients: rows
                        .iter()
                        .map(|r| BriefRowObject {
                            client: r.client.to_string(),
                            needed: r.needed,
                            handed_over: r.handed_over(),
                            brief: r.brief.as_ref().map(BriefObject::new),
                        })
                        .collect(),
                });
            }
            Ok(Json(out))
        })
        .await
}

/// A brief to write: its content, and its cover for this client (default: the absence's).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BriefWrite {
    pub cover: Option<String>,
    pub content: ContentObject,
}

/// Writes (or writes again) the brief of a client for an absence, as the token's member.
#[utoipa::path(put, path = "/api/v1/briefs/{member}/{from}/{client}",
    params(("member" = String, Path, description = "Who is away"),
           ("from" = String, Path, description = "The absence's first day"),
           ("client" = String, Path, description = "The client's handle")),
    request_body = BriefWrite,
    responses((status = 200, body = BriefObject), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_write_brief(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((member, from, client)): Path<(String, String, String)>,
    ApiJson(body): ApiJson<BriefWrite>,
) -> Result<Json<BriefObject>, ApiError> {
    let member = Handle::parse(&member).map_err(|e| ApiError::not_found(e.to_string()))?;
    let client = Handle::parse(&client).map_err(|e| ApiError::not_found(e.to_string()))?;
    let from =
        frontdesk_core::bounds::date(&from).map_err(|e| ApiError::not_found(e.to_string()))?;
    let cover = body
        .cover
        .as_deref()
        .map(Handle::parse)
        .transpose()
        .map_err(|e| ApiError::invalid(format!("cover: {e}")))?;
    let c = body.content;
    let mut items = Vec::new();
    for (i, item) in c.open_items.iter().enumerate() {
        let due = item
            .due
            .as_deref()
            .map(frontdesk_core::bounds::date)
            .transpose()
            .map_err(|e| ApiError::invalid(format!("content.open_items[{i}].due: {e}")))?;
        items.push(OpenItem {
            text: item.text.clone(),
            due,
            done: item.done,
        });
    }
    let content = Content {
        status: c.status,
        open_items: items,
        promises: c.promises,
        waiting_for: c.waiting_for,
        people: c.people,
        may_promise: c.may_promise,
        must_not_promise: c.must_not_promise,
        material: c.material,
        tell_client: c.tell_client,
    };
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let b = briefs::write(
                store,
                user.practice,
                &practice,
                &user.member,
                &member,
                from,
                &client,
                cover.as_ref(),
                &content,
                now,
            )
            .map_err(fail)?;
            Ok(Json(BriefObject::new(&b)))
        })
        .await
}

/// A question or an answer.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BriefText {
    pub text: String,
}

async fn act(
    state: AppState,
    user: frontdesk_store::Principal,
    id: i64,
    what: BriefAct,
) -> Result<Json<BriefObject>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let b = briefs::act(store, user.practice, &practice, &user.member, id, what, now)
                .map_err(fail)?;
            Ok(Json(BriefObject::new(&b)))
        })
        .await
}

/// The cover acknowledges brief `id`: handed over.
#[utoipa::path(post, path = "/api/v1/brief/{id}/ack",
    params(("id" = i64, Path, description = "The brief's number")),
    responses((status = 200, body = BriefObject), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_ack_brief(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<BriefObject>, ApiError> {
    act(state, user, id, BriefAct::Acknowledge).await
}

/// The cover asks about brief `id`; it waits for the answer.
#[utoipa::path(post, path = "/api/v1/brief/{id}/ask",
    params(("id" = i64, Path, description = "The brief's number")), request_body = BriefText,
    responses((status = 200, body = BriefObject), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_ask_brief(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<BriefText>,
) -> Result<Json<BriefObject>, ApiError> {
    act(state, user, id, BriefAct::Ask(body.text)).await
}

/// The absent member answers the cover's question on brief `id`.
#[utoipa::path(post, path = "/api/v1/brief/{id}/answer",
    params(("id" = i64, Path, description = "The brief's number")), request_body = BriefText,
    responses((status = 200, body = BriefObject), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_answer_brief(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<BriefText>,
) -> Result<Json<BriefObject>, ApiError> {
    act(state, user, id, BriefAct::Answer(body.text)).await
}

/// Whether the audit log is intact.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct AuditObject {
    pub ok: bool,
    pub entries: usize,
    /// Where the chain breaks, when it does.
    pub error: Option<String>,
}

/// Verifies the practice's audit log (owners and managers).
#[utoipa::path(get, path = "/api/v1/audit",
    responses((status = 200, body = AuditObject), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_audit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<AuditObject>, ApiError> {
    let s = state.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            if !practice.oversees(&user.member) {
                return Err(ApiError::forbidden(
                    "only owners and managers read the audit log",
                ));
            }
            let (entries, head) = store.audit(user.practice)?;
            let n = entries.len();
            Ok(Json(match frontdesk_core::audit::verify(&entries, head) {
                Ok(()) => AuditObject {
                    ok: true,
                    entries: n,
                    error: None,
                },
                Err(e) => AuditObject {
                    ok: false,
                    entries: n,
                    error: Some(e.to_string()),
                },
            }))
        })
        .await
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api_briefs,
        api_write_brief,
        api_ack_brief,
        api_ask_brief,
        api_answer_brief,
        api_audit
    ),
    components(schemas(
        AbsenceBriefsObject,
        BriefRowObject,
        BriefObject,
        ContentObject,
        OpenItemObject,
        QuestionObject,
        BriefWrite,
        BriefText,
        AuditObject
    ))
)]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/briefs", get(api_briefs))
        .route(
            "/api/v1/briefs/{member}/{from}/{client}",
            put(api_write_brief),
        )
        .route("/api/v1/brief/{id}/ack", post(api_ack_brief))
        .route("/api/v1/brief/{id}/ask", post(api_ask_brief))
        .route("/api/v1/brief/{id}/answer", post(api_answer_brief))
        .route("/api/v1/audit", get(api_audit))
}
