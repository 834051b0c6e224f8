//! Early warning in the browser: the Risk page (each client's score with its reasons and next
//! step, highest first — a member sees their own clients, owners and managers all), the client
//! page's risk section with the chart of the score over time, and the Digest page (what the
//! manager's morning digest says now). The rules are the core's; the reasons and steps are in
//! the reader's language from the core's messages.

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use frontdesk_core::risk::{Level, Risk};
use frontdesk_core::{Handle, Practice};
use jiff::civil::Date;
use maud::{Markup, html};

use crate::error::ApiError;
use crate::i18n::T;
use crate::layout::{PageUser, page};
use crate::state::AppState;

fn level_words(t: T, level: Level) -> String {
    t.get(&format!("risk-level-{}", level.as_str()))
}

/// One client's risk: the score and level, the reasons and the next step.
pub fn summary(t: T, risk: &Risk) -> Markup {
    html! {
        p.risk class={"risk-" (risk.level.as_str())} {
            strong { (t.args("risk-score", &[("score", risk.score.to_string())])) }
            " — " (level_words(t, risk.level))
        }
        @if risk.signals.is_empty() {
            p { (t.get("risk-nothing")) }
        } @else {
            ul.reasons { @for (s, points) in &risk.signals {
                li { (s.words(t.0)) " " small { "(+" (points) ")" } }
            } }
            p.step { strong { (t.get("risk-next")) ": " } (risk.step.words(t.0)) }
        }
    }
}

/// The score over the days kept, 0 to 100, with the watch and high lines.
pub fn chart(t: T, history: &[(Date, u32)]) -> Markup {
    let (w, h, left, bottom) = (640.0, 180.0, 34.0, 24.0);
    let top = 8.0;
    let first = history.first().map(|(d, _)| *d);
    let last = history.last().map(|(d, _)| *d);
    let span = match (first, last) {
        (Some(a), Some(b)) => ((b - a).get_days().max(1)) as f64,
        _ => 1.0,
    };
    let x = |d: Date| {
        let days = first.map_or(0, |f| (d - f).get_days()) as f64;
        left + (w - left - 8.0) * days / span
    };
    let y = |score: u32| h - bottom - (h - bottom - top) * f64::from(score.min(100)) / 100.0;
    let points: Vec<String> = history
        .iter()
        .map(|(d, s)| format!("{:.1},{:.1}", x(*d), y(*s)))
        .collect();
    let label = t.get("risk-chart");
    html! {
        figure.chart {
            figcaption { (label) }
            svg viewBox={"0 0 " (w) " " (h)} role="img" aria-label=(label) width="100%" {
                line x1=(left) y1=(y(0)) x2=(w) y2=(y(0)) stroke="#8c8f94" {}
                @for (level, score) in [("watch", frontdesk_core::risk::WATCH), ("high", frontdesk_core::risk::HIGH)] {
                    line x1=(left) y1=(y(score)) x2=(w) y2=(y(score)) stroke="#c9ccd1" stroke-dasharray="4 4" {}
                    text x="2" y=(y(score) + 4.0) font-size="10" { (score) " " (t.get(&format!("risk-level-{level}"))) }
                }
                text x="2" y=(y(100) + 4.0) font-size="10" { "100" }
                polyline points=(points.join(" ")) fill="none" stroke="#b32d2e" stroke-width="2" {}
                @for (d, s) in history {
                    circle cx=(x(*d)) cy=(y(*s)) r="2.5" fill="#b32d2e" {
                        title { (t.day(*d)) ": " (s) }
                    }
                }
                @if let (Some(a), Some(b)) = (first, last) {
                    text x=(left) y=(h - 6.0) font-size="10" { (a.strftime("%d/%m")) }
                    text x=(w - 40.0) y=(h - 6.0) font-size="10" { (b.strftime("%d/%m")) }
                }
            }
        }
    }
}

/// The client page's section: the risk now and the chart.
pub fn section(t: T, risk: &Risk, history: &[(Date, u32)]) -> Markup {
    html! {
        section.card id="risk" {
            h2 { (t.get("risk-title")) }
            (summary(t, risk))
            (chart(t, history))
        }
    }
}

async fn show(State(state): State<AppState>, user: PageUser) -> Result<Html<String>, ApiError> {
    let t = user.t;
    let (s, now) = (state.clone(), state.now());
    let (pid, me) = (user.principal.practice, user.principal.member.clone());
    let (practice, risks) = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            let risks = frontdesk_desk::risk::all(store, pid, &practice, &me, now)?;
            Ok((practice, risks))
        })
        .await?;
    let name = |h: &Handle| practice.client(h).map_or(h.to_string(), |c| c.name.clone());
    Ok(page(
        t,
        &t.get("risk-title"),
        Some(&user),
        html! {
            h1 { (t.get("risk-title")) }
            p { (t.get("risk-help")) }
            @if practice.oversees(&user.principal.member) {
                p { a href="/digest" { (t.get("digest-link")) } }
            }
            table id="risk-list" {
                thead { tr {
                    th { (t.get("risk-col-client")) }
                    th { (t.get("risk-col-score")) }
                    th { (t.get("risk-col-reasons")) }
                    th { (t.get("risk-next")) }
                } }
                tbody { @for r in &risks {
                    tr class={"risk-" (r.level.as_str())} id={"risk-" (r.client)} {
                        td { a href={"/clients/" (r.client) "#risk"} { (name(&r.client)) } }
                        td { (r.score) " " small { (level_words(t, r.level)) } }
                        td { @if r.signals.is_empty() { (t.get("risk-nothing")) } @else { (r.reasons(t.0)) } }
                        td { @if !r.signals.is_empty() { (r.step.words(t.0)) } }
                    }
                } }
            }
        },
    ))
}

async fn digest(State(state): State<AppState>, user: PageUser) -> Result<Html<String>, ApiError> {
    let t = user.t;
    let (s, now) = (state.clone(), state.now());
    let (pid, me) = (user.principal.practice, user.principal.member.clone());
    let (practice, digest) = state
        .db(move |store| {
            let practice = s.practice(store, pid)?;
            let Some(member) = practice.member(&me).filter(|_| practice.oversees(&me)) else {
                return Err(ApiError::not_found(t.get("digest-not-yours")));
            };
            let since = frontdesk_core::digest::due(&practice, member, now)
                .map(|(_, since)| since)
                .unwrap_or_else(|| now - jiff::SignedDuration::from_hours(24));
            let digest = frontdesk_desk::risk::digest(store, pid, &practice, &me, since, now)?;
            Ok((practice, digest))
        })
        .await?;
    let sections = practice
        .member(&user.principal.member)
        .map(|m| frontdesk_core::digest::sections(&practice, m, &digest, t.0))
        .unwrap_or_default();
    Ok(page(
        t,
        &t.get("digest-title"),
        Some(&user),
        html! {
            h1 { (t.get("digest-title")) }
            p { (t.get("digest-help")) }
            @if sections.is_empty() { p { (t.get("digest-empty")) } }
            @for (title, lines) in &sections {
                section.card {
                    h2 { (title) }
                    ul { @for l in lines { li { (l.trim_start_matches("- ")) } } }
                }
            }
        },
    ))
}

/// The risk of one client and its chart's days, for the client's page.
pub fn load(
    store: &crate::state::DynStore,
    pid: frontdesk_store::PracticeId,
    practice: &Practice,
    client: &Handle,
    now: jiff::Timestamp,
) -> Result<(Risk, Vec<(Date, u32)>), ApiError> {
    Ok(frontdesk_desk::risk::of_client(
        store, pid, practice, client, now,
    )?)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/risk", get(show))
        .route("/digest", get(digest))
}
