//! Subscribed calendar feeds over the API: a member's own (every one for owners and
//! managers), and unsubscribing one. A feed's address is shown without its secret path.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use frontdesk_store::{BusySource, Principal};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

/// A subscribed calendar feed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct FeedObject {
    pub id: i64,
    pub member: String,
    /// Where the feed lives, without the secret part of its address.
    pub host: String,
    /// When it was last fetched (RFC 3339), and what went wrong then.
    pub checked: Option<String>,
    pub error: Option<String>,
}

/// The practice's feeds the member may manage: their own, or all for owners and managers.
fn visible(
    store: &crate::state::DynStore,
    practice: &frontdesk_core::Practice,
    user: &Principal,
) -> Result<Vec<BusySource>, ApiError> {
    Ok(store
        .busy_sources()?
        .into_iter()
        .filter(|f| f.practice == user.practice && practice.may_manage(&user.member, &f.member))
        .collect())
}

/// The calendar feeds the member may manage.
#[utoipa::path(get, path = "/api/v1/busy-feeds",
    responses((status = 200, body = Vec<FeedObject>), (status = 401, body = ErrorBody)),
    security(("token" = [])))]
pub async fn list_feeds(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<FeedObject>>, ApiError> {
    let s = state.clone();
    let feeds = state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            visible(store, &practice, &user)
        })
        .await?;
    Ok(Json(
        feeds
            .into_iter()
            .map(|f| FeedObject {
                id: f.id,
                member: f.member.to_string(),
                host: frontdesk_desk::busy::feed_host(&f.url),
                checked: f.checked.map(|t| t.to_string()),
                error: f.error,
            })
            .collect(),
    ))
}

/// Unsubscribes a feed: it and the busy times it gave go (its member, owners and managers).
#[utoipa::path(delete, path = "/api/v1/busy-feeds/{id}",
    params(("id" = i64, Path, description = "The feed's number")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let s = state.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            if !visible(store, &practice, &user)?.iter().any(|f| f.id == id) {
                return Err(ApiError::not_found(format!("no feed {id} of yours")));
            }
            store.remove_busy_source(user.practice, id)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(OpenApi)]
#[openapi(paths(list_feeds, unsubscribe), components(schemas(FeedObject)))]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/busy-feeds", get(list_feeds))
        .route(
            "/api/v1/busy-feeds/{id}",
            axum::routing::delete(unsubscribe),
        )
}
