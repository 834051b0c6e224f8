//! The forms on a client's page besides the terms: the client's people (whose calls and mail are
//! theirs), the standing call in words (every N weeks on a day at a time), and the secret
//! booking links to send them. Each change goes through the practice file's rules
//! (`frontdesk_practice::edit`), as `apply` would; a refusal names the field in words and keeps
//! what was typed.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use frontdesk_core::{Client, Handle, Practice};
use frontdesk_practice::{FileError, PersonEntry, PracticeFile, StandingCallEntry, TermsEntry};
use frontdesk_store::{LinkTarget, TokenInfo};
use maud::{Markup, html};
use serde::Deserialize;

use crate::edits::edit_practice;
use crate::error::ApiError;
use crate::layout::{PageUser, check_csrf};
use crate::state::AppState;

/// What was typed in one of these forms, shown again after a refusal.
#[derive(Clone, Debug, Default)]
pub(crate) enum Typed {
    #[default]
    Nothing,
    Person(PersonForm),
    Standing(StandingForm),
}

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct PersonForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct StandingForm {
    #[serde(default)]
    csrf: String,
    /// Every how many weeks; 0: no standing call.
    #[serde(default)]
    every: String,
    /// The weekday's two letters (MO … SU).
    #[serde(default)]
    day: String,
    /// The time, HH:MM in the owner's zone.
    #[serde(default)]
    time: String,
    /// The first date it may fall on.
    #[serde(default)]
    from: String,
    #[serde(default)]
    minutes: String,
}

const DAYS: [(&str, jiff::civil::Weekday); 7] = [
    ("MO", jiff::civil::Weekday::Monday),
    ("TU", jiff::civil::Weekday::Tuesday),
    ("WE", jiff::civil::Weekday::Wednesday),
    ("TH", jiff::civil::Weekday::Thursday),
    ("FR", jiff::civil::Weekday::Friday),
    ("SA", jiff::civil::Weekday::Saturday),
    ("SU", jiff::civil::Weekday::Sunday),
];

/// The sections: people, standing call, booking links. `new_link` is a link just made: its
/// secret is shown this once.
pub(crate) fn sections(
    user: &PageUser,
    client: &Client,
    links: &[TokenInfo],
    new_link: Option<&str>,
    typed: &Typed,
    practice: &Practice,
) -> Markup {
    let t = user.t;
    let action = format!("/clients/{}", client.handle);
    let csrf = &user.principal.csrf;
    let person = match typed {
        Typed::Person(f) => f.clone(),
        _ => PersonForm::default(),
    };
    // The standing call as the form shows it: what was typed, else the current rule when it
    // has the form's shape (weekly on one day), else empty.
    let standing = match typed {
        Typed::Standing(f) => f.clone(),
        _ => current_standing(client),
    };
    let raw_rule = client
        .terms
        .standing_call
        .as_ref()
        .filter(|_| current_standing(client).every.is_empty())
        .map(|s| t.standing_call(s));
    let me = &user.principal.member;
    html! {
        section.card #people {
            h2 { (t.get("people-title")) }
            p { (t.get("people-help")) }
            @if client.people.is_empty() {
                p #people-empty { (t.get("people-empty")) }
            } @else {
                ul {
                    @for (i, p) in client.people.iter().enumerate() {
                        li {
                            (p.name)
                            @if let Some(e) = &p.email { " — " (e) }
                            @if let Some(ph) = &p.phone { " — " (ph) }
                            " "
                            form.inline method="post" action={(action) "/people/remove"} {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="index" value=(i);
                                button type="submit" aria-label=(t.args("people-remove-who", &[("name", p.name.clone())])) { (t.get("people-remove")) }
                            }
                        }
                    }
                }
            }
            form method="post" action={(action) "/people"} #add-person {
                input type="hidden" name="csrf" value=(csrf);
                label for="person-name" { (t.get("people-name")) }
                input #person-name name="name" value=(person.name) required;
                label for="person-email" { (t.get("people-email")) }
                input #person-email name="email" type="email" value=(person.email);
                label for="person-phone" { (t.get("people-phone")) }
                input #person-phone name="phone" type="tel" value=(person.phone) placeholder="+34 600 111 222";
                button.primary type="submit" #add-person-save { (t.get("people-add")) }
            }
        }
        section.card #standing {
            h2 { (t.get("client-standing")) }
            @if let Some(rule) = &raw_rule { p { (t.args("standing-current", &[("rule", rule.clone())])) } }
            form method="post" action={(action) "/standing"} #standing-form {
                input type="hidden" name="csrf" value=(csrf);
                label for="standing-every" { (t.get("standing-every")) }
                select #standing-every name="every" {
                    @for n in 0..=4u8 {
                        option value=(n) selected[standing.every == n.to_string() || (standing.every.is_empty() && n == 0)] {
                            (if n == 0 { t.get("standing-none") } else { t.args("standing-every-n", &[("n", n.to_string())]) })
                        }
                    }
                }
                label for="standing-day" { (t.get("standing-day")) }
                select #standing-day name="day" {
                    @for (code, day) in DAYS {
                        option value=(code) selected[standing.day == code] { (t.get(&format!("weekday-long-{}", crate::i18n::weekday_key(day)))) }
                    }
                }
                label for="standing-time" { (t.args("standing-time", &[("zone", practice.member(&client.owner).map_or(String::new(), |m| t.zone(&m.zone, user.now)))])) }
                input #standing-time name="time" type="time" value=(standing.time);
                label for="standing-from" { (t.get("standing-from")) }
                input #standing-from name="from" type="date" value=(standing.from);
                label for="standing-minutes" { (t.get("standing-minutes")) }
                input #standing-minutes name="minutes" type="number" min="5" max="480" value=(standing.minutes);
                button.primary type="submit" #standing-save { (t.get("standing-save")) }
            }
        }
        @if practice.oversees(me) {
            section.card #booking-links {
                h2 { (t.get("links-title")) }
                p { (t.get("links-help")) }
                @if let Some(url) = new_link {
                    p.notice { (t.get("links-new")) }
                    pre #new-link { (url) }
                }
                @let live: Vec<&TokenInfo> = links.iter().filter(|l| l.revoked.is_none()).collect();
                @if live.is_empty() {
                    p #links-none { (t.get("links-none")) }
                } @else {
                    ul {
                        @for l in &live {
                            li {
                                (t.args("links-created", &[("at", t.time(practice, me, l.created))]))
                                " "
                                form.inline method="post" action={(action) "/links/revoke"} {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="id" value=(l.id);
                                    button type="submit" { (t.get("links-revoke")) }
                                }
                            }
                        }
                    }
                }
                form method="post" action={(action) "/links"} {
                    input type="hidden" name="csrf" value=(csrf);
                    button.primary type="submit" #new-booking-link { (t.get("links-create")) }
                }
            }
        }
    }
}

/// The client's standing call in the form's shape, when it has it.
fn current_standing(client: &Client) -> StandingForm {
    let Some(s) = &client.terms.standing_call else {
        return StandingForm::default();
    };
    match s.rule.simple() {
        Some(frontdesk_core::Simple::Weekly { interval, days })
            if days.len() == 1 && interval <= 4 =>
        {
            StandingForm {
                csrf: String::new(),
                every: interval.to_string(),
                day: DAYS
                    .iter()
                    .find(|(_, d)| *d == days[0])
                    .map_or(String::new(), |(c, _)| c.to_string()),
                time: s.starts.time().strftime("%H:%M").to_string(),
                from: s.starts.date().to_string(),
                minutes: s.minutes.to_string(),
            }
        }
        _ => StandingForm::default(),
    }
}

/// Applies `change` to the client's entry in the practice file as `user`; on a refusal, the
/// client's page with the field in words and what was typed.
async fn change_client(
    state: &AppState,
    user: &PageUser,
    handle: String,
    typed: Typed,
    change: impl Fn(&mut frontdesk_practice::ClientEntry) -> Result<(), FileError> + Send + 'static,
) -> Result<Response, Response> {
    let handle =
        Handle::parse(&handle).map_err(|e| ApiError::not_found(e.to_string()).into_response())?;
    let h = handle.clone();
    let edited = edit_practice(
        state,
        user.principal.practice,
        user.principal.member.clone(),
        None,
        move |p| {
            frontdesk_practice::edit(p, |file: &mut PracticeFile| {
                let (i, c) = file
                    .clients
                    .iter_mut()
                    .enumerate()
                    .find(|(_, c)| c.handle == h.as_str())
                    .ok_or_else(|| {
                        FileError::invalid("clients", format!("there is no client {h}"))
                    })?;
                change(c).map_err(|e| match e {
                    FileError::Invalid { path, message } => FileError::Invalid {
                        path: format!("clients[{i}].{path}"),
                        message,
                    },
                    other => other,
                })
            })
            .map_err(|e| e.to_string())
        },
    )
    .await;
    match edited {
        Ok(_) => Ok(Redirect::to(&format!("/clients/{handle}?saved=client")).into_response()),
        Err(e) => {
            let message = user.t.field_error(&e.message());
            let mut r =
                crate::clients::page_after(state, user, &handle, typed, None, message).await?;
            *r.status_mut() = match e {
                crate::edits::EditError::Forbidden(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            Ok(r)
        }
    }
}

async fn add_person(
    State(state): State<AppState>,
    user: PageUser,
    Path(handle): Path<String>,
    Form(f): Form<PersonForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let some = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    let entry = PersonEntry {
        name: f.name.trim().to_string(),
        email: some(&f.email),
        phone: some(&f.phone),
    };
    change_client(&state, &user, handle, Typed::Person(f), move |c| {
        c.people.push(entry.clone());
        Ok(())
    })
    .await
}

#[derive(Deserialize)]
struct Numbered {
    csrf: String,
    #[serde(alias = "id")]
    index: i64,
}

async fn remove_person(
    State(state): State<AppState>,
    user: PageUser,
    Path(handle): Path<String>,
    Form(f): Form<Numbered>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    change_client(&state, &user, handle, Typed::Nothing, move |c| {
        let i = usize::try_from(f.index)
            .ok()
            .filter(|i| *i < c.people.len())
            .ok_or_else(|| {
                FileError::invalid("people", format!("there is no person {}", f.index))
            })?;
        c.people.remove(i);
        Ok(())
    })
    .await
}

async fn save_standing(
    State(state): State<AppState>,
    user: PageUser,
    Path(handle): Path<String>,
    Form(f): Form<StandingForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let form = f.clone();
    change_client(&state, &user, handle, Typed::Standing(f), move |c| {
        let call = standing_entry(&form)?;
        c.terms
            .get_or_insert_with(TermsEntry::default)
            .standing_call = call;
        Ok(())
    })
    .await
}

/// The form's standing call as the practice file writes it; None when there is none.
fn standing_entry(f: &StandingForm) -> Result<Option<StandingCallEntry>, FileError> {
    let every: u8 = f.every.trim().parse().map_err(|_| {
        FileError::invalid(
            "terms.standing_call.rrule",
            format!("{:?} is not a number of weeks", f.every),
        )
    })?;
    if every == 0 {
        return Ok(None);
    }
    let (_, day) = DAYS
        .iter()
        .find(|(c, _)| *c == f.day.trim())
        .ok_or_else(|| {
            FileError::invalid(
                "terms.standing_call.rrule",
                format!("{:?} is not a weekday", f.day),
            )
        })?;
    let from: jiff::civil::Date = f.from.trim().parse().map_err(|_| {
        FileError::invalid(
            "terms.standing_call.starts",
            format!("{:?} is not a date such as 2026-12-04", f.from),
        )
    })?;
    let time: jiff::civil::Time = f.time.trim().parse().map_err(|_| {
        FileError::invalid(
            "terms.standing_call.starts",
            format!("{:?} is not a time such as 10:00", f.time),
        )
    })?;
    // The first call: the first such weekday on or after the date.
    let first = if from.weekday() == *day {
        from
    } else {
        from.nth_weekday(1, *day).map_err(|_| {
            FileError::invalid(
                "terms.standing_call.starts",
                format!("{from}: too far ahead"),
            )
        })?
    };
    let minutes: i64 = f.minutes.trim().parse().map_err(|_| {
        FileError::invalid(
            "terms.standing_call.minutes",
            format!("{:?} is not a whole number of minutes", f.minutes),
        )
    })?;
    let code = DAYS.iter().find(|(_, d)| d == day).map_or("MO", |(c, _)| c);
    Ok(Some(StandingCallEntry {
        rrule: if every == 1 {
            format!("FREQ=WEEKLY;BYDAY={code}")
        } else {
            format!("FREQ=WEEKLY;INTERVAL={every};BYDAY={code}")
        },
        starts: format!("{}T{}", first, time.strftime("%H:%M")),
        minutes,
    }))
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

/// A new booking link for the client: its address is shown once, on the client's page.
async fn create_link(
    State(state): State<AppState>,
    user: PageUser,
    Path(handle): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let secret = frontdesk_desk::secrets::random_hex(24);
    let hash = frontdesk_desk::secrets::secret_hash(&secret);
    let handle = with_links(
        &state,
        &user,
        handle,
        move |store, practice, target, now| Ok(store.create_link(practice, &target, &hash, now)?),
    )
    .await?;
    let url = format!("{}/book/{secret}", state.public_url());
    crate::clients::page_after(
        &state,
        &user,
        &handle,
        Typed::Nothing,
        Some(url),
        String::new(),
    )
    .await
}

async fn revoke_link(
    State(state): State<AppState>,
    user: PageUser,
    Path(handle): Path<String>,
    Form(f): Form<Numbered>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let handle = with_links(
        &state,
        &user,
        handle,
        move |store, practice, target, now| {
            // Only a link of this client.
            if !store
                .links(practice, &target)?
                .iter()
                .any(|l| l.id == f.index)
            {
                return Err(ApiError::not_found(format!("no link {}", f.index)));
            }
            Ok(store.revoke_link(practice, f.index, now)?)
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/clients/{handle}")).into_response())
}

/// Does `op` to the client's booking links, for someone who oversees the practice; the client.
async fn with_links<R: Send + 'static>(
    state: &AppState,
    user: &PageUser,
    handle: String,
    op: impl FnOnce(
        &mut crate::state::DynStore,
        frontdesk_store::PracticeId,
        LinkTarget,
        jiff::Timestamp,
    ) -> Result<R, ApiError>
    + Send
    + 'static,
) -> Result<Handle, Response> {
    let handle =
        Handle::parse(&handle).map_err(|e| ApiError::not_found(e.to_string()).into_response())?;
    let practice = user.principal.practice;
    let member = user.principal.member.clone();
    let now = state.now();
    let s = state.clone();
    let h = handle.clone();
    state
        .db(move |store| {
            let p = s.practice(store, practice)?;
            if !p.oversees(&member) || p.client(&h).is_none() {
                return Err(ApiError::not_found(format!("no client {h}")));
            }
            op(store, practice, LinkTarget::Booking(h), now)
        })
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(handle)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/clients/{handle}/people", post(add_person))
        .route("/clients/{handle}/people/remove", post(remove_person))
        .route("/clients/{handle}/standing", post(save_standing))
        .route("/clients/{handle}/links", post(create_link))
        .route("/clients/{handle}/links/revoke", post(revoke_link))
}
