//! Settings: the practice file in the browser (export, edit, apply — validated by the same
//! parser as `frontdesk apply`, nothing written on error) and the member's API tokens.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::Practice;
use frontdesk_store::TokenInfo;
use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::{new_token, secret_hash};
use crate::error::ApiError;
use crate::layout::{PageUser, check_csrf, page};
use crate::state::AppState;

pub(crate) async fn load(
    state: &AppState,
    user: &PageUser,
) -> Result<(std::sync::Arc<Practice>, Vec<TokenInfo>), ApiError> {
    let p = user.principal.clone();
    let s = state.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            let tokens = store.tokens(p.practice, &p.member)?;
            Ok((practice, tokens))
        })
        .await
}

fn tokens_section(
    user: &PageUser,
    practice: &Practice,
    tokens: &[TokenInfo],
    new: Option<&str>,
) -> Markup {
    let t = user.t;
    let me = &user.principal.member;
    html! {
        section.card {
            h2 { (t.get("tokens-title")) }
            p { (t.get("tokens-help")) }
            @if let Some(token) = new {
                p.notice { (t.get("tokens-new")) }
                pre id="new-token" { (token) }
            }
            @if tokens.is_empty() {
                p { (t.get("tokens-none")) }
            } @else {
                ul {
                    @for tok in tokens {
                        li {
                            "#" (tok.id) " — " (t.args("tokens-created", &[("at", t.time(practice, me, tok.created))]))
                            @if let Some(r) = tok.revoked {
                                " — " (t.args("tokens-revoked", &[("at", t.time(practice, me, r))]))
                            } @else {
                                form method="post" action="/settings/tokens/revoke" {
                                    input type="hidden" name="csrf" value=(user.principal.csrf);
                                    input type="hidden" name="id" value=(tok.id);
                                    button type="submit" { (t.get("tokens-revoke")) }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action="/settings/tokens" {
                input type="hidden" name="csrf" value=(user.principal.csrf);
                button.primary type="submit" id="create-token" { (t.get("tokens-create")) }
            }
        }
    }
}

fn settings_page(
    user: &PageUser,
    practice: &Practice,
    tokens: &[TokenInfo],
    file: &str,
    message: Option<(bool, String)>,
    new_token: Option<&str>,
) -> Html<String> {
    let t = user.t;
    page(
        t,
        &t.get("settings-title"),
        Some(user),
        html! {
            h1 { (t.get("settings-title")) }
            (tokens_section(user, practice, tokens, new_token))
            h2 { (t.get("settings-file")) }
            @if let Some((ok, m)) = &message {
                p class=(if *ok { "notice" } else { "error" }) id="settings-message" { (m) }
            }
            @if practice.oversees(&user.principal.member) {
                p { (t.get("settings-file-help")) " " a href="/settings/export" { (t.get("settings-download")) } }
                form.file method="post" action="/settings" {
                    input type="hidden" name="csrf" value=(user.principal.csrf);
                    input type="hidden" name="version" value=(crate::edits::version(practice));
                    label.visually-hidden for="practice-file" { (t.get("settings-file")) }
                    textarea name="file" id="practice-file" rows="30" spellcheck="false" { (file) }
                    button.primary type="submit" id="apply-file" { (t.get("settings-apply")) }
                }
            } @else {
                p { (t.get("settings-read-only")) }
            }
        },
    )
}

#[derive(Deserialize)]
struct Query {
    applied: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Query(q): axum::extract::Query<Query>,
) -> Result<Html<String>, ApiError> {
    let (practice, tokens) = load(&state, &user).await?;
    let message = q.applied.map(|_| (true, user.t.get("settings-applied")));
    let file = frontdesk_practice::render(&practice);
    Ok(settings_page(
        &user, &practice, &tokens, &file, message, None,
    ))
}

async fn export(State(state): State<AppState>, user: PageUser) -> Result<Response, ApiError> {
    let (practice, _) = load(&state, &user).await?;
    if !practice.oversees(&user.principal.member) {
        return Err(ApiError::forbidden(user.t.get("settings-read-only")));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "application/toml; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"practice.toml\"",
            ),
        ],
        frontdesk_practice::render(&practice),
    )
        .into_response())
}

#[derive(Deserialize)]
struct ApplyForm {
    csrf: String,
    file: String,
    /// The practice's version the page showed (absent: apply whatever it is now).
    #[serde(default)]
    version: Option<String>,
}

async fn apply(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<ApplyForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let (practice, tokens) = load(&state, &user)
        .await
        .map_err(IntoResponse::into_response)?;
    if !practice.oversees(&user.principal.member) {
        return Err((StatusCode::FORBIDDEN, user.t.get("settings-read-only")).into_response());
    }
    let refused = |message: String| {
        let mut r = settings_page(
            &user,
            &practice,
            &tokens,
            &f.file,
            Some((false, message)),
            None,
        )
        .into_response();
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    let parsed = match frontdesk_practice::parse(&f.file) {
        Ok(p) => p,
        Err(e) => return Ok(refused(e.to_string())),
    };
    // The file names its practice: it must be this one, not another tenant's.
    if parsed.settings().name != practice.settings().name {
        return Ok(refused(format!(
            "practice.name: {:?} is not this practice ({:?}); renaming is not supported here",
            parsed.settings().name,
            practice.settings().name
        )));
    }
    let edited = crate::edits::edit_practice(
        &state,
        user.principal.practice,
        user.principal.member.clone(),
        f.version.clone().filter(|v| !v.is_empty()),
        move |_| Ok(parsed.clone()),
    )
    .await;
    match edited {
        Ok(_) => Ok(Redirect::to("/settings?applied=1").into_response()),
        Err(crate::edits::EditError::Stale { .. }) => {
            // Someone changed the practice since this page was opened: show it as it is now,
            // so the change is made again on top of theirs instead of undoing it.
            let (now, tokens) = load(&state, &user)
                .await
                .map_err(IntoResponse::into_response)?;
            let file = frontdesk_practice::render(&now);
            let mut r = settings_page(
                &user,
                &now,
                &tokens,
                &file,
                Some((false, user.t.get("settings-stale"))),
                None,
            )
            .into_response();
            *r.status_mut() = StatusCode::CONFLICT;
            Ok(r)
        }
        Err(e @ crate::edits::EditError::Forbidden(_)) => {
            let mut r = refused(e.message());
            *r.status_mut() = StatusCode::FORBIDDEN;
            Ok(r)
        }
        Err(e) => Ok(refused(e.message())),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn create_token(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<CsrfForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let token = new_token();
    let hash = secret_hash(&token);
    let p = user.principal.clone();
    let now = state.now();
    state
        .db(move |store| Ok(store.create_token(p.practice, &p.member, &hash, now)?))
        .await
        .map_err(IntoResponse::into_response)?;
    let (practice, tokens) = load(&state, &user)
        .await
        .map_err(IntoResponse::into_response)?;
    let file = frontdesk_practice::render(&practice);
    // Shown once, in this response; never stored or shown again.
    let mut r = settings_page(&user, &practice, &tokens, &file, None, Some(&token)).into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}

#[derive(Deserialize)]
struct RevokeForm {
    csrf: String,
    id: i64,
}

async fn revoke_token(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<RevokeForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let p = user.principal.clone();
    let now = state.now();
    let revoked = state
        .db(move |store| Ok(store.revoke_token(p.practice, &p.member, f.id, now)?))
        .await
        .map_err(IntoResponse::into_response)?;
    if !revoked {
        return Err(
            ApiError::not_found(format!("no live token {} of yours", f.id)).into_response(),
        );
    }
    Ok(Redirect::to("/settings").into_response())
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings", get(show).post(apply))
        .route("/settings/export", get(export))
        .route("/settings/tokens", post(create_token))
        .route("/settings/tokens/revoke", post(revoke_token))
}
