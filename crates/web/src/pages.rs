//! Server-rendered pages: first-run setup, sign-in, the inbox (live through server-sent
//! events) and a contact's detail. Forms carry a CSRF token; the pages need no JavaScript, and
//! `static/app.js` only refreshes the inbox when something arrives.

// Handlers return a ready `Response` as their error, axum's idiom; it is large but returned
// once per request.
#![allow(clippy::result_large_err)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::OnceLock;

use axum::Router;
use axum::extract::{ConnectInfo, Form, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use frontdesk_core::Language;
use frontdesk_store::{ContactId, Principal};
use futures_util::Stream;
use jiff::Timestamp;
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::auth::{
    SESSION_COOKIE, hash_password, new_session_secret, random_hex, same_secret, secret_hash,
    verify_password,
};
use crate::error::ApiError;
use crate::state::{AppState, Event};

const CSRF_COOKIE: &str = "fd_csrf";
const SESSION_HOURS: i64 = 12;
/// How many contacts the inbox page lists, most urgent first.
const INBOX_ROWS: usize = 50;

// ---- languages ------------------------------------------------------------------------------

const UI_SOURCES: [(Language, &str); 5] = [
    (Language::En, include_str!("../locales/en.ftl")),
    (Language::Es, include_str!("../locales/es.ftl")),
    (Language::Ru, include_str!("../locales/ru.ftl")),
    (Language::It, include_str!("../locales/it.ftl")),
    (Language::Nl, include_str!("../locales/nl.ftl")),
];

fn bundles() -> &'static Vec<(Language, FluentBundle<FluentResource>)> {
    static B: OnceLock<Vec<(Language, FluentBundle<FluentResource>)>> = OnceLock::new();
    B.get_or_init(|| {
        UI_SOURCES
            .iter()
            .map(|(lang, src)| {
                let res = FluentResource::try_new(src.to_string())
                    .unwrap_or_else(|(_, e)| panic!("{lang} UI messages: {e:?}"));
                let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("language id");
                let mut b = FluentBundle::new_concurrent(vec![id]);
                b.set_use_isolating(false);
                b.add_resource(res).expect("no duplicate UI messages");
                (*lang, b)
            })
            .collect()
    })
}

/// The message ids of one language's UI file, for the test that every language has them all.
pub fn message_ids(lang: Language) -> Vec<String> {
    let src = UI_SOURCES
        .iter()
        .find(|(l, _)| *l == lang)
        .expect("known")
        .1;
    src.lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
        .filter(|k| !k.starts_with('#') && !k.is_empty())
        .collect()
}

/// The UI in one language.
#[derive(Clone, Copy)]
pub struct T(pub Language);

impl T {
    pub fn get(&self, key: &str) -> String {
        self.args(key, &[])
    }

    /// An instant in a member's zone, in this language's way: "mar 01/12/2026 10:05 CET".
    pub fn time(
        &self,
        practice: &frontdesk_core::Practice,
        member: &frontdesk_core::Handle,
        at: Timestamp,
    ) -> String {
        match practice.member(member) {
            Some(m) => self.local(&at.to_zoned_datetime(m.zone.tz().clone()), "%H:%M %Z"),
            None => at.to_string(),
        }
    }

    /// An instant in a named zone, in this language's way, with the zone: "mar 01/12/2026 10:05
    /// (Europe/Madrid)".
    pub fn time_in(&self, at: Timestamp, zone: &str) -> String {
        match jiff::tz::TimeZone::get(zone) {
            Ok(tz) => format!(
                "{} ({zone})",
                self.local(&at.to_zoned_datetime(tz), "%H:%M")
            ),
            Err(_) => at.to_string(),
        }
    }

    /// The weekday and date in this language's way, then the time as `clock` formats it.
    fn local(&self, z: &jiff::ZonedDateTime, clock: &str) -> String {
        let day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            [usize::try_from(z.weekday().to_monday_zero_offset()).unwrap_or(0)];
        format!(
            "{} {} {}",
            self.get(&format!("weekday-{day}")),
            z.strftime(&self.get("date-format")),
            z.strftime(clock)
        )
    }

    /// A decision's reason in this language.
    pub fn reason(&self, r: &frontdesk_core::Reason) -> String {
        use frontdesk_core::Reason as R;
        let s = |v: &str| v.to_string();
        match r {
            R::Covering {
                owner,
                from,
                until,
                cover,
            } => self.args(
                "reason-covering",
                &[
                    ("owner", s(owner)),
                    ("from", from.to_string()),
                    ("until", until.to_string()),
                    ("cover", s(cover)),
                ],
            ),
            R::ReadsUrgent { evidence } => {
                self.args("reason-urgent", &[("evidence", evidence.join(", "))])
            }
            R::UrgentNow { at, zone, member } => self.args(
                "reason-urgent-now",
                &[("when", self.time_in(*at, zone)), ("member", s(member))],
            ),
            R::UrgentAfterHours {
                at,
                zone,
                member,
                surcharge_pct,
            } => self.args(
                "reason-urgent-after-hours",
                &[
                    ("when", self.time_in(*at, zone)),
                    ("member", s(member)),
                    ("pct", surcharge_pct.to_string()),
                ],
            ),
            R::UrgentHeld { at, zone, member } => self.args(
                "reason-urgent-held",
                &[("when", self.time_in(*at, zone)), ("member", s(member))],
            ),
            R::OutOfHours {
                at,
                zone,
                member,
                target,
            } => self.args(
                "reason-out-of-hours",
                &[
                    ("when", self.time_in(*at, zone)),
                    ("member", s(member)),
                    ("target", s(target)),
                ],
            ),
            R::NoContent => self.get("reason-no-content"),
            R::OverAllowance { call, allowance } => self.args(
                "reason-over-allowance",
                &[
                    ("call", call.to_string()),
                    ("allowance", allowance.to_string()),
                ],
            ),
            R::StandingCallTakes { at, zone } => {
                self.args("reason-standing-call", &[("when", self.time_in(*at, zone))])
            }
            R::NoStandingCall => self.get("reason-no-standing-call"),
            R::InHours {
                at,
                zone,
                member,
                target,
            } => self.args(
                "reason-in-hours",
                &[
                    ("when", self.time_in(*at, zone)),
                    ("member", s(member)),
                    ("target", s(target)),
                ],
            ),
            R::NoWorkingTime { member } => {
                self.args("reason-no-working-time", &[("member", s(member))])
            }
        }
    }

    /// Whether the language has the message.
    pub fn has(&self, key: &str) -> bool {
        bundles()
            .iter()
            .any(|(l, b)| *l == self.0 && b.get_message(key).is_some_and(|m| m.value().is_some()))
    }

    pub fn args(&self, key: &str, args: &[(&str, String)]) -> String {
        let (_, b) = bundles()
            .iter()
            .find(|(l, _)| *l == self.0)
            .expect("every language has a bundle");
        let Some(msg) = b.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        b.format_pattern(msg, Some(&fa), &mut errors).into_owned()
    }
}

/// The member's preference, else the browser's Accept-Language, else English.
fn language(headers: &HeaderMap, preference: Option<&str>) -> Language {
    if let Some(l) = preference.and_then(|p| Language::parse(p).ok()) {
        return l;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut choices: Vec<(f32, Language)> = accept
        .split(',')
        .filter_map(|part| {
            let mut it = part.trim().split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
                .unwrap_or(1.0);
            let primary = tag.split('-').next()?.to_ascii_lowercase();
            Language::parse(&primary).ok().map(|l| (q, l))
        })
        .collect();
    choices.sort_by(|a, b| b.0.total_cmp(&a.0));
    choices.first().map_or(Language::En, |(_, l)| *l)
}

// ---- cookies and sessions -------------------------------------------------------------------

pub(crate) fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether cookies must be Secure: the server was told it is behind TLS, or the proxy in
/// front of it says the request came over HTTPS.
pub(crate) fn behind_tls(state: &AppState, headers: &HeaderMap) -> bool {
    state.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

fn set_cookie(secure: bool, path: &str, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("cookie values are hex")
}

/// Before sign-in a form's CSRF token lives in a cookie (double submit): the one the browser
/// already has, or a new one. Returns the token and the cookie to set for `path`.
pub(crate) fn form_token(
    state: &AppState,
    headers: &HeaderMap,
    name: &str,
    path: &str,
) -> (String, HeaderValue) {
    let token = cookie(headers, name)
        .filter(|c| c.len() == 64)
        .map_or_else(|| random_hex(32), str::to_string);
    let header = set_cookie(behind_tls(state, headers), path, name, &token, 3600);
    (token, header)
}

/// Checks a form's CSRF field against the token in cookie `name`.
pub(crate) fn check_form_token(
    headers: &HeaderMap,
    name: &str,
    given: &str,
) -> Result<(), Response> {
    check_csrf(cookie(headers, name).unwrap_or(""), given)
}

/// A signed-in member, from the session cookie; pages without one redirect to sign-in.
pub struct PageUser {
    pub principal: Principal,
    pub session_hash: Vec<u8>,
    pub t: T,
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string) else {
            return Err(Redirect::to("/signin").into_response());
        };
        let hash = secret_hash(&secret);
        let h = hash.clone();
        let now = state.now();
        let principal = state
            .db(move |store| Ok(store.session(&h, now)?))
            .await
            .map_err(IntoResponse::into_response)?;
        match principal {
            Some(principal) => {
                let t = T(language(&parts.headers, principal.language.as_deref()));
                Ok(PageUser {
                    principal,
                    session_hash: hash,
                    t,
                })
            }
            None => Err(Redirect::to("/signin").into_response()),
        }
    }
}

pub(crate) fn check_csrf(expected: &str, given: &str) -> Result<(), Response> {
    // Tokens this server hands out are 64 hex digits; anything else was not given by it.
    if expected.len() != 64 || !same_secret(expected, given) {
        return Err((StatusCode::FORBIDDEN, "invalid or missing CSRF token").into_response());
    }
    Ok(())
}

// ---- layout ---------------------------------------------------------------------------------

pub(crate) fn page(t: T, title: &str, user: Option<&PageUser>, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang=(t.0.code()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " — " (t.get("app-name")) }
                    link rel="stylesheet" href="/static/app.css";
                }
                body {
                    header {
                        strong { (t.get("app-name")) }
                        @if let Some(u) = user {
                            a href="/inbox" { (t.get("nav-inbox")) }
                            a href="/agenda" { (t.get("nav-agenda")) }
                            a href="/clients" { (t.get("nav-clients")) }
                            a href="/dashboard" { (t.get("nav-dashboard")) }
                            a href="/team" { (t.get("nav-team")) }
                            a href="/outbox" { (t.get("nav-outbox")) }
                            a href="/settings" { (t.get("nav-settings")) }
                            form.language method="post" action="/language" {
                                input type="hidden" name="csrf" value=(u.principal.csrf);
                                label for="pref-language" { (t.get("nav-language")) }
                                select id="pref-language" name="language" {
                                    @for l in Language::ALL {
                                        option value=(l.code()) selected[l == t.0] { (l.code()) }
                                    }
                                }
                                button type="submit" id="language-save" { (t.get("language-save")) }
                            }
                            form.signout method="post" action="/signout" {
                                input type="hidden" name="csrf" value=(u.principal.csrf);
                                button type="submit" { (t.get("nav-signout")) }
                            }
                        }
                    }
                    main { (body) }
                    script src="/static/app.js" {}
                }
            }
        }
        .into_string(),
    )
}

// ---- setup and sign-in ----------------------------------------------------------------------

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if !state.db(|s| Ok(s.has_accounts()?)).await? {
        return Ok(Redirect::to("/setup").into_response());
    }
    Ok(match cookie(&headers, SESSION_COOKIE) {
        Some(_) => Redirect::to("/inbox").into_response(),
        None => Redirect::to("/signin").into_response(),
    })
}

/// A form page that is not signed in yet: a CSRF token in a cookie and in the form.
fn anonymous_form(
    state: &AppState,
    headers: &HeaderMap,
    body: impl FnOnce(T, &str) -> Html<String>,
) -> Response {
    let t = T(language(headers, None));
    let (token, set) = form_token(state, headers, CSRF_COOKIE, "/");
    let mut r = body(t, &token).into_response();
    r.headers_mut().append(header::SET_COOKIE, set);
    r
}

async fn signin_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    anonymous_form(&state, &headers, |t, csrf| signin_page(t, csrf, None))
}

fn signin_page(t: T, csrf: &str, error: Option<String>) -> Html<String> {
    page(
        t,
        &t.get("signin-title"),
        None,
        html! {
            form.card method="post" action="/signin" {
                h1 { (t.get("signin-title")) }
                @if let Some(e) = error { p.error { (e) } }
                input type="hidden" name="csrf" value=(csrf);
                label for="email" { (t.get("signin-email")) }
                input id="email" name="email" type="email" required autocomplete="username";
                label for="password" { (t.get("signin-password")) }
                input id="password" name="password" type="password" required autocomplete="current-password";
                button.primary type="submit" { (t.get("signin-submit")) }
            }
        },
    )
}

#[derive(Deserialize)]
struct SignIn {
    csrf: String,
    email: String,
    password: String,
}

async fn signin(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<SignIn>,
) -> Result<Response, Response> {
    check_form_token(&headers, CSRF_COOKIE, &f.csrf)?;
    let t = T(language(&headers, None));
    let key = format!("{}|{}", peer.ip(), f.email.trim().to_ascii_lowercase());
    if !state.sign_in_limit.allowed(&key) {
        return Err((
            StatusCode::TOO_MANY_REQUESTS,
            signin_page(t, &f.csrf, Some(t.get("signin-limited"))),
        )
            .into_response());
    }
    let email = f.email.clone();
    let logins = state
        .db(move |s| Ok(s.logins(&email)?))
        .await
        .map_err(IntoResponse::into_response)?;
    // Verify against every account with this email (usually one); argon2 runs off the
    // async threads.
    let password = f.password.clone();
    let found = tokio::task::spawn_blocking(move || {
        logins
            .into_iter()
            .find(|l| verify_password(&password, &l.password_hash))
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()).into_response())?;
    let Some(login) = found else {
        state.sign_in_limit.failed(&key);
        return Err((
            StatusCode::UNAUTHORIZED,
            signin_page(t, &f.csrf, Some(t.get("signin-failed"))),
        )
            .into_response());
    };
    state.sign_in_limit.succeeded(&key);
    start_session(
        &state,
        behind_tls(&state, &headers),
        login.practice,
        login.member,
    )
    .await
}

async fn start_session(
    state: &AppState,
    secure: bool,
    practice: frontdesk_store::PracticeId,
    member: frontdesk_core::Handle,
) -> Result<Response, Response> {
    let secret = new_session_secret();
    let hash = secret_hash(&secret);
    let csrf = random_hex(32);
    let expires = state.now() + jiff::SignedDuration::from_hours(SESSION_HOURS);
    state
        .db(move |s| Ok(s.create_session(practice, &member, &hash, &csrf, expires)?))
        .await
        .map_err(IntoResponse::into_response)?;
    let mut r = Redirect::to("/inbox").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(secure, "/", SESSION_COOKIE, &secret, SESSION_HOURS * 3600),
    );
    Ok(r)
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

async fn signout(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: PageUser,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let hash = user.session_hash.clone();
    state
        .db(move |s| Ok(s.delete_session(&hash)?))
        .await
        .map_err(IntoResponse::into_response)?;
    let mut r = Redirect::to("/signin").into_response();
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(behind_tls(&state, &headers), "/", SESSION_COOKIE, "", 0),
    );
    Ok(r)
}

async fn setup_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if state.db(|s| Ok(s.has_accounts()?)).await? {
        return Ok(Redirect::to("/signin").into_response());
    }
    Ok(anonymous_form(&state, &headers, |t, csrf| {
        setup_page(t, csrf, None)
    }))
}

fn setup_page(t: T, csrf: &str, error: Option<String>) -> Html<String> {
    page(
        t,
        &t.get("setup-title"),
        None,
        html! {
            form.card method="post" action="/setup" {
                h1 { (t.get("setup-title")) }
                p { (t.get("setup-intro")) }
                @if let Some(e) = error { p.error { (e) } }
                input type="hidden" name="csrf" value=(csrf);
                @for (name, key, kind) in [("practice", "setup-practice", "text"), ("name", "setup-name", "text"),
                    ("handle", "setup-handle", "text"), ("email", "setup-email", "email"),
                    ("time_zone", "setup-zone", "text"), ("password", "setup-password", "password")] {
                    label for=(name) { (t.get(key)) }
                    input id=(name) name=(name) type=(kind) required;
                }
                label for="language" { (t.get("setup-language")) }
                select id="language" name="language" {
                    @for l in Language::ALL { option value=(l.code()) selected[l == t.0] { (l.code()) } }
                }
                button.primary type="submit" { (t.get("setup-submit")) }
            }
        },
    )
}

#[derive(Deserialize)]
struct Setup {
    csrf: String,
    practice: String,
    name: String,
    handle: String,
    email: String,
    time_zone: String,
    language: String,
    password: String,
}

async fn setup(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<Setup>,
) -> Result<Response, Response> {
    check_form_token(&headers, CSRF_COOKIE, &f.csrf)?;
    let t = T(language(&headers, None));
    let fail = |msg: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            setup_page(t, &f.csrf, Some(msg)),
        )
            .into_response()
    };
    let password = frontdesk_core::Password::parse(&f.password).map_err(|e| fail(e.to_string()))?;
    let practice = frontdesk_practice::first_run(&frontdesk_practice::FirstRun {
        practice: f.practice.clone(),
        handle: f.handle.clone(),
        name: f.name.clone(),
        email: f.email.clone(),
        time_zone: f.time_zone.clone(),
        language: f.language.clone(),
    })
    .map_err(|e| fail(e.to_string()))?;
    let member = practice.members()[0].handle.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| fail(e.to_string()))?;
    let m = member.clone();
    let created = state
        .db(move |s| {
            // Only the first run sets up: once anyone can sign in, this page is closed.
            if s.has_accounts()? {
                return Ok(None);
            }
            let applied = s.apply(&practice)?;
            s.set_password(applied.id, &m, &hash)?;
            Ok(Some(applied.id))
        })
        .await
        .map_err(|e| fail(e.message))?;
    state.forget_practices();
    match created {
        Some(id) => start_session(&state, behind_tls(&state, &headers), id, member).await,
        None => Ok(Redirect::to("/signin").into_response()),
    }
}

// ---- inbox and contacts ---------------------------------------------------------------------

async fn inbox_rows_markup(state: &AppState, user: &PageUser) -> Result<Markup, ApiError> {
    let p = user.principal.clone();
    let t = user.t;
    let s = state.clone();
    let now = state.now();
    // Only the reading holds the database; the page is rendered after.
    let (practice, inbox) = state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            let inbox = store.inbox(p.practice, &practice.scope(&p.member), now, INBOX_ROWS)?;
            Ok((practice, inbox))
        })
        .await?;
    Ok(html! {
        div id="inbox-rows" {
            p { (t.args("inbox-counts", &[("open", inbox.open.to_string()), ("overdue", inbox.overdue.to_string())])) }
            @if inbox.entries.is_empty() {
                p { (t.get("inbox-empty")) }
            } @else {
                table {
                    thead { tr {
                        th { "#" } th { (t.get("col-due")) } th { (t.get("col-client")) }
                        th { (t.get("col-channel")) } th { (t.get("col-decision")) }
                        th { (t.get("col-assignee")) } th { (t.get("col-says")) }
                    } }
                    tbody {
                        @for e in &inbox.entries {
                            @let overdue = frontdesk_core::is_overdue(e.due, now);
                            tr class=[overdue.then_some("overdue")] {
                                td { a href={"/contacts/" (e.id.0)} { (e.id.0) } }
                                td { (t.time(&practice, &e.assignee, e.due)) @if overdue { " " span.flag { (t.get("overdue")) } } }
                                td { (e.client) }
                                td { (e.channel.as_str()) }
                                td { (e.verdict.as_str()) @for f in &e.flags { " " span.flag { (f.as_str()) } } }
                                td { (e.assignee) }
                                td { (e.summary.as_deref().unwrap_or("")) }
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
) -> Result<Html<String>, ApiError> {
    let rows = inbox_rows_markup(&state, &user).await?;
    let t = user.t;
    Ok(page(
        t,
        &t.get("inbox-title"),
        Some(&user),
        html! {
            h1 { (t.get("inbox-title")) }
            p { small { (t.get("inbox-live")) } }
            (rows)
        },
    ))
}

async fn inbox_rows(
    State(state): State<AppState>,
    user: PageUser,
) -> Result<Html<String>, ApiError> {
    Ok(Html(inbox_rows_markup(&state, &user).await?.into_string()))
}

async fn events(
    State(state): State<AppState>,
    user: PageUser,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    let practice = user.principal.practice;
    let stream = BroadcastStream::new(state.events.subscribe()).filter_map(move |e| match e {
        Ok(Event::Inbox { practice: p }) if p == practice => {
            Some(Ok(SseEvent::default().event("inbox").data("changed")))
        }
        // A lagging listener just refreshes.
        Err(_) => Some(Ok(SseEvent::default().event("inbox").data("changed"))),
        _ => None,
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn contact_page(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let p = user.principal.clone();
    let s = state.clone();
    let found = state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            let r = store.contact(p.practice, ContactId(id)).ok();
            Ok(
                r.filter(|r| practice.may_see(&p.member, &r.inbound.client, &r.decision.assignee))
                    .map(|r| (practice, r)),
            )
        })
        .await?;
    let t = user.t;
    let Some((practice, r)) = found else {
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
            dl {
                dt { (t.get("col-client")) } dd { (r.inbound.client) }
                dt { (t.get("contact-from")) } dd { (r.inbound.from) " (" (r.inbound.channel.as_str()) ")" }
                dt { (t.get("contact-arrived")) } dd { (t.time(&practice, &d.assignee, r.inbound.at)) }
                dt { (t.get("contact-says")) } dd { (r.inbound.body.as_deref().unwrap_or("")) }
                dt { (t.get("contact-decision")) } dd { (d.verdict.as_str()) @for f in &d.flags { " " span.flag { (f.as_str()) } } }
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
            @match r.answer {
                Some(a) => p { (t.args("contact-answered", &[("at", t.time(&practice, &d.assignee, a.at))])) },
                None => form method="post" action={"/contacts/" (id) "/answer"} {
                    input type="hidden" name="csrf" value=(user.principal.csrf);
                    button.primary type="submit" { (t.get("contact-answer")) }
                },
            }
        },
    )
    .into_response())
}

async fn answer_contact(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let p = user.principal.clone();
    let s = state.clone();
    let now = state.now();
    state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            let r = store
                .contact(p.practice, ContactId(id))
                .map_err(|_| ApiError::not_found(format!("no contact {id}")))?;
            if !practice.may_see(&p.member, &r.inbound.client, &r.decision.assignee) {
                return Err(ApiError::not_found(format!("no contact {id}")));
            }
            Ok(frontdesk_desk::contacts::answer(
                store,
                p.practice,
                &practice,
                ContactId(id),
                now,
            )?)
        })
        .await
        .map_err(IntoResponse::into_response)?;
    let _ = state.events.send(Event::Inbox {
        practice: user.principal.practice,
    });
    Ok(Redirect::to(&format!("/contacts/{id}")).into_response())
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

async fn static_file(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "app.js" => (
            include_str!("../static/app.js"),
            "text/javascript; charset=utf-8",
        ),
        "app.css" => (include_str!("../static/app.css"), "text/css; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        body,
    )
        .into_response()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/setup", get(setup_form).post(setup))
        .route("/signin", get(signin_form).post(signin))
        .route("/signout", post(signout))
        .route("/inbox", get(inbox_page))
        .route("/inbox/rows", get(inbox_rows))
        .route("/events", get(events))
        .route("/contacts/{id}", get(contact_page))
        .route("/contacts/{id}/answer", post(answer_contact))
        .route("/static/{name}", get(static_file))
        .route("/language", post(set_language))
        .merge(crate::clients::routes())
        .merge(crate::dashboard::routes())
        .merge(crate::settings::routes())
        .merge(crate::agenda_page::routes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ui_message_exists_in_every_language() {
        let english = message_ids(Language::En);
        assert!(english.len() > 30);
        for lang in Language::ALL {
            let ids = message_ids(lang);
            for id in &english {
                assert!(ids.contains(id), "{lang} lacks {id}");
                assert!(T(lang).has(id), "{lang} {id} does not parse");
                assert!(!T(lang).get(id).trim().is_empty(), "{lang} {id} is empty");
            }
            assert_eq!(
                ids.len(),
                english.len(),
                "{lang} has messages English lacks"
            );
        }
    }

    #[test]
    fn the_browsers_language_is_chosen_by_weight() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(v).unwrap());
            language(&m, None)
        };
        assert_eq!(h("nl;q=0.5, it;q=0.9"), Language::It);
        assert_eq!(h("de, es-MX;q=0.7"), Language::Es);
        assert_eq!(h("de"), Language::En);
        assert_eq!(language(&HeaderMap::new(), Some("ru")), Language::Ru);
    }
}
