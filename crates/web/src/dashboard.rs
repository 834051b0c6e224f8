//! The dashboard: how each client uses the desk's time, as SVG charts drawn on the server —
//! contacts per week inside and outside working hours, ad-hoc calls against the allowance,
//! response times by channel against the targets, and what is overdue now.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use maud::html;

use crate::charts::*;
use crate::error::ApiError;
use crate::layout::{PageUser, page};
use crate::state::AppState;

async fn dashboard(
    State(state): State<AppState>,
    user: PageUser,
) -> Result<Html<String>, ApiError> {
    let id = user.principal.practice;
    let member = user.principal.member.clone();
    let s = state.clone();
    let (practice, figures) = state
        .db(move |store| {
            let practice = s.practice(store, id)?;
            let f = figures(store, &practice, id, &member, s.now())?;
            Ok((practice, f))
        })
        .await?;
    let t = user.t;
    Ok(page(
        t,
        &t.get("dashboard-title"),
        Some(&user),
        html! {
            h1 { (t.get("dashboard-title")) }
            (overdue(t, &figures))
            (weeks_chart(t, &figures, None))
            (response_chart(t, &figures, &practice, None))
        },
    ))
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/dashboard", get(dashboard))
}
