//! The agenda page: a member's standing calls and meetings for a week, each markable held,
//! no-show or cancelled (late inside the client's notice), as `frontdesk meeting mark` does.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Practice;
use frontdesk_core::agenda::{self, AgendaFilter, MeetingRef, MeetingStatus, Occurrence};
use frontdesk_core::working_time::{days_span, week_start};
use frontdesk_store::Store;
use jiff::ToSpan;
use jiff::civil::Date;
use maud::html;
use serde::Deserialize;

use crate::error::ApiError;
use crate::i18n::T;
use crate::layout::{PageUser, check_csrf, page};
use crate::state::AppState;
use frontdesk_desk::meetings::{self, MarkError};

#[derive(Deserialize)]
struct AgendaQuery {
    from: Option<String>,
    error: Option<String>,
}

fn kind(t: T, o: &Occurrence) -> String {
    t.get(&format!("kind-{}", o.meeting.kind.as_str()))
}

fn status(t: T, o: &Occurrence) -> String {
    t.get(&format!("status-{}", o.meeting.status.as_str()))
}

/// The member's occurrences in the seven days from `first` (dates in their zone).
fn week(
    store: &dyn Store,
    practice: &Practice,
    id: frontdesk_store::PracticeId,
    who: &frontdesk_core::Handle,
    first: Date,
) -> Result<Vec<(Occurrence, Option<frontdesk_core::booking::Booker>)>, ApiError> {
    let member = practice
        .member(who)
        .ok_or_else(|| ApiError::not_found("no such member"))?;
    let (from, to) =
        days_span(member.zone.tz(), first, 7).map_err(|e| ApiError::invalid(e.to_string()))?;
    let stored = store.meetings(id, from, to)?;
    let filter = AgendaFilter {
        client: None,
        member: Some(member.handle.clone()),
    };
    // Who booked each meeting booked on the booking page, and what about.
    agenda::agenda(practice, &stored, from, to, &filter)
        .into_iter()
        .map(|o| {
            let booker = match (o.stored, o.meeting.kind) {
                (Some(n), frontdesk_core::MeetingKind::Booked) => store.booker(id, n)?,
                _ => None,
            };
            Ok((o, booker))
        })
        .collect()
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<AgendaQuery>,
) -> Result<Response, ApiError> {
    let p = user.principal.clone();
    let s = state.clone();
    let practice = state
        .db(move |store| Ok(s.practice(store, p.practice)?))
        .await?;
    let member = practice
        .member(&user.principal.member)
        .ok_or_else(|| ApiError::not_found("no such member"))?;
    let today = state
        .now()
        .to_zoned_datetime(member.zone.tz().clone())
        .date();
    let day = match &q.from {
        Some(d) => {
            frontdesk_core::bounds::date(d).map_err(|e| ApiError::invalid(format!("from: {e}")))?
        }
        None => today,
    };
    let monday = week_start(day);
    let (p2, id, who) = (
        practice.clone(),
        user.principal.practice,
        user.principal.member.clone(),
    );
    let list = state
        .db(move |store| week(store, &p2, id, &who, monday))
        .await?;
    let t = user.t;
    let me = &user.principal.member;
    let now = state.now();
    let shift = |days: i64| monday.checked_add(days.days()).unwrap_or(monday);
    Ok(page(
        t,
        &t.get("agenda-title"),
        Some(&user),
        html! {
            h1 { (t.get("agenda-title")) " — " (monday) }
            p {
                a href={"/agenda?from=" (shift(-7))} { "← " (t.get("agenda-previous")) }
                " · "
                a href={"/agenda?from=" (shift(7))} { (t.get("agenda-next")) " →" }
            }
            @if let Some(e) = &q.error { p.error id="agenda-error" { (e) } }
            @if list.is_empty() {
                p { (t.get("agenda-empty")) }
            } @else {
                table {
                    tbody {
                        @for (o, booker) in &list {
                            @let m = &o.meeting;
                            @let started = now >= m.start;
                            tr {
                                td { (t.time(&practice, me, m.start)) }
                                td { (m.minutes) " min" }
                                td {
                                    (practice.client(&m.client).map_or(m.client.as_str(), |c| c.name.as_str()))
                                    @if let Some(b) = booker {
                                        br; small.booker { (t.args("agenda-booked-by", &[("name", b.name.clone()), ("email", b.email.clone())])) }
                                        br; small.topic { (b.topic) }
                                    }
                                }
                                td { (kind(t, o)) }
                                td {
                                    (status(t, o))
                                    @if m.late { " (" (t.get("agenda-late")) ")" }
                                    @if let Some(h) = m.held_minutes { " (" (h) " min)" }
                                    @if m.moved() {
                                        br; small { (t.args("agenda-moved-from", &[("when", t.time(&practice, me, m.original.expect("moved")))])) }
                                    }
                                }
                                td {
                                    form.mark method="post" action="/agenda/mark" {
                                        input type="hidden" name="csrf" value=(user.principal.csrf);
                                        input type="hidden" name="id" value=(o.id.to_string());
                                        input type="hidden" name="from" value=(monday);
                                        // Held and no-show once it has started; cancelled before.
                                        @if started {
                                            button type="submit" name="status" value="held" { (t.get("agenda-held")) }
                                            button type="submit" name="status" value="no-show" { (t.get("agenda-no-show")) }
                                        } @else if m.status != MeetingStatus::Cancelled {
                                            button type="submit" name="status" value="cancelled" { (t.get("agenda-cancelled")) }
                                        }
                                        @if m.status != MeetingStatus::Scheduled {
                                            button type="submit" name="status" value="scheduled" { (t.get("agenda-undo")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

#[derive(Deserialize)]
struct MarkForm {
    csrf: String,
    id: String,
    status: String,
    from: String,
}

async fn mark(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<MarkForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let bad = |m: String| ApiError::invalid(m).into_response();
    let which = MeetingRef::parse(&f.id).map_err(|e| bad(e.to_string()))?;
    let status = MeetingStatus::parse(&f.status).map_err(|e| bad(e.to_string()))?;
    let p = user.principal.clone();
    let s = state.clone();
    let result = state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            let now = s.now();
            match meetings::mark(
                store,
                p.practice,
                &practice,
                Some(&p.member),
                &which,
                status,
                now,
                None,
            ) {
                Ok(_) => Ok(None),
                Err(MarkError::Refused(e)) => Ok(Some(refusal(user.t, &practice, &p.member, &e))),
                Err(MarkError::NotFound(e)) => Err(ApiError::not_found(e)),
                Err(MarkError::Store(e)) => Err(e.into()),
            }
        })
        .await
        .map_err(IntoResponse::into_response)?;
    let from = f
        .from
        .parse::<Date>()
        .ok()
        .and_then(|d| frontdesk_core::bounds::check_date(d).ok())
        .map_or_else(String::new, |d| d.to_string());
    match result {
        None => Ok(Redirect::to(&format!("/agenda?from={from}")).into_response()),
        Some(why) => Ok(
            Redirect::to(&format!("/agenda?from={from}&error={}", urlencode(&why))).into_response(),
        ),
    }
}

/// Why a mark was refused, in the reader's words.
fn refusal(
    t: T,
    practice: &Practice,
    me: &frontdesk_core::Handle,
    e: &frontdesk_core::AgendaError,
) -> String {
    use frontdesk_core::AgendaError::*;
    match e {
        NotStarted { start, .. } => t.args(
            "agenda-error-not-started",
            &[("when", t.time(practice, me, *start))],
        ),
        AlreadyStarted { start, .. } => t.args(
            "agenda-error-started",
            &[("when", t.time(practice, me, *start))],
        ),
        _ => t.get("agenda-error-other"),
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agenda", get(show))
        .route("/agenda/mark", post(mark))
}
