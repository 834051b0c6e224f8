//! The outbox page, for owners and managers: what the desk sends, what waits, and what failed
//! too often and needs a person, with a retry button.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_store::QueueState;
use maud::html;
use serde::Deserialize;

use crate::api::outbox::{list, retry};
use crate::error::ApiError;
use crate::layout::{PageUser, check_csrf, page};
use crate::state::AppState;

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
}
