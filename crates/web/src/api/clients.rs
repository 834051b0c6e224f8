//! Clients over the API: the ones a member may see, and their terms.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use frontdesk_core::Client;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::edits::{TermsForm, with_terms};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

use super::*;

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
    let h = client.handle.clone();
    // The practice as this edit left it: no second read.
    let practice =
        crate::edits::edit_practice(&state, user.practice, user.member.clone(), None, move |p| {
            with_terms(p, &h, &form)
        })
        .await?;
    Ok(Json(ClientObject::new(find(
        &practice,
        &user.member,
        &handle,
    )?)))
}

#[derive(OpenApi)]
#[openapi(
    paths(list_clients, get_client, put_terms),
    components(schemas(ClientObject, TermsObject))
)]
pub struct Doc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clients", get(list_clients))
        .route("/api/v1/clients/{handle}", get(get_client))
        .route(
            "/api/v1/clients/{handle}/terms",
            axum::routing::put(put_terms),
        )
}
