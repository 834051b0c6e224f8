//! The practice over the API: its file (owners and managers) and the dashboard's figures.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use frontdesk_core::stats::percentile;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

/// The practice's settings as a practice file.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeFileObject {
    /// TOML, as `frontdesk export` prints and `frontdesk apply` reads.
    pub file: String,
}

/// A response with the practice's version as its ETag.
fn with_version(
    practice: &frontdesk_core::Practice,
    body: Json<PracticeFileObject>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let tag = format!("\"{}\"", crate::edits::version(practice));
    ([(axum::http::header::ETAG, tag)], body).into_response()
}

/// The practice file (export; owners and managers: it holds every client's people). Its
/// `ETag` is the practice's version: send it back as `If-Match` with a `PUT` so that the
/// write cannot undo a change made since.
#[utoipa::path(get, path = "/api/v1/practice",
    responses((status = 200, body = PracticeFileObject), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn get_practice(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<axum::response::Response, ApiError> {
    let practice = practice_of(&state, &user).await?;
    if !practice.oversees(&user.member) {
        return Err(ApiError::forbidden(
            "only owners and managers read the whole practice file",
        ));
    }
    Ok(with_version(
        &practice,
        Json(PracticeFileObject {
            file: frontdesk_practice::render(&practice),
        }),
    ))
}

/// Applies a practice file (owners and managers); errors name the field, nothing is written.
/// With `If-Match: "version"` (the `ETag` of a GET) a practice changed since is refused (412).
/// Only an owner changes roles, and the last owner stays (403).
#[utoipa::path(put, path = "/api/v1/practice",
    request_body = PracticeFileObject,
    params(("If-Match" = Option<String>, Header, description = "The practice's version as a GET gave it (its ETag)")),
    responses((status = 200, body = PracticeFileObject), (status = 403, body = ErrorBody), (status = 412, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn put_practice(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<PracticeFileObject>,
) -> Result<axum::response::Response, ApiError> {
    let practice = practice_of(&state, &user).await?;
    if !practice.oversees(&user.member) {
        return Err(ApiError::forbidden(
            "only owners and managers change the practice",
        ));
    }
    let parsed =
        frontdesk_practice::parse(&body.file).map_err(|e| ApiError::invalid(e.to_string()))?;
    if parsed.settings().name != practice.settings().name {
        return Err(ApiError::invalid(format!(
            "practice.name: {:?} is not this practice ({:?})",
            parsed.settings().name,
            practice.settings().name
        )));
    }
    let expected = headers
        .get(axum::http::header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().trim_matches('"').to_string());
    let practice = crate::edits::edit_practice(
        &state,
        user.practice,
        user.member.clone(),
        expected,
        move |_| Ok(parsed.clone()),
    )
    .await?;
    Ok(with_version(
        &practice,
        Json(PracticeFileObject {
            file: frontdesk_practice::render(&practice),
        }),
    ))
}

/// One week of one client.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WeekObject {
    pub client: String,
    /// The Monday of the owner's week.
    pub week: String,
    pub in_hours: u32,
    pub out_of_hours: u32,
    pub adhoc_calls: u32,
}

/// Response times of one channel (or "urgent"), in working seconds.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ResponseStats {
    pub channel: String,
    pub answered: usize,
    pub median_seconds: i64,
    pub p90_seconds: i64,
}

/// What the dashboard draws.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DashboardObject {
    pub weeks: Vec<WeekObject>,
    pub responses: Vec<ResponseStats>,
    pub overdue: u64,
}

/// The dashboard's figures for the last 12 weeks (a member's: their clients' and contacts').
#[utoipa::path(get, path = "/api/v1/dashboard",
    responses((status = 200, body = DashboardObject), (status = 401, body = ErrorBody)),
    security(("token" = [])))]
pub async fn dashboard(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<DashboardObject>, ApiError> {
    let s = state.clone();
    let u = user.clone();
    let f = state
        .db(move |store| {
            let practice = s.practice(store, u.practice)?;
            crate::charts::figures(store, &practice, u.practice, &u.member, s.now())
        })
        .await?;
    let weeks = f
        .weeks
        .iter()
        .map(|w| WeekObject {
            client: w.client.to_string(),
            week: w.week.to_string(),
            in_hours: w.in_hours,
            out_of_hours: w.out_of_hours,
            adhoc_calls: w.adhoc_calls,
        })
        .collect();
    let mut by_channel: std::collections::BTreeMap<(usize, &str), Vec<jiff::SignedDuration>> =
        Default::default();
    for r in &f.responses {
        by_channel
            .entry(crate::charts::channel_key(r))
            .or_default()
            .push(r.working);
    }
    let responses = by_channel
        .into_iter()
        .map(|((_, channel), v)| ResponseStats {
            answered: v.len(),
            median_seconds: percentile(&v, 50.0).map_or(0, |d| d.as_secs()),
            p90_seconds: percentile(&v, 90.0).map_or(0, |d| d.as_secs()),
            channel: channel.to_string(),
        })
        .collect();
    let overdue = f.overdue;
    Ok(Json(DashboardObject {
        weeks,
        responses,
        overdue,
    }))
}

#[derive(OpenApi)]
#[openapi(
    paths(get_practice, put_practice, dashboard),
    components(schemas(PracticeFileObject, DashboardObject, WeekObject, ResponseStats))
)]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/practice", get(get_practice).put(put_practice))
        .route("/api/v1/dashboard", get(dashboard))
}
