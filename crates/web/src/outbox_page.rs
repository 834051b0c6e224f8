//! The outbox, for owners and managers: what the desk sends, what waits, and what failed too
//! often and needs a person — as a page (with a retry button) and over the API.

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use frontdesk_desk::contract::OutboxObject;
use frontdesk_store::{Principal, QueueState, Queued};
use maud::html;
use serde::Deserialize;
use utoipa::{IntoParams, OpenApi};

use crate::api::ApiUser;
use crate::error::{ApiError, ErrorBody};
use crate::pages::{PageUser, check_csrf, page};
use crate::state::AppState;

/// How many messages a page or an API call lists at most.
const LIMIT: usize = 200;

/// The practice's messages, if the member oversees the practice; 403 otherwise.
async fn list(state: &AppState, user: &Principal, all: bool) -> Result<Vec<Queued>, ApiError> {
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

async fn retry(state: &AppState, user: &Principal, id: i64) -> Result<(), ApiError> {
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
pub struct OutboxDoc;

async fn show(State(state): State<AppState>, user: PageUser) -> Result<Html<String>, ApiError> {
    let t = user.t;
    let messages = list(&state, &user.principal, true).await?;
    let s = state.clone();
    let pid = user.principal.practice;
    let practice = state.db(move |store| Ok(s.practice(store, pid)?)).await?;
    let me = &user.principal.member;
    let when = |at| t.time(&practice, me, at);
    Ok(page(
        t,
        &t.get("outbox-title"),
        Some(&user),
        html! {
            h1 { (t.get("outbox-title")) }
            p { (t.get("outbox-help")) }
            @if messages.is_empty() {
                p { (t.get("outbox-empty")) }
            } @else {
                table id="outbox" {
                    thead { tr {
                        th { (t.get("outbox-state")) }
                        th { (t.get("outbox-to")) }
                        th { (t.get("outbox-subject")) }
                        th { (t.get("outbox-when")) }
                        th {}
                    } }
                    tbody {
                        @for q in &messages {
                            tr class=(q.state().as_str()) {
                                td { (t.get(&format!("outbox-{}", q.state().as_str()))) }
                                td { (q.message.to) " (" (q.message.medium.as_str()) ")" }
                                td {
                                    (q.message.subject)
                                    @if let Some(e) = &q.last_error {
                                        br;
                                        small.error { (t.args("outbox-failed", &[("attempts", q.attempts.to_string()), ("error", e.clone())])) }
                                    }
                                }
                                td { (when(q.sent.or(q.next_attempt).unwrap_or(q.created))) }
                                td {
                                    @if q.state() != QueueState::Sent {
                                        form method="post" action={"/outbox/" (q.id) "/retry"} {
                                            input type="hidden" name="csrf" value=(user.principal.csrf);
                                            button type="submit" { (t.get("outbox-retry")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn retry_form(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    retry(&state, &user.principal, id)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(Redirect::to("/outbox").into_response())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/outbox", get(show))
        .route("/outbox/{id}/retry", post(retry_form))
        .route("/api/v1/outbox", get(api_list))
        .route("/api/v1/outbox/{id}/retry", post(api_retry))
}
