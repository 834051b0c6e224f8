//! The rest of the JSON API: what the clients, settings and dashboard pages do.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use frontdesk_core::stats::percentile;
use frontdesk_core::{Client, Handle, Practice, Role};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::api::{ApiJson, ApiUser};
use crate::clients::{TermsForm, with_terms};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// A client as the API shows it, with its terms.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ClientObject {
    pub handle: String,
    pub name: String,
    pub owner: String,
    pub language: String,
    pub time_zone: String,
    pub terms: TermsObject,
}

/// A client's terms: targets are working time ("4h", "30m").
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsObject {
    /// Ad-hoc calls a week; null is no limit.
    pub adhoc_calls_per_week: Option<u32>,
    pub call: String,
    pub voicemail: String,
    pub email: String,
    pub chat: String,
    pub urgent: String,
    pub urgent_out_of_hours: bool,
    pub after_hours_surcharge_pct: u32,
    /// Clock time before a meeting within which a cancellation is late.
    pub cancellation_notice: String,
}

impl ClientObject {
    fn new(c: &Client) -> ClientObject {
        let t = &c.terms;
        ClientObject {
            handle: c.handle.to_string(),
            name: c.name.clone(),
            owner: c.owner.to_string(),
            language: c.language.code().to_string(),
            time_zone: c.zone.to_string(),
            terms: TermsObject {
                adhoc_calls_per_week: t.adhoc_calls_per_week,
                call: t.response.call.to_string(),
                voicemail: t.response.voicemail.to_string(),
                email: t.response.email.to_string(),
                chat: t.response.chat.to_string(),
                urgent: t.response.urgent.to_string(),
                urgent_out_of_hours: t.urgent_out_of_hours,
                after_hours_surcharge_pct: t.after_hours_surcharge_pct,
                cancellation_notice: frontdesk_core::agenda::cancellation_notice(c).to_string(),
            },
        }
    }
}

fn role(practice: &Practice, who: &Handle) -> Role {
    practice.member(who).map_or(Role::Member, |m| m.role)
}

/// The clients the token's member may see, or one of them.
fn visible<'p>(practice: &'p Practice, who: &Handle) -> impl Iterator<Item = &'p Client> + 'p {
    let all = role(practice, who) != Role::Member;
    let who = who.clone();
    practice
        .clients()
        .iter()
        .filter(move |c| all || c.owner == who)
}

async fn practice_of(
    state: &AppState,
    user: &frontdesk_store::Principal,
) -> Result<std::sync::Arc<Practice>, ApiError> {
    let s = state.clone();
    let id = user.practice;
    state.db(move |store| Ok(s.practice(store, id)?)).await
}

/// The clients the member may see.
#[utoipa::path(get, path = "/api/v1/clients",
    responses((status = 200, body = Vec<ClientObject>), (status = 401, body = ErrorBody)),
    security(("token" = [])))]
pub async fn list_clients(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<ClientObject>>, ApiError> {
    let practice = practice_of(&state, &user).await?;
    Ok(Json(
        visible(&practice, &user.member)
            .map(ClientObject::new)
            .collect(),
    ))
}

fn find<'p>(practice: &'p Practice, who: &Handle, handle: &str) -> Result<&'p Client, ApiError> {
    visible(practice, who)
        .find(|c| c.handle.as_str() == handle)
        .ok_or_else(|| ApiError::not_found(format!("no client {handle:?}")))
}

/// One client and its terms.
#[utoipa::path(get, path = "/api/v1/clients/{handle}",
    params(("handle" = String, Path, description = "The client's handle")),
    responses((status = 200, body = ClientObject), (status = 404, body = ErrorBody)),
    security(("token" = [])))]
pub async fn get_client(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(handle): Path<String>,
) -> Result<Json<ClientObject>, ApiError> {
    let practice = practice_of(&state, &user).await?;
    Ok(Json(ClientObject::new(find(
        &practice,
        &user.member,
        &handle,
    )?)))
}

/// Replaces a client's terms (owners and managers), validated as the practice file is.
#[utoipa::path(put, path = "/api/v1/clients/{handle}/terms",
    params(("handle" = String, Path, description = "The client's handle")),
    request_body = TermsObject,
    responses((status = 200, body = ClientObject), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn put_terms(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(handle): Path<String>,
    ApiJson(terms): ApiJson<TermsObject>,
) -> Result<Json<ClientObject>, ApiError> {
    let practice = practice_of(&state, &user).await?;
    let client = find(&practice, &user.member, &handle)?;
    if role(&practice, &user.member) == Role::Member {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only owners and managers change terms",
        ));
    }
    let form = TermsForm {
        csrf: String::new(),
        adhoc_calls_per_week: terms
            .adhoc_calls_per_week
            .map_or(String::new(), |n| n.to_string()),
        call: terms.call,
        voicemail: terms.voicemail,
        email: terms.email,
        chat: terms.chat,
        urgent: terms.urgent,
        urgent_out_of_hours: terms.urgent_out_of_hours.then(|| "true".to_string()),
        after_hours_surcharge_pct: terms.after_hours_surcharge_pct.to_string(),
        cancellation_notice: terms.cancellation_notice,
    };
    let text = with_terms(&practice, &client.handle, &form).map_err(ApiError::invalid)?;
    crate::settings::apply_text(&state, &text)
        .await
        .map_err(ApiError::invalid)?;
    let practice = practice_of(&state, &user).await?;
    Ok(Json(ClientObject::new(find(
        &practice,
        &user.member,
        &handle,
    )?)))
}

/// The practice's settings as a practice file.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PracticeFileObject {
    /// TOML, as `frontdesk export` prints and `frontdesk apply` reads.
    pub file: String,
}

/// The practice file (export).
#[utoipa::path(get, path = "/api/v1/practice",
    responses((status = 200, body = PracticeFileObject), (status = 401, body = ErrorBody)),
    security(("token" = [])))]
pub async fn get_practice(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<PracticeFileObject>, ApiError> {
    let practice = practice_of(&state, &user).await?;
    Ok(Json(PracticeFileObject {
        file: frontdesk_practice::render(&practice),
    }))
}

/// Applies a practice file (owners and managers); errors name the field, nothing is written.
#[utoipa::path(put, path = "/api/v1/practice",
    request_body = PracticeFileObject,
    responses((status = 200, body = PracticeFileObject), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("token" = [])))]
pub async fn put_practice(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    ApiJson(body): ApiJson<PracticeFileObject>,
) -> Result<Json<PracticeFileObject>, ApiError> {
    let practice = practice_of(&state, &user).await?;
    if role(&practice, &user.member) == Role::Member {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
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
    crate::settings::apply_text(&state, &body.file)
        .await
        .map_err(ApiError::invalid)?;
    let practice = practice_of(&state, &user).await?;
    Ok(Json(PracticeFileObject {
        file: frontdesk_practice::render(&practice),
    }))
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

/// The dashboard's figures for the last 12 weeks (a member's: their clients').
#[utoipa::path(get, path = "/api/v1/dashboard",
    responses((status = 200, body = DashboardObject), (status = 401, body = ErrorBody)),
    security(("token" = [])))]
pub async fn dashboard(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<DashboardObject>, ApiError> {
    let s = state.clone();
    let u = user.clone();
    let (practice, f) = state
        .db(move |store| {
            let practice = s.practice(store, u.practice)?;
            let f = crate::dashboard::figures(store, &practice, u.practice, Timestamp::now())?;
            Ok((practice, f))
        })
        .await?;
    let mine: Vec<Handle> = visible(&practice, &user.member)
        .map(|c| c.handle.clone())
        .collect();
    let weeks = f
        .weeks
        .iter()
        .filter(|w| mine.contains(&w.client))
        .map(|w| WeekObject {
            client: w.client.to_string(),
            week: w.week.to_string(),
            in_hours: w.in_hours,
            out_of_hours: w.out_of_hours,
            adhoc_calls: w.adhoc_calls,
        })
        .collect();
    let mut by_channel: std::collections::BTreeMap<String, Vec<jiff::SignedDuration>> =
        Default::default();
    for r in f.responses.iter().filter(|r| mine.contains(&r.client)) {
        let key = if r.urgent {
            "urgent".to_string()
        } else {
            r.channel.as_str().to_string()
        };
        by_channel.entry(key).or_default().push(r.working);
    }
    let responses = by_channel
        .into_iter()
        .map(|(channel, v)| ResponseStats {
            answered: v.len(),
            median_seconds: percentile(&v, 50.0).map_or(0, |d| d.as_secs()),
            p90_seconds: percentile(&v, 90.0).map_or(0, |d| d.as_secs()),
            channel,
        })
        .collect();
    let overdue = if role(&practice, &user.member) == Role::Member {
        0
    } else {
        f.overdue
    };
    Ok(Json(DashboardObject {
        weeks,
        responses,
        overdue,
    }))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        list_clients,
        get_client,
        put_terms,
        get_practice,
        put_practice,
        dashboard
    ),
    components(schemas(
        ClientObject,
        TermsObject,
        PracticeFileObject,
        DashboardObject,
        WeekObject,
        ResponseStats
    ))
)]
pub struct MoreDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clients", get(list_clients))
        .route("/api/v1/clients/{handle}", get(get_client))
        .route(
            "/api/v1/clients/{handle}/terms",
            axum::routing::put(put_terms),
        )
        .route("/api/v1/practice", get(get_practice).put(put_practice))
        .route("/api/v1/dashboard", get(dashboard))
}
