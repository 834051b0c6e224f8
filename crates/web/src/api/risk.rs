//! Escalation risk and the manager's digest over the API: the same desk reads as the command
//! line and the pages (`frontdesk_desk::risk`). A member sees their own clients' risk; owners
//! and managers all, and the digest.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use frontdesk_core::Handle;
use frontdesk_core::risk::Risk;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

/// One signal of a client's risk.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ReasonObject {
    /// overdue, due_soon, follow_ups, complaints, escalation, late_answers, missed.
    pub kind: String,
    /// Its figures (count, days, …), as the kind has them.
    #[schema(value_type = Object)]
    pub signal: serde_json::Value,
    /// What it adds to the score.
    pub points: u32,
    /// In English, as a colleague would say it.
    pub text: String,
}

/// A day's kept score.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DayScore {
    pub day: String,
    pub score: u32,
}

/// A client's escalation risk.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct RiskObject {
    pub client: String,
    /// 0–100.
    pub score: u32,
    /// calm, watch (from 20) or high (from 50).
    pub level: String,
    pub reasons: Vec<ReasonObject>,
    /// The next step: call_with_manager, answer_overdue, call_about_complaint, send_update,
    /// review_workload, confirm_meetings, nothing.
    pub step: String,
    pub step_text: String,
    /// The kept daily scores of the last 90 days (for one client only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<DayScore>>,
}

fn object(r: &Risk) -> RiskObject {
    let en = frontdesk_core::Language::En;
    RiskObject {
        client: r.client.to_string(),
        score: r.score,
        level: r.level.as_str().to_string(),
        reasons: r
            .signals
            .iter()
            .map(|(s, points)| {
                let signal = serde_json::to_value(s).unwrap_or_default();
                ReasonObject {
                    kind: signal["kind"].as_str().unwrap_or_default().to_string(),
                    signal,
                    points: *points,
                    text: s.words(en),
                }
            })
            .collect(),
        step: r.step.as_str().to_string(),
        step_text: r.step.words(en),
        history: None,
    }
}

#[utoipa::path(get, path = "/api/v1/risk",
    responses((status = 200, body = Vec<RiskObject>), (status = 401, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_risk(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<RiskObject>>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let all =
                frontdesk_desk::risk::all(store, user.practice, &practice, &user.member, now)?;
            Ok(Json(all.iter().map(object).collect()))
        })
        .await
}

#[utoipa::path(get, path = "/api/v1/risk/{client}",
    params(("client" = String, Path, description = "The client's handle")),
    responses((status = 200, body = RiskObject), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_client_risk(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(client): Path<String>,
) -> Result<Json<RiskObject>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let handle = Handle::parse(&client)
                .ok()
                .filter(|h| practice.clients_of(&user.member).any(|c| c.handle == *h))
                .ok_or_else(|| ApiError::not_found(format!("client: no client {client:?}")))?;
            let (risk, history) =
                frontdesk_desk::risk::of_client(store, user.practice, &practice, &handle, now)?;
            let mut o = object(&risk);
            o.history = Some(
                history
                    .into_iter()
                    .map(|(d, score)| DayScore {
                        day: d.to_string(),
                        score,
                    })
                    .collect(),
            );
            Ok(Json(o))
        })
        .await
}

/// What a manager's digest says now.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DigestObject {
    /// Since when urgent contacts handled are counted (the previous digest).
    pub since: String,
    /// Nothing to report: no digest would be sent.
    pub empty: bool,
    /// Each section: its title and lines, in English.
    pub sections: Vec<DigestSection>,
    pub risks: Vec<RiskObject>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DigestSection {
    pub title: String,
    pub lines: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/digest",
    responses((status = 200, body = DigestObject), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn api_digest(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<DigestObject>, ApiError> {
    let (s, now) = (state.clone(), state.now());
    state
        .db(move |store| {
            let practice = s.practice(store, user.practice)?;
            let Some(member) = practice
                .member(&user.member)
                .filter(|_| practice.oversees(&user.member))
            else {
                return Err(ApiError::forbidden(
                    "only owners and managers get the digest",
                ));
            };
            let since = frontdesk_core::digest::due(&practice, member, now)
                .map(|(_, since)| since)
                .unwrap_or_else(|| now - jiff::SignedDuration::from_hours(24));
            let d = frontdesk_desk::risk::digest(
                store,
                user.practice,
                &practice,
                &user.member,
                since,
                now,
            )?;
            let sections = frontdesk_core::digest::sections(
                &practice,
                member,
                &d,
                frontdesk_core::Language::En,
            )
            .into_iter()
            .map(|(title, lines)| DigestSection { title, lines })
            .collect();
            Ok(Json(DigestObject {
                since: since.to_string(),
                empty: d.is_empty(),
                sections,
                risks: d.risks.iter().map(object).collect(),
            }))
        })
        .await
}

#[derive(OpenApi)]
#[openapi(
    paths(api_risk, api_client_risk, api_digest),
    components(schemas(RiskObject, ReasonObject, DayScore, DigestObject, DigestSection))
)]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/risk", get(api_risk))
        .route("/api/v1/risk/{client}", get(api_client_risk))
        .route("/api/v1/digest", get(api_digest))
}
