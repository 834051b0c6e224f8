//! Settings and team: the practice file in the browser (export, edit, apply — validated by the
//! same parser as `frontdesk apply`, nothing written on error), the member's API tokens, and
//! the team with its absences and who covers them.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::{Practice, Role};
use frontdesk_store::{Store, TokenInfo};
use jiff::Timestamp;
use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::{new_token, secret_hash};
use crate::error::ApiError;
use crate::pages::{PageUser, check_csrf, page};
use crate::state::AppState;

/// Parses a practice file as `frontdesk apply` does and applies it. `Err` is the parser's
/// message (naming the field) or the store's refusal; nothing is written then.
pub(crate) async fn apply_text(state: &AppState, text: &str) -> Result<(), String> {
    let updated = frontdesk_practice::parse(text).map_err(|e| e.to_string())?;
    let result = state.db(move |store| Ok(store.apply(&updated)?)).await;
    state.forget_practices();
    result.map(|_| ()).map_err(|e| e.message)
}

fn can_edit(practice: &Practice, user: &PageUser) -> bool {
    practice
        .member(&user.principal.member)
        .is_some_and(|m| m.role != Role::Member)
}

async fn load(
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
            p { (t.get("settings-file-help")) " " a href="/settings/export" { (t.get("settings-download")) } }
            @if let Some((ok, m)) = &message {
                p class=(if *ok { "notice" } else { "error" }) id="settings-message" { (m) }
            }
            @if can_edit(practice, user) {
                form.file method="post" action="/settings" {
                    input type="hidden" name="csrf" value=(user.principal.csrf);
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
    if !can_edit(&practice, &user) {
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
    // The file names its practice: it must be this one, not another tenant's.
    let name = frontdesk_practice::parse(&f.file).map(|p| p.settings().name.clone());
    if let Ok(name) = name
        && name != practice.settings().name
    {
        return Ok(refused(format!(
            "practice.name: {name:?} is not this practice ({:?}); renaming is not supported here",
            practice.settings().name
        )));
    }
    match apply_text(&state, &f.file).await {
        Ok(()) => Ok(Redirect::to("/settings?applied=1").into_response()),
        Err(e) => Ok(refused(e)),
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
    state
        .db(move |store| Ok(store.create_token(p.practice, &p.member, &hash, Timestamp::now())?))
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
    let revoked = state
        .db(move |store| Ok(store.revoke_token(p.practice, &p.member, f.id, Timestamp::now())?))
        .await
        .map_err(IntoResponse::into_response)?;
    if !revoked {
        return Err(
            ApiError::not_found(format!("no live token {} of yours", f.id)).into_response(),
        );
    }
    Ok(Redirect::to("/settings").into_response())
}

// ---- team -----------------------------------------------------------------------------------

fn team_page(
    user: &PageUser,
    practice: &Practice,
    message: Option<(bool, String)>,
) -> Html<String> {
    let t = user.t;
    let editable = can_edit(practice, user);
    page(
        t,
        &t.get("team-title"),
        Some(user),
        html! {
            h1 { (t.get("team-title")) }
            table {
                thead { tr {
                    th { (t.get("col-assignee")) } th { (t.get("team-role")) } th { (t.get("client-zone")) }
                    th { (t.get("team-hours")) } th { (t.get("team-holidays")) }
                } }
                tbody {
                    @for m in practice.members() {
                        tr {
                            td { (m.name) " (" (m.handle) ")" br; small { (m.email) } }
                            td { (m.role.as_str()) }
                            td { (m.zone) }
                            td {
                                @for (day, key) in jiff::civil::Weekday::Monday.cycle_forward().take(7).zip(frontdesk_core::WEEKDAY_KEYS) {
                                    @let ranges = m.hours.on(day);
                                    @if !ranges.is_empty() {
                                        (key) " " (ranges.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ")) br;
                                    }
                                }
                            }
                            td { (m.holidays.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")) }
                        }
                    }
                }
            }
            h2 { (t.get("team-absences")) }
            @if let Some((ok, msg)) = &message {
                p class=(if *ok { "notice" } else { "error" }) id="team-message" { (msg) }
            }
            @if practice.absences().is_empty() {
                p { (t.get("team-no-absences")) }
            } @else {
                ul {
                    @for (i, a) in practice.absences().iter().enumerate() {
                        li {
                            (a.member) ": " (a.from) " – " (a.until) ", " (t.get("team-absence-cover")) " " (a.cover)
                            @if editable {
                                form method="post" action="/team/absences/remove" {
                                    input type="hidden" name="csrf" value=(user.principal.csrf);
                                    input type="hidden" name="index" value=(i);
                                    button type="submit" { (t.get("team-absence-remove")) }
                                }
                            }
                        }
                    }
                }
            }
            @if editable {
                form.card method="post" action="/team/absences" {
                    input type="hidden" name="csrf" value=(user.principal.csrf);
                    label for="absence-member" { (t.get("col-assignee")) }
                    select id="absence-member" name="member" {
                        @for m in practice.members() { option value=(m.handle) { (m.name) } }
                    }
                    label for="absence-from" { (t.get("team-absence-from")) }
                    input id="absence-from" name="from" type="date" required;
                    label for="absence-until" { (t.get("team-absence-until")) }
                    input id="absence-until" name="until" type="date" required;
                    label for="absence-cover" { (t.get("team-absence-cover")) }
                    select id="absence-cover" name="cover" {
                        @for m in practice.members() { option value=(m.handle) { (m.name) } }
                    }
                    button.primary type="submit" id="add-absence" { (t.get("team-absence-add")) }
                }
            }
        },
    )
}

async fn team(State(state): State<AppState>, user: PageUser) -> Result<Html<String>, ApiError> {
    let (practice, _) = load(&state, &user).await?;
    Ok(team_page(&user, &practice, None))
}

#[derive(Deserialize)]
struct AbsenceForm {
    csrf: String,
    member: String,
    from: String,
    until: String,
    cover: String,
}

#[derive(Deserialize)]
struct RemoveForm {
    csrf: String,
    index: usize,
}

/// Changes the practice's absences through the practice file and applies the result; a
/// refusal names the field (`absences[2].cover`) and writes nothing.
async fn change_absences(
    state: &AppState,
    user: &PageUser,
    change: impl FnOnce(&mut Vec<toml::Value>) -> Result<(), String>,
) -> Result<Response, Response> {
    let (practice, _) = load(state, user)
        .await
        .map_err(IntoResponse::into_response)?;
    if !can_edit(&practice, user) {
        return Err((StatusCode::FORBIDDEN, user.t.get("settings-read-only")).into_response());
    }
    let refused = |message: String| {
        let mut r = team_page(user, &practice, Some((false, message))).into_response();
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    let mut doc: toml::Table = match frontdesk_practice::render(&practice).parse() {
        Ok(d) => d,
        Err(e) => return Ok(refused(e.to_string())),
    };
    let mut absences = doc
        .remove("absences")
        .and_then(|a| a.as_array().cloned())
        .unwrap_or_default();
    if let Err(e) = change(&mut absences) {
        return Ok(refused(e));
    }
    doc.insert("absences".into(), toml::Value::Array(absences));
    let text = match toml::to_string(&doc) {
        Ok(t) => t,
        Err(e) => return Ok(refused(e.to_string())),
    };
    match apply_text(state, &text).await {
        Ok(()) => Ok(Redirect::to("/team").into_response()),
        Err(e) => Ok(refused(e)),
    }
}

async fn add_absence(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<AbsenceForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    change_absences(&state, &user, |absences| {
        let mut a = toml::Table::new();
        a.insert("member".into(), f.member.trim().into());
        a.insert("from".into(), f.from.trim().into());
        a.insert("until".into(), f.until.trim().into());
        a.insert("cover".into(), f.cover.trim().into());
        absences.push(toml::Value::Table(a));
        Ok(())
    })
    .await
}

async fn remove_absence(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<RemoveForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    change_absences(&state, &user, |absences| {
        if f.index >= absences.len() {
            return Err(format!("absences[{}]: there is no such absence", f.index));
        }
        absences.remove(f.index);
        Ok(())
    })
    .await
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings", get(show).post(apply))
        .route("/settings/export", get(export))
        .route("/settings/tokens", post(create_token))
        .route("/settings/tokens/revoke", post(revoke_token))
        .route("/team", get(team))
        .route("/team/absences", post(add_absence))
        .route("/team/absences/remove", post(remove_absence))
}
