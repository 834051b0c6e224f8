//! What is reached through a secret link rather than a sign-in: a client's booking page and a
//! member's calendar feed. The secret is in the URL; only its hash is stored, and a revoked or
//! unknown link is simply not found.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use frontdesk_core::{Client, Practice};
use frontdesk_store::{Link, LinkTarget};

use crate::auth::secret_hash;
use crate::error::ApiError;
use crate::state::AppState;

pub(crate) fn not_found() -> ApiError {
    ApiError::not_found("no such link")
}

pub(crate) async fn resolve(
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

pub(crate) fn booking_client<'p>(
    link: &Link,
    practice: &'p Practice,
) -> Result<&'p Client, ApiError> {
    match &link.target {
        LinkTarget::Booking(c) => practice.client(c).ok_or_else(not_found),
        LinkTarget::Feed(_) => Err(not_found()),
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
            let c = p.client(&client).ok_or_else(not_found)?;
            Ok(match store.booker(id, number)? {
                Some(b) => frontdesk_core::ical::booking_invitation(&p, c, number, m, &b, now),
                None => frontdesk_core::ical::invitation(&p, number, m, now),
            })
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
        .merge(crate::booking_pages::routes())
        .route("/book/{token}/{file}", get(invitation))
        .route("/calendar/{file}", get(feed))
}
