//! The promise register in the browser: the Promises page (what was promised to whom, by when,
//! pending approvals with approve and refuse for owners and managers, "kept" for the one who
//! promised), and the form to record a promise — also on a contact's page, for the contact it
//! answers. The rules are the desk's (`frontdesk_desk::promises`), as on the command line.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::promise::{Act, Kind, NewPromise, Promise, PromiseError, State as PState};
use frontdesk_core::{Handle, Practice};
use frontdesk_desk::promises::{self, PromiseFail};
use maud::{Markup, html};
use serde::Deserialize;

use crate::error::ApiError;
use crate::i18n::T;
use crate::layout::{PageUser, check_csrf, page};
use crate::state::AppState;

/// A kind of promise in words.
pub fn kind_words(t: T, kind: Kind) -> String {
    t.get(&format!("promise-kind-{}", kind.as_str()))
}

/// A refusal in the reader's words.
pub fn error_words(t: T, e: &PromiseError) -> String {
    use PromiseError as E;
    match e {
        E::UnknownClient(c) => t.args("promise-error-client", &[("client", c.clone())]),
        E::UnknownMember(m) => t.args("promise-error-member", &[("member", m.clone())]),
        E::NotTheirClient(m, c) => t.args(
            "promise-error-not-their-client",
            &[("member", m.clone()), ("client", c.clone())],
        ),
        E::Empty => t.get("promise-error-empty"),
        E::TooLong => t.get("promise-error-long"),
        E::DueInPast { due, today } => t.args(
            "promise-error-past",
            &[("due", t.day(*due)), ("today", t.day(*today))],
        ),
        E::NotAManager(_) => t.get("promise-error-not-a-manager"),
        E::NotPending { id, .. } => t.args("promise-error-not-pending", &[("id", id.to_string())]),
        E::NotOpen { id, .. } => t.args("promise-error-not-open", &[("id", id.to_string())]),
        E::NotTheirPromise { id, by } => t.args(
            "promise-error-not-theirs",
            &[("id", id.to_string()), ("by", by.clone())],
        ),
    }
}

fn refused(t: T, e: PromiseFail) -> Result<String, ApiError> {
    match e {
        PromiseFail::Refused(e) => Ok(error_words(t, &e)),
        PromiseFail::Store(frontdesk_store::StoreError::Refused(m)) => Ok(t.field_error(&m)),
        PromiseFail::Store(e) => Err(e.into()),
    }
}

/// What the add form holds.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub client: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub contact: Option<i64>,
}

/// The form to record a promise: for any of the member's clients, or for one contact.
pub fn add_form(
    t: T,
    user: &PageUser,
    practice: &Practice,
    typed: &AddForm,
    contact: Option<(i64, &Handle)>,
) -> Markup {
    let kind = if typed.kind.is_empty() {
        "delivery"
    } else {
        typed.kind.as_str()
    };
    html! {
        form.card.promise-form method="post" action="/promises" {
            h2 { (t.get("promise-add-title")) }
            p.hint { (t.get("promise-add-help")) }
            input type="hidden" name="csrf" value=(user.principal.csrf);
            @match contact {
                Some((id, client)) => {
                    input type="hidden" name="contact" value=(id);
                    input type="hidden" name="client" value=(client);
                }
                None => {
                    label for="promise-client" { (t.get("promise-col-client")) }
                    select id="promise-client" name="client" {
                        @for c in practice.clients_of(&user.principal.member) {
                            option value=(c.handle) selected[c.handle.as_str() == typed.client] { (c.name) }
                        }
                    }
                }
            }
            label for="promise-kind" { (t.get("promise-col-kind")) }
            select id="promise-kind" name="kind" {
                @for k in Kind::ALL {
                    option value=(k.as_str()) selected[k.as_str() == kind] { (kind_words(t, k)) }
                }
            }
            label for="promise-what" { (t.get("promise-col-what")) }
            input id="promise-what" name="what" required maxlength="500" value=(typed.what);
            label for="promise-due" { (t.get("promise-col-due")) }
            input id="promise-due" name="due" type="date" required value=(typed.due);
            button.primary type="submit" { (t.get("promise-record")) }
        }
    }
}

fn state_words(t: T, practice: &Practice, p: &Promise, now: jiff::Timestamp) -> String {
    let mut s = t.get(&format!("promise-state-{}", p.state.as_str()));
    if frontdesk_core::promise::overdue(practice, p, now) {
        s = format!("{s} — {}", t.get("promise-overdue-mark"));
    }
    s
}

/// The Promises page, with an error and what was typed when a change was refused.
async fn render(
    state: &AppState,
    user: &PageUser,
    error: Option<String>,
    typed: &AddForm,
) -> Result<Response, ApiError> {
    let t = user.t;
    let (s, now) = (state.clone(), state.now());
    let (pid, me) = (user.principal.practice, user.principal.member.clone());
    let (practice, list) = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            let list = promises::list(store, pid, &practice, &me, None)?;
            Ok((practice, list))
        })
        .await?;
    let me = &user.principal.member;
    let manager = practice.oversees(me);
    let client_name = |h: &Handle| practice.client(h).map_or(h.to_string(), |c| c.name.clone());
    let member_name = |h: &Handle| practice.member(h).map_or(h.to_string(), |m| m.name.clone());
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = html! {
        h1 { (t.get("promises-title")) }
        p { (t.get("promises-help")) }
        @if let Some(e) = &error { p.error role="alert" { (e) } }
        @if list.is_empty() { p { (t.get("promises-empty")) } } @else {
            table id="promises" {
                thead { tr {
                    th { (t.get("promise-col-client")) } th { (t.get("promise-col-what")) }
                    th { (t.get("promise-col-kind")) } th { (t.get("promise-col-due")) }
                    th { (t.get("promise-col-by")) } th { (t.get("promise-col-state")) } th {}
                } }
                tbody { @for p in &list {
                    tr id={"promise-" (p.id)} class=(p.state.as_str()) {
                        td { (client_name(&p.client)) }
                        td {
                            (p.what)
                            @if let Some(c) = p.contact { " " a href={"/contacts/" (c)} { "#" (c) } }
                            @if p.state == PState::Pending {
                                br; small { (t.args("promise-tell-client", &[("reply", frontdesk_core::promise::confirm_by(practice.client(&p.client).map_or(t.0, |c| c.language), p.due))])) }
                            }
                            @if let Some(n) = p.note.as_deref().filter(|n| !n.is_empty()) { br; small { (n) } }
                        }
                        td { (kind_words(t, p.kind)) }
                        td { (t.day(p.due)) }
                        td { (member_name(&p.by)) }
                        td { (state_words(t, &practice, p, now)) }
                        td {
                            @if p.state == PState::Pending && manager {
                                @for (what, label) in [("approve", "promise-approve"), ("refuse", "promise-refuse")] {
                                    form.inline method="post" action={"/promise/" (p.id) "/" (what)} {
                                        input type="hidden" name="csrf" value=(user.principal.csrf);
                                        label for={"note-" (what) "-" (p.id)} { (t.get("promise-note")) }
                                        input id={"note-" (what) "-" (p.id)} name="note";
                                        button type="submit" { (t.get(label)) }
                                    }
                                }
                            }
                            @if p.state == PState::Open && (p.by == *me || manager) {
                                form.inline method="post" action={"/promise/" (p.id) "/kept"} {
                                    input type="hidden" name="csrf" value=(user.principal.csrf);
                                    button type="submit" { (t.get("promise-kept-button")) }
                                }
                            }
                        }
                    }
                } }
            }
        }
        (add_form(t, user, &practice, typed, None))
    };
    Ok((status, page(t, &t.get("promises-title"), Some(user), body)).into_response())
}

async fn show(State(state): State<AppState>, user: PageUser) -> Result<Response, ApiError> {
    render(&state, &user, None, &AddForm::default()).await
}

async fn add(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<AddForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let t = user.t;
    let parsed = (|| -> Result<NewPromise, String> {
        let client = Handle::parse(f.client.trim())
            .map_err(|_| t.args("promise-error-client", &[("client", f.client.clone())]))?;
        let kind = Kind::parse(&f.kind)
            .ok_or_else(|| t.args("promise-error-kind", &[("kind", f.kind.clone())]))?;
        let due = f
            .due
            .trim()
            .parse::<jiff::civil::Date>()
            .map_err(|_| t.args("promise-error-due", &[("due", f.due.clone())]))?;
        Ok(NewPromise {
            client,
            contact: f.contact,
            kind,
            what: f.what.clone(),
            due,
            by: user.principal.member.clone(),
        })
    })();
    let new = match parsed {
        Ok(n) => n,
        Err(message) => {
            return render(&state, &user, Some(message), &f)
                .await
                .map_err(IntoResponse::into_response);
        }
    };
    let (pid, now, s) = (user.principal.practice, state.now(), state.clone());
    let result = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            match promises::record(store, pid, &practice, &new, now) {
                Ok(_) => Ok(None),
                Err(e) => Ok(Some(refused(t, e)?)),
            }
        })
        .await
        .map_err(IntoResponse::into_response)?;
    match result {
        None => Ok(Redirect::to("/promises").into_response()),
        Some(message) => render(&state, &user, Some(message), &f)
            .await
            .map_err(IntoResponse::into_response),
    }
}

#[derive(Deserialize)]
struct ActForm {
    csrf: String,
    #[serde(default)]
    note: String,
}

async fn act(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, what)): Path<(i64, String)>,
    Form(f): Form<ActForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let act = match what.as_str() {
        "approve" => Act::Approve(f.note.trim().to_string()),
        "refuse" => Act::Refuse(f.note.trim().to_string()),
        "kept" => Act::Keep,
        _ => return Err(ApiError::not_found(format!("no action {what:?}")).into_response()),
    };
    let t = user.t;
    let (pid, by, now, s) = (
        user.principal.practice,
        user.principal.member.clone(),
        state.now(),
        state.clone(),
    );
    let result = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            match promises::act(store, pid, &practice, id, &act, &by, now) {
                Ok(_) => Ok(None),
                Err(e) => Ok(Some(refused(t, e)?)),
            }
        })
        .await
        .map_err(IntoResponse::into_response)?;
    match result {
        None => Ok(Redirect::to("/promises").into_response()),
        Some(message) => render(&state, &user, Some(message), &AddForm::default())
            .await
            .map_err(IntoResponse::into_response),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/promises", get(show).post(add))
        .route("/promise/{id}/{what}", post(act))
}
