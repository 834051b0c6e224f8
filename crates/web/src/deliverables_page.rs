//! Deliverables in the browser (story S4): each client's deliverables with their goal, due date
//! and days on hold; the input requests with a button per item received; forms to add a
//! deliverable, to ask the client for input by a date, and to mark one done. The rules are the
//! desk's (`frontdesk_desk::deliverables`), as on the command line.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Handle;
use frontdesk_core::deliverable::{DeliverableError, State as DState, days_on_hold_at};
use frontdesk_desk::deliverables::{self, DeliverableFail};
use maud::html;
use serde::Deserialize;

use crate::error::ApiError;
use crate::i18n::T;
use crate::layout::{PageUser, check_csrf, page};
use crate::state::AppState;

/// A refusal in the reader's words.
pub fn error_words(t: T, e: &DeliverableError) -> String {
    use DeliverableError as E;
    match e {
        E::UnknownClient(c) => t.args("promise-error-client", &[("client", c.clone())]),
        E::NotTheirClient(m, c) => t.args(
            "promise-error-not-their-client",
            &[("member", m.clone()), ("client", c.clone())],
        ),
        E::Empty(field) => t.args(
            "deliverable-error-empty",
            &[("field", t.get(&format!("deliverable-field-{field}")))],
        ),
        E::TooLong(field) => t.args(
            "deliverable-error-long",
            &[("field", t.get(&format!("deliverable-field-{field}")))],
        ),
        E::Items => t.get("deliverable-error-items"),
        E::AfterDue { by, due } => t.args(
            "deliverable-error-after-due",
            &[("by", t.day(*by)), ("due", t.day(*due))],
        ),
        E::Past { field, date, today } => t.args(
            "deliverable-error-past",
            &[
                ("field", t.get(&format!("deliverable-field-{field}"))),
                ("date", t.day(*date)),
                ("today", t.day(*today)),
            ],
        ),
        E::Done(id) => t.args("deliverable-error-done", &[("id", id.to_string())]),
        E::NoItem { id, item } => t.args(
            "deliverable-error-no-item",
            &[("id", id.to_string()), ("item", item.to_string())],
        ),
    }
}

fn refused(t: T, e: DeliverableFail) -> Result<String, ApiError> {
    match e {
        DeliverableFail::Refused(e) => Ok(error_words(t, &e)),
        DeliverableFail::Store(frontdesk_store::StoreError::Refused(m)) => Ok(t.field_error(&m)),
        DeliverableFail::Store(e) => Err(e.into()),
    }
}

async fn render(
    state: &AppState,
    user: &PageUser,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let t = user.t;
    let (s, now) = (state.clone(), state.now());
    let (pid, me) = (user.principal.practice, user.principal.member.clone());
    let (practice, list, requests) = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            let list: Vec<_> = store
                .deliverables(pid)?
                .into_iter()
                .filter(|d| practice.clients_of(&me).any(|c| c.handle == d.client))
                .collect();
            let requests = store.input_requests(pid)?;
            Ok((practice, list, requests))
        })
        .await?;
    let me = &user.principal.member;
    let client_name = |h: &Handle| practice.client(h).map_or(h.to_string(), |c| c.name.clone());
    let csrf = &user.principal.csrf;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = html! {
        h1 { (t.get("deliverables-title")) }
        p { (t.get("deliverables-help")) }
        @if let Some(e) = &error { p.error role="alert" { (e) } }
        @if list.is_empty() { p { (t.get("deliverables-empty")) } }
        @for d in &list {
            section.card.deliverable id={"deliverable-" (d.id)} class=(d.state.as_str()) {
                h2 { (client_name(&d.client)) ": " (d.name) }
                p {
                    (t.args("deliverable-due", &[("due", t.day(d.due)), ("goal", d.goal.clone())]))
                    " — " strong { (t.get(&format!("deliverable-state-{}", d.state.as_str()))) }
                    @let held = days_on_hold_at(&practice, d, now);
                    @if held > 0 { " " (t.args("deliverable-held", &[("days", held.to_string())])) }
                }
                @for r in requests.iter().filter(|r| r.deliverable == d.id) {
                    h3 { (t.args("deliverable-request", &[("by", t.day(r.by))])) }
                    ul { @for (i, item) in r.items.iter().enumerate() {
                        li {
                            @if item.received.is_some() { "✓ " (item.text) } @else {
                                "☐ " (item.text) " "
                                form.inline method="post" action={"/input/" (r.id) "/received/" (i + 1)} {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" { (t.args("deliverable-received", &[("item", item.text.clone())])) }
                                }
                            }
                        }
                    } }
                }
                @if d.state != DState::Done && (d.member == *me || practice.oversees(me)) {
                    form method="post" action={"/deliverables/" (d.id) "/request"} {
                        input type="hidden" name="csrf" value=(csrf);
                        label for={"items-" (d.id)} { (t.get("deliverable-items")) }
                        textarea id={"items-" (d.id)} name="items" rows="3" required {}
                        label for={"by-" (d.id)} { (t.get("deliverable-by")) }
                        input id={"by-" (d.id)} name="by" type="date" required;
                        button type="submit" { (t.get("deliverable-ask")) }
                    }
                    form.inline method="post" action={"/deliverables/" (d.id) "/done"} {
                        input type="hidden" name="csrf" value=(csrf);
                        button type="submit" { (t.get("deliverable-done")) }
                    }
                }
            }
        }
        form.card method="post" action="/deliverables" {
            h2 { (t.get("deliverable-add")) }
            input type="hidden" name="csrf" value=(csrf);
            label for="deliverable-client" { (t.get("promise-col-client")) }
            select id="deliverable-client" name="client" {
                @for c in practice.clients_of(me) { option value=(c.handle) { (c.name) } }
            }
            label for="deliverable-name" { (t.get("deliverable-field-name")) }
            input id="deliverable-name" name="name" required maxlength="300";
            label for="deliverable-goal" { (t.get("deliverable-field-goal")) }
            input id="deliverable-goal" name="goal" required maxlength="300";
            label for="deliverable-due-date" { (t.get("deliverable-field-due")) }
            input id="deliverable-due-date" name="due" type="date" required;
            button.primary type="submit" { (t.get("deliverable-add")) }
        }
    };
    Ok((
        status,
        page(t, &t.get("deliverables-title"), Some(user), body),
    )
        .into_response())
}

async fn show(State(state): State<AppState>, user: PageUser) -> Result<Response, ApiError> {
    render(&state, &user, None).await
}

#[derive(Deserialize, Default)]
struct Fields {
    csrf: String,
    #[serde(default)]
    client: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    goal: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    items: String,
    #[serde(default)]
    by: String,
}

enum Change {
    Add,
    Request(i64),
    Done(i64),
    Received(i64, usize),
}

fn date(t: T, field: &str, value: &str) -> Result<jiff::civil::Date, String> {
    value.trim().parse().map_err(|_| {
        t.args(
            "deliverable-error-date",
            &[
                ("field", t.get(&format!("deliverable-field-{field}"))),
                ("value", value.to_string()),
            ],
        )
    })
}

async fn change(
    state: AppState,
    user: PageUser,
    f: Fields,
    what: Change,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let t = user.t;
    let (pid, me, now, s) = (
        user.principal.practice,
        user.principal.member.clone(),
        state.now(),
        state.clone(),
    );
    let public_url = state.public_url().to_string();
    // Dates and handles typed in the form, read first.
    let typed = match &what {
        Change::Add => date(t, "due", &f.due).map(Some),
        Change::Request(_) => date(t, "by", &f.by).map(Some),
        _ => Ok(None),
    };
    let day = match typed {
        Ok(d) => d,
        Err(message) => {
            return render(&state, &user, Some(message))
                .await
                .map_err(IntoResponse::into_response);
        }
    };
    let result = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            let done = match what {
                Change::Add => {
                    let client = Handle::parse(f.client.trim()).map_err(|_| {
                        ApiError::invalid(
                            t.args("promise-error-client", &[("client", f.client.clone())]),
                        )
                    })?;
                    let due = day.unwrap_or_default();
                    deliverables::add(
                        store, pid, &practice, &client, &f.name, &f.goal, due, &me, now,
                    )
                    .map(|_| ())
                }
                Change::Request(id) => {
                    let items: Vec<String> = f
                        .items
                        .lines()
                        .map(str::to_string)
                        .filter(|l| !l.trim().is_empty())
                        .collect();
                    let by = day.unwrap_or_default();
                    deliverables::request(store, pid, &practice, id, &items, by, &me, now)
                        .map(|_| ())
                }
                // Done: the client is asked to rate it against its goal.
                Change::Done(id) => deliverables::done_and_ask_rating(
                    store,
                    pid,
                    &practice,
                    id,
                    &me,
                    &public_url,
                    now,
                )
                .map(|_| ()),
                Change::Received(id, item) => {
                    deliverables::received(store, pid, &practice, id, item, &me, now).map(|_| ())
                }
            };
            match done {
                Ok(()) => Ok(None),
                Err(e) => Ok(Some(refused(t, e)?)),
            }
        })
        .await
        .map_err(IntoResponse::into_response)?;
    match result {
        None => Ok(Redirect::to("/deliverables").into_response()),
        Some(message) => render(&state, &user, Some(message))
            .await
            .map_err(IntoResponse::into_response),
    }
}

async fn add(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<Fields>,
) -> Result<Response, Response> {
    change(state, user, f, Change::Add).await
}

async fn on_deliverable(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, what)): Path<(i64, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, Response> {
    let what = match what.as_str() {
        "request" => Change::Request(id),
        "done" => Change::Done(id),
        _ => return Err(ApiError::not_found(format!("no action {what:?}")).into_response()),
    };
    change(state, user, f, what).await
}

async fn received(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, item)): Path<(i64, usize)>,
    Form(f): Form<Fields>,
) -> Result<Response, Response> {
    change(state, user, f, Change::Received(id, item)).await
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/deliverables", get(show).post(add))
        .route("/deliverables/{id}/{what}", post(on_deliverable))
        .route("/input/{id}/received/{item}", post(received))
}
