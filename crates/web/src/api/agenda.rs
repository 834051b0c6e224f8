//! The agenda over the API: standing calls and meetings, and what became of a meeting.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use frontdesk_core::Handle;
use serde::Deserialize;
use utoipa::{OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AgendaQuery {
    /// The first day (YYYY-MM-DD in the member's zone; default: today).
    pub from: Option<String>,
    /// How many days (1–366, default 7).
    pub days: Option<u16>,
    /// Only this client's meetings.
    pub client: Option<String>,
    /// Only this member's meetings (default: the token's member; owners and managers may ask
    /// for anyone's).
    pub member: Option<String>,
}

/// Standing calls and meetings by start, as `frontdesk agenda --json` lists them.
#[utoipa::path(get, path = "/api/v1/agenda", params(AgendaQuery),
    responses((status = 200, body = Vec<frontdesk_desk::contract::OccurrenceObject>), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn agenda(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    query: Result<axum::extract::Query<AgendaQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Vec<frontdesk_desk::contract::OccurrenceObject>>, ApiError> {
    let axum::extract::Query(q) =
        query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid", e.body_text()))?;
    let practice = practice_of(&state, &user).await?;
    let all = practice.oversees(&user.member);
    let member = match &q.member {
        Some(m) => Handle::parse(m).map_err(|e| ApiError::invalid(format!("member: {e}")))?,
        None => user.member.clone(),
    };
    if member != user.member && !all {
        return Err(ApiError::not_found(format!("no member {member}")));
    }
    let m = practice
        .member(&member)
        .ok_or_else(|| ApiError::not_found(format!("no member {member}")))?;
    let client = match &q.client {
        Some(c) => Some(find(&practice, &user.member, c)?.handle.clone()),
        None => None,
    };
    let days = q.days.unwrap_or(7);
    if !(1..=366).contains(&days) {
        return Err(ApiError::invalid(format!(
            "days: {days} is not from 1 to 366"
        )));
    }
    let tz = m.zone.tz().clone();
    let first = match &q.from {
        Some(d) => {
            frontdesk_core::bounds::date(d).map_err(|e| ApiError::invalid(format!("from: {e}")))?
        }
        None => state.now().to_zoned_datetime(tz.clone()).date(),
    };
    let (from, to) = frontdesk_core::working_time::days_span(&tz, first, i64::from(days))
        .map_err(|e| ApiError::invalid(e.to_string()))?;
    let id = user.practice;
    let stored = state
        .db(move |store| Ok(store.meetings(id, from, to)?))
        .await?;
    let filter = frontdesk_core::AgendaFilter {
        client,
        member: Some(member),
    };
    let list = frontdesk_core::agenda::agenda(&practice, &stored, from, to, &filter);
    Ok(Json(
        list.iter()
            .map(frontdesk_desk::contract::OccurrenceObject::new)
            .collect(),
    ))
}

/// What became of a meeting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRequest {
    /// held, no-show, cancelled or scheduled (to undo).
    pub status: String,
    /// When (RFC 3339; default: now). A cancellation inside the notice period is late.
    pub at: Option<String>,
    /// How long a held meeting lasted (default: as planned).
    pub minutes: Option<u32>,
}

/// Marks a meeting held, no-show or cancelled, as `frontdesk meeting mark` does.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/mark",
    params(("id" = String, Path, description = "A meeting number, or client@start for a standing call")),
    request_body = MarkRequest,
    responses((status = 200, body = frontdesk_desk::contract::OccurrenceObject), (status = 404, body = ErrorBody),
        (status = 409, description = "Not possible now (before it starts, already started)", body = ErrorBody)),
    security(("token" = [])))]
pub async fn mark_meeting(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MarkRequest>,
) -> Result<Json<frontdesk_desk::contract::OccurrenceObject>, ApiError> {
    use frontdesk_core::{MeetingRef, MeetingStatus};
    let which = MeetingRef::parse(&id).map_err(|e| ApiError::not_found(e.to_string()))?;
    let status = MeetingStatus::parse(&body.status)
        .map_err(|e| ApiError::invalid(format!("status: {e}")))?;
    let at = match &body.at {
        None => state.now(),
        Some(a) => {
            frontdesk_core::bounds::instant(a).map_err(|e| ApiError::invalid(format!("at: {e}")))?
        }
    };
    let s = state.clone();
    let o = state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            use frontdesk_desk::meetings::{MarkError, mark};
            let who = Some(&user.member);
            mark(
                store,
                user.practice,
                &practice,
                who,
                &which,
                status,
                at,
                body.minutes,
            )
            .map_err(|e| match e {
                MarkError::NotFound(e) => ApiError::not_found(e),
                MarkError::Refused(e) => {
                    ApiError::new(StatusCode::CONFLICT, "conflict", e.to_string())
                }
                MarkError::Store(e) => e.into(),
            })
        })
        .await?;
    Ok(Json(frontdesk_desk::contract::OccurrenceObject::new(&o)))
}

#[derive(OpenApi)]
#[openapi(
    paths(agenda, mark_meeting),
    components(schemas(frontdesk_desk::contract::OccurrenceObject, MarkRequest))
)]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/agenda", get(agenda)).route(
        "/api/v1/meetings/{id}/mark",
        axum::routing::post(mark_meeting),
    )
}
