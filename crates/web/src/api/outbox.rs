//! The outbox over the API, for owners and managers; the outbox page uses the same reads.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use frontdesk_desk::contract::OutboxObject;
use frontdesk_store::{Principal, Queued};
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

/// How many messages a page or an API call lists at most.
const LIMIT: usize = 200;

/// The practice's messages, if the member oversees the practice; 403 otherwise.
pub(crate) async fn list(
    state: &AppState,
    user: &Principal,
    all: bool,
) -> Result<Vec<Queued>, ApiError> {
    let s = state.clone();
    let u = user.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, u.practice)?;
            if !practice.oversees(&u.member) {
                return Err(forbidden());
            }
            Ok(store.outbox(u.practice, !all, LIMIT)?)
        })
        .await
}

fn forbidden() -> ApiError {
    ApiError::forbidden("only owners and managers see the outbox")
}

pub(crate) async fn retry(state: &AppState, user: &Principal, id: i64) -> Result<(), ApiError> {
    let s = state.clone();
    let u = user.clone();
    let now = state.now();
    state
        .db(move |store| {
            let practice = s.practice(store, u.practice)?;
            if !practice.oversees(&u.member) {
                return Err(forbidden());
            }
            if store.outbox_retry(u.practice, id, now)? {
                Ok(())
            } else {
                Err(ApiError::not_found(format!("no unsent message {id}")))
            }
        })
        .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Also the messages already sent (default: only those pending or dead).
    pub all: Option<bool>,
}

/// The outbox, newest first (owners and managers).
#[utoipa::path(get, path = "/api/v1/outbox", params(OutboxQuery),
    responses((status = 200, body = Vec<OutboxObject>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<OutboxQuery>,
) -> Result<Json<Vec<OutboxObject>>, ApiError> {
    let list = list(&state, &user, q.all.unwrap_or(false)).await?;
    Ok(Json(list.iter().map(OutboxObject::new).collect()))
}

/// Sends an unsent message again at the next delivery, attempts counted anew.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry",
    params(("id" = i64, Path, description = "The message's number")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_retry(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    retry(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(OpenApi)]
#[openapi(paths(api_list, api_retry), components(schemas(OutboxObject)))]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/outbox", get(api_list))
        .route("/api/v1/outbox/{id}/retry", post(api_retry))
}
