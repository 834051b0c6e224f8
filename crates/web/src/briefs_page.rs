//! Briefs in the browser: for an absence, the absent member's clients and where each brief
//! stands; a form to write each (the absent member, owners and managers); the cover's
//! acknowledgement or question; the absent member's answer. The rules and the audit entries
//! are the desk's (`frontdesk_desk::briefs`), as on the command line.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::brief::{Brief, Content, OpenItem, State as BriefState};
use frontdesk_core::{Handle, Practice};
use frontdesk_desk::briefs::{self, BriefFail, Row};
use frontdesk_store::BriefAct;
use jiff::civil::Date;
use maud::{Markup, html};
use serde::Deserialize;

use crate::error::ApiError;
use crate::i18n::T;
use crate::layout::{PageUser, check_csrf, page};
use crate::state::AppState;

/// A brief's state in words.
pub(crate) fn state_words(t: T, b: Option<&Brief>) -> String {
    t.get(match b.map(|b| b.state) {
        None => "brief-state-none",
        Some(BriefState::Waiting) => "brief-state-waiting",
        Some(BriefState::Question) => "brief-state-question",
        Some(BriefState::Acknowledged) => "brief-state-acknowledged",
    })
}

/// What a brief says, as the cover reads it.
pub(crate) fn brief_text(t: T, b: &Brief) -> Markup {
    let c = &b.content;
    html! {
        dl.brief {
            dt { (t.get("brief-status")) } dd { (c.status) }
            @if !c.open_items.is_empty() {
                dt { (t.get("brief-open-items")) }
                dd { ul { @for i in &c.open_items {
                    li { @if i.done { "✓ " } @if let Some(d) = i.due { (t.day(d)) ": " } (i.text) }
                } } }
            }
            @for (key, text) in [
                ("brief-promises", &c.promises), ("brief-waiting-for", &c.waiting_for),
                ("brief-people", &c.people), ("brief-may-promise", &c.may_promise),
                ("brief-must-not-promise", &c.must_not_promise), ("brief-material", &c.material),
            ] {
                @if !text.is_empty() { dt { (t.get(key)) } dd { (text) } }
            }
        }
        @for q in &b.questions {
            p.question { strong { (t.args("brief-asked", &[("who", q.asked_by.to_string())])) } " " (q.text) }
            @if let Some(a) = &q.answer { p.answer { strong { (t.get("brief-answer")) } " " (a) } }
        }
    }
}

/// The brief form's fields.
#[derive(Clone, Debug, Default, Deserialize)]
struct BriefForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    cover: String,
    #[serde(default)]
    status: String,
    /// One open item a line: "YYYY-MM-DD: what", or "what".
    #[serde(default)]
    items: String,
    #[serde(default)]
    promises: String,
    #[serde(default)]
    waiting_for: String,
    #[serde(default)]
    people: String,
    #[serde(default)]
    may_promise: String,
    #[serde(default)]
    must_not_promise: String,
    #[serde(default)]
    material: String,
    #[serde(default)]
    tell_client: Option<String>,
}

impl BriefForm {
    fn of(b: &Brief) -> BriefForm {
        let c = &b.content;
        BriefForm {
            csrf: String::new(),
            cover: b.cover.to_string(),
            status: c.status.clone(),
            items: c
                .open_items
                .iter()
                .map(|i| match i.due {
                    Some(d) => format!("{d}: {}", i.text),
                    None => i.text.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            promises: c.promises.clone(),
            waiting_for: c.waiting_for.clone(),
            people: c.people.clone(),
            may_promise: c.may_promise.clone(),
            must_not_promise: c.must_not_promise.clone(),
            material: c.material.clone(),
            tell_client: c.tell_client.then(|| "true".to_string()),
        }
    }

    /// The brief's content; a date that is not one is refused naming the line.
    fn content(&self) -> Result<Content, String> {
        let mut items = Vec::new();
        for (n, line) in self.items.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let item = OpenItem::parse_line(line).map_err(|e| format!("open_items[{n}]: {e}"))?;
            items.push(item);
        }
        Ok(Content {
            status: self.status.trim().to_string(),
            open_items: items,
            promises: self.promises.trim().to_string(),
            waiting_for: self.waiting_for.trim().to_string(),
            people: self.people.trim().to_string(),
            may_promise: self.may_promise.trim().to_string(),
            must_not_promise: self.must_not_promise.trim().to_string(),
            material: self.material.trim().to_string(),
            tell_client: self.tell_client.is_some(),
        })
    }
}

fn edit_form(
    user: &PageUser,
    practice: &Practice,
    absence: &frontdesk_core::Absence,
    client: &Handle,
    form: &BriefForm,
) -> Markup {
    let t = user.t;
    let action = format!("/briefs/{}/{}/{}", absence.member, absence.from, client);
    let id = |f: &str| format!("brief-{client}-{f}");
    let cover = if form.cover.is_empty() {
        absence.cover.as_str()
    } else {
        form.cover.as_str()
    };
    html! {
        form.card.brief-form method="post" action=(action) {
            input type="hidden" name="csrf" value=(user.principal.csrf);
            label for=(id("cover")) { (t.get("brief-cover")) }
            select id=(id("cover")) name="cover" {
                @for m in practice.members().iter().filter(|m| m.handle != absence.member) {
                    option value=(m.handle) selected[m.handle.as_str() == cover] { (m.name) }
                }
            }
            label for=(id("status")) { (t.get("brief-status")) }
            textarea id=(id("status")) name="status" rows="3" required { (form.status) }
            label for=(id("items")) { (t.get("brief-open-items")) " (" (t.get("brief-items-help")) ")" }
            textarea id=(id("items")) name="items" rows="3" { (form.items) }
            @for (name, key, value) in [
                ("promises", "brief-promises", &form.promises),
                ("waiting_for", "brief-waiting-for", &form.waiting_for),
                ("people", "brief-people", &form.people),
                ("may_promise", "brief-may-promise", &form.may_promise),
                ("must_not_promise", "brief-must-not-promise", &form.must_not_promise),
                ("material", "brief-material", &form.material),
            ] {
                label for=(id(name)) { (t.get(key)) }
                textarea id=(id(name)) name=(name) rows="2" { (value) }
            }
            label {
                input type="checkbox" name="tell_client" value="true" checked[form.tell_client.is_some()];
                " " (t.get("brief-tell-client"))
            }
            button.primary type="submit" { (t.get("brief-save")) }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn briefs_page(
    user: &PageUser,
    practice: &Practice,
    absence: &frontdesk_core::Absence,
    rows: &[Row],
    work: &frontdesk_core::brief::Workload,
    typed: Option<(&Handle, &BriefForm)>,
    message: Option<(bool, String)>,
) -> Response {
    let t = user.t;
    let me = &user.principal.member;
    let writes = *me == absence.member || practice.oversees(me);
    let member_name = practice
        .member(&absence.member)
        .map_or(absence.member.to_string(), |m| m.name.clone());
    let title = t.args(
        "briefs-title",
        &[
            ("member", member_name),
            ("from", t.day(absence.from)),
            ("until", t.day(absence.until)),
        ],
    );
    page(
        t,
        &title,
        Some(user),
        html! {
            h1 { (title) }
            p { (t.get("briefs-help")) " " a href={"/briefs/" (absence.member) "/" (absence.from) "/report"} { (t.get("report-link")) } }
            @if let Some((ok, m)) = &message {
                p class=(if *ok { "notice" } else { "error" }) #briefs-message role="status" { (m) }
            }
            @let load_args = [
                ("cover", practice.member(&work.cover).map_or(work.cover.to_string(), |m| m.name.clone())),
                ("covered", format!("{:.1}", work.covered_per_week)),
                ("own", format!("{:.1}", work.own_per_week)),
                ("hours", format!("{:.0}", work.hours_per_week)),
            ];
            @if work.fits {
                p #workload { (t.args("briefs-workload", &load_args)) }
            } @else {
                p.error #workload role="alert" { "⚠ " (t.args("briefs-workload", &load_args)) " " (t.get("briefs-workload-warning")) }
            }
            @if rows.is_empty() { p #briefs-none { (t.get("briefs-none")) } }
            @for r in rows {
                @let client = practice.client(&r.client).map_or(r.client.to_string(), |c| c.name.clone());
                section.card.brief id={"brief-" (r.client)} {
                    h2 { (client) }
                    p.state {
                        @if r.handed_over() { "✓ " } @else { "⚠ " }
                        (state_words(t, r.brief.as_ref()))
                        @if let Some(b) = &r.brief {
                            " — " (t.args("brief-covered-by", &[("cover", practice.member(&b.cover).map_or(b.cover.to_string(), |m| m.name.clone()))]))
                        }
                    }
                    @if let Some(b) = &r.brief {
                        (brief_text(t, b))
                        @if b.cover == *me || b.member == *me || practice.oversees(me) {
                            @for (i, item) in b.content.open_items.iter().enumerate().filter(|(_, i)| !i.done) {
                                form.inline method="post" action={"/brief/" (b.id) "/done"} {
                                    input type="hidden" name="csrf" value=(user.principal.csrf);
                                    input type="hidden" name="text" value=(i);
                                    button type="submit" { (t.args("brief-item-done", &[("item", item.text.clone())])) }
                                }
                            }
                        }
                        @if b.cover == *me && b.state == BriefState::Waiting {
                            form.inline method="post" action={"/brief/" (b.id) "/ack"} {
                                input type="hidden" name="csrf" value=(user.principal.csrf);
                                button.primary type="submit" { (t.get("brief-ack")) }
                            }
                        }
                        @if b.cover == *me && b.state != BriefState::Question {
                            form method="post" action={"/brief/" (b.id) "/ask"} {
                                input type="hidden" name="csrf" value=(user.principal.csrf);
                                label for={"ask-" (b.id)} { (t.get("brief-ask")) }
                                textarea id={"ask-" (b.id)} name="text" rows="2" required {}
                                button type="submit" { (t.get("brief-ask-send")) }
                            }
                        }
                        @if b.state == BriefState::Question && (b.member == *me || practice.oversees(me)) {
                            form method="post" action={"/brief/" (b.id) "/answer"} {
                                input type="hidden" name="csrf" value=(user.principal.csrf);
                                label for={"answer-" (b.id)} { (t.get("brief-answer-label")) }
                                textarea id={"answer-" (b.id)} name="text" rows="2" required {}
                                button.primary type="submit" { (t.get("brief-answer-send")) }
                            }
                        }
                    }
                    @if writes {
                        details open[typed.is_some_and(|(c, _)| *c == r.client) || r.brief.is_none()] {
                            summary { (t.get(if r.brief.is_some() { "brief-edit" } else { "brief-write" })) }
                            @let form = match typed {
                                Some((c, f)) if *c == r.client => f.clone(),
                                _ => r.brief.as_ref().map(BriefForm::of).unwrap_or_default(),
                            };
                            (edit_form(user, practice, absence, &r.client, &form))
                        }
                    }
                }
            }
        },
    )
    .into_response()
}

/// A brief refusal in the reader's words.
fn brief_error(t: T, e: &frontdesk_core::brief::BriefError) -> String {
    use frontdesk_core::brief::BriefError as E;
    let h = |h: &Handle| h.to_string();
    match e {
        E::NotTheirClient { client, member } => t.args(
            "brief-error-not-their-client",
            &[("client", h(client)), ("member", h(member))],
        ),
        E::NotTheirs(_) => t.get("brief-error-not-theirs"),
        E::NotTheCover(_) => t.get("brief-error-not-the-cover"),
        E::NotTheAnswerer(_) => t.get("brief-error-not-the-answerer"),
        E::CoverAway { cover, from, until } => t.args(
            "brief-error-cover-away",
            &[
                ("cover", h(cover)),
                ("from", t.day(*from)),
                ("until", t.day(*until)),
            ],
        ),
        E::SelfCover(_) => t.get("brief-error-self-cover"),
        E::QuestionOpen => t.get("brief-error-question-open"),
        E::NoQuestion => t.get("brief-error-no-question"),
        E::AlreadyAcknowledged => t.get("brief-error-acknowledged"),
        E::Empty => t.get("brief-error-empty"),
        E::BadText => t.get("brief-error-text"),
        _ => t.field_error(&e.to_string()),
    }
}

fn refused(t: T, e: BriefFail) -> Result<String, ApiError> {
    match e {
        BriefFail::Refused(e) => Ok(brief_error(t, &e)),
        BriefFail::Store(frontdesk_store::StoreError::Refused(m)) => Ok(t.field_error(&m)),
        BriefFail::Store(e) => Err(e.into()),
    }
}

/// The practice, the absence, its clients and the cover's workload.
type Loaded = (
    std::sync::Arc<Practice>,
    frontdesk_core::Absence,
    Vec<Row>,
    frontdesk_core::brief::Workload,
);

async fn load(
    state: &AppState,
    user: &PageUser,
    member: Handle,
    from: Date,
) -> Result<Loaded, ApiError> {
    let id = user.principal.practice;
    let s = state.clone();
    let now = state.now();
    let t = user.t;
    state
        .db(move |store| {
            let practice = s.practice(store, id)?;
            match briefs::list(store, id, &practice, &member, from, now) {
                Ok((absence, rows)) => {
                    let load = briefs::workload(store, id, &practice, &absence, now)?;
                    Ok((practice, absence, rows, load))
                }
                Err(BriefFail::Refused(e)) => {
                    Err(ApiError::not_found(t.field_error(&e.to_string())))
                }
                Err(BriefFail::Store(e)) => Err(e.into()),
            }
        })
        .await
}

/// An absence's briefs are not there for those who may not read them.
fn may_read(
    practice: &Practice,
    absence: &frontdesk_core::Absence,
    covers: &[&Handle],
    me: &Handle,
) -> Result<(), ApiError> {
    if frontdesk_core::brief::may_read(practice, absence, covers, me) {
        Ok(())
    } else {
        Err(ApiError::not_found("no such absence"))
    }
}

fn parse_path(member: &str, from: &str) -> Result<(Handle, Date), ApiError> {
    let member = Handle::parse(member).map_err(|e| ApiError::not_found(e.to_string()))?;
    let from =
        frontdesk_core::bounds::date(from).map_err(|e| ApiError::not_found(e.to_string()))?;
    Ok((member, from))
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path((member, from)): Path<(String, String)>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (member, from) = parse_path(&member, &from)?;
    let (practice, absence, rows, work) = load(&state, &user, member, from).await?;
    let covers: Vec<&Handle> = rows
        .iter()
        .filter_map(|r| r.brief.as_ref().map(|b| &b.cover))
        .collect();
    may_read(&practice, &absence, &covers, &user.principal.member)?;
    let message = q
        .contains_key("saved")
        .then(|| (true, user.t.get("brief-saved")));
    Ok(briefs_page(
        &user, &practice, &absence, &rows, &work, None, message,
    ))
}

async fn write(
    State(state): State<AppState>,
    user: PageUser,
    Path((member, from, client)): Path<(String, String, String)>,
    Form(f): Form<BriefForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let (member, from) = parse_path(&member, &from).map_err(IntoResponse::into_response)?;
    let client =
        Handle::parse(&client).map_err(|e| ApiError::not_found(e.to_string()).into_response())?;
    let t = user.t;
    let back = format!("/briefs/{member}/{from}");
    let result = match f.content() {
        Err(e) => Err(t.field_error(&e)),
        Ok(content) => {
            let cover = Handle::parse(f.cover.trim()).ok();
            let (id, by, now, s) = (
                user.principal.practice,
                user.principal.member.clone(),
                state.now(),
                state.clone(),
            );
            let (m, c) = (member.clone(), client.clone());
            state
                .db(move |store| {
                    let practice = s.practice(store, id)?;
                    Ok(
                        match briefs::write(
                            store,
                            id,
                            &practice,
                            &by,
                            &m,
                            from,
                            &c,
                            cover.as_ref(),
                            &content,
                            now,
                        ) {
                            Ok(_) => Ok(()),
                            Err(e) => Err(refused(t, e)?),
                        },
                    )
                })
                .await
                .map_err(IntoResponse::into_response)?
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{back}?saved=1")).into_response()),
        Err(message) => {
            let (practice, absence, rows, work) = load(&state, &user, member, from)
                .await
                .map_err(IntoResponse::into_response)?;
            let mut r = briefs_page(
                &user,
                &practice,
                &absence,
                &rows,
                &work,
                Some((&client, &f)),
                Some((false, message)),
            );
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

#[derive(Deserialize)]
struct ActForm {
    csrf: String,
    #[serde(default)]
    text: String,
}

async fn act(
    state: AppState,
    user: PageUser,
    id: i64,
    f: ActForm,
    what: &str,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let t = user.t;
    let act = match what {
        "ack" => BriefAct::Acknowledge,
        "ask" => BriefAct::Ask(f.text.trim().to_string()),
        "done" => BriefAct::ItemDone(f.text.trim().parse().unwrap_or(usize::MAX)),
        _ => BriefAct::Answer(f.text.trim().to_string()),
    };
    let (pid, by, now, s) = (
        user.principal.practice,
        user.principal.member.clone(),
        state.now(),
        state.clone(),
    );
    let result = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            let Some(b) = store.brief(pid, id)? else {
                return Err(ApiError::not_found(format!("no brief {id}")));
            };
            let back = format!("/briefs/{}/{}", b.member, b.absence_from);
            Ok(
                match briefs::act(store, pid, &practice, &by, id, act, now) {
                    Ok(_) => (back, None),
                    Err(e) => (back, Some(refused(t, e)?)),
                },
            )
        })
        .await
        .map_err(IntoResponse::into_response)?;
    match result {
        (back, None) => Ok(Redirect::to(&format!("{back}?saved=1")).into_response()),
        (back, Some(message)) => {
            let rest = back.trim_start_matches("/briefs/");
            let (m, from) = rest.split_once('/').unwrap_or((rest, ""));
            let (member, from) = parse_path(m, from).map_err(IntoResponse::into_response)?;
            let (practice, absence, rows, work) = load(&state, &user, member, from)
                .await
                .map_err(IntoResponse::into_response)?;
            let mut r = briefs_page(
                &user,
                &practice,
                &absence,
                &rows,
                &work,
                None,
                Some((false, message)),
            );
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
    }
}

/// `POST /brief/{id}/{what}`: ack, ask, answer or done.
async fn act_on(
    State(state): State<AppState>,
    user: PageUser,
    Path((id, what)): Path<(i64, String)>,
    Form(f): Form<ActForm>,
) -> Result<Response, Response> {
    if !["ack", "ask", "answer", "done"].contains(&what.as_str()) {
        return Err(ApiError::not_found(format!("no action {what:?}")).into_response());
    }
    act(state, user, id, f, &what).await
}

/// The return report's facts, for a reader allowed to see them.
async fn load_report(
    state: &AppState,
    user: &PageUser,
    member: &str,
    from: &str,
) -> Result<
    (
        std::sync::Arc<Practice>,
        frontdesk_core::Absence,
        Vec<briefs::ClientReport>,
    ),
    ApiError,
> {
    let (member, from) = parse_path(member, from)?;
    let me = user.principal.member.clone();
    let id = user.principal.practice;
    let (s, now, t) = (state.clone(), state.now(), user.t);
    state
        .db(move |store| {
            let practice = s.practice(store, id)?;
            match briefs::return_report(store, id, &practice, &member, from, now) {
                Ok((a, c)) => {
                    let covers: Vec<&Handle> = c
                        .iter()
                        .filter_map(|r| r.brief.as_ref().map(|b| &b.cover))
                        .collect();
                    may_read(&practice, &a, &covers, &me)?;
                    Ok((practice, a, c))
                }
                Err(BriefFail::Refused(e)) => Err(ApiError::not_found(brief_error(t, &e))),
                Err(BriefFail::Store(e)) => Err(e.into()),
            }
        })
        .await
}

/// The return report as a PDF file, for the manager's records.
async fn report_pdf(
    State(state): State<AppState>,
    user: PageUser,
    Path((member, from)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (practice, absence, clients) = load_report(&state, &user, &member, &from).await?;
    let pdf = crate::report_pdf::render(user.t, &practice, &absence, &clients)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let file = format!("return-report-{}-{}.pdf", absence.member, absence.from);
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}\""),
            ),
        ],
        pdf,
    )
        .into_response())
}

/// The return report as a page: per client what came in and how it was handled, the brief's
/// open items, and the call-back checklist with a form per client. Printable as it is.
async fn report(
    State(state): State<AppState>,
    user: PageUser,
    Path((member, from)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let t = user.t;
    let (practice, absence, clients) = load_report(&state, &user, &member, &from).await?;
    let me = &user.principal.member;
    let may_call = *me == absence.member || practice.oversees(me);
    let name = |h: &Handle| practice.member(h).map_or(h.to_string(), |m| m.name.clone());
    let title = t.args(
        "report-title",
        &[
            ("member", name(&absence.member)),
            ("from", t.day(absence.from)),
            ("until", t.day(absence.until)),
        ],
    );
    Ok(page(
        t,
        &title,
        Some(&user),
        html! {
            h1 { (title) }
            p.no-print { a href={"/briefs/" (absence.member) "/" (absence.from) "/report.pdf"} { (t.get("report-pdf")) } }
            @if clients.is_empty() { p { (t.get("report-empty")) } }
            @for c in &clients {
                @let l = c.line();
                section.card.report id={"report-" (c.client)} {
                    h2 {
                        (practice.client(&c.client).map_or(c.client.to_string(), |x| x.name.clone()))
                        @if c.leaving() { " " span.flag.leaving { "⚠ " (t.get("report-leaving")) } }
                    }
                    p.summary {
                        (t.args("report-summary", &[
                            ("contacts", l.contacts.to_string()), ("answered", l.answered.to_string()),
                            ("overdue", l.overdue.to_string()),
                        ]))
                        @if l.complaints > 0 { " " (t.args("report-complaint-count", &[("complaints", l.complaints.to_string())])) }
                    }
                    @if !c.contacts.is_empty() {
                        table {
                            thead { tr {
                                th { (t.get("contact-arrived")) } th { (t.get("col-channel")) }
                                th { (t.get("col-assignee")) } th { (t.get("col-due")) } th { (t.get("report-answered")) }
                            } }
                            tbody { @for x in &c.contacts {
                                tr class=(if x.overdue { "overdue" } else { "" }) {
                                    td { a href={"/contacts/" (x.id)} { (t.time(&practice, &x.assignee, x.arrived)) } }
                                    td { (t.channel(x.channel)) @if x.urgent { " " span.flag { "⚠ " (t.flag(frontdesk_core::Flag::Urgent)) } } }
                                    td { (name(&x.assignee)) }
                                    td { (t.time(&practice, &x.assignee, x.due)) }
                                    td {
                                        @match x.answered {
                                            Some(a) => (t.time(&practice, &x.assignee, a)),
                                            None => (t.get("report-unanswered")),
                                        }
                                        @if x.overdue { " — " strong { (t.get("report-late")) } }
                                    }
                                }
                            } }
                        }
                    }
                    @if l.complaints > 0 {
                        h3 { (t.get("report-complaints")) }
                        ul.complaints { @for x in c.complaints() {
                            li {
                                a href={"/contacts/" (x.id)} { (crate::report_pdf::complaint_said(t, &practice, x)) }
                                br;
                                (crate::report_pdf::resolution(t, &practice, x))
                            }
                        } }
                    }
                    @let promises: Vec<&String> = c.promises().collect();
                    @if !promises.is_empty() {
                        h3 { (t.get("report-promises-made")) }
                        ul.promises { @for p in promises { li { (p) } } }
                    }
                    @if let Some(b) = &c.brief {
                        p { (state_words(t, Some(b))) }
                        @if !b.content.open_items.is_empty() {
                            h3 { (t.get("brief-open-items")) }
                            ul { @for i in &b.content.open_items {
                                li { @if i.done { "✓ " } @else { "☐ " } @if let Some(d) = i.due { (t.day(d)) ": " } (i.text) }
                            } }
                        }
                        @if !b.content.promises.is_empty() { p { strong { (t.get("brief-promises")) ": " } (b.content.promises) } }
                    } @else {
                        p { (t.get("brief-state-none")) }
                    }
                    h3 { (t.get("report-callback")) }
                    @if c.callbacks.is_empty() { p.callback-missing { "☐ " (t.get("report-not-called")) } }
                    ul { @for cb in &c.callbacks {
                        li { "✓ " (t.args("report-called", &[("at", t.time(&practice, &cb.by, cb.at)), ("by", name(&cb.by)), ("outcome", cb.outcome.clone())])) }
                    } }
                    @if may_call {
                        form.no-print method="post" action={"/briefs/" (absence.member) "/" (absence.from) "/callback/" (c.client)} {
                            input type="hidden" name="csrf" value=(user.principal.csrf);
                            label for={"outcome-" (c.client)} { (t.get("report-outcome")) }
                            input id={"outcome-" (c.client)} name="outcome" required;
                            button type="submit" { (t.get("report-record")) }
                        }
                    }
                }
            }
        },
    )
    .into_response())
}

#[derive(Deserialize)]
struct CallbackForm {
    csrf: String,
    #[serde(default)]
    outcome: String,
}

async fn callback(
    State(state): State<AppState>,
    user: PageUser,
    Path((member, from, client)): Path<(String, String, String)>,
    Form(f): Form<CallbackForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let (member, from) = parse_path(&member, &from).map_err(IntoResponse::into_response)?;
    let client =
        Handle::parse(&client).map_err(|e| ApiError::not_found(e.to_string()).into_response())?;
    let (id, by, now, s, t) = (
        user.principal.practice,
        user.principal.member.clone(),
        state.now(),
        state.clone(),
        user.t,
    );
    let m = member.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, id)?;
            briefs::record_callback(
                store, id, &practice, &by, &m, from, &client, &f.outcome, now,
            )
            .map_err(|e| match e {
                BriefFail::Refused(e) => ApiError::invalid(brief_error(t, &e)),
                BriefFail::Store(e) => e.into(),
            })
        })
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(Redirect::to(&format!("/briefs/{member}/{from}/report")).into_response())
}

/// The audit log (owners and managers): whether the chain is intact, and its entries, newest
/// first, optionally one client's.
async fn audit(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let t = user.t;
    let id = user.principal.practice;
    let s = state.clone();
    let me = user.principal.member.clone();
    let client = q.get("client").filter(|c| !c.is_empty()).cloned();
    let (practice, verified, entries) = state
        .db(move |store| {
            let practice = s.practice(store, id)?;
            if !practice.oversees(&me) {
                return Err(ApiError::forbidden(
                    "only owners and managers read the audit log",
                ));
            }
            let (entries, head) = store.audit(id)?;
            let verified = frontdesk_core::audit::verify(&entries, head).map(|()| entries.len());
            let mut entries: Vec<_> = entries
                .into_iter()
                .map(|(e, _)| e)
                .filter(|e| client.as_ref().is_none_or(|c| e.client.as_ref() == Some(c)))
                .collect();
            entries.reverse();
            entries.truncate(500);
            Ok((practice, verified, entries))
        })
        .await?;
    let me = &user.principal.member;
    Ok(page(
        t,
        &t.get("audit-title"),
        Some(&user),
        html! {
            h1 { (t.get("audit-title")) }
            @match &verified {
                Ok(n) => p.notice #audit-ok { "✓ " (t.args("audit-intact", &[("count", n.to_string())])) },
                Err(e) => p.error #audit-broken role="alert" { "⚠ " (t.args("audit-broken", &[("why", e.to_string())])) },
            }
            form method="get" action="/audit" {
                label for="audit-client" { (t.get("col-client")) }
                select #audit-client name="client" {
                    option value="" { (t.get("audit-all")) }
                    @for c in practice.clients() {
                        option value=(c.handle) selected[q.get("client").is_some_and(|x| *x == c.handle.as_str())] { (c.name) }
                    }
                }
                button type="submit" { (t.get("audit-show")) }
            }
            table #audit-entries {
                thead { tr { th { "#" } th { (t.get("audit-when")) } th { (t.get("audit-who")) } th { (t.get("audit-what")) } th { (t.get("col-client")) } th { (t.get("audit-about")) } } }
                tbody { @for e in &entries {
                    tr {
                        td { (e.seq) } td { (t.time(&practice, me, e.at)) } td { (e.actor) }
                        td { (t.get(&format!("audit-kind-{}", e.kind.replace('.', "-")))) }
                        td { (e.client.as_deref().unwrap_or("")) } td { (e.subject) }
                    }
                } }
            }
        },
    )
    .into_response())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/audit", get(audit))
        .route("/briefs/{member}/{from}/report", get(report))
        .route("/briefs/{member}/{from}/report.pdf", get(report_pdf))
        .route("/briefs/{member}/{from}/callback/{client}", post(callback))
        .route("/briefs/{member}/{from}", get(show))
        .route("/briefs/{member}/{from}/{client}", post(write))
        .route("/brief/{id}/{what}", post(act_on))
}
