//! First-run setup, sign-in and sign-out.

#![allow(clippy::result_large_err)]

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Language;
use maud::html;
use serde::Deserialize;

use crate::auth::{
    SESSION_COOKIE, hash_password, new_session_secret, random_hex, secret_hash, verify_password,
};
use crate::error::ApiError;
use crate::state::AppState;

use crate::i18n::*;
use crate::layout::*;

// ---- setup and sign-in ----------------------------------------------------------------------

/// Whether the browser may set up a desk: only on an empty database. A database that holds
/// practices (applied with the CLI) but no accounts yet is set up on the server instead, so
/// that the first visitor cannot take a practice over.
enum SetupState {
    /// Nothing there: the first run.
    Open,
    /// Practices (named) and no accounts: `frontdesk password set` on the server.
    Existing(Vec<String>),
    /// Someone can sign in.
    Closed,
}

async fn setup_state(state: &AppState) -> Result<SetupState, ApiError> {
    state
        .db(|s| {
            Ok(if s.has_accounts()? {
                SetupState::Closed
            } else {
                let names = s.practices()?;
                if names.is_empty() {
                    SetupState::Open
                } else {
                    SetupState::Existing(names)
                }
            })
        })
        .await
}

fn existing_page(t: T, names: &[String]) -> Html<String> {
    page(
        t,
        &t.get("setup-title"),
        None,
        html! {
            div.card {
                h1 { (t.get("setup-title")) }
                p #setup-existing { (t.args("setup-existing", &[("practices", names.join(", "))])) }
            }
        },
    )
}

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if !matches!(setup_state(&state).await?, SetupState::Closed) {
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

/// The client's address: the peer's, or — when the peer is the trusted reverse proxy — the
/// last address the proxy put in X-Forwarded-For (the one it saw; earlier ones are the
/// client's to invent).
fn client_address(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> std::net::IpAddr {
    if state.trusted_proxy == Some(peer.ip())
        && let Some(forwarded) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .and_then(|a| a.trim().parse::<std::net::IpAddr>().ok())
    {
        return forwarded;
    }
    peer.ip()
}

/// A password hash nobody has, checked when no account has the e-mail, so that an unknown
/// address takes as long to refuse as a wrong password (the time does not tell who has an
/// account).
fn decoy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let p = frontdesk_core::Password::parse(&random_hex(16)).expect("32 characters");
        hash_password(&p)
    })
}

async fn signin(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<SignIn>,
) -> Result<Response, Response> {
    check_form_token(&headers, CSRF_COOKIE, &f.csrf)?;
    let t = T(language(&headers, None));
    let failed = |status: StatusCode, key: &str| {
        Err((status, signin_page(t, &f.csrf, Some(t.get(key)))).into_response())
    };
    // No account has an e-mail address that long, and no password needs more.
    if f.email.len() > 320 || f.password.len() > frontdesk_core::Password::MAX_BYTES {
        return failed(StatusCode::UNAUTHORIZED, "signin-failed");
    }
    // An IPv6 client holds a whole /64: its addresses count as one.
    let address = match client_address(&state, peer, &headers) {
        std::net::IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("address|{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        v4 => format!("address|{v4}"),
    };
    let account = format!("account|{}", f.email.trim().to_ascii_lowercase());
    // Counted before the password is checked: parallel guesses cannot all slip through.
    let unavailable = |e: ApiError| e.into_response();
    if !state
        .address_limit
        .attempt(&state, &address)
        .await
        .map_err(unavailable)?
    {
        return failed(StatusCode::TOO_MANY_REQUESTS, "signin-limited");
    }
    if !state
        .sign_in_limit
        .attempt(&state, &account)
        .await
        .map_err(unavailable)?
    {
        state
            .address_limit
            .forgive_one(&state, &address)
            .await
            .map_err(unavailable)?;
        return failed(StatusCode::TOO_MANY_REQUESTS, "signin-limited");
    }
    let email = f.email.clone();
    let logins = state
        .db(move |s| Ok(s.logins(&email)?))
        .await
        .map_err(IntoResponse::into_response)?;
    // Verify against every account with this email (usually one), or against a decoy when
    // there is none; argon2 runs off the async threads.
    let password = f.password.clone();
    let found = tokio::task::spawn_blocking(move || {
        if logins.is_empty() {
            let _ = verify_password(&password, decoy_hash());
            return None;
        }
        logins
            .into_iter()
            .find(|l| verify_password(&password, &l.password_hash))
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()).into_response())?;
    let Some(login) = found else {
        return failed(StatusCode::UNAUTHORIZED, "signin-failed");
    };
    state
        .sign_in_limit
        .succeeded(&state, &account)
        .await
        .map_err(unavailable)?;
    state
        .address_limit
        .forgive_one(&state, &address)
        .await
        .map_err(unavailable)?;
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
    let now = state.now();
    let expires = now
        .checked_add(jiff::SignedDuration::from_hours(SESSION_HOURS))
        .unwrap_or(now);
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
    let _ = state.events.send(crate::state::Event::SignedOut {
        session: user.session_hash.clone(),
    });
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
    match setup_state(&state).await? {
        SetupState::Closed => Ok(Redirect::to("/signin").into_response()),
        SetupState::Existing(names) => {
            Ok(existing_page(T(language(&headers, None)), &names).into_response())
        }
        SetupState::Open => Ok(anonymous_form(&state, &headers, |t, csrf| {
            setup_page(t, csrf, &Setup::default(), None)
        })),
    }
}

/// The first-run form; after a refusal it keeps what was typed and names the field in words.
fn setup_page(t: T, csrf: &str, typed: &Setup, error: Option<String>) -> Html<String> {
    page(
        t,
        &t.get("setup-title"),
        None,
        html! {
            form.card method="post" action="/setup" {
                h1 { (t.get("setup-title")) }
                p { (t.get("setup-intro")) }
                @if let Some(e) = error { p.error #setup-error role="alert" { (e) } }
                input type="hidden" name="csrf" value=(csrf);
                @for (name, key, kind, value) in [("practice", "setup-practice", "text", &typed.practice), ("name", "setup-name", "text", &typed.name),
                    ("handle", "setup-handle", "text", &typed.handle), ("email", "setup-email", "email", &typed.email),
                    ("time_zone", "setup-zone", "text", &typed.time_zone), ("password", "setup-password", "password", &typed.password)] {
                    label for=(name) { (t.get(key)) }
                    input id=(name) name=(name) type=(kind) value=(value) required;
                }
                label for="language" { (t.get("setup-language")) }
                select id="language" name="language" {
                    @for l in Language::ALL {
                        option value=(l.code()) selected[if typed.language.is_empty() { l == t.0 } else { typed.language == l.code() }] { (l.name()) }
                    }
                }
                button.primary type="submit" { (t.get("setup-submit")) }
            }
        },
    )
}

#[derive(Default, Deserialize)]
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
            setup_page(t, &f.csrf, &f, Some(t.field_error(&msg))),
        )
            .into_response()
    };
    let password =
        frontdesk_core::Password::parse(&f.password).map_err(|e| fail(format!("password: {e}")))?;
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
            // Only the first run on an empty database sets up (checked again here, in the
            // same hold of the database as the write): never over an existing practice.
            if s.has_accounts()? {
                return Ok(Err(None));
            }
            let names = s.practices()?;
            if !names.is_empty() {
                return Ok(Err(Some(names)));
            }
            let applied = s.apply(&practice)?;
            s.set_password(applied.id, &m, &hash)?;
            Ok(Ok(applied.id))
        })
        .await
        .map_err(|e| fail(e.message))?;
    state.forget_practices();
    match created {
        Ok(id) => start_session(&state, behind_tls(&state, &headers), id, member).await,
        Err(None) => Ok(Redirect::to("/signin").into_response()),
        Err(Some(names)) => Err((StatusCode::CONFLICT, existing_page(t, &names)).into_response()),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/setup", get(setup_form).post(setup))
        .route("/signin", get(signin_form).post(signin))
        .route("/signout", post(signout))
}
