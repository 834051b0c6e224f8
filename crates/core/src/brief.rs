//! Briefs: what a member leaves their cover about each client before an absence, and the
//! hand-over rules. A brief counts as handed over only when its cover acknowledges the version
//! they read; the cover may instead ask a question, and the brief then waits for the absent
//! member's answer. Editing a brief after its acknowledgement needs a new one.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{Absence, Handle, Practice};

/// The most characters of any one text of a brief.
pub const MAX_TEXT: usize = 8000;
/// The most open items of a brief.
pub const MAX_ITEMS: usize = 100;

/// Something open for the client, with the date it is due.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenItem {
    pub text: String,
    pub due: Option<Date>,
    /// Done during the absence (set by the cover or at the return).
    #[serde(default)]
    pub done: bool,
}

impl OpenItem {
    /// An open item as a person writes it on one line: "2026-12-20: send the report" (due that
    /// day) or just "send the report"; a date that is not one is refused.
    pub fn parse_line(line: &str) -> Result<OpenItem, crate::ParseError> {
        let line = line.trim();
        if let Some((date, text)) = line.split_once(": ")
            && date.len() == 10
            && date.as_bytes()[4] == b'-'
        {
            return Ok(OpenItem {
                text: text.trim().to_string(),
                due: Some(crate::bounds::date(date)?),
                done: false,
            });
        }
        Ok(OpenItem {
            text: line.to_string(),
            due: None,
            done: false,
        })
    }
}

/// What the brief says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Content {
    /// Where the work stands.
    pub status: String,
    pub open_items: Vec<OpenItem>,
    /// Promises already made to the client.
    pub promises: String,
    /// What the client is waiting for.
    pub waiting_for: String,
    /// People to know at the client.
    pub people: String,
    /// What the cover may promise.
    pub may_promise: String,
    /// What the cover must not promise.
    pub must_not_promise: String,
    /// Where the material is.
    pub material: String,
    /// Tell the client before the absence who covers and how to reach them.
    pub tell_client: bool,
}

impl Content {
    /// Refuses a text too long, or too many items, naming the field.
    pub fn check(&self) -> Result<(), BriefError> {
        for (field, text) in [
            ("status", &self.status),
            ("promises", &self.promises),
            ("waiting_for", &self.waiting_for),
            ("people", &self.people),
            ("may_promise", &self.may_promise),
            ("must_not_promise", &self.must_not_promise),
            ("material", &self.material),
        ] {
            if text.chars().count() > MAX_TEXT {
                return Err(BriefError::TooLong(field));
            }
        }
        if self.open_items.len() > MAX_ITEMS {
            return Err(BriefError::TooLong("open_items"));
        }
        if let Some(i) = self
            .open_items
            .iter()
            .position(|i| i.text.trim().is_empty() || i.text.chars().count() > MAX_TEXT)
        {
            return Err(BriefError::BadItem(i + 1));
        }
        if self.status.trim().is_empty() {
            return Err(BriefError::Empty);
        }
        Ok(())
    }
}

/// Where a brief stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Written; the cover has not acknowledged this version.
    Waiting,
    /// The cover asked a question the absent member has not answered.
    Question,
    /// The cover acknowledged this version: handed over.
    Acknowledged,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Waiting => "waiting",
            State::Question => "question",
            State::Acknowledged => "acknowledged",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [State::Waiting, State::Question, State::Acknowledged]
            .into_iter()
            .find(|st| st.as_str() == s)
    }
}

/// A brief as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brief {
    pub id: i64,
    /// Who is away.
    pub member: Handle,
    /// The absence's first day.
    pub absence_from: Date,
    pub client: Handle,
    /// Who covers this client (the absence's cover unless set per client).
    pub cover: Handle,
    pub content: Content,
    /// How many times it was written.
    pub version: u32,
    pub state: State,
    pub questions: Vec<Question>,
}

/// A question of the cover's, and the absent member's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub asked_by: Handle,
    pub asked: jiff::Timestamp,
    pub text: String,
    pub answer: Option<String>,
    pub answered: Option<jiff::Timestamp>,
}

/// Why a brief change was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BriefError {
    #[error("from: {0} has no absence starting on {1}")]
    NoAbsence(Handle, Date),
    #[error("client {client}: not a client of {member}, who is away")]
    NotTheirClient { client: Handle, member: Handle },
    #[error("{0}: only the member who is away, or an owner or manager, writes their briefs")]
    NotTheirs(Handle),
    #[error("{0}: only the brief's cover acknowledges it or asks about it")]
    NotTheCover(Handle),
    #[error("{0}: only the member who is away, or an owner or manager, answers the cover")]
    NotTheAnswerer(Handle),
    #[error("cover {0}: not a member of the practice")]
    UnknownCover(Handle),
    #[error("cover {0}: the member who is away cannot cover themselves")]
    SelfCover(Handle),
    #[error("cover {cover}: away from {from} to {until}, during the absence")]
    CoverAway {
        cover: Handle,
        from: Date,
        until: Date,
    },
    #[error("the brief has a question waiting for an answer: answer it first")]
    QuestionOpen,
    #[error("there is no question waiting for an answer")]
    NoQuestion,
    #[error("this version is acknowledged already")]
    AlreadyAcknowledged,
    #[error("{0}: longer than 8000 characters (or more than 100 items)")]
    TooLong(&'static str),
    #[error("open item {0}: write what is open (at most 8000 characters)")]
    BadItem(usize),
    #[error("status: say where the work stands")]
    Empty,
    #[error("question: write the question (at most 8000 characters)")]
    BadText,
}

/// The absence of `member` that starts on `from`.
pub fn absence<'p>(
    practice: &'p Practice,
    member: &Handle,
    from: Date,
) -> Result<&'p Absence, BriefError> {
    practice
        .absences()
        .iter()
        .find(|a| a.member == *member && a.from == from)
        .ok_or_else(|| BriefError::NoAbsence(member.clone(), from))
}

/// Checks a brief may be written by `by` for `client` during `absence`, covered by `cover`.
pub fn may_write(
    practice: &Practice,
    absence: &Absence,
    client: &Handle,
    cover: &Handle,
    by: &Handle,
) -> Result<(), BriefError> {
    if *by != absence.member && !practice.oversees(by) {
        return Err(BriefError::NotTheirs(by.clone()));
    }
    if practice
        .client(client)
        .is_none_or(|c| c.owner != absence.member)
    {
        return Err(BriefError::NotTheirClient {
            client: client.clone(),
            member: absence.member.clone(),
        });
    }
    check_cover(practice, absence, cover)
}

/// A cover must be another member, not away during any day of the absence.
pub fn check_cover(
    practice: &Practice,
    absence: &Absence,
    cover: &Handle,
) -> Result<(), BriefError> {
    if practice.member(cover).is_none() {
        return Err(BriefError::UnknownCover(cover.clone()));
    }
    if *cover == absence.member {
        return Err(BriefError::SelfCover(cover.clone()));
    }
    if let Some(away) = practice
        .absences()
        .iter()
        .find(|a| a.member == *cover && a.from <= absence.until && absence.from <= a.until)
    {
        return Err(BriefError::CoverAway {
            cover: cover.clone(),
            from: away.from,
            until: away.until,
        });
    }
    Ok(())
}

/// The state after the brief is written again: a new version waits for its acknowledgement; an
/// open question must be answered first.
pub fn after_edit(state: State) -> Result<State, BriefError> {
    match state {
        State::Question => Err(BriefError::QuestionOpen),
        State::Waiting | State::Acknowledged => Ok(State::Waiting),
    }
}

/// Whether `who` may read the briefs (and the return report) of `absence`: the member who is
/// away, the absence's cover, a cover one of its briefs names (`covers`), or someone who
/// oversees the practice.
pub fn may_read(practice: &Practice, absence: &Absence, covers: &[&Handle], who: &Handle) -> bool {
    *who == absence.member
        || *who == absence.cover
        || covers.contains(&who)
        || practice.oversees(who)
}

/// Checks `by` may acknowledge `brief`.
pub fn may_acknowledge(brief: &Brief, by: &Handle) -> Result<(), BriefError> {
    if *by != brief.cover {
        return Err(BriefError::NotTheCover(by.clone()));
    }
    match brief.state {
        State::Waiting => Ok(()),
        State::Question => Err(BriefError::QuestionOpen),
        State::Acknowledged => Err(BriefError::AlreadyAcknowledged),
    }
}

/// Checks `by` may ask about `brief`, and the question.
pub fn may_ask(brief: &Brief, by: &Handle, text: &str) -> Result<(), BriefError> {
    if *by != brief.cover {
        return Err(BriefError::NotTheCover(by.clone()));
    }
    if text.trim().is_empty() || text.chars().count() > MAX_TEXT {
        return Err(BriefError::BadText);
    }
    Ok(())
}

/// Checks `by` may mark open item `item` of `brief` done: its cover, the absent member, or
/// someone who oversees the practice.
pub fn may_mark_done(
    practice: &Practice,
    brief: &Brief,
    by: &Handle,
    item: usize,
) -> Result<(), BriefError> {
    if *by != brief.cover && *by != brief.member && !practice.oversees(by) {
        return Err(BriefError::NotTheCover(by.clone()));
    }
    if item >= brief.content.open_items.len() {
        return Err(BriefError::BadItem(item + 1));
    }
    Ok(())
}

/// Checks `by` may answer the open question of `brief`.
pub fn may_answer(
    practice: &Practice,
    brief: &Brief,
    by: &Handle,
    text: &str,
) -> Result<(), BriefError> {
    if *by != brief.member && !practice.oversees(by) {
        return Err(BriefError::NotTheAnswerer(by.clone()));
    }
    if brief.state != State::Question {
        return Err(BriefError::NoQuestion);
    }
    if text.trim().is_empty() || text.chars().count() > MAX_TEXT {
        return Err(BriefError::BadText);
    }
    Ok(())
}

/// The clients of the absent member that need a brief: those with any contact or meeting in
/// the weeks before (`active`), by name.
pub fn needed(
    practice: &Practice,
    absence: &Absence,
    active: &dyn Fn(&Handle) -> bool,
) -> Vec<Handle> {
    let mut out: Vec<&crate::Client> = practice
        .clients()
        .iter()
        .filter(|c| c.owner == absence.member && active(&c.handle))
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out.into_iter().map(|c| c.handle.clone()).collect()
}

/// How many weeks back a client's activity makes a brief needed, by default.
pub const DEFAULT_ACTIVE_WEEKS: u32 = 8;

/// How many of the absent member's working days before the absence the reminder goes out.
pub const DEFAULT_REMINDER_DAYS: u32 = 3;

/// The day the reminder goes out: `days` working days of the member before the absence
/// (their hours and holidays; at most 60 calendar days back).
pub fn reminder_date(practice: &Practice, absence: &Absence, days: u32) -> Date {
    let Some(member) = practice.member(&absence.member) else {
        return absence.from;
    };
    let mut day = absence.from;
    let mut counted = 0;
    for _ in 0..60 {
        if counted == days {
            break;
        }
        let Ok(before) = day.yesterday() else { break };
        day = before;
        if !member.hours.on(day.weekday()).is_empty() && !member.holidays.contains(&day) {
            counted += 1;
        }
    }
    day
}

/// A client of an absence as the timers see it: its brief's state (None: no brief) and cover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandOver {
    pub client: Handle,
    pub state: Option<State>,
    pub cover: Handle,
    /// Its brief asks to tell the client in advance.
    pub tell_client: bool,
}

/// How many days before the absence the clients who asked to be told hear of it.
pub const CLIENT_NOTICE_DAYS: i64 = 3;

/// The messages that tell clients in advance, in their language: the dates, who covers and how
/// to reach them; from [`CLIENT_NOTICE_DAYS`] before the absence until it starts, once per
/// client. Only clients whose brief asks for it, with an e-mail address.
pub fn client_notices(
    practice: &Practice,
    absence: &Absence,
    clients: &[HandOver],
    now: jiff::Timestamp,
) -> Vec<crate::timers::Job> {
    let Some(member) = practice.member(&absence.member) else {
        return Vec::new();
    };
    let today = now.to_zoned_datetime(member.zone.tz().clone()).date();
    let Ok(first) = absence
        .from
        .checked_sub(jiff::Span::new().days(CLIENT_NOTICE_DAYS))
    else {
        return Vec::new();
    };
    if today < first || today >= absence.from {
        return Vec::new();
    }
    let mut jobs = Vec::new();
    for h in clients.iter().filter(|h| h.tell_client) {
        let (Some(client), Some(cover)) = (practice.client(&h.client), practice.member(&h.cover))
        else {
            continue;
        };
        let language = client.language;
        let args = [
            ("practice", practice.settings().name.clone()),
            ("member", member.name.clone()),
            ("from", crate::reply::date(language, absence.from)),
            ("until", crate::reply::date(language, absence.until)),
            ("cover", cover.name.clone()),
            ("cover_email", cover.email.clone()),
        ];
        let key = format!(
            "absence-notice:{}:{}:{}",
            absence.member, absence.from, client.handle
        );
        let messages = client
            .people
            .iter()
            .filter_map(|p| p.email.as_ref())
            .map(|to| crate::outbox::Message {
                key: format!("{key}:{to}"),
                medium: crate::outbox::Medium::Email,
                to: to.clone(),
                language,
                subject: crate::reply::message(language, "absence-notice-subject", &args),
                text: crate::reply::message(language, "absence-notice", &args),
                throttle: None,
                in_reply_to: None,
                from: None,
                calendar: None,
                attachment: None,
            })
            .collect::<Vec<_>>();
        if !messages.is_empty() {
            jobs.push(crate::timers::Job { key, messages });
        }
    }
    jobs
}

/// The reminder before the absence and the red flag at its start, for the clients not handed
/// over; each job once per absence. `language_of` is a member's chosen language.
pub fn jobs(
    practice: &Practice,
    absence: &Absence,
    clients: &[HandOver],
    language_of: &dyn Fn(&Handle) -> Option<crate::Language>,
    now: jiff::Timestamp,
) -> Vec<crate::timers::Job> {
    let Some(member) = practice.member(&absence.member) else {
        return Vec::new();
    };
    let open: Vec<&HandOver> = clients
        .iter()
        .filter(|c| c.state != Some(State::Acknowledged))
        .collect();
    if open.is_empty() {
        return Vec::new();
    }
    let today = now.to_zoned_datetime(member.zone.tz().clone()).date();
    let managers: Vec<&crate::Member> = practice
        .members()
        .iter()
        .filter(|m| practice.oversees(&m.handle) && m.handle != absence.member)
        .collect();
    let (kind, to): (&str, Vec<&crate::Member>) = if today >= absence.from && today <= absence.until
    {
        ("brief-missing", managers)
    } else if today >= reminder_date(practice, absence, DEFAULT_REMINDER_DAYS)
        && today < absence.from
    {
        let mut to = vec![member];
        for c in &open {
            if let Some(cover) = practice.member(&c.cover) {
                to.push(cover);
            }
        }
        to.extend(managers);
        (
            "brief-reminder",
            to.into_iter().fold(Vec::new(), |mut acc, m| {
                if !acc.iter().any(|x: &&crate::Member| x.handle == m.handle) {
                    acc.push(m);
                }
                acc
            }),
        )
    } else {
        return Vec::new();
    };
    let key = format!("{kind}:{}:{}", absence.member, absence.from);
    let args = |language: crate::Language| {
        let list: Vec<String> = open
            .iter()
            .map(|c| {
                let name = practice
                    .client(&c.client)
                    .map_or(c.client.to_string(), |x| x.name.clone());
                let state = crate::reply::message(
                    language,
                    &format!("brief-state-{}", c.state.map_or("none", |s| s.as_str())),
                    &[],
                );
                let cover = practice
                    .member(&c.cover)
                    .map_or(c.cover.to_string(), |x| x.name.clone());
                format!("- {name} ({cover}): {state}")
            })
            .collect();
        vec![
            ("member", member.name.clone()),
            ("from", crate::reply::date(language, absence.from)),
            ("until", crate::reply::date(language, absence.until)),
            ("count", open.len().to_string()),
            ("clients", list.join("\n")),
        ]
    };
    vec![to_members(practice, key, &to, language_of, kind, &args)]
}

/// One client in the return report's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportLine {
    pub client: Handle,
    /// Contacts that came in during the absence.
    pub contacts: usize,
    pub answered: usize,
    /// Answered late, or still open past their due time.
    pub overdue: usize,
    /// Open items of the brief not marked done.
    pub items_left: usize,
    /// Contacts that read as a complaint or an escalation.
    pub complaints: usize,
    /// The client was called back since the return.
    pub called: bool,
}

/// The day the return report goes out: the member's first working day after the absence
/// (at most 30 days on).
pub fn return_date(practice: &Practice, absence: &Absence) -> Date {
    let Some(member) = practice.member(&absence.member) else {
        return absence.until;
    };
    let mut day = absence.until;
    for _ in 0..30 {
        let Ok(next) = day.tomorrow() else { break };
        day = next;
        if !member.hours.on(day.weekday()).is_empty() && !member.holidays.contains(&day) {
            break;
        }
    }
    day
}

/// The return report, to the member back and the owners and managers, on the first working
/// day after the absence (or in the week after it, if the timers did not run that day), once.
pub fn return_jobs(
    practice: &Practice,
    absence: &Absence,
    lines: &[ReportLine],
    language_of: &dyn Fn(&Handle) -> Option<crate::Language>,
    now: jiff::Timestamp,
) -> Vec<crate::timers::Job> {
    let Some(member) = practice.member(&absence.member) else {
        return Vec::new();
    };
    let today = now.to_zoned_datetime(member.zone.tz().clone()).date();
    let first = return_date(practice, absence);
    let last = first
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(first);
    if today < first || today > last {
        return Vec::new();
    }
    let mut to = vec![member];
    to.extend(
        practice
            .members()
            .iter()
            .filter(|m| practice.oversees(&m.handle) && m.handle != absence.member),
    );
    let key = format!("return-report:{}:{}", absence.member, absence.from);
    let args = |language: crate::Language| {
        let rows: Vec<String> = lines
            .iter()
            .map(|l| {
                let name = practice
                    .client(&l.client)
                    .map_or(l.client.to_string(), |c| c.name.clone());
                let called = if l.called {
                    "return-report-called"
                } else {
                    "return-report-not-called"
                };
                crate::reply::message(
                    language,
                    "return-report-line",
                    &[
                        ("client", name),
                        ("contacts", l.contacts.to_string()),
                        ("answered", l.answered.to_string()),
                        ("overdue", l.overdue.to_string()),
                        ("items", l.items_left.to_string()),
                        ("complaints", l.complaints.to_string()),
                        ("called", crate::reply::message(language, called, &[])),
                    ],
                )
            })
            .collect();
        vec![
            ("member", member.name.clone()),
            ("from", crate::reply::date(language, absence.from)),
            ("until", crate::reply::date(language, absence.until)),
            ("clients", rows.join("\n")),
        ]
    };
    vec![to_members(
        practice,
        key,
        &to,
        language_of,
        "return-report",
        &args,
    )]
}

/// How long one contact takes the cover, on average, for the workload preview.
pub const HANDLING_MINUTES: u32 = 15;
/// The share of the cover's working time contacts may take before the preview warns.
pub const CONTACT_SHARE_PERCENT: u32 = 50;

/// What covering an absence would ask of the cover, from the weeks before.
#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    pub cover: Handle,
    /// Contacts a week of the absent member's clients (the last weeks' average).
    pub covered_per_week: f64,
    /// Contacts a week of the cover's own clients.
    pub own_per_week: f64,
    /// The cover's working hours a week.
    pub hours_per_week: f64,
    /// Whether both fit in [`CONTACT_SHARE_PERCENT`] of those hours at [`HANDLING_MINUTES`] a
    /// contact.
    pub fits: bool,
}

/// The workload preview of `absence`: `per_week` is a client's contacts a week in the weeks
/// before.
pub fn workload(
    practice: &Practice,
    absence: &Absence,
    per_week: &dyn Fn(&Handle) -> f64,
) -> Workload {
    let of = |owner: &Handle| -> f64 {
        practice
            .clients()
            .iter()
            .filter(|c| c.owner == *owner)
            .map(|c| per_week(&c.handle))
            .sum()
    };
    let covered = of(&absence.member);
    let own = of(&absence.cover);
    let minutes: u32 = practice.member(&absence.cover).map_or(0, |m| {
        jiff::civil::Weekday::Monday
            .cycle_forward()
            .take(7)
            .flat_map(|d| m.hours.on(d).iter())
            .map(|r| u32::from(r.end_minute() - r.start_minute()))
            .sum()
    });
    let needed = (covered + own) * f64::from(HANDLING_MINUTES);
    Workload {
        cover: absence.cover.clone(),
        covered_per_week: covered,
        own_per_week: own,
        hours_per_week: f64::from(minutes) / 60.0,
        fits: needed <= f64::from(minutes) * f64::from(CONTACT_SHARE_PERCENT) / 100.0,
    }
}

/// A job whose message `kind` (its subject `{kind}-subject`) goes to each of `to` in their
/// language, with the arguments `args` gives for that language.
pub(crate) fn to_members(
    practice: &Practice,
    key: String,
    to: &[&crate::Member],
    language_of: &dyn Fn(&Handle) -> Option<crate::Language>,
    kind: &str,
    args: &dyn Fn(crate::Language) -> Vec<(&'static str, String)>,
) -> crate::timers::Job {
    let messages = to
        .iter()
        .map(|m| {
            let language = language_of(&m.handle).unwrap_or(practice.settings().language);
            let args = args(language);
            crate::outbox::Message {
                key: format!("{key}:{}", m.handle),
                medium: crate::outbox::Medium::Email,
                to: m.email.clone(),
                language,
                subject: crate::reply::message(language, &format!("{kind}-subject"), &args),
                text: crate::reply::message(language, kind, &args),
                throttle: None,
                in_reply_to: None,
                from: None,
                calendar: None,
                attachment: None,
            }
        })
        .collect();
    crate::timers::Job { key, messages }
}
