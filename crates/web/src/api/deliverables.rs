//! Deliverables, input requests and ratings over the API: the same desk use-cases as the
//! command line and the pages; the token's member is who acts.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use frontdesk_core::Handle;
use frontdesk_core::deliverable::{Deliverable, DeliverableError, InputRequest, days_on_hold_at};
use frontdesk_core::rating::Rating;
use frontdesk_desk::deliverables::{self, DeliverableFail};
use frontdesk_desk::ratings::RatingFail;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

/// A deliverable with its input requests and its days on hold so far.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DeliverableObject {
    /// id, client, name, goal, due, original_due, member, state (active, on_hold, done),
    /// held_since, held_days.
    #[schema(value_type = Object)]
    #[serde(flatten)]
    pub deliverable: serde_json::Value,
    pub days_on_hold: i64,
    /// Each: id, deliverable, items (text, received), by, missed.
    #[schema(value_type = Vec<Object>)]
    pub requests: Vec<serde_json::Value>,
}

fn object(
    d: &Deliverable,
    requests: &[InputRequest],
    practice: &frontdesk_core::Practice,
    now: jiff::Timestamp,
) -> DeliverableObject {
    DeliverableObject {
        deliverable: serde_json::to_value(d).unwrap_or_default(),
        days_on_hold: days_on_hold_at(practice, d, now),
        requests: requests
            .iter()
            .filter(|r| r.deliverable == d.id)
            .map(|r| serde_json::to_value(r).unwrap_or_default())
            .collect(),
    }
}

fn fail(e: DeliverableFail) -> ApiError {
    match e {
        DeliverableFail::Refused(e @ DeliverableError::Done(_)) => {
            ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string())
        }
        DeliverableFail::Refused(e) => ApiError::invalid(e.to_string()),
        DeliverableFail::Store(frontdesk_store::StoreError::Refused(m)) => ApiError::not_found(m),
        DeliverableFail::Store(e) => e.into(),
    }
}

fn date(field: &str, value: &str) -> Result<jiff::civil::Date, ApiError> {
    value
        .parse()
        .map_err(|_| ApiError::invalid(format!("{field}: {value:?} is not a date (YYYY-MM-DD)")))
}

#[utoipa::path(get, path = "/api/v1/deliverables",
    responses((status = 200, body = Vec<DeliverableObject>), (status = 401, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_deliverables(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<DeliverableObject>>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let requests = store.input_requests(user.practice)?;
            Ok(Json(
                store
                    .deliverables(user.practice)?
                    .iter()
                    .filter(|d| {
                        practice
                            .clients_of(&user.member)
                            .any(|c| c.handle == d.client)
                    })
                    .map(|d| object(d, &requests, &practice, now))
                    .collect(),
            ))
        })
        .await
}

/// A deliverable to record.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct DeliverableWrite {
    pub client: String,
    pub name: String,
    /// The goal agreed at the start.
    pub goal: String,
    /// YYYY-MM-DD.
    pub due: String,
}

#[utoipa::path(post, path = "/api/v1/deliverables", request_body = DeliverableWrite,
    responses((status = 201, body = DeliverableObject), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_add_deliverable(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<DeliverableWrite>,
) -> Result<(StatusCode, Json<DeliverableObject>), ApiError> {
    let client =
        Handle::parse(&body.client).map_err(|e| ApiError::invalid(format!("client: {e}")))?;
    let due = date("due", &body.due)?;
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let d = deliverables::add(
                store,
                user.practice,
                &practice,
                &client,
                &body.name,
                &body.goal,
                due,
                &user.member,
                now,
            )
            .map_err(fail)?;
            Ok((StatusCode::CREATED, Json(object(&d, &[], &practice, now))))
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/deliverables/{id}/done",
    params(("id" = i64, Path, description = "The deliverable's number")),
    responses((status = 200, body = DeliverableObject), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_deliverable_done(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<DeliverableObject>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    let public_url = state.public_url().to_string();
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            // The client is asked to rate it against its goal.
            let d = deliverables::done_and_ask_rating(
                store,
                user.practice,
                &practice,
                id,
                &user.member,
                &public_url,
                now,
            )
            .map_err(fail)?;
            let requests = store.input_requests(user.practice)?;
            Ok(Json(object(&d, &requests, &practice, now)))
        })
        .await
}

/// What the client must provide, by when.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct InputWrite {
    pub items: Vec<String>,
    /// YYYY-MM-DD.
    pub by: String,
}

#[utoipa::path(post, path = "/api/v1/deliverables/{id}/requests",
    params(("id" = i64, Path, description = "The deliverable's number")),
    request_body = InputWrite,
    responses((status = 201, body = Object), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_request_input(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<InputWrite>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let by = date("by", &body.by)?;
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let r = deliverables::request(
                store,
                user.practice,
                &practice,
                id,
                &body.items,
                by,
                &user.member,
                now,
            )
            .map_err(fail)?;
            Ok((
                StatusCode::CREATED,
                Json(serde_json::to_value(&r).unwrap_or_default()),
            ))
        })
        .await
}

#[utoipa::path(post, path = "/api/v1/requests/{id}/items/{item}/received",
    params(("id" = i64, Path, description = "The input request's number"),
           ("item" = usize, Path, description = "The item's place, from 1")),
    responses((status = 200, body = DeliverableObject), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_item_received(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, item)): Path<(i64, usize)>,
) -> Result<Json<DeliverableObject>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let (r, d) = deliverables::received(
                store,
                user.practice,
                &practice,
                id,
                item,
                &user.member,
                now,
            )
            .map_err(fail)?;
            Ok(Json(object(&d, &[r], &practice, now)))
        })
        .await
}

/// A rating asked of a client.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RatingObject {
    pub id: i64,
    pub client: String,
    pub deliverable: Option<i64>,
    pub goal: String,
    pub requested: String,
    /// 1–10, once given.
    pub score: Option<u8>,
    pub comment: Option<String>,
    pub rated: Option<String>,
    pub revoked: bool,
    /// The link to send the client (only when just asked; never kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

fn rating_object(r: &Rating, link: Option<String>) -> RatingObject {
    RatingObject {
        id: r.id,
        client: r.client.to_string(),
        deliverable: r.deliverable,
        goal: r.goal.clone(),
        requested: r.requested.to_string(),
        score: r.score,
        comment: r.comment.clone(),
        rated: r.rated.map(|t| t.to_string()),
        revoked: r.revoked,
        link,
    }
}

#[utoipa::path(get, path = "/api/v1/ratings",
    responses((status = 200, body = Vec<RatingObject>), (status = 401, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_ratings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<RatingObject>>, ApiError> {
    let s = state.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            Ok(Json(
                store
                    .ratings(user.practice, None)?
                    .iter()
                    .filter(|r| {
                        practice
                            .clients_of(&user.member)
                            .any(|c| c.handle == r.client)
                    })
                    .map(|r| rating_object(r, None))
                    .collect(),
            ))
        })
        .await
}

/// A rating to ask: of a deliverable (its goal), or of the period's work against `goal`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
pub struct RatingWrite {
    pub client: String,
    #[serde(default)]
    pub deliverable: Option<i64>,
    #[serde(default)]
    pub goal: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/ratings", request_body = RatingWrite,
    responses((status = 201, body = RatingObject), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_request_rating(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<RatingWrite>,
) -> Result<(StatusCode, Json<RatingObject>), ApiError> {
    let client =
        Handle::parse(&body.client).map_err(|e| ApiError::invalid(format!("client: {e}")))?;
    let (s, now) = (state.clone(), state.now());
    let public_url = state.public_url().to_string();
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let (r, link) = frontdesk_desk::ratings::request(
                store,
                user.practice,
                &practice,
                &client,
                body.deliverable,
                body.goal.as_deref(),
                &public_url,
                &user.member,
                now,
            )
            .map_err(|e| match e {
                RatingFail::Refused(e) => ApiError::invalid(e.to_string()),
                RatingFail::Store(frontdesk_store::StoreError::Refused(m)) => {
                    ApiError::not_found(m)
                }
                RatingFail::Store(e) => e.into(),
            })?;
            Ok((StatusCode::CREATED, Json(rating_object(&r, Some(link)))))
        })
        .await
}

#[derive(OpenApi)]
#[openapi(
    paths(
        api_deliverables,
        api_add_deliverable,
        api_deliverable_done,
        api_request_input,
        api_item_received,
        api_ratings,
        api_request_rating
    ),
    components(schemas(
        DeliverableObject,
        DeliverableWrite,
        InputWrite,
        RatingObject,
        RatingWrite
    ))
)]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/deliverables",
            get(api_deliverables).post(api_add_deliverable),
        )
        .route("/api/v1/deliverables/{id}/done", post(api_deliverable_done))
        .route(
            "/api/v1/deliverables/{id}/requests",
            post(api_request_input),
        )
        .route(
            "/api/v1/requests/{id}/items/{item}/received",
            post(api_item_received),
        )
        .route("/api/v1/ratings", get(api_ratings).post(api_request_rating))
}
