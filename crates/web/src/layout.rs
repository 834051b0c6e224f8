//! What every page shares: the page shell, the signed-in user, cookies and CSRF tokens.
//! Pages depend on this module and on `i18n`; nothing here depends on a page.

#![allow(clippy::result_large_err)]

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use frontdesk_core::Language;
use frontdesk_store::Principal;
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;

use crate::auth::{SESSION_COOKIE, random_hex, same_secret, secret_hash};
use crate::state::AppState;

use crate::i18n::*;

pub(crate) const CSRF_COOKIE: &str = "fd_csrf";
pub(crate) const SESSION_HOURS: i64 = 12;
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

pub(crate) fn set_cookie(
    secure: bool,
    path: &str,
    name: &str,
    value: &str,
    max_age: i64,
) -> HeaderValue {
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
    /// The server's instant when its clock stands still (a demo day, `serve --at`).
    pub fixed_now: Option<jiff::Timestamp>,
    /// The server's instant when the request came (what zone offsets are shown for).
    pub now: jiff::Timestamp,
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
                // An error page of this request speaks the reader's language too.
                if let Some(reader) = parts.extensions.get::<crate::error_pages::ReaderLanguage>() {
                    *crate::state::unpoisoned(reader.0.lock()) = Some(t.0);
                }
                Ok(PageUser {
                    principal,
                    session_hash: hash,
                    t,
                    fixed_now: state.fixed_now(),
                    now,
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
                            a href="/risk" { (t.get("nav-risk")) }
                            a href="/promises" { (t.get("nav-promises")) }
                            a href="/deliverables" { (t.get("nav-deliverables")) }
                            a href="/billing" { (t.get("nav-billing")) }
                            a href="/invoices" { (t.get("nav-invoices")) }
                            a href="/team" { (t.get("nav-team")) }
                            a href="/outbox" { (t.get("nav-outbox")) }
                            a href="/settings" { (t.get("nav-settings")) }
                            form.language method="post" action="/language" {
                                input type="hidden" name="csrf" value=(u.principal.csrf);
                                label for="pref-language" { (t.get("nav-language")) }
                                select id="pref-language" name="language" {
                                    @for l in Language::ALL {
                                        option value=(l.code()) selected[l == t.0] { (l.name()) }
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
                    @if let Some(at) = user.and_then(|u| u.fixed_now) {
                        p.fixed-clock role="status" {
                            (t.args("clock-fixed", &[("at", at.strftime("%Y-%m-%d %H:%M UTC").to_string())]))
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

/// A form that carries only its CSRF token.
#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    pub csrf: String,
}
