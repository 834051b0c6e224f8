//! The booking pages a client reaches through their secret link, in the client's language
//! with times in the client's zone: the free times, a form for who books and what about, the
//! booking (confirmed by e-mail through the outbox, the invitation attached), and the page
//! behind the booking's own secret link where the client moves or cancels it as the notice
//! rules allow.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use frontdesk_core::booking::{Booker, Change, change_deadline, may_change};
use frontdesk_core::slots::Slot;
use frontdesk_core::{Client, Meeting, Practice};
use frontdesk_desk::booking::{Booking, book, cancel, free_slots, reschedule};
use frontdesk_store::{Booked, PracticeId, StoreError};
use jiff::Timestamp;
use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::secret_hash;
use crate::error::ApiError;
use crate::i18n::T;
use crate::layout::{check_form_token, form_token, page};
use crate::public::{booking_client, not_found, resolve};
use crate::state::AppState;

const BOOK_DAYS: u16 = 14;
const CSRF_COOKIE: &str = "fd_book";

/// An instant in the client's zone, as the client reads it: "lunes 2026-12-07 10:00".
fn when(t: T, client: &Client, at: Timestamp) -> String {
    let local = at.to_zoned_datetime(client.zone.tz().clone());
    format!("{} {}", t.day(local.date()), local.strftime("%H:%M"))
}

fn title(t: T, practice: &Practice) -> String {
    t.args(
        "book-title",
        &[("practice", practice.settings().name.clone())],
    )
}

/// The free times, a day a card; each time a button that leads on (`action`, `method`).
fn slot_list(t: T, client: &Client, slots: &[Slot], action: &str, form: Markup) -> Markup {
    let mut days: Vec<(String, Vec<&Slot>)> = Vec::new();
    for s in slots {
        let day = t.day(s.start.to_zoned_datetime(client.zone.tz().clone()).date());
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push(s),
            _ => days.push((day, vec![s])),
        }
    }
    html! {
        @if days.is_empty() {
            p { (t.get("book-none")) }
        }
        @for (day, list) in &days {
            section.card.day {
                h2 { (day) }
                form method="post" action=(action) {
                    (form)
                    @for s in list {
                        button.slot type="submit" name="start" value=(s.start.to_string()) {
                            (s.start.to_zoned_datetime(client.zone.tz().clone()).strftime("%H:%M"))
                        }
                        " "
                    }
                }
            }
        }
    }
}

fn booking_page(
    now: Timestamp,
    practice: &Practice,
    client: &Client,
    token: &str,
    slots: &[Slot],
    message: Option<String>,
) -> Html<String> {
    let t = T(client.language);
    let title = title(t, practice);
    page(
        t,
        &title,
        None,
        html! {
            h1 { (title) }
            @if let Some(m) = &message { p.error id="book-message" role="alert" { (m) } }
            p { (t.args("book-intro", &[("zone", t.zone(&client.zone, now)), ("minutes", client.terms.booking.minutes.to_string())])) }
            // Choosing a time only leads to the form; nothing is booked until it is sent.
            (slot_list(t, client, slots, &format!("/book/{token}"), html! { input type="hidden" name="step" value="details"; }))
        },
    )
}

/// What the booking form sent.
#[derive(Clone, Debug, Default, Deserialize)]
struct BookForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    topic: String,
}

/// The chosen time and who books it: name, e-mail address and topic, what was typed kept on
/// an error, which names the field in the client's words.
fn details_page(
    practice: &Practice,
    client: &Client,
    token: &str,
    csrf: &str,
    start: Timestamp,
    form: &BookForm,
    error: Option<String>,
) -> Html<String> {
    let t = T(client.language);
    let title = title(t, practice);
    page(
        t,
        &title,
        None,
        html! {
            h1 { (title) }
            p #book-chosen { (t.args("book-chosen", &[("when", when(t, client, start)), ("zone", t.zone(&client.zone, start)), ("minutes", client.terms.booking.minutes.to_string())])) }
            @if let Some(e) = &error { p.error #book-message role="alert" { (e) } }
            form.card #book-details method="post" action={"/book/" (token)} {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="start" value=(start.to_string());
                input type="hidden" name="step" value="book";
                label for="book-name" { (t.get("book-name")) }
                input #book-name name="name" value=(form.name) required maxlength="200" autocomplete="name";
                label for="book-email" { (t.get("book-email")) }
                input #book-email name="email" type="email" value=(form.email) required autocomplete="email";
                label for="book-topic" { (t.get("book-topic")) }
                textarea #book-topic name="topic" required maxlength="2000" rows="3" { (form.topic) }
                button.primary type="submit" #book-confirm { (t.get("book-confirm")) }
            }
            p { a href={"/book/" (token)} { (t.get("book-other-time")) } }
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
    let (_, set) = form_token(&state, &headers, CSRF_COOKIE, "/book");
    let mut r = booking_page(state.now(), &practice, client, &token, &slots, None).into_response();
    r.headers_mut().append(header::SET_COOKIE, set);
    Ok(r)
}

/// A time chosen (the details form), or the details sent (the booking).
async fn take(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(f): Form<BookForm>,
) -> Result<Response, Response> {
    if f.step == "book" {
        check_form_token(&headers, CSRF_COOKIE, &f.csrf)?;
    }
    let (link, practice) = resolve(&state, &token)
        .await
        .map_err(IntoResponse::into_response)?;
    let client = booking_client(&link, &practice).map_err(IntoResponse::into_response)?;
    let t = T(client.language);
    let start: Timestamp = frontdesk_core::bounds::instant(&f.start).map_err(|_| {
        ApiError::invalid(format!("{}: {:?}", t.get("book-time"), f.start)).into_response()
    })?;
    let id = link.practice;
    if f.step != "book" {
        // A time chosen: is it still free? Then ask who books and what about.
        let slots = slots_for(&state, id, &practice, client)
            .await
            .map_err(IntoResponse::into_response)?;
        if !slots.iter().any(|s| s.start == start) {
            return taken(&state, id, &practice, client, &token).await;
        }
        let (csrf, set) = form_token(&state, &headers, CSRF_COOKIE, "/book");
        let mut r = details_page(&practice, client, &token, &csrf, start, &f, None).into_response();
        r.headers_mut().append(header::SET_COOKIE, set);
        return Ok(r);
    }
    let booker = match Booker::parse(&f.name, &f.email, &f.topic) {
        Ok(b) => b,
        Err(e) => {
            let words = format!(
                "{}: {}",
                t.get(&format!("book-{}", e.kind)),
                t.get(&format!("book-error-{}", e.kind))
            );
            let mut r = details_page(&practice, client, &token, &f.csrf, start, &f, Some(words))
                .into_response();
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(r);
        }
    };
    let secret = frontdesk_desk::secrets::random_hex(24);
    let manage_url = format!("{}/book/change/{secret}", state.public_url());
    let p = practice.clone();
    let c = client.handle.clone();
    let now = state.now();
    let (b, url) = (booker.clone(), manage_url.clone());
    let booked = state
        .db(move |store| {
            let client = p.client(&c).ok_or_else(not_found)?;
            let hash = secret_hash(&secret);
            let booking = Booking {
                booker: &b,
                manage_hash: &hash,
                manage_url: &url,
            };
            match book(store, id, &p, client, now, start, Some(booking)) {
                Ok((n, m)) => Ok(Ok((n, m))),
                Err(StoreError::Refused(why)) => Ok(Err(why)),
                Err(e) => Err(e.into()),
            }
        })
        .await
        .map_err(IntoResponse::into_response)?;
    state.wake.notify_one();
    match booked {
        Ok((number, m)) => Ok(page(
            t,
            &title(t, &practice),
            None,
            html! {
                p.notice #booked { (t.args("book-done", &[("when", format!("{} ({})", when(t, client, m.start), t.zone(&client.zone, m.start)))])) }
                p #book-sent { (t.args("book-sent", &[("email", booker.email.clone())])) }
                p { a #invitation href={"/book/" (token) "/" (number) ".ics"} { (t.get("book-invite")) } }
                p { (t.get("book-keep-link")) " " a #change-link href=(manage_url) { (manage_url) } }
            },
        )
        .into_response()),
        Err(_) => taken(&state, id, &practice, client, &token).await,
    }
}

/// The free times again, saying the one chosen was just taken.
async fn taken(
    state: &AppState,
    id: PracticeId,
    practice: &std::sync::Arc<Practice>,
    client: &Client,
    token: &str,
) -> Result<Response, Response> {
    let slots = slots_for(state, id, practice, client)
        .await
        .map_err(IntoResponse::into_response)?;
    let message = T(client.language).get("book-taken");
    let mut r =
        booking_page(state.now(), practice, client, token, &slots, Some(message)).into_response();
    *r.status_mut() = StatusCode::CONFLICT;
    Ok(r)
}

/// The booking behind a change link, with its practice and client.
async fn find_booking(
    state: &AppState,
    secret: &str,
) -> Result<(Booked, std::sync::Arc<Practice>), ApiError> {
    let hash = secret_hash(secret);
    let s = state.clone();
    state
        .db(move |store| {
            let booked = store.booking(&hash)?.ok_or_else(not_found)?;
            let practice = s.practice(store, booked.practice)?;
            practice
                .client(&booked.meeting.client)
                .ok_or_else(not_found)?;
            Ok((booked, practice))
        })
        .await
}

/// The booking as the client sees it behind its change link: when, with whom, about what,
/// and what they may still do — move it to a free time, cancel it — as the notice rules say.
#[allow(clippy::too_many_arguments)]
fn change_page(
    now: Timestamp,
    practice: &Practice,
    client: &Client,
    secret: &str,
    csrf: &str,
    booked: &Booked,
    slots: &[Slot],
    message: Option<(bool, String)>,
) -> Html<String> {
    let t = T(client.language);
    let m: &Meeting = &booked.meeting;
    let title = t.args(
        "change-title",
        &[("practice", practice.settings().name.clone())],
    );
    let member = practice
        .member(&m.member)
        .map_or(m.member.to_string(), |x| x.name.clone());
    let notice = frontdesk_core::agenda::cancellation_notice(client).to_string();
    let deadline = change_deadline(client, m).map(|d| when(t, client, d));
    let action = format!("/book/change/{secret}");
    page(
        t,
        &title,
        None,
        html! {
            h1 { (title) }
            @if let Some((ok, text)) = &message {
                p class=(if *ok { "notice" } else { "error" }) #change-message role="status" { (text) }
            }
            dl {
                dt { (t.get("change-when")) }
                dd #change-when { (when(t, client, m.start)) " (" (t.zone(&client.zone, m.start)) ")" }
                dt { (t.get("change-with")) } dd { (member) }
                dt { (t.get("book-topic")) } dd { (booked.booker.topic) }
                dt { (t.get("change-status")) }
                dd #change-status { (t.get(&format!("status-{}", m.status.as_str()))) @if m.late { " — " (t.get("change-late-mark")) } }
            }
            @match may_change(client, m, now) {
                Change::Free => {
                    @if let Some(d) = &deadline { p { (t.args("change-until", &[("deadline", d.clone())])) } }
                    form.card method="post" action={(action) "/cancel"} {
                        input type="hidden" name="csrf" value=(csrf);
                        button type="submit" #change-cancel { (t.get("change-cancel")) }
                    }
                    h2 { (t.get("change-move")) }
                    (slot_list(t, client, slots, &action, html! {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="move" value="1";
                    }))
                },
                Change::LateCancelOnly => {
                    p #change-late { (t.args("change-late", &[("notice", notice)])) }
                    form.card method="post" action={(action) "/cancel"} {
                        input type="hidden" name="csrf" value=(csrf);
                        button type="submit" #change-cancel { (t.get("change-cancel-late")) }
                    }
                },
                Change::None => {
                    p #change-closed { (t.get("change-closed")) }
                },
            }
        },
    )
}

async fn change_view(
    state: &AppState,
    headers: &HeaderMap,
    secret: &str,
    message: Option<(bool, String)>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let (booked, practice) = find_booking(state, secret).await?;
    let client = practice
        .client(&booked.meeting.client)
        .ok_or_else(not_found)?;
    let now = state.now();
    let slots = if may_change(client, &booked.meeting, now) == Change::Free {
        slots_for(state, booked.practice, &practice, client).await?
    } else {
        Vec::new()
    };
    let (csrf, set) = form_token(state, headers, CSRF_COOKIE, "/book");
    let mut r = change_page(
        now, &practice, client, secret, &csrf, &booked, &slots, message,
    )
    .into_response();
    r.headers_mut().append(header::SET_COOKIE, set);
    *r.status_mut() = status;
    Ok(r)
}

async fn show_change(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (booked, practice) = find_booking(&state, &secret).await?;
    let t = practice
        .client(&booked.meeting.client)
        .map_or(T(practice.settings().language), |c| T(c.language));
    let message = match q.get("done").map(String::as_str) {
        Some("moved") => Some((
            true,
            t.args("change-moved", &[("email", booked.booker.email.clone())]),
        )),
        Some("cancelled") => Some((
            true,
            t.args(
                "change-cancelled",
                &[("email", booked.booker.email.clone())],
            ),
        )),
        _ => None,
    };
    change_view(&state, &headers, &secret, message, StatusCode::OK).await
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    start: String,
}

/// What a change did, or why not, as the client's page.
async fn changed(
    state: &AppState,
    headers: &HeaderMap,
    secret: &str,
    done: bool,
    what: &str,
    refused: &str,
) -> Result<Response, Response> {
    if done {
        return Ok(
            axum::response::Redirect::to(&format!("/book/change/{secret}?done={what}"))
                .into_response(),
        );
    }
    let (booked, practice) = find_booking(state, secret)
        .await
        .map_err(IntoResponse::into_response)?;
    let t = practice
        .client(&booked.meeting.client)
        .map_or(T(practice.settings().language), |c| T(c.language));
    change_view(
        state,
        headers,
        secret,
        Some((false, t.get(refused))),
        StatusCode::CONFLICT,
    )
    .await
    .map_err(IntoResponse::into_response)
}

async fn move_booking(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Form(f): Form<ChangeForm>,
) -> Result<Response, Response> {
    check_form_token(&headers, CSRF_COOKIE, &f.csrf)?;
    let start = frontdesk_core::bounds::instant(&f.start).ok();
    let done = act(&state, &secret, move |store, p, c, now, booked, link| {
        let start = start.ok_or_else(|| StoreError::Refused("no time".to_string()))?;
        reschedule(store, p, c, now, booked, start, link).map(|_| ())
    })
    .await?;
    changed(&state, &headers, &secret, done, "moved", "change-refused").await
}

async fn cancel_booking(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Form(f): Form<ChangeForm>,
) -> Result<Response, Response> {
    check_form_token(&headers, CSRF_COOKIE, &f.csrf)?;
    let done = act(&state, &secret, |store, p, c, now, booked, link| {
        cancel(store, p, c, now, booked, link).map(|_| ())
    })
    .await?;
    changed(
        &state,
        &headers,
        &secret,
        done,
        "cancelled",
        "change-closed",
    )
    .await
}

/// Does `change` to the booking behind the change link `secret`: false when it was refused.
async fn act(
    state: &AppState,
    secret: &str,
    change: impl FnOnce(
        &mut crate::state::DynStore,
        &Practice,
        &Client,
        Timestamp,
        &Booked,
        Booking<'_>,
    ) -> Result<(), StoreError>
    + Send
    + 'static,
) -> Result<bool, Response> {
    let (booked, practice) = find_booking(state, secret)
        .await
        .map_err(IntoResponse::into_response)?;
    let url = format!("{}/book/change/{secret}", state.public_url());
    let hash = secret_hash(secret);
    let now = state.now();
    let done = state
        .db(move |store| {
            let c = practice
                .client(&booked.meeting.client)
                .ok_or_else(not_found)?;
            let link = Booking {
                booker: &booked.booker,
                manage_hash: &hash,
                manage_url: &url,
            };
            match change(store, &practice, c, now, &booked, link) {
                Ok(()) => Ok(true),
                Err(StoreError::Refused(_)) => Ok(false),
                Err(e) => Err(e.into()),
            }
        })
        .await
        .map_err(IntoResponse::into_response)?;
    state.wake.notify_one();
    Ok(done)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/book/{token}", get(show).post(take))
        .route("/book/change/{secret}", get(show_change).post(move_booking))
        .route("/book/change/{secret}/cancel", post(cancel_booking))
}
