//! The rest of the JSON API: what the clients, settings and dashboard pages do.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use frontdesk_core::stats::percentile;
use frontdesk_core::{Client, Handle, Practice};
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
        practice
            .clients_of(&user.member)
            .map(ClientObject::new)
            .collect(),
    ))
}

fn find<'p>(practice: &'p Practice, who: &Handle, handle: &str) -> Result<&'p Client, ApiError> {
    practice
        .clients_of(who)
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
    if !practice.oversees(&user.member) {
        return Err(ApiError::forbidden("only owners and managers change terms"));
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
    let edited = with_terms(&practice, &client.handle, &form).map_err(ApiError::invalid)?;
    crate::settings::apply_practice(&state, edited)
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

/// The practice file (export; owners and managers: it holds every client's people).
#[utoipa::path(get, path = "/api/v1/practice",
    responses((status = 200, body = PracticeFileObject), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("token" = [])))]
pub async fn get_practice(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<PracticeFileObject>, ApiError> {
    let practice = practice_of(&state, &user).await?;
    if !practice.oversees(&user.member) {
        return Err(ApiError::forbidden(
            "only owners and managers read the whole practice file",
        ));
    }
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
    crate::settings::apply_practice(&state, parsed)
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
            let f = crate::dashboard::figures(store, &practice, u.practice, s.now())?;
            Ok((practice, f))
        })
        .await?;
    let f = f.for_member(&practice, &user.member);
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
            .entry(crate::dashboard::channel_key(r))
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

// ---- agenda, meetings and tokens ------------------------------------------------------------

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
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
        Some(d) => d.parse::<jiff::civil::Date>().map_err(|_| {
            ApiError::invalid(format!("from: {d:?} is not a date such as 2026-12-07"))
        })?,
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
        Some(a) => a
            .parse()
            .map_err(|_| ApiError::invalid(format!("at: {a:?} is not an RFC 3339 instant")))?,
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

/// An API token (the secret only when it is created).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenObject {
    pub id: i64,
    pub created: String,
    pub revoked: Option<String>,
    /// The secret, shown once when created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// The token's member's API tokens.
#[utoipa::path(get, path = "/api/v1/tokens", responses((status = 200, body = Vec<TokenObject>)), security(("token" = [])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<TokenObject>>, ApiError> {
    let list = state
        .db(move |store| Ok(store.tokens(user.practice, &user.member)?))
        .await?;
    Ok(Json(
        list.into_iter()
            .map(|t| TokenObject {
                id: t.id,
                created: t.created.to_string(),
                revoked: t.revoked.map(|r| r.to_string()),
                token: None,
            })
            .collect(),
    ))
}

/// Creates another token for the same member.
#[utoipa::path(post, path = "/api/v1/tokens", responses((status = 201, body = TokenObject)), security(("token" = [])))]
pub async fn create_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<(StatusCode, Json<TokenObject>), ApiError> {
    let token = crate::auth::new_token();
    let hash = crate::auth::secret_hash(&token);
    let now = state.now();
    let id = state
        .db(move |store| Ok(store.create_token(user.practice, &user.member, &hash, now)?))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenObject {
            id,
            created: now.to_string(),
            revoked: None,
            token: Some(token),
        }),
    ))
}

/// Revokes one of the member's tokens (it may be the one in use).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}",
    params(("id" = i64, Path, description = "The token's number")),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("token" = [])))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let now = state.now();
    let done = state
        .db(move |store| Ok(store.revoke_token(user.practice, &user.member, id, now)?))
        .await?;
    if done {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("no live token {id} of yours")))
    }
}

#[derive(OpenApi)]
#[openapi(
    paths(agenda, mark_meeting, list_tokens, create_token, revoke_token),
    components(schemas(frontdesk_desk::contract::OccurrenceObject, MarkRequest, TokenObject))
)]
pub struct AgendaDoc;

pub fn more_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/agenda", get(agenda))
        .route(
            "/api/v1/meetings/{id}/mark",
            axum::routing::post(mark_meeting),
        )
        .route("/api/v1/tokens", get(list_tokens).post(create_token))
        .route("/api/v1/tokens/{id}", axum::routing::delete(revoke_token))
}
