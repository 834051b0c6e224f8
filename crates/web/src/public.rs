//! What is reached through a secret link rather than a sign-in: a client's booking page and a
//! member's calendar feed. The secret is in the URL; only its hash is stored, and a revoked or
//! unknown link is simply not found.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use frontdesk_core::slots::Slot;
use frontdesk_core::{Client, Practice};
use frontdesk_store::{Link, LinkTarget, PracticeId, StoreError};
use jiff::Timestamp;
use maud::html;
use serde::Deserialize;

use crate::auth::secret_hash;
use crate::error::ApiError;
use crate::i18n::T;
use crate::layout::{check_form_token, form_token, page};
use crate::state::AppState;
use frontdesk_desk::booking::{book, free_slots};

const BOOK_DAYS: u16 = 14;
const CSRF_COOKIE: &str = "fd_book";

fn not_found() -> ApiError {
    ApiError::not_found("no such link")
}

async fn resolve(
    state: &AppState,
    token: &str,
) -> Result<(Link, std::sync::Arc<Practice>), ApiError> {
    let hash = secret_hash(token);
    let s = state.clone();
    state
        .db(move |store| {
            let link = store.link(&hash)?.ok_or_else(not_found)?;
            let practice = s.practice(store, link.practice)?;
            Ok((link, practice))
        })
        .await
}

fn booking_client<'p>(link: &Link, practice: &'p Practice) -> Result<&'p Client, ApiError> {
    match &link.target {
        LinkTarget::Booking(c) => practice.client(c).ok_or_else(not_found),
        LinkTarget::Feed(_) => Err(not_found()),
    }
}

fn local(client: &Client, at: Timestamp, fmt: &str) -> String {
    at.to_zoned_datetime(client.zone.tz().clone())
        .strftime(fmt)
        .to_string()
}

fn booking_page(
    now: Timestamp,
    practice: &Practice,
    client: &Client,
    token: &str,
    csrf: &str,
    slots: &[Slot],
    message: Option<String>,
) -> Html<String> {
    let t = T(client.language);
    let title = t.args(
        "book-title",
        &[("practice", practice.settings().name.clone())],
    );
    let mut days: Vec<(String, Vec<&Slot>)> = Vec::new();
    for s in slots {
        let day = t.day(s.start.to_zoned_datetime(client.zone.tz().clone()).date());
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push(s),
            _ => days.push((day, vec![s])),
        }
    }
    page(
        t,
        &title,
        None,
        html! {
            h1 { (title) }
            @if let Some(m) = &message { p.error id="book-message" { (m) } }
            p { (t.args("book-intro", &[("zone", t.zone(&client.zone, now)), ("minutes", client.terms.booking.minutes.to_string())])) }
            @if days.is_empty() {
                p { (t.get("book-none")) }
            }
            @for (day, list) in &days {
                section.card.day {
                    h2 { (day) }
                    form method="post" action={"/book/" (token)} {
                        input type="hidden" name="csrf" value=(csrf);
                        @for s in list {
                            button.slot type="submit" name="start" value=(s.start.to_string()) {
                                (local(client, s.start, "%H:%M"))
                            }
                            " "
                        }
                    }
                }
            }
        },
    )
}

async fn slots_for(
    state: &AppState,
    id: PracticeId,
    practice: &std::sync::Arc<Practice>,
    client: &Client,
) -> Result<Vec<Slot>, ApiError> {
    let p = practice.clone();
    let c = client.handle.clone();
    let now = state.now();
    state
        .db(move |store| {
            let client = p.client(&c).ok_or_else(not_found)?;
            let owner = p.member(&client.owner).expect("owners exist");
            let first = now.to_zoned_datetime(owner.zone.tz().clone()).date();
            Ok(free_slots(store, id, &p, client, now, first, BOOK_DAYS)?)
        })
        .await
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let (link, practice) = resolve(&state, &token).await?;
    let client = booking_client(&link, &practice)?;
    let slots = slots_for(&state, link.practice, &practice, client).await?;
    let (csrf, set) = form_token(&state, &headers, CSRF_COOKIE, "/book");
    let mut r =
        booking_page(state.now(), &practice, client, &token, &csrf, &slots, None).into_response();
    r.headers_mut().append(header::SET_COOKIE, set);
    Ok(r)
}

#[derive(Deserialize)]
struct BookForm {
    csrf: String,
    start: String,
}

async fn take(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(f): Form<BookForm>,
) -> Result<Response, Response> {
    check_form_token(&headers, CSRF_COOKIE, &f.csrf)?;
    let (link, practice) = resolve(&state, &token)
        .await
        .map_err(IntoResponse::into_response)?;
    let client = booking_client(&link, &practice).map_err(IntoResponse::into_response)?;
    let start: Timestamp = frontdesk_core::bounds::instant(&f.start)
        .map_err(|e| ApiError::invalid(format!("start: {e}")).into_response())?;
    let p = practice.clone();
    let c = client.handle.clone();
    let id = link.practice;
    let now = state.now();
    let booked = state
        .db(move |store| {
            let client = p.client(&c).ok_or_else(not_found)?;
            match book(store, id, &p, client, now, start) {
                Ok((n, m)) => Ok(Ok((n, m))),
                Err(StoreError::Refused(why)) => Ok(Err(why)),
                Err(e) => Err(e.into()),
            }
        })
        .await
        .map_err(IntoResponse::into_response)?;
    let t = T(client.language);
    match booked {
        Ok((number, m)) => {
            let when = format!(
                "{} {}",
                t.day(m.start.to_zoned_datetime(client.zone.tz().clone()).date()),
                local(client, m.start, "%H:%M %Z")
            );
            Ok(page(
                t,
                &t.args(
                    "book-title",
                    &[("practice", practice.settings().name.clone())],
                ),
                None,
                html! {
                    p.notice id="booked" { (t.args("book-done", &[("when", when)])) }
                    p { a id="invitation" href={"/book/" (token) "/" (number) ".ics"} { (t.get("book-invite")) } }
                },
            )
            .into_response())
        }
        Err(_) => {
            let slots = slots_for(&state, id, &practice, client)
                .await
                .map_err(IntoResponse::into_response)?;
            let mut r = booking_page(
                state.now(),
                &practice,
                client,
                &token,
                &f.csrf,
                &slots,
                Some(t.get("book-taken")),
            )
            .into_response();
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
    }
}

/// The invitation for a meeting booked through this link (and only such a meeting).
async fn invitation(
    State(state): State<AppState>,
    Path((token, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let number: i64 = file
        .strip_suffix(".ics")
        .and_then(|n| n.parse().ok())
        .ok_or_else(not_found)?;
    let (link, practice) = resolve(&state, &token).await?;
    let client = booking_client(&link, &practice)?.handle.clone();
    let id = link.practice;
    let p = practice.clone();
    let now = state.now();
    let body = state
        .db(move |store| {
            let about = store
                .meetings_about(id, &frontdesk_core::MeetingRef::Stored(number))
                .map_err(|_| not_found())?;
            let (_, m) = about.first().ok_or_else(not_found)?;
            if m.client != client || m.kind != frontdesk_core::MeetingKind::Booked {
                return Err(not_found());
            }
            Ok(frontdesk_core::ical::invitation(&p, number, m, now))
        })
        .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8; method=REQUEST",
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"invitation.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}

async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    let token = file.strip_suffix(".ics").ok_or_else(not_found)?;
    let (link, practice) = resolve(&state, token).await?;
    let LinkTarget::Feed(member) = &link.target else {
        return Err(not_found());
    };
    let m = practice.member(member).ok_or_else(not_found)?.clone();
    let id = link.practice;
    let p = practice.clone();
    let now = state.now();
    let body = state
        .db(move |store| {
            let years = |n: i64| jiff::SignedDuration::from_hours(24 * 366 * n);
            let stored = store.meetings(id, now - years(1), now + years(3))?;
            Ok(frontdesk_core::ical::feed(&p, &m, &stored, now))
        })
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/book/{token}", get(show).post(take))
        .route("/book/{token}/{file}", get(invitation))
        .route("/calendar/{file}", get(feed))
}
