//! The clients pages: the list, and one client's page with its recent contacts and a form for
//! its terms. A change goes through the practice file: the current settings are rendered,
//! the client's terms replaced, and the result parsed and validated exactly as `apply` would —
//! so a bad value is refused naming the field, and nothing is written.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use frontdesk_core::{Handle, Practice};
use maud::html;
use serde::Deserialize;

use crate::edits::{TermsForm, edit_practice, with_terms};
use crate::error::ApiError;
use crate::layout::{PageUser, check_csrf, page};
use crate::state::AppState;

async fn list(State(state): State<AppState>, user: PageUser) -> Result<Html<String>, ApiError> {
    let id = user.principal.practice;
    let s = state.clone();
    let practice = state.db(move |store| Ok(s.practice(store, id)?)).await?;
    Ok(list_page(&practice, &user, &NewClientForm::default(), None))
}

/// What a new client needs: the rest (terms, people, standing call) is edited on its page.
#[derive(Clone, Debug, Default, Deserialize)]
struct NewClientForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    handle: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    email: String,
}

fn list_page(
    practice: &Practice,
    user: &PageUser,
    form: &NewClientForm,
    error: Option<String>,
) -> Html<String> {
    let t = user.t;
    let clients: Vec<&frontdesk_core::Client> =
        practice.clients_of(&user.principal.member).collect();
    let me = &user.principal.member;
    page(
        t,
        &t.get("clients-title"),
        Some(user),
        html! {
            h1 { (t.get("clients-title")) }
            @if clients.is_empty() {
                p #clients-empty { (t.get("clients-empty")) }
            } @else {
                table {
                    thead { tr { th { (t.get("col-client")) } th { (t.get("client-owner")) } th { (t.get("client-language")) } th { (t.get("client-zone")) } } }
                    tbody {
                        @for c in &clients {
                            tr {
                                td { a href={"/clients/" (c.handle)} { (c.name) } " (" (c.handle) ")" }
                                td { (c.owner) }
                                td { (c.language.name()) }
                                td { (t.zone(&c.zone, user.now)) }
                            }
                        }
                    }
                }
            }
            @if practice.oversees(me) {
                form.card #new-client method="post" action="/clients" {
                    h2 { (t.get("clients-add")) }
                    @if let Some(e) = &error { p.error #new-client-error { (e) } }
                    input type="hidden" name="csrf" value=(user.principal.csrf);
                    label for="new-name" { (t.get("clients-name")) }
                    input #new-name name="name" value=(form.name) required;
                    label for="new-handle" { (t.get("clients-handle")) }
                    input #new-handle name="handle" value=(form.handle) required pattern="[a-z0-9][a-z0-9_-]*";
                    label for="new-email" { (t.get("clients-email")) }
                    input #new-email name="email" type="email" value=(form.email);
                    label for="new-owner" { (t.get("client-owner")) }
                    select #new-owner name="owner" {
                        @for m in practice.members() {
                            option value=(m.handle) selected[form.owner == m.handle.as_str() || (form.owner.is_empty() && &m.handle == me)] { (m.name) }
                        }
                    }
                    label for="new-language" { (t.get("client-language")) }
                    select #new-language name="language" {
                        @for l in frontdesk_core::Language::ALL {
                            option value=(l.code()) selected[form.language == l.code() || (form.language.is_empty() && l == practice.settings().language)] { (l.name()) }
                        }
                    }
                    label for="new-zone" { (t.get("clients-zone-help")) }
                    input #new-zone name="time_zone" value=(form.time_zone) placeholder="Europe/Madrid";
                    button.primary type="submit" #new-client-save { (t.get("clients-add-save")) }
                }
            }
        },
    )
}

/// Adds a client through the practice file's rules (only those who oversee the practice); a
/// refusal keeps what was typed and names the field in words.
async fn add(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<NewClientForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let id = user.principal.practice;
    let entry = frontdesk_practice::ClientEntry {
        handle: f.handle.trim().to_string(),
        name: f.name.trim().to_string(),
        owner: f.owner.trim().to_string(),
        language: Some(f.language.trim().to_string()).filter(|l| !l.is_empty()),
        time_zone: Some(f.time_zone.trim().to_string()).filter(|z| !z.is_empty()),
        domains: Vec::new(),
        terms: None,
        people: Some(f.email.trim().to_string())
            .filter(|e| !e.is_empty())
            .map(|e| frontdesk_practice::PersonEntry {
                name: f.name.trim().to_string(),
                email: Some(e),
                phone: None,
            })
            .into_iter()
            .collect(),
        legal: None,
        goal: None,
    };
    let handle = entry.handle.clone();
    let edited = edit_practice(&state, id, user.principal.member.clone(), None, move |p| {
        frontdesk_practice::edit(p, |file| {
            if file.clients.iter().any(|c| c.handle == entry.handle) {
                return Err(frontdesk_practice::FileError::Invalid {
                    path: "clients.handle".to_string(),
                    message: format!("{:?} is a client already", entry.handle),
                });
            }
            file.clients.push(entry.clone());
            Ok(())
        })
        .map_err(|e| e.to_string())
    })
    .await;
    match edited {
        Ok(_) => Ok(Redirect::to(&format!("/clients/{handle}")).into_response()),
        Err(e) => {
            let s = state.clone();
            let practice = state
                .db(move |store| Ok(s.practice(store, id)?))
                .await
                .map_err(IntoResponse::into_response)?;
            // The field in the form's words, not the practice file's path.
            let words = user.t.field_error(&e.message());
            let mut r = list_page(&practice, &user, &f, Some(words)).into_response();
            *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(r)
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn client_page(
    practice: &Practice,
    user: &PageUser,
    handle: &Handle,
    view: &ClientView,
    form: Option<&TermsForm>,
    message: Option<(bool, String)>,
    typed: &crate::client_forms::Typed,
    new_link: Option<&str>,
) -> Response {
    let contacts = &view.contacts;
    let t = user.t;
    let Some(c) = practice
        .clients_of(&user.principal.member)
        .into_iter()
        .find(|c| c.handle == *handle)
    else {
        return (
            StatusCode::NOT_FOUND,
            page(
                t,
                &t.get("error-not-found"),
                Some(user),
                html! { p { (t.get("error-not-found")) } },
            ),
        )
            .into_response();
    };
    let terms = &c.terms;
    let r = &terms.response;
    let notice = frontdesk_core::agenda::cancellation_notice(c).to_string();
    // What the form shows: what was sent (after an error) or the current terms.
    let value = |field: &str, current: String| -> String {
        match form {
            Some(f) => match field {
                "adhoc" => f.adhoc_calls_per_week.clone(),
                "call" => f.call.clone(),
                "voicemail" => f.voicemail.clone(),
                "email" => f.email.clone(),
                "chat" => f.chat.clone(),
                "urgent" => f.urgent.clone(),
                "pct" => f.after_hours_surcharge_pct.clone(),
                _ => f.cancellation_notice.clone(),
            },
            None => current,
        }
    };
    let editable = practice.oversees(&user.principal.member);
    let standing = terms
        .standing_call
        .as_ref()
        .map_or_else(|| t.get("client-none"), |s| t.standing_call(s));
    page(
        t,
        &c.name,
        Some(user),
        html! {
            h1 { (c.name) }
            dl {
                dt { (t.get("client-owner")) } dd { (c.owner) }
                dt { (t.get("client-language")) } dd { (c.language.name()) }
                dt { (t.get("client-zone")) } dd { (t.zone(&c.zone, user.now)) }
                dt { (t.get("client-standing")) } dd {
                    (standing)
                    @if let Some(next) = view.next_call {
                        br; (t.args("client-next-call", &[("when", t.time(practice, &c.owner, next))]))
                    }
                }
            }
            p #allowance {
                @match terms.adhoc_calls_per_week {
                    Some(a) => (t.args("client-allowance-use", &[("used", view.calls_this_week.to_string()), ("allowance", a.to_string())])),
                    None => (t.args("client-allowance-unlimited", &[("used", view.calls_this_week.to_string())])),
                }
            }
            h2 { (t.get("client-terms")) }
            @if let Some((ok, m)) = &message {
                p class=(if *ok { "notice" } else { "error" }) { (m) }
            }
            @if editable {
                form.card.terms method="post" action={"/clients/" (c.handle)} {
                    input type="hidden" name="csrf" value=(user.principal.csrf);
                    @for (name, key, field, current) in [
                        ("adhoc_calls_per_week", "terms-adhoc", "adhoc", terms.adhoc_calls_per_week.map_or(String::new(), |n| n.to_string())),
                        ("call", "terms-response-call", "call", r.call.to_string()),
                        ("voicemail", "terms-response-voicemail", "voicemail", r.voicemail.to_string()),
                        ("email", "terms-response-email", "email", r.email.to_string()),
                        ("chat", "terms-response-chat", "chat", r.chat.to_string()),
                        ("urgent", "terms-response-urgent", "urgent", r.urgent.to_string()),
                        ("after_hours_surcharge_pct", "terms-surcharge", "pct", terms.after_hours_surcharge_pct.to_string()),
                        ("cancellation_notice", "terms-notice", "notice", notice.clone()),
                    ] {
                        label for=(name) { (t.get(key)) }
                        input id=(name) name=(name) value=(value(field, current));
                    }
                    label {
                        input type="checkbox" name="urgent_out_of_hours" value="true"
                            checked[form.map_or(terms.urgent_out_of_hours, |f| f.urgent_out_of_hours.is_some())];
                        " " (t.get("terms-urgent-out-of-hours"))
                    }
                    button.primary type="submit" id="save-terms" { (t.get("terms-save")) }
                }
            } @else {
                p { (t.get("terms-read-only")) }
            }
            @if editable {
                (crate::client_forms::sections(user, c, &view.links, new_link, typed, practice))
            }
            (crate::charts::weeks_chart(t, &view.figures, Some(&c.handle)))
            @if let Some((risk, history)) = &view.risk {
                (crate::risk_page::section(t, risk, history))
            }
            (crate::billing_page::client_section(t, &view.habits))
            @if !view.ratings.is_empty() {
                section.card #ratings {
                    h2 { (t.get("client-ratings")) }
                    ul { @for r in &view.ratings {
                        li {
                            (t.day(r.requested.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())) ": "
                            @match r.score {
                                Some(s) => (t.args("client-rating-line", &[("score", s.to_string()), ("goal", r.goal.clone())])),
                                None => (t.get("client-rating-waiting")),
                            }
                            @if let Some(c) = &r.comment { " — " em { (c) } }
                        }
                    } }
                }
            }
            (crate::charts::adhoc_chart(t, &view.figures, c))
            (crate::charts::response_chart(t, &view.figures, practice, Some(c)))
            h2 { (t.get("client-contacts")) }
            @if contacts.is_empty() {
                p { (t.get("client-no-contacts")) }
            } @else {
                table {
                    tbody {
                        @for rec in contacts.iter() {
                            tr {
                                td { a href={"/contacts/" (rec.id.0)} { (rec.id.0) } }
                                td { (t.time(practice, &rec.decision.assignee, rec.inbound.at)) }
                                td { (t.channel(rec.inbound.channel)) }
                                td { (t.verdict(rec.decision.verdict)) }
                                td { (rec.inbound.body.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
        },
    )
    .into_response()
}

/// What a client's page shows besides its settings.
struct ClientView {
    contacts: Vec<frontdesk_store::Recorded>,
    figures: crate::charts::Figures,
    /// In-hours calls and voicemails this week (owner's zone): what the allowance counts.
    calls_this_week: u32,
    /// The next standing call, as the agenda has it (moved, cancelled).
    next_call: Option<jiff::Timestamp>,
    /// The client's booking links (for those who oversee the practice).
    links: Vec<frontdesk_store::TokenInfo>,
    /// The client's escalation risk now and its kept daily scores.
    risk: Option<(frontdesk_core::risk::Risk, Vec<(jiff::civil::Date, u32)>)>,
    /// The ratings asked of the client, newest first.
    ratings: Vec<frontdesk_core::rating::Rating>,
    /// What the client's habits cost, by month (for those who see what is billed).
    habits: Vec<(
        frontdesk_core::billing::Period,
        Vec<frontdesk_core::billing::Item>,
    )>,
}

fn client_view(
    store: &crate::state::DynStore,
    practice: &Practice,
    id: frontdesk_store::PracticeId,
    handle: &Handle,
    member: &Handle,
    now: jiff::Timestamp,
) -> Result<ClientView, ApiError> {
    let contacts = if practice.client(handle).is_some() {
        store.client_contacts(id, handle, 30)?
    } else {
        Vec::new()
    };
    let figures = crate::charts::figures(store, practice, id, member, now)?;
    let (mut calls_this_week, mut next_call) = (0, None);
    if let Some(c) = practice.client(handle)
        && let Some(owner) = practice.member(&c.owner)
    {
        use frontdesk_core::working_time::{local_date, week_start};
        let monday = week_start(local_date(owner, now));
        calls_this_week = store.adhoc_calls(id, handle, monday)?;
        // Occurrences are moved at most a month; the page looks three months ahead.
        let ahead = jiff::SignedDuration::from_hours(24 * 90);
        if let (Ok(from), Ok(to)) = (
            now.checked_sub(jiff::SignedDuration::from_hours(24 * 30)),
            now.checked_add(ahead),
        ) {
            let stored = store.meetings(id, from, to)?;
            next_call =
                frontdesk_core::agenda::next_standing_call(practice, c, &stored, now, ahead);
        }
    }
    let links = if practice.oversees(member) && practice.client(handle).is_some() {
        store.links(id, &frontdesk_store::LinkTarget::Booking(handle.clone()))?
    } else {
        Vec::new()
    };
    let risk = if practice.client(handle).is_some() {
        Some(crate::risk_page::load(store, id, practice, handle, now)?)
    } else {
        None
    };
    let ratings = store.ratings(id, Some(handle))?;
    // What habits cost, for those who see what is billed.
    let habits = if practice.oversees(member) && practice.client(handle).is_some() {
        frontdesk_desk::billing::months(store, id, practice, handle, now)?
    } else {
        Vec::new()
    };
    Ok(ClientView {
        habits,
        contacts,
        figures,
        calls_this_week,
        next_call,
        links,
        risk,
        ratings,
    })
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(handle): Path<String>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let handle = Handle::parse(&handle).map_err(|e| ApiError::not_found(e.to_string()))?;
    let (practice, view) = load_view(&state, &user, &handle).await?;
    // After a save, a confirmation above the form.
    let saved = query.get("saved").map(|what| {
        (
            true,
            user.t.get(if what == "client" {
                "client-saved"
            } else {
                "terms-saved"
            }),
        )
    });
    Ok(client_page(
        &practice,
        &user,
        &handle,
        &view,
        None,
        saved,
        &crate::client_forms::Typed::Nothing,
        None,
    ))
}

/// The practice and what the client's page shows besides it.
async fn load_view(
    state: &AppState,
    user: &PageUser,
    handle: &Handle,
) -> Result<(std::sync::Arc<Practice>, ClientView), ApiError> {
    let id = user.principal.practice;
    let s = state.clone();
    let h = handle.clone();
    let m = user.principal.member.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, id)?;
            let view = client_view(store, &practice, id, &h, &m, s.now())?;
            Ok((practice, view))
        })
        .await
}

/// The client's page after a change from one of its forms: with the refusal (`message`, when
/// not empty) and what was typed, or with a booking link just made.
pub(crate) async fn page_after(
    state: &AppState,
    user: &PageUser,
    handle: &Handle,
    typed: crate::client_forms::Typed,
    new_link: Option<String>,
    message: String,
) -> Result<Response, Response> {
    let (practice, view) = load_view(state, user, handle)
        .await
        .map_err(IntoResponse::into_response)?;
    let message = Some((false, message)).filter(|(_, m)| !m.is_empty());
    Ok(client_page(
        &practice,
        user,
        handle,
        &view,
        None,
        message,
        &typed,
        new_link.as_deref(),
    ))
}

async fn save(
    State(state): State<AppState>,
    user: PageUser,
    Path(handle): Path<String>,
    Form(f): Form<TermsForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let handle =
        Handle::parse(&handle).map_err(|e| ApiError::not_found(e.to_string()).into_response())?;
    let (practice, view) = load_view(&state, &user, &handle)
        .await
        .map_err(IntoResponse::into_response)?;
    if !practice
        .clients_of(&user.principal.member)
        .any(|c| c.handle == handle)
    {
        return Ok(client_page(
            &practice,
            &user,
            &handle,
            &view,
            None,
            None,
            &crate::client_forms::Typed::Nothing,
            None,
        ));
    }
    if !practice.oversees(&user.principal.member) {
        return Err((StatusCode::FORBIDDEN, user.t.get("terms-read-only")).into_response());
    }
    let refused = |message: String| {
        let mut r = client_page(
            &practice,
            &user,
            &handle,
            &view,
            Some(&f),
            Some((false, message)),
            &crate::client_forms::Typed::Nothing,
            None,
        );
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    let (h, form) = (handle.clone(), f.clone());
    let edited = edit_practice(
        &state,
        user.principal.practice,
        user.principal.member.clone(),
        None,
        move |p| with_terms(p, &h, &form),
    )
    .await;
    match edited {
        Ok(_) => Ok(Redirect::to(&format!("/clients/{handle}?saved=1")).into_response()),
        Err(e) => Ok(refused(user.t.field_error(&e.message()))),
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(crate::client_forms::routes())
        .route("/clients", get(list).post(add))
        .route("/clients/{handle}", get(show).post(save))
}
