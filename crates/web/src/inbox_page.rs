//! The inbox (live through server-sent events), a contact's page with its answer, and the
//! reader's language choice.

#![allow(clippy::result_large_err)]

use std::convert::Infallible;

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Language;
use frontdesk_store::ContactId;
use futures_util::Stream;
use maud::{Markup, html};
use serde::Deserialize;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::error::ApiError;
use crate::state::{AppState, Event};

use crate::layout::*;

/// What to do first on a desk with nothing to answer: a checklist with links, each step marked
/// in words when it is done.
fn first_steps(t: crate::i18n::T, practice: &frontdesk_core::Practice) -> maud::Markup {
    let first = practice.clients().first();
    let client_page = first.map_or("/clients".to_string(), |c| format!("/clients/{}", c.handle));
    let steps = [
        ("first-hours", "/team".to_string(), None),
        (
            "first-client",
            "/clients".to_string(),
            Some(first.is_some()),
        ),
        (
            "first-people",
            client_page.clone(),
            Some(practice.clients().iter().any(|c| !c.people.is_empty())),
        ),
        ("first-link", format!("{client_page}#booking-links"), None),
        ("first-contacts", "/settings".to_string(), None),
    ];
    html! {
        section.card #first-steps {
            h2 { (t.get("first-steps-title")) }
            ol {
                @for (key, href, done) in steps {
                    li {
                        a href=(href) { (t.get(key)) }
                        @if done == Some(true) { " " span.done { "✓ " (t.get("first-done")) } }
                    }
                }
            }
        }
    }
}

/// How many contacts the inbox page lists, most urgent first.
const INBOX_ROWS: usize = 50;

// ---- inbox and contacts ---------------------------------------------------------------------

/// What the inbox page shows: `?q=…&show=mine|overdue|urgent&channel=…&client=…&page=2`.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct InboxParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    show: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    client: String,
    #[serde(default)]
    page: Option<usize>,
}

impl InboxParams {
    /// The store's query; a filter value that is not one is refused, naming the field.
    fn query(&self, me: &frontdesk_core::Handle) -> Result<frontdesk_store::InboxQuery, ApiError> {
        let page = self.page.unwrap_or(1).clamp(1, 100_000);
        crate::api::contacts::inbox_query(
            me,
            crate::api::contacts::InboxFilters {
                q: Some(&self.q),
                show: Some(&self.show),
                channel: Some(&self.channel),
                client: Some(&self.client),
            },
            (page - 1) * INBOX_ROWS,
            INBOX_ROWS,
        )
    }

    /// The query string of this view on another page.
    fn on_page(&self, page: usize) -> String {
        let enc = |v: &str| -> String {
            v.bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect()
        };
        format!(
            "?q={}&show={}&channel={}&client={}&page={page}",
            enc(&self.q),
            enc(&self.show),
            enc(&self.channel),
            enc(&self.client)
        )
    }
}

async fn inbox_rows_markup(
    state: &AppState,
    user: &PageUser,
    params: &InboxParams,
) -> Result<Markup, ApiError> {
    let p = user.principal.clone();
    let t = user.t;
    let s = state.clone();
    let now = state.now();
    let query = params.query(&p.member)?;
    let q = query.clone();
    // Only the reading holds the database; the page is rendered after.
    let (practice, inbox) = state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            let inbox = store.inbox_page(p.practice, &practice.scope(&p.member), now, &q)?;
            Ok((practice, inbox))
        })
        .await?;
    let page = params.page.unwrap_or(1).max(1);
    let first = query.offset + 1;
    let last = query.offset + inbox.entries.len();
    Ok(html! {
        div id="inbox-rows" {
            p { (t.args("inbox-counts", &[("open", inbox.open.to_string()), ("overdue", inbox.overdue.to_string())])) }
            @if inbox.entries.is_empty() {
                p { (t.get(if inbox.open == 0 { "inbox-empty" } else { "inbox-none-match" })) }
                @if inbox.open == 0 {
                    (first_steps(t, &practice))
                }
            } @else {
                p #inbox-showing { (t.args("inbox-showing", &[("first", first.to_string()), ("last", last.to_string()), ("matching", inbox.matching.to_string())])) }
                table {
                    thead { tr {
                        th { span.visually-hidden { (t.get("inbox-select")) } }
                        th { "#" } th { (t.get("col-due")) } th { (t.get("col-client")) }
                        th { (t.get("col-channel")) } th { (t.get("col-decision")) }
                        th { (t.get("col-assignee")) } th { (t.get("col-says")) }
                    } }
                    tbody {
                        @for e in &inbox.entries {
                            @let overdue = frontdesk_core::is_overdue(e.due, now);
                            @let urgent = e.flags.contains(&frontdesk_core::Flag::Urgent);
                            tr.overdue[overdue].urgent[urgent] {
                                td { input type="checkbox" name="id" value=(e.id.0) form="bulk" aria-label=(t.args("inbox-select-one", &[("id", e.id.0.to_string())])); }
                                td { a href={"/contacts/" (e.id.0)} { (e.id.0) } }
                                td { (t.time(&practice, &e.assignee, e.due)) @if overdue { " " span.flag.overdue-flag { (t.get("overdue")) } } }
                                td { (e.client) }
                                td { (t.channel(e.channel)) }
                                td {
                                    // An urgent verdict is its own highlighted flag, not said twice.
                                    @if e.verdict == frontdesk_core::Verdict::Urgent {
                                        span.flag.urgent-flag { (t.verdict(e.verdict)) }
                                    } @else {
                                        @if urgent { span.flag.urgent-flag { (t.flag(frontdesk_core::Flag::Urgent)) } " " }
                                        (t.verdict(e.verdict))
                                    }
                                    @for f in e.flags.iter().filter(|f| **f != frontdesk_core::Flag::Urgent) { " " span.flag { (t.flag(*f)) } }
                                }
                                td { (e.assignee) }
                                td { a href={"/contacts/" (e.id.0)} { (e.summary.as_deref().unwrap_or("")) } }
                            }
                        }
                    }
                }
                nav.pager {
                    @if page > 1 { a #inbox-previous href=(params.on_page(page - 1)) { "← " (t.get("inbox-previous")) } " " }
                    @if (last as u64) < inbox.matching { a #inbox-next href=(params.on_page(page + 1)) { (t.get("inbox-next")) " →" } }
                }
            }
        }
    })
}

/// The filter form above the rows.
fn filters_markup(user: &PageUser, params: &InboxParams) -> Markup {
    let t = user.t;
    html! {
        form.filters method="get" action="/inbox" role="search" {
            label for="inbox-q" { (t.get("inbox-search")) }
            input #inbox-q type="search" name="q" value=(params.q);
            label for="inbox-show" { (t.get("inbox-show")) }
            select #inbox-show name="show" {
                @for (v, key) in [("", "inbox-show-all"), ("mine", "inbox-show-mine"), ("overdue", "inbox-show-overdue"), ("urgent", "inbox-show-urgent")] {
                    option value=(v) selected[params.show == v] { (t.get(key)) }
                }
            }
            label for="inbox-channel" { (t.get("col-channel")) }
            select #inbox-channel name="channel" {
                option value="" { (t.get("inbox-show-all")) }
                @for c in frontdesk_core::Channel::ALL {
                    option value=(c.as_str()) selected[params.channel == c.as_str()] { (t.channel(c)) }
                }
            }
            button type="submit" { (t.get("inbox-filter")) }
        }
    }
}

/// For whoever oversees the practice: each mailbox's state (its last error shows), and the
/// messages from senders no client has, to assign to a client or dismiss.
async fn mail_markup(state: &AppState, user: &PageUser) -> Result<Markup, ApiError> {
    let p = user.principal.clone();
    let s = state.clone();
    let found = state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            if !practice.oversees(&p.member) {
                return Ok(None);
            }
            let boxes = store.mailboxes(p.practice)?;
            let unmatched = store.unmatched(p.practice)?;
            Ok(Some((practice, boxes, unmatched)))
        })
        .await?;
    let Some((practice, boxes, unmatched)) = found else {
        return Ok(html! {});
    };
    let t = user.t;
    let me = &user.principal.member;
    Ok(html! {
        @if !boxes.is_empty() {
            section.card #mailboxes {
                h2 { (t.get("mailboxes-title")) }
                ul {
                    @for b in &boxes {
                        li {
                            strong { (b.mailbox) } " — "
                            (t.args("mailboxes-read", &[("read", b.read.to_string()), ("present", b.present.to_string())]))
                            @if let Some(at) = b.checked {
                                " · " (t.args("mailboxes-checked", &[("at", t.time(&practice, me, at))]))
                            }
                            @if let Some((at, e)) = &b.error {
                                p.error { (t.args("mailboxes-error", &[("at", t.time(&practice, me, *at)), ("error", e.clone())])) }
                            }
                        }
                    }
                }
            }
        }
        @if !unmatched.is_empty() {
            section.card #unmatched {
                h2 { (t.args("unmatched-title", &[("count", unmatched.len().to_string())])) }
                p { (t.get("unmatched-help")) }
                table {
                    thead { tr { th { (t.get("contact-arrived")) } th { (t.get("contact-from")) } th { (t.get("col-says")) } th {} } }
                    tbody {
                        @for u in &unmatched {
                            @let id = u.key.rsplit('\u{1f}').next().unwrap_or(&u.key);
                            tr {
                                td { (t.time(&practice, me, u.at)) }
                                td { (u.from) }
                                td { (frontdesk_core::quotes::new_text(&u.body).chars().take(120).collect::<String>()) }
                                td {
                                    form method="post" action="/mail/assign" {
                                        input type="hidden" name="csrf" value=(user.principal.csrf);
                                        input type="hidden" name="message_id" value=(id);
                                        label { (t.get("col-client")) " "
                                            select name="client" {
                                                @for c in practice.clients() { option value=(c.handle) { (c.name) } }
                                            }
                                        }
                                        label { input type="checkbox" name="remember" value="on"; " " (t.get("unmatched-remember")) }
                                        button.primary type="submit" { (t.get("unmatched-assign")) }
                                    }
                                    form method="post" action="/mail/dismiss" {
                                        input type="hidden" name="csrf" value=(user.principal.csrf);
                                        input type="hidden" name="message_id" value=(id);
                                        button type="submit" { (t.get("unmatched-dismiss")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

async fn inbox_page(
    State(state): State<AppState>,
    user: PageUser,
    Query(params): Query<InboxParams>,
) -> Result<Html<String>, ApiError> {
    let rows = inbox_rows_markup(&state, &user, &params).await?;
    let filters = filters_markup(&user, &params);
    let mail = mail_markup(&state, &user).await?;
    let t = user.t;
    Ok(page(
        t,
        &t.get("inbox-title"),
        Some(&user),
        html! {
            h1 { (t.get("inbox-title")) }
            p { small { (t.get("inbox-live")) } }
            (filters)
            form #bulk method="post" action="/contacts/answer" {
                input type="hidden" name="csrf" value=(user.principal.csrf);
                button type="submit" #bulk-answer { (t.get("inbox-bulk-answer")) }
                " " small { (t.get("inbox-keys")) }
            }
            (rows)
            (mail)
        },
    ))
}

#[derive(Deserialize)]
struct AssignForm {
    csrf: String,
    message_id: String,
    client: String,
    /// "on" when the sender's address is to be remembered as the client's.
    #[serde(default)]
    remember: Option<String>,
}

/// Records a message from an unknown sender as a client's contact (remembering the address
/// when asked: an edit of the practice file, so only those who oversee it).
async fn assign_mail(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<AssignForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let client = frontdesk_core::Handle::parse(f.client.trim())
        .map_err(|e| ApiError::invalid(format!("client: {e}")).into_response())?;
    let p = user.principal.clone();
    let s = state.clone();
    let now = state.now();
    let remember = f.remember.as_deref() == Some("on");
    let message_id = f.message_id.clone();
    let r = state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            if !practice.oversees(&p.member) {
                return Err(ApiError::forbidden(
                    "only owners and managers assign mail from unknown senders",
                ));
            }
            let (r, _) = frontdesk_desk::mail::assign(
                store,
                p.practice,
                &practice,
                &message_id,
                &client,
                remember,
                now,
            )?;
            Ok(r)
        })
        .await;
    if remember {
        // The practice file changed: the cached one is stale (the error case too: the edit
        // may have been applied before the assignment failed).
        state.forget_practices();
    }
    let r = r.map_err(IntoResponse::into_response)?;
    let _ = state.events.send(Event::Inbox {
        practice: user.principal.practice,
    });
    state.wake.notify_one();
    Ok(Redirect::to(&format!("/contacts/{}", r.id.0)).into_response())
}

#[derive(Deserialize)]
struct DismissForm {
    csrf: String,
    message_id: String,
}

async fn dismiss_mail(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<DismissForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let p = user.principal.clone();
    let s = state.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            if !practice.oversees(&p.member) {
                return Err(ApiError::forbidden(
                    "only owners and managers dismiss mail from unknown senders",
                ));
            }
            store.drop_unmatched(p.practice, &frontdesk_desk::mail::key(&f.message_id))?;
            Ok(())
        })
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(Redirect::to("/inbox").into_response())
}

async fn inbox_rows(
    State(state): State<AppState>,
    user: PageUser,
    Query(params): Query<InboxParams>,
) -> Result<Html<String>, ApiError> {
    Ok(Html(
        inbox_rows_markup(&state, &user, &params)
            .await?
            .into_string(),
    ))
}

async fn events(
    State(state): State<AppState>,
    user: PageUser,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let practice = user.principal.practice;
    let mine = user.session_hash.clone();
    let stream = BroadcastStream::new(state.events.subscribe())
        // Signing out ends the stream: a closed session hears nothing more.
        .take_while(move |e| !matches!(e, Ok(Event::SignedOut { session }) if *session == mine))
        .filter_map(move |e| match e {
            Ok(Event::Inbox { practice: p }) if p == practice => {
                Some(Ok(SseEvent::default().event("inbox").data("changed")))
            }
            // A lagging listener just refreshes.
            Err(_) => Some(Ok(SseEvent::default().event("inbox").data("changed"))),
            _ => None,
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[derive(Deserialize, Default)]
struct ContactQuery {
    /// A sentence of the answer just sent that reads as a promise.
    #[serde(default)]
    promise: Option<String>,
}

async fn contact_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<ContactQuery>,
) -> Result<Response, ApiError> {
    let p = user.principal.clone();
    let s = state.clone();
    let found = state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            let r = store.contact(p.practice, ContactId(id)).ok();
            let Some(r) =
                r.filter(|r| practice.may_see(&p.member, &r.inbound.client, &r.decision.assignee))
            else {
                return Ok(None);
            };
            // The brief the owner left for this client, while they are away.
            let brief = match practice.client(&r.inbound.client).and_then(|c| {
                let owner = practice.member(&c.owner)?;
                let today = s.now().to_zoned_datetime(owner.zone.tz().clone()).date();
                practice.absence_on(&c.owner, today)
            }) {
                Some(a) => store
                    .briefs(p.practice, &a.member, a.from)?
                    .into_iter()
                    .find(|b| b.client == r.inbound.client),
                None => None,
            };
            // The rest of its conversation, as far as this member may see it.
            let thread: Vec<_> = store
                .thread(p.practice, ContactId(id))?
                .into_iter()
                .filter(|c| practice.may_see(&p.member, &c.inbound.client, &c.decision.assignee))
                .collect();
            Ok(Some((practice, r, thread, brief)))
        })
        .await?;
    let t = user.t;
    let Some((practice, r, thread, brief)) = found else {
        return Ok((
            StatusCode::NOT_FOUND,
            page(
                t,
                &t.get("error-not-found"),
                Some(&user),
                html! { p { (t.get("error-not-found")) } },
            ),
        )
            .into_response());
    };
    let d = &r.decision;
    let title = t.args("contact-title", &[("id", id.to_string())]);
    Ok(page(
        t,
        &title,
        Some(&user),
        html! {
            h1 { (title) }
            @if let Some(b) = &brief {
                section.card #contact-brief {
                    h2 { (t.args("contact-brief", &[("member", practice.member(&b.member).map_or(b.member.to_string(), |m| m.name.clone()))])) }
                    p { (crate::briefs_page::state_words(t, Some(b))) }
                    (crate::briefs_page::brief_text(t, b))
                }
            }
            dl {
                dt { (t.get("col-client")) } dd { (r.inbound.client) }
                dt { (t.get("contact-from")) } dd { (r.inbound.from) " (" (t.channel(r.inbound.channel)) ")" }
                dt { (t.get("contact-arrived")) } dd { (t.time(&practice, &d.assignee, r.inbound.at)) }
                dt { (t.get("contact-says")) } dd { (r.inbound.body.as_deref().unwrap_or("")) }
                dt { (t.get("contact-decision")) } dd { (t.verdict(d.verdict)) @for f in &d.flags { " " span.flag { (t.flag(*f)) } } }
                dt { (t.get("col-assignee")) } dd { (d.assignee) }
                dt { (t.get("contact-due")) } dd { (t.time(&practice, &d.assignee, d.due)) }
                dt { (t.get("contact-reasons")) } dd { ul {
                    // Said in the member's language where the reasons were kept as data; older
                    // contacts have only the English words.
                    @if d.why.is_empty() {
                        @for reason in &d.reasons { li { (reason) } }
                    } @else {
                        @for reason in &d.why { li { (t.reason(reason)) } }
                    }
                } }
                @if let Some(reply) = &d.reply {
                    dt { (t.get("contact-reply")) } dd { "[" (reply.language.code()) "] " (reply.text) }
                }
            }
            @if thread.len() > 1 {
                h2 { (t.get("contact-thread")) }
                ol.thread {
                    @for c in &thread {
                        li {
                            @if c.id == r.id {
                                strong { (t.time(&practice, &d.assignee, c.inbound.at)) " · " (c.inbound.from) }
                            } @else {
                                a href={"/contacts/" (c.id.0)} { (t.time(&practice, &d.assignee, c.inbound.at)) " · " (c.inbound.from) }
                            }
                            " — " (c.inbound.body.as_deref().unwrap_or("").lines().next().unwrap_or(""))
                        }
                    }
                }
            }
            @match (r.answer, &r.automatic) {
                (Some(a), _) => p { (t.args("contact-answered", &[("at", t.time(&practice, &d.assignee, a.at))])) },
                (None, Some(kind)) => p.automatic { (t.args("contact-automatic", &[("kind", t.get(&format!("automatic-{kind}")))])) },
                (None, None) => form method="post" action={"/contacts/" (id) "/answer"} {
                    input type="hidden" name="csrf" value=(user.principal.csrf);
                    label for="answer-text" { (t.get("contact-answer-text")) }
                    textarea #answer-text name="text" rows="5" {}
                    button.primary type="submit" { (t.get("contact-answer")) }
                },
            }
            @if let Some(promise) = &q.promise {
                p.notice #answer-promises { (t.args("contact-reads-as-promise", &[("sentence", promise.clone())])) }
            }
            (crate::promises_page::add_form(t, &user, &practice, &crate::promises_page::AddForm {
                what: q.promise.clone().unwrap_or_default(),
                ..Default::default()
            }, Some((id, &r.inbound.client))))
        },
    )
    .into_response())
}

#[derive(Deserialize)]
struct AnswerForm {
    csrf: String,
    /// The answer for the client, sent to them; empty: only recorded.
    #[serde(default)]
    text: String,
}

async fn answer_contact(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let text =
        crate::api::contacts::answer_text(Some(&f.text)).map_err(IntoResponse::into_response)?;
    let p = user.principal.clone();
    let s = state.clone();
    let now = state.now();
    let promises = state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            let r = store
                .contact(p.practice, ContactId(id))
                .map_err(|_| ApiError::not_found(format!("no contact {id}")))?;
            if !practice.may_see(&p.member, &r.inbound.client, &r.decision.assignee) {
                return Err(ApiError::not_found(format!("no contact {id}")));
            }
            let r = frontdesk_desk::contacts::answer(
                store,
                p.practice,
                &practice,
                ContactId(id),
                now,
                text.as_deref(),
                Some(&p.member),
                None,
            )?;
            Ok(text
                .as_deref()
                .map(|t| frontdesk_desk::contacts::promises_in_answer(&practice, &r, t))
                .unwrap_or_default())
        })
        .await
        .map_err(IntoResponse::into_response)?;
    let _ = state.events.send(Event::Inbox {
        practice: user.principal.practice,
    });
    state.wake.notify_one();
    // A sentence of the answer that reads as a promise is offered for the register.
    Ok(match promises.first() {
        Some(p) => Redirect::to(&format!("/contacts/{id}?promise={}", query_escape(p))),
        None => Redirect::to(&format!("/contacts/{id}")),
    }
    .into_response())
}

/// `text` escaped for a URL's query: letters, digits and `-_.~` as they are, every other byte
/// as `%XX`.
fn query_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Marks the checked contacts answered now (each in its own transaction; those answered
/// already, or not this member's to see, are left as they are).
async fn answer_many(
    State(state): State<AppState>,
    user: PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, Response> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    check_csrf(&user.principal.csrf, csrf)?;
    let ids: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "id")
        .filter_map(|(_, v)| v.parse().ok())
        .take(500)
        .collect();
    let p = user.principal.clone();
    let s = state.clone();
    let now = state.now();
    state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            for id in ids {
                let Ok(r) = store.contact(p.practice, ContactId(id)) else {
                    continue;
                };
                if r.answer.is_some()
                    || !practice.may_see(&p.member, &r.inbound.client, &r.decision.assignee)
                {
                    continue;
                }
                frontdesk_desk::contacts::answer(
                    store,
                    p.practice,
                    &practice,
                    ContactId(id),
                    now,
                    None,
                    Some(&p.member),
                    None,
                )?;
            }
            Ok(())
        })
        .await
        .map_err(IntoResponse::into_response)?;
    let _ = state.events.send(Event::Inbox {
        practice: user.principal.practice,
    });
    Ok(Redirect::to("/inbox").into_response())
}

#[derive(Deserialize)]
struct LanguageForm {
    csrf: String,
    language: String,
}

async fn set_language(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    Form(f): Form<LanguageForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let lang = Language::parse(&f.language)
        .map_err(|e| ApiError::invalid(format!("language: {e}")).into_response())?;
    let p = user.principal.clone();
    state
        .db(move |s| Ok(s.set_language(p.practice, &p.member, Some(lang.code()))?))
        .await
        .map_err(IntoResponse::into_response)?;
    // Back where the member was, when that was one of our pages.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("://").map(|i| &r[i + 3..]))
        .and_then(|r| r.find('/').map(|i| r[i..].to_string()))
        .filter(|path| path.starts_with('/') && !path.starts_with("//"))
        .unwrap_or_else(|| "/inbox".to_string());
    Ok(Redirect::to(&back).into_response())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(inbox_page))
        .route("/inbox/rows", get(inbox_rows))
        .route("/events", get(events))
        .route("/contacts/{id}", get(contact_page))
        .route("/contacts/{id}/answer", post(answer_contact))
        .route("/contacts/answer", post(answer_many))
        .route("/mail/assign", post(assign_mail))
        .route("/mail/dismiss", post(dismiss_mail))
        .route("/language", post(set_language))
}
