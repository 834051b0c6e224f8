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
    let (practice, figures, ratings, habits) = state
        .db(move |store| {
            let practice = s.practice(store, id)?;
            let f = figures(store, &practice, id, &member, s.now())?;
            // Each client's ratings against the goal, the latest and the one before.
            let all = store.ratings(id, None)?;
            let ratings: Vec<(String, u8, Option<u8>)> = practice
                .clients_of(&member)
                .filter_map(|c| {
                    frontdesk_core::rating::latest(&all, &c.handle)
                        .map(|(last, before)| (c.name.clone(), last, before))
                })
                .collect();
            // What habits earned this month, for those who see what is billed.
            let habits = if practice.oversees(&member) {
                let day = frontdesk_desk::billing::today(&practice, s.now());
                store.items(id, None, day.first_of_month(), day, false)?
            } else {
                Vec::new()
            };
            Ok((practice, f, ratings, habits))
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
            @if practice.oversees(&user.principal.member) {
                (crate::billing_page::dashboard_section(t, &practice, &habits))
            }
            @if !ratings.is_empty() {
                section.card #dash-ratings {
                    h2 { (t.get("client-ratings")) }
                    table {
                        thead { tr { th { (t.get("promise-col-client")) } th { (t.get("dash-rating-last")) } th { (t.get("dash-rating-before")) } } }
                        tbody { @for (name, last, before) in &ratings {
                            tr class=(if *last <= 6 || before.is_some_and(|b| b >= last + 2) { "low" } else { "" }) {
                                td { (name) } td { (last) "/10" }
                                td { @if let Some(b) = before { (b) "/10" } }
                            }
                        } }
                    }
                }
            }
        },
    ))
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/dashboard", get(dashboard))
}
