//! The managers' daily digest: every working day at the practice's digest time (in each
//! manager's own zone), what needs their attention — clients at risk with the reasons and the
//! next step, overdue contacts, urgent contacts handled since the last digest and by whom, and
//! briefs of coming absences not handed over. Nothing to report, no message.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::brief::State as BriefState;
use crate::risk::{Level, Risk};
use crate::{Channel, Handle, Language, Member, Practice};

/// How many days back the previous digest is looked for (past holidays and weekends).
const PREVIOUS_DAYS: i32 = 14;
/// The most lines of each section a message lists.
pub const MAX_LINES: usize = 20;

/// A contact past its due time and not answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overdue {
    pub id: i64,
    pub client: Handle,
    pub channel: Channel,
    pub from: String,
    pub assignee: Handle,
    pub due: Timestamp,
}

/// An urgent contact answered since the last digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handled {
    pub id: i64,
    pub client: Handle,
    pub at: Timestamp,
    pub answered: Timestamp,
    pub by: Handle,
}

/// A client of a coming absence not handed over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotHandedOver {
    /// Who will be away, from when.
    pub member: Handle,
    pub from: Date,
    pub client: Handle,
    /// Where its brief stands (`None`: no brief yet).
    pub state: Option<BriefState>,
}

/// What one digest reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Digest {
    /// The day it is for, in the manager's zone.
    pub day: Option<Date>,
    /// Clients at risk or watched, highest first.
    pub risks: Vec<Risk>,
    pub overdue: Vec<Overdue>,
    pub urgent: Vec<Handled>,
    pub briefs: Vec<NotHandedOver>,
    /// Promises waiting for approval, and open ones past their date.
    pub promises: Vec<crate::promise::Promise>,
    /// Deliverables on hold for missing input, with their days on hold so far.
    pub on_hold: Vec<(crate::deliverable::Deliverable, i64)>,
}

impl Digest {
    /// Nothing to report.
    pub fn is_empty(&self) -> bool {
        self.risks.is_empty()
            && self.overdue.is_empty()
            && self.urgent.is_empty()
            && self.briefs.is_empty()
            && self.promises.is_empty()
            && self.on_hold.is_empty()
    }
}

/// The clients of `risks` worth a manager's attention: watched or at risk.
pub fn worth_reporting(risks: Vec<Risk>) -> Vec<Risk> {
    risks
        .into_iter()
        .filter(|r| r.level >= Level::Watch)
        .collect()
}

/// The digest time on `day` in `member`'s zone.
pub(crate) fn digest_instant(practice: &Practice, member: &Member, day: Date) -> Option<Timestamp> {
    member
        .zone
        .tz()
        .to_ambiguous_timestamp(day.to_datetime(practice.settings().digest_at))
        .compatible()
        .ok()
}

pub(crate) fn works_on(member: &Member, day: Date) -> bool {
    !member.hours.on(day.weekday()).is_empty() && !member.holidays.contains(&day)
}

/// How long after its time a digest still goes out (a server down at 08:30 sends it at 09:00,
/// not in the afternoon).
const LATE_BY: jiff::SignedDuration = jiff::SignedDuration::from_hours(4);

/// Whether `manager`'s digest is due at `now`: today (in their zone) is one of their working
/// days and its digest time has come (at most four hours ago). Gives the day and the instant of the previous digest
/// (the last working day's digest time), from which "since the last digest" counts.
pub fn due(practice: &Practice, manager: &Member, now: Timestamp) -> Option<(Date, Timestamp)> {
    let today = crate::working_time::local_date(manager, now);
    let at = digest_instant(practice, manager, today)?;
    if !works_on(manager, today) || at > now || now.duration_since(at) > LATE_BY {
        return None;
    }
    let mut day = today;
    for _ in 0..PREVIOUS_DAYS {
        day = day.yesterday().ok()?;
        if works_on(manager, day) {
            return Some((today, digest_instant(practice, manager, day)?));
        }
    }
    Some((
        today,
        now.checked_sub(jiff::SignedDuration::from_hours(24)).ok()?,
    ))
}

/// The digest's sections in `language`, each a title and its lines (at most [`MAX_LINES`],
/// then how many more), empty ones left out: what the message and the page both show.
pub fn sections(
    practice: &Practice,
    manager: &Member,
    digest: &Digest,
    language: Language,
) -> Vec<(String, Vec<String>)> {
    let m = |key: &str, args: &[(&str, String)]| crate::reply::message(language, key, args);
    let client_name = |h: &Handle| practice.client(h).map_or(h.to_string(), |c| c.name.clone());
    let member_name = |h: &Handle| practice.member(h).map_or(h.to_string(), |c| c.name.clone());
    let time = |at: Timestamp| crate::reply::datetime(language, at, &manager.zone);
    let risks = digest
        .risks
        .iter()
        .map(|r| {
            m(
                "digest-risk-line",
                &[
                    ("client", client_name(&r.client)),
                    ("score", r.score.to_string()),
                    ("reasons", r.reasons(language)),
                    ("step", r.step.words(language)),
                ],
            )
        })
        .collect();
    let overdue = digest
        .overdue
        .iter()
        .map(|o| {
            m(
                "digest-overdue-line",
                &[
                    ("client", client_name(&o.client)),
                    ("channel", m(&format!("channel-{}", o.channel), &[])),
                    ("from", o.from.clone()),
                    ("due", time(o.due)),
                    ("member", member_name(&o.assignee)),
                ],
            )
        })
        .collect();
    let urgent = digest
        .urgent
        .iter()
        .map(|u| {
            m(
                "digest-urgent-line",
                &[
                    ("client", client_name(&u.client)),
                    ("at", time(u.at)),
                    ("answered", time(u.answered)),
                    ("member", member_name(&u.by)),
                ],
            )
        })
        .collect();
    let briefs = digest
        .briefs
        .iter()
        .map(|b| {
            let state = match b.state {
                None => "digest-brief-none",
                Some(BriefState::Question) => "digest-brief-question",
                Some(_) => "digest-brief-waiting",
            };
            m(
                "digest-brief-line",
                &[
                    ("member", member_name(&b.member)),
                    ("from", crate::reply::date(language, b.from)),
                    ("client", client_name(&b.client)),
                    ("state", m(state, &[])),
                ],
            )
        })
        .collect();
    let promises = digest
        .promises
        .iter()
        .map(|p| {
            let key = if p.state == crate::promise::State::Pending {
                "digest-promise-pending"
            } else {
                "digest-promise-overdue"
            };
            m(
                key,
                &[
                    ("client", client_name(&p.client)),
                    ("member", member_name(&p.by)),
                    ("kind", m(&format!("promise-kind-{}", p.kind.as_str()), &[])),
                    ("what", p.what.clone()),
                    ("due", crate::reply::date(language, p.due)),
                ],
            )
        })
        .collect();
    let on_hold = digest
        .on_hold
        .iter()
        .map(|(d, days)| {
            m(
                "digest-on-hold-line",
                &[
                    ("client", client_name(&d.client)),
                    ("deliverable", d.name.clone()),
                    (
                        "since",
                        d.held_since
                            .map(|s| crate::reply::date(language, s))
                            .unwrap_or_default(),
                    ),
                    ("days", days.to_string()),
                ],
            )
        })
        .collect();
    [
        ("digest-risks", risks),
        ("digest-overdue", overdue),
        ("digest-urgent", urgent),
        ("digest-promises", promises),
        ("digest-on-hold", on_hold),
        ("digest-briefs", briefs),
    ]
    .into_iter()
    .filter(|(_, lines): &(&str, Vec<String>)| !lines.is_empty())
    .map(|(title, mut lines)| {
        let more = lines.len().saturating_sub(MAX_LINES);
        lines.truncate(MAX_LINES);
        if more > 0 {
            lines.push(format!("(+{more})"));
        }
        (m(title, &[]), lines)
    })
    .collect()
}

/// The digest as a message to `manager`, in `language`; its key names the manager and the day.
pub fn job(
    practice: &Practice,
    manager: &Member,
    digest: &Digest,
    language: Language,
    day: Date,
) -> crate::timers::Job {
    let m = |key: &str, args: &[(&str, String)]| crate::reply::message(language, key, args);
    let date = crate::reply::date(language, day);
    let mut text = m(
        "digest",
        &[("name", manager.name.clone()), ("date", date.clone())],
    );
    for (title, lines) in sections(practice, manager, digest, language) {
        text.push_str(&format!("\n\n{title}:\n{}", lines.join("\n")));
    }
    let key = format!("digest:{}:{day}", manager.handle);
    crate::timers::Job {
        key: key.clone(),
        messages: vec![crate::outbox::Message {
            key,
            medium: crate::outbox::Medium::Email,
            to: manager.email.clone(),
            language,
            subject: m(
                "digest-subject",
                &[
                    ("date", date),
                    ("risks", digest.risks.len().to_string()),
                    ("overdue", digest.overdue.len().to_string()),
                ],
            ),
            text,
            throttle: None,
            in_reply_to: None,
            from: None,
            calendar: None,
            attachment: None,
        }],
    }
}
