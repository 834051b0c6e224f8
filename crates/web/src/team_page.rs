//! The team: members with their hours and holidays, absences and who covers them.

#![allow(clippy::result_large_err)]

use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use frontdesk_core::{Password, Practice};
use frontdesk_practice::{AbsenceEntry, FileError, HoursEntry, MemberEntry, PracticeFile};
use maud::{Markup, html};
use serde::Deserialize;

use crate::edits::{EditError, edit_practice};
use crate::error::ApiError;
use crate::layout::{PageUser, check_csrf, page};
use crate::settings::load;
use crate::state::AppState;

// ---- team -----------------------------------------------------------------------------------

/// What the team page shows besides the practice.
#[derive(Default)]
struct TeamView {
    /// The calendar feeds members subscribed for busy times.
    feeds: Vec<frontdesk_store::BusySource>,
    /// The signed-in member's own calendar feed links.
    my_links: Vec<frontdesk_store::TokenInfo>,
    /// A feed link just made: its address, shown this once.
    new_link: Option<String>,
}

async fn load_team(
    state: &AppState,
    user: &PageUser,
) -> Result<(std::sync::Arc<Practice>, TeamView), ApiError> {
    let (practice, _) = load(state, user).await?;
    let id = user.principal.practice;
    let me = user.principal.member.clone();
    let (feeds, my_links) = state
        .db(move |store| {
            let feeds: Vec<_> = store
                .busy_sources()?
                .into_iter()
                .filter(|f| f.practice == id)
                .collect();
            let links = store.links(id, &frontdesk_store::LinkTarget::Feed(me))?;
            Ok((feeds, links))
        })
        .await?;
    Ok((
        practice,
        TeamView {
            feeds,
            my_links,
            new_link: None,
        },
    ))
}

/// The team page: members, their hours and forms, feeds, the member's own calendar feed link,
/// absences. Where a feed lives is shown without the secret part of its address.
fn team_page_with(
    user: &PageUser,
    practice: &Practice,
    message: Option<(bool, String)>,
    view: &TeamView,
    typed: Option<&MemberForm>,
) -> Html<String> {
    let feeds = &view.feeds;
    let t = user.t;
    let editable = practice.oversees(&user.principal.member);
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
                            td { (t.get(&format!("role-{}", m.role.as_str()))) }
                            td { (t.zone(&m.zone, user.now)) }
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
            @if editable {
                @if typed.is_some() && let Some((false, msg)) = &message {
                    p.error #member-error role="alert" { (msg) }
                }
                @for m in practice.members() {
                    @let mine = typed.filter(|f| f.existing && f.handle.trim() == m.handle.as_str());
                    details.member open[mine.is_some()] {
                        summary { (t.args("team-edit", &[("name", m.name.clone())])) }
                        (member_form(user, Some(m), mine))
                    }
                }
                @let new = typed.filter(|f| !f.existing);
                details.member open[new.is_some()] {
                    summary { (t.get("team-add-member")) }
                    (member_form(user, None, new))
                }
            }
            @if !feeds.is_empty() {
                h2 { (t.get("team-feeds")) }
                ul #feeds {
                    @for f in feeds {
                        li {
                            (f.member) ": " (frontdesk_desk::busy::feed_host(&f.url)) " — "
                            @match (&f.checked, &f.error) {
                                (None, _) => (t.get("team-feed-never")),
                                (Some(at), None) => (t.args("team-feed-ok", &[("at", t.time(practice, &f.member, *at))])),
                                (Some(at), Some(e)) => span.error-text { (t.args("team-feed-error", &[("at", t.time(practice, &f.member, *at)), ("error", e.clone())])) },
                            }
                            @if practice.may_manage(&user.principal.member, &f.member) {
                                " "
                                form.inline method="post" action={"/team/feeds/" (f.id) "/unsubscribe"} {
                                    input type="hidden" name="csrf" value=(user.principal.csrf);
                                    button type="submit" { (t.get("team-feed-unsubscribe")) }
                                }
                            }
                        }
                    }
                }
            }
            section.card #my-feed {
                h2 { (t.get("feed-title")) }
                p { (t.get("feed-help")) }
                @if let Some(url) = &view.new_link {
                    p.notice { (t.get("links-new-feed")) }
                    pre #new-feed-link { (url) }
                }
                @let live: Vec<_> = view.my_links.iter().filter(|l| l.revoked.is_none()).collect();
                @if live.is_empty() {
                    p { (t.get("feed-none")) }
                }
                ul {
                    @for l in &live {
                        li {
                            (t.args("links-created", &[("at", t.time(practice, &user.principal.member, l.created))])) " "
                            form.inline method="post" action="/team/feed/revoke" {
                                input type="hidden" name="csrf" value=(user.principal.csrf);
                                input type="hidden" name="id" value=(l.id);
                                button type="submit" { (t.get("links-revoke")) }
                            }
                        }
                    }
                }
                form method="post" action="/team/feed" {
                    input type="hidden" name="csrf" value=(user.principal.csrf);
                    button.primary type="submit" #new-feed { (t.get("feed-create")) }
                }
            }
            h2 { (t.get("team-absences")) }
            @if editable { p { a href="/audit" #audit-link { (t.get("audit-title")) } } }
            @if typed.is_none() && let Some((ok, msg)) = &message {
                p class=(if *ok { "notice" } else { "error" }) id="team-message" { (msg) }
            }
            @if practice.absences().is_empty() {
                p { (t.get("team-no-absences")) }
            } @else {
                ul {
                    @for (i, a) in practice.absences().iter().enumerate() {
                        li {
                            (a.member) ": " (a.from) " – " (a.until) ", " (t.get("team-absence-cover")) " " (a.cover)
                            " — " a href={"/briefs/" (a.member) "/" (a.from)} { (t.get("team-absence-briefs")) }
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

/// The form for one member (or a new one): name, email, role, zone, hours, holidays.
fn member_form(
    user: &PageUser,
    m: Option<&frontdesk_core::Member>,
    typed: Option<&MemberForm>,
) -> Markup {
    let t = user.t;
    let id = m.map_or("new".to_string(), |m| m.handle.to_string());
    let hours = |day: jiff::civil::Weekday| {
        if let Some(f) = typed {
            return f.day(day).to_string();
        }
        m.map_or(String::new(), |m| {
            m.hours
                .on(day)
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    html! {
        form.card method="post" action=(if m.is_some() { "/team/members" } else { "/team/members/new" }) id={"member-" (id)} {
            input type="hidden" name="csrf" value=(user.principal.csrf);
            @match m {
                Some(m) => input type="hidden" name="handle" value=(m.handle);,
                None => {
                    label for="new-handle" { (t.get("team-handle")) }
                    input id="new-handle" name="handle" value=(typed.map_or("", |f| f.handle.as_str())) required;
                },
            }
            label { (t.get("team-name")) input name="name" value=(typed.map_or(m.map_or("", |m| m.name.as_str()), |f| f.name.as_str())) required; }
            label { (t.get("team-email")) input name="email" type="email" value=(typed.map_or(m.map_or("", |m| m.email.as_str()), |f| f.email.as_str())) required; }
            label { (t.get("team-role"))
                select name="role" {
                    @for r in ["owner", "manager", "member"] {
                        option value=(r) selected[typed.map_or(m.map_or(r == "member", |m| m.role.as_str() == r), |f| f.role == r)] { (t.get(&format!("role-{r}"))) }
                    }
                }
            }
            label { (t.get("client-zone")) input name="time_zone" value=(typed.map_or(m.map_or(String::new(), |m| m.zone.to_string()), |f| f.time_zone.clone())) required; }
            @for (day, key) in jiff::civil::Weekday::Monday.cycle_forward().take(7).zip(frontdesk_core::WEEKDAY_KEYS) {
                label { (t.get(&format!("weekday-{key}"))) " (" (t.get("team-hours-help")) ")"
                    input name={"hours_" (key)} value=(hours(day));
                }
            }
            label { (t.get("team-holidays")) " (" (t.get("team-holidays-help")) ")"
                input name="holidays" value=(typed.map_or(m.map_or(String::new(), |m| m.holidays.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")), |f| f.holidays.clone()));
            }
            @if m.is_none() {
                label { (t.get("team-password")) input name="password" type="password" autocomplete="new-password"; }
            }
            button.primary type="submit" { (t.get("team-save-member")) }
        }
    }
}

#[derive(Clone, Deserialize)]
struct MemberForm {
    /// Whether it edits a member (not adds one): set by the handler, not the form.
    #[serde(skip)]
    existing: bool,
    csrf: String,
    handle: String,
    name: String,
    email: String,
    role: String,
    time_zone: String,
    hours_mon: String,
    hours_tue: String,
    hours_wed: String,
    hours_thu: String,
    hours_fri: String,
    hours_sat: String,
    hours_sun: String,
    holidays: String,
    #[serde(default)]
    password: Option<String>,
}

impl MemberForm {
    /// What was typed for one day's hours.
    fn day(&self, day: jiff::civil::Weekday) -> &str {
        use jiff::civil::Weekday::*;
        match day {
            Monday => &self.hours_mon,
            Tuesday => &self.hours_tue,
            Wednesday => &self.hours_wed,
            Thursday => &self.hours_thu,
            Friday => &self.hours_fri,
            Saturday => &self.hours_sat,
            Sunday => &self.hours_sun,
        }
    }

    /// The member as the practice file writes it.
    fn into_entry(self) -> MemberEntry {
        let list = |s: &str| -> Vec<String> {
            s.split(',')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        let day = |s: &str| Some(list(s)).filter(|l| !l.is_empty());
        MemberEntry {
            handle: self.handle.trim().to_string(),
            name: self.name.trim().to_string(),
            email: self.email.trim().to_string(),
            role: self.role.trim().to_string(),
            time_zone: self.time_zone.trim().to_string(),
            hours: HoursEntry {
                mon: day(&self.hours_mon),
                tue: day(&self.hours_tue),
                wed: day(&self.hours_wed),
                thu: day(&self.hours_thu),
                fri: day(&self.hours_fri),
                sat: day(&self.hours_sat),
                sun: day(&self.hours_sun),
            },
            holidays: list(&self.holidays),
        }
    }
}

async fn save_member(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<MemberForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let typed = MemberForm {
        existing: true,
        ..f.clone()
    };
    change_team(&state, &user, Some(typed), move |file| {
        let handle = f.handle.trim();
        let i = file
            .members
            .iter()
            .position(|m| m.handle == handle)
            .ok_or_else(|| {
                FileError::invalid("members", format!("there is no member {handle:?}"))
            })?;
        file.members[i] = f.clone().into_entry();
        Ok(())
    })
    .await
}

async fn add_member(
    State(state): State<AppState>,
    user: PageUser,
    Form(mut f): Form<MemberForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let password = match f.password.take().filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => match Password::parse(&p) {
            Ok(p) => Some(p),
            Err(e) => {
                let (practice, view) = load_team(&state, &user)
                    .await
                    .map_err(IntoResponse::into_response)?;
                let message = Some((false, user.t.field_error(&format!("password: {e}"))));
                let mut r =
                    team_page_with(&user, &practice, message, &view, Some(&f)).into_response();
                *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                return Ok(r);
            }
        },
    };
    let handle = f.handle.trim().to_string();
    let h = handle.clone();
    let result = change_team(&state, &user, Some(f.clone()), move |file| {
        if file.members.iter().any(|m| m.handle == h) {
            return Err(FileError::invalid(
                "members",
                format!("{h:?} is already a member"),
            ));
        }
        file.members.push(f.clone().into_entry());
        Ok(())
    })
    .await?;
    if result.status() == StatusCode::SEE_OTHER
        && let Some(password) = password
        && let Ok(member) = frontdesk_core::Handle::parse(&handle)
    {
        let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&password))
            .await
            .map_err(|e| ApiError::internal(e.to_string()).into_response())?;
        let practice = user.principal.practice;
        state
            .db(move |s| Ok(s.set_password(practice, &member, &hash)?))
            .await
            .map_err(IntoResponse::into_response)?;
    }
    Ok(result)
}

async fn team(State(state): State<AppState>, user: PageUser) -> Result<Html<String>, ApiError> {
    let (practice, view) = load_team(&state, &user).await?;
    Ok(team_page_with(&user, &practice, None, &view, None))
}

#[derive(Deserialize)]
struct LinkForm {
    csrf: String,
    #[serde(default)]
    id: i64,
}

/// A new calendar feed link of the signed-in member's own meetings: shown once.
async fn create_feed(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<LinkForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let secret = frontdesk_desk::secrets::random_hex(24);
    let hash = frontdesk_desk::secrets::secret_hash(&secret);
    let (id, me, now) = (
        user.principal.practice,
        user.principal.member.clone(),
        state.now(),
    );
    state
        .db(move |store| {
            Ok(store.create_link(id, &frontdesk_store::LinkTarget::Feed(me), &hash, now)?)
        })
        .await
        .map_err(IntoResponse::into_response)?;
    let (practice, mut view) = load_team(&state, &user)
        .await
        .map_err(IntoResponse::into_response)?;
    view.new_link = Some(format!("{}/calendar/{secret}.ics", state.public_url()));
    Ok(team_page_with(&user, &practice, None, &view, None).into_response())
}

async fn revoke_feed(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<LinkForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let (id, me, now) = (
        user.principal.practice,
        user.principal.member.clone(),
        state.now(),
    );
    state
        .db(move |store| {
            // Only one of the member's own feed links.
            let mine = store
                .links(id, &frontdesk_store::LinkTarget::Feed(me))?
                .iter()
                .any(|l| l.id == f.id);
            if !mine {
                return Err(ApiError::not_found(format!("no link {}", f.id)));
            }
            Ok(store.revoke_link(id, f.id, now)?)
        })
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(Redirect::to("/team").into_response())
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

/// Unsubscribes a feed: its member or an owner or manager may.
async fn unsubscribe_feed(
    State(state): State<AppState>,
    user: PageUser,
    axum::extract::Path(feed): axum::extract::Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    let p = user.principal.clone();
    let s = state.clone();
    state
        .db(move |store| {
            let practice = s.practice(store, p.practice)?;
            let mine = store
                .busy_sources()?
                .into_iter()
                .find(|x| x.id == feed && x.practice == p.practice)
                .ok_or_else(|| ApiError::not_found(format!("no feed {feed}")))?;
            if !practice.may_manage(&p.member, &mine.member) {
                return Err(ApiError::forbidden(
                    "only the feed's member, an owner or a manager",
                ));
            }
            store.remove_busy_source(p.practice, feed)?;
            Ok(())
        })
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(Redirect::to("/team").into_response())
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

/// Changes the team in the practice file (`members`, `absences`) and applies the result; a
/// refusal names the field (`absences[2].cover`) and writes nothing.
/// Changes the team through the practice file's rules; a refusal shows the team page with the
/// field named in words and, for a member's form, what was typed in it.
async fn change_team(
    state: &AppState,
    user: &PageUser,
    typed: Option<MemberForm>,
    change: impl Fn(&mut PracticeFile) -> Result<(), FileError> + Send + 'static,
) -> Result<Response, Response> {
    let (practice, view) = load_team(state, user)
        .await
        .map_err(IntoResponse::into_response)?;
    if !practice.oversees(&user.principal.member) {
        return Err((StatusCode::FORBIDDEN, user.t.get("settings-read-only")).into_response());
    }
    let refused = |message: String| {
        let message = Some((false, user.t.field_error(&message)));
        let mut r = team_page_with(user, &practice, message, &view, typed.as_ref()).into_response();
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        r
    };
    let edited = edit_practice(
        state,
        user.principal.practice,
        user.principal.member.clone(),
        None,
        move |p| frontdesk_practice::edit(p, &change).map_err(|e| e.to_string()),
    )
    .await;
    match edited {
        Ok(_) => Ok(Redirect::to("/team").into_response()),
        Err(e @ EditError::Forbidden(_)) => {
            let mut r = refused(e.message());
            *r.status_mut() = StatusCode::FORBIDDEN;
            Ok(r)
        }
        Err(e) => Ok(refused(e.message())),
    }
}

async fn add_absence(
    State(state): State<AppState>,
    user: PageUser,
    Form(f): Form<AbsenceForm>,
) -> Result<Response, Response> {
    check_csrf(&user.principal.csrf, &f.csrf)?;
    change_team(&state, &user, None, move |file| {
        file.absences.push(AbsenceEntry {
            member: f.member.trim().to_string(),
            from: f.from.trim().to_string(),
            until: f.until.trim().to_string(),
            cover: f.cover.trim().to_string(),
        });
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
    change_team(&state, &user, None, move |file| {
        if f.index >= file.absences.len() {
            return Err(FileError::invalid(
                format!("absences[{}]", f.index),
                "there is no such absence",
            ));
        }
        file.absences.remove(f.index);
        Ok(())
    })
    .await
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/team", get(team))
        .route("/team/feed", post(create_feed))
        .route("/team/feed/revoke", post(revoke_feed))
        .route("/team/absences", post(add_absence))
        .route("/team/absences/remove", post(remove_absence))
        .route("/team/members", post(save_member))
        .route("/team/members/new", post(add_member))
        .route("/team/feeds/{id}/unsubscribe", post(unsubscribe_feed))
}
