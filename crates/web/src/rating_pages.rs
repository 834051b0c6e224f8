//! The client's rating page, behind a secret link (no account): the goal agreed at the start,
//! a score from 1 to 10 and a comment, in the client's language; answered once.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use frontdesk_core::rating::Rating;
use frontdesk_desk::ratings::RatingFail;
use maud::html;
use serde::Deserialize;

use crate::error::ApiError;
use crate::i18n::T;
use crate::layout::{check_form_token, form_token, page};
use crate::state::AppState;

const CSRF_COOKIE: &str = "fd_rate";

/// The rating behind `secret` and the language its client reads.
async fn resolve(state: &AppState, secret: &str) -> Result<(Rating, T, String), ApiError> {
    let s = state.clone();
    let hash = frontdesk_desk::secrets::secret_hash(secret);
    state
        .db(move |store| {
            let Some((pid, r)) = store.rating_by_token(&hash)? else {
                return Err(ApiError::not_found("this link does not open a rating"));
            };
            let practice = s.practice(store, pid)?;
            let client = practice.client(&r.client);
            let t = T(client.map_or(practice.settings().language, |c| c.language));
            let name = practice.settings().name.clone();
            Ok((r, t, name))
        })
        .await
}

fn form_page(
    t: T,
    practice: &str,
    r: &Rating,
    secret: &str,
    csrf: &str,
    message: Option<String>,
) -> Response {
    let title = t.args("rate-title", &[("practice", practice.to_string())]);
    let status = if message.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    (
        status,
        page(
            t,
            &title,
            None,
            html! {
                h1 { (title) }
                @if r.rated.is_some() {
                    p #rate-thanks { (t.get("rate-thanks")) }
                } @else {
                    @if let Some(m) = &message { p.error role="alert" { (m) } }
                    p { (t.args("rate-goal", &[("goal", r.goal.clone())])) }
                    form method="post" action={"/rate/" (secret)} {
                        input type="hidden" name="csrf" value=(csrf);
                        fieldset {
                            legend { (t.get("rate-score")) }
                            @for n in 1..=10 {
                                label.score { input type="radio" name="score" value=(n) required; " " (n) }
                            }
                        }
                        label for="rate-comment" { (t.get("rate-comment")) }
                        textarea #rate-comment name="comment" rows="4" maxlength="2000" {}
                        button.primary type="submit" { (t.get("rate-send")) }
                    }
                }
            },
        ),
    )
        .into_response()
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(secret): Path<String>,
) -> Result<Response, ApiError> {
    let (r, t, practice) = resolve(&state, &secret).await?;
    let (csrf, set) = form_token(&state, &headers, CSRF_COOKIE, "/rate");
    let mut out = form_page(t, &practice, &r, &secret, &csrf, None);
    out.headers_mut().append(header::SET_COOKIE, set);
    Ok(out)
}

#[derive(Deserialize)]
struct RateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    comment: String,
}

async fn take(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Form(f): Form<RateForm>,
) -> Result<Response, Response> {
    check_form_token(&headers, CSRF_COOKIE, &f.csrf)?;
    let (r, t, practice) = resolve(&state, &secret)
        .await
        .map_err(IntoResponse::into_response)?;
    let now = state.now();
    let s2 = secret.clone();
    let result = state
        .db(move |store| {
            Ok(frontdesk_desk::ratings::rate(
                store, &s2, &f.score, &f.comment, now,
            ))
        })
        .await
        .map_err(IntoResponse::into_response)?;
    match result {
        Ok(Some(done)) => Ok(form_page(t, &practice, &done, &secret, &f.csrf, None)),
        Ok(None) => Err(ApiError::not_found("this link does not open a rating").into_response()),
        Err(RatingFail::Refused(frontdesk_core::rating::RatingError::AlreadyRated)) => {
            // Sent twice: the first answer stands; the page thanks them.
            let done = Rating {
                rated: Some(r.rated.unwrap_or(now)),
                ..r
            };
            Ok(form_page(t, &practice, &done, &secret, &f.csrf, None))
        }
        Err(RatingFail::Refused(e)) => {
            let message = match e {
                frontdesk_core::rating::RatingError::Score(v) => {
                    t.args("rate-error-score", &[("value", v)])
                }
                frontdesk_core::rating::RatingError::Comment => t.get("rate-error-comment"),
                _ => t.get("rate-thanks"),
            };
            Ok(form_page(t, &practice, &r, &secret, &f.csrf, Some(message)))
        }
        Err(RatingFail::Store(e)) => Err(ApiError::from(e).into_response()),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/rate/{secret}", get(show).post(take))
}
