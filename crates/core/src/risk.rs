//! Escalation risk per client: a score from 0 to 100 with the signals that make it, each a
//! colleague's warning in words ("3 follow-ups in 4 days; the last answer came 2 days late"),
//! and the next step to take.
//!
//! The signals are read from the client's recent contacts (their decision's flags, due time and
//! answer) and missed meetings, as of `now`:
//!
//! | signal | window | points |
//! |---|---|---|
//! | contacts overdue now | open | 15 each, at most 45 |
//! | contacts due within 4 hours | open | 5 each, at most 10 |
//! | follow-ups ("any news?") | 7 days | 8 each, at most 24; 8 more when the last answer was late |
//! | complaints | 14 days | 12 each, at most 36 |
//! | an escalation / talk of leaving | 30 days | 30 / 40 |
//! | answers later than the target | 28 days | 10 when a third or more, 20 when two thirds or more (at least 3 answered) |
//! | no-shows / late cancellations | 8 weeks | 6 / 4 each, at most 18 |
//!
//! 50 points or more is [`Level::High`], 20 or more [`Level::Watch`]. The score is a sum, so a
//! reader can check it against its reasons; the windows keep old trouble from counting forever.

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::{Flag, Handle, Language};

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;
const DUE_SOON: i64 = 4 * HOUR;
const FOLLOW_UP_WINDOW: i64 = 7 * DAY;
const COMPLAINT_WINDOW: i64 = 14 * DAY;
const ESCALATION_WINDOW: i64 = 30 * DAY;
const LATE_WINDOW: i64 = 28 * DAY;
const MISSED_WINDOW: i64 = 56 * DAY;
/// How far back the risk reads: the longest window.
pub const LOOKBACK: SignedDuration = SignedDuration::from_secs(MISSED_WINDOW);
/// The score from which a client is at risk, and the one from which they are watched.
pub const HIGH: u32 = 50;
pub const WATCH: u32 = 20;

/// A client's contact, as the risk reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub id: i64,
    pub client: Handle,
    pub at: Timestamp,
    pub due: Timestamp,
    pub answered: Option<Timestamp>,
    /// Who answers it.
    pub assignee: Handle,
    pub flags: Vec<Flag>,
    /// The member whose own mailbox it came to, if one.
    pub addressed_to: Option<Handle>,
}

/// What else raises a client's risk, by client: each overdue promise, each deliverable on hold
/// for missing input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Other {
    pub overdue_promises: Vec<Handle>,
    pub on_hold: Vec<Handle>,
    /// Each client's latest satisfaction score (1–10) and the one before it.
    pub ratings: Vec<(Handle, u8, Option<u8>)>,
    /// Each client's owner: a message addressed to another member (not the one answering it)
    /// goes around the owner.
    pub owners: Vec<(Handle, Handle)>,
}

/// A meeting the client did not come to, or called off inside their notice period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Missed {
    pub client: Handle,
    pub at: Timestamp,
    /// Did not come (else: cancelled late).
    pub no_show: bool,
}

/// One thing that raises a client's risk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signal {
    /// Contacts past their due time and not answered; the oldest is `days` days over.
    Overdue { count: u32, days: i64 },
    /// Contacts due within the next hours.
    DueSoon { count: u32 },
    /// Follow-ups within `days` days; the last answer came `late_days` days late, if it did.
    FollowUps {
        count: u32,
        days: i64,
        late_days: Option<i64>,
    },
    /// Complaints within `days` days.
    Complaints { count: u32, days: i64 },
    /// An escalation `days_ago` days ago; `leaving` when it talked of leaving.
    Escalation { leaving: bool, days_ago: i64 },
    /// `late` of the `answered` contacts of the last `weeks` weeks were answered after their
    /// due time.
    LateAnswers {
        late: u32,
        answered: u32,
        weeks: u32,
    },
    /// Promises to the client past their date and not kept.
    PromisesOverdue { count: u32 },
    /// Deliverables on hold because the client's input did not come by its date.
    OnHold { count: u32 },
    /// The client's latest satisfaction score is low (6 or less) or fell by 2 or more.
    Rating { score: u8, previous: Option<u8> },
    /// Messages of the last `days` days written to other members than the owner (not to the
    /// cover answering them): `to` are their handles.
    AroundOwner {
        count: u32,
        days: i64,
        to: Vec<String>,
    },
    /// No-shows and late cancellations in the last `weeks` weeks.
    Missed {
        no_shows: u32,
        late_cancels: u32,
        weeks: u32,
    },
}

/// How much to worry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Calm,
    Watch,
    High,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Calm => "calm",
            Level::Watch => "watch",
            Level::High => "high",
        }
    }
}

/// What to do about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Call the client today, with the manager on the call.
    CallWithManager,
    /// Answer the overdue contacts today.
    AnswerOverdue,
    /// Call the client about what went wrong.
    CallAboutComplaint,
    /// Send a status update with a date.
    SendUpdate,
    /// Look at why answers come late; move work or targets.
    ReviewWorkload,
    /// Confirm the next meeting the day before.
    ConfirmMeetings,
    /// Keep the overdue promise, or tell the client the new date.
    KeepPromise,
    /// Nothing to do.
    Nothing,
}

/// A client's risk as of a moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Risk {
    pub client: Handle,
    /// 0–100: the sum of the signals' points, capped.
    pub score: u32,
    pub level: Level,
    /// What makes the score, most points first, each with its points.
    pub signals: Vec<(Signal, u32)>,
    pub step: Step,
}

/// The risk of `client` from its contacts, missed meetings and overdue promises (given as the
/// client of each; others' are ignored), at `now`.
pub fn assess(
    client: &Handle,
    contacts: &[Contact],
    missed: &[Missed],
    other: &Other,
    now: Timestamp,
) -> Risk {
    let ago = |at: Timestamp| (now - at).as_secs();
    let within = |at: Timestamp, window: i64| at <= now && ago(at) <= window;
    let mine = || contacts.iter().filter(|c| c.client == *client);
    let mut signals: Vec<(Signal, u32)> = Vec::new();

    // Open contacts: overdue, and due soon.
    // Open as of `now`: an answer given later does not count yet.
    let open: Vec<&Contact> = mine()
        .filter(|c| c.at <= now && c.answered.is_none_or(|a| a > now))
        .collect();
    let overdue: Vec<&&Contact> = open.iter().filter(|c| c.due < now).collect();
    if let Some(oldest) = overdue.iter().map(|c| c.due).min() {
        let n = count(overdue.len());
        signals.push((
            Signal::Overdue {
                count: n,
                days: ago(oldest) / DAY,
            },
            (15 * n).min(45),
        ));
    }
    let soon = count(
        open.iter()
            .filter(|c| c.due >= now && (c.due - now).as_secs() <= DUE_SOON)
            .count(),
    );
    if soon > 0 {
        signals.push((Signal::DueSoon { count: soon }, (5 * soon).min(10)));
    }

    // Follow-ups in the last week, and whether the last answer before the newest was late.
    let follow_ups: Vec<&Contact> = mine()
        .filter(|c| c.flags.contains(&Flag::FollowUp) && within(c.at, FOLLOW_UP_WINDOW))
        .collect();
    if !follow_ups.is_empty() {
        let first = follow_ups.iter().map(|c| c.at).min().unwrap_or(now);
        let last = follow_ups.iter().map(|c| c.at).max().unwrap_or(now);
        let late_days = mine()
            .filter_map(|c| c.answered.map(|a| (a, c.due)))
            .filter(|(a, _)| *a <= now)
            .max_by_key(|(a, _)| *a)
            .filter(|(a, due)| a > due)
            .map(|(a, due)| ((a - due).as_secs() + DAY - 1) / DAY);
        let n = count(follow_ups.len());
        let points = (8 * n).min(24) + if late_days.is_some() { 8 } else { 0 };
        signals.push((
            Signal::FollowUps {
                count: n,
                days: (last - first).as_secs() / DAY + 1,
                late_days,
            },
            points,
        ));
    }

    let complaints = count(
        mine()
            .filter(|c| c.flags.contains(&Flag::Complaint) && within(c.at, COMPLAINT_WINDOW))
            .count(),
    );
    if complaints > 0 {
        signals.push((
            Signal::Complaints {
                count: complaints,
                days: COMPLAINT_WINDOW / DAY,
            },
            (12 * complaints).min(36),
        ));
    }

    // The latest escalation of the month; talk of leaving weighs more.
    let escalations: Vec<&Contact> = mine()
        .filter(|c| c.flags.contains(&Flag::Escalation) && within(c.at, ESCALATION_WINDOW))
        .collect();
    if let Some(e) = escalations.iter().max_by_key(|c| c.at) {
        let leaving = escalations.iter().any(|c| c.flags.contains(&Flag::Leaving));
        signals.push((
            Signal::Escalation {
                leaving,
                days_ago: ago(e.at) / DAY,
            },
            if leaving { 40 } else { 30 },
        ));
    }

    // Answers later than their due time over the last four weeks.
    let answered: Vec<(Timestamp, Timestamp)> = mine()
        .filter(|c| within(c.at, LATE_WINDOW))
        .filter_map(|c| c.answered.filter(|a| *a <= now).map(|a| (a, c.due)))
        .collect();
    let late = count(answered.iter().filter(|(a, due)| a > due).count());
    let all = count(answered.len());
    if all >= 3 && late * 3 >= all {
        signals.push((
            Signal::LateAnswers {
                late,
                answered: all,
                weeks: (LATE_WINDOW / (7 * DAY)) as u32,
            },
            if late * 3 >= all * 2 { 20 } else { 10 },
        ));
    }

    let missed_here: Vec<&Missed> = missed
        .iter()
        .filter(|m| m.client == *client && within(m.at, MISSED_WINDOW))
        .collect();
    if !missed_here.is_empty() {
        let no_shows = count(missed_here.iter().filter(|m| m.no_show).count());
        let late_cancels = count(missed_here.len()) - no_shows;
        signals.push((
            Signal::Missed {
                no_shows,
                late_cancels,
                weeks: (MISSED_WINDOW / (7 * DAY)) as u32,
            },
            (6 * no_shows + 4 * late_cancels).min(18),
        ));
    }

    // Going around the owner: written to another member's own mailbox this month.
    if let Some((_, owner)) = other.owners.iter().find(|(c, _)| c == client) {
        let around: Vec<&Contact> = mine()
            .filter(|c| within(c.at, ESCALATION_WINDOW))
            .filter(|c| {
                c.addressed_to
                    .as_ref()
                    .is_some_and(|to| to != owner && *to != c.assignee)
            })
            .collect();
        if !around.is_empty() {
            let mut to: Vec<String> = around
                .iter()
                .filter_map(|c| c.addressed_to.as_ref().map(|h| h.to_string()))
                .collect();
            to.sort();
            to.dedup();
            let n = count(around.len());
            signals.push((
                Signal::AroundOwner {
                    count: n,
                    days: ESCALATION_WINDOW / DAY,
                    to,
                },
                (10 * n).min(20),
            ));
        }
    }
    if let Some((_, score, previous)) = other.ratings.iter().find(|(c, _, _)| c == client) {
        let fell = previous.is_some_and(|p| p >= score.saturating_add(2));
        let points = match score {
            0..=4 => 25,
            5..=6 => 15,
            _ => 0,
        } + if fell { 10 } else { 0 };
        if points > 0 {
            signals.push((
                Signal::Rating {
                    score: *score,
                    previous: *previous,
                },
                points,
            ));
        }
    }
    let held = count(other.on_hold.iter().filter(|c| *c == client).count());
    if held > 0 {
        signals.push((Signal::OnHold { count: held }, (10 * held).min(20)));
    }
    let promises = count(
        other
            .overdue_promises
            .iter()
            .filter(|c| *c == client)
            .count(),
    );
    if promises > 0 {
        signals.push((
            Signal::PromisesOverdue { count: promises },
            (15 * promises).min(30),
        ));
    }

    signals.sort_by_key(|(_, p)| std::cmp::Reverse(*p));
    let score = signals.iter().map(|(_, p)| p).sum::<u32>().min(100);
    let level = if score >= HIGH {
        Level::High
    } else if score >= WATCH {
        Level::Watch
    } else {
        Level::Calm
    };
    let step = match signals.first().map(|(s, _)| s) {
        _ if level == Level::Calm => Step::Nothing,
        Some(Signal::Escalation { .. }) => Step::CallWithManager,
        Some(Signal::Overdue { .. } | Signal::DueSoon { .. }) => Step::AnswerOverdue,
        Some(Signal::Complaints { .. }) => Step::CallAboutComplaint,
        Some(Signal::FollowUps { .. }) => Step::SendUpdate,
        Some(Signal::LateAnswers { .. }) => Step::ReviewWorkload,
        Some(Signal::Missed { .. }) => Step::ConfirmMeetings,
        Some(Signal::PromisesOverdue { .. }) => Step::KeepPromise,
        Some(Signal::OnHold { .. }) => Step::SendUpdate,
        Some(Signal::Rating { .. }) => Step::CallAboutComplaint,
        Some(Signal::AroundOwner { .. }) => Step::CallWithManager,
        None => Step::Nothing,
    };
    Risk {
        client: client.clone(),
        score,
        level,
        signals,
        step,
    }
}

/// The risk of every client of `clients`, highest first (then by handle).
pub fn assess_all<'a>(
    clients: impl IntoIterator<Item = &'a Handle>,
    contacts: &[Contact],
    missed: &[Missed],
    other: &Other,
    now: Timestamp,
) -> Vec<Risk> {
    // Each client's contacts and missed meetings, grouped once.
    let mut by_client: std::collections::HashMap<&Handle, (Vec<Contact>, Vec<Missed>)> =
        std::collections::HashMap::new();
    for c in contacts {
        by_client.entry(&c.client).or_default().0.push(c.clone());
    }
    for m in missed {
        by_client.entry(&m.client).or_default().1.push(m.clone());
    }
    let empty = (Vec::new(), Vec::new());
    let mut out: Vec<Risk> = clients
        .into_iter()
        .map(|h| {
            let (c, m) = by_client.get(h).unwrap_or(&empty);
            assess(h, c, m, other, now)
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.client.cmp(&b.client)));
    out
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX).min(1000)
}

impl Signal {
    /// The signal as a colleague would say it, in `language`.
    pub fn words(&self, language: Language) -> String {
        let m = |key: &str, args: &[(&str, String)]| crate::reply::message(language, key, args);
        match self {
            Signal::Overdue { count, days } => m(
                "risk-overdue",
                &[("count", count.to_string()), ("days", days.to_string())],
            ),
            Signal::DueSoon { count } => m("risk-due-soon", &[("count", count.to_string())]),
            Signal::PromisesOverdue { count } => {
                m("risk-promises-overdue", &[("count", count.to_string())])
            }
            Signal::OnHold { count } => m("risk-on-hold", &[("count", count.to_string())]),
            Signal::AroundOwner { count, days, to } => m(
                "risk-around-owner",
                &[
                    ("count", count.to_string()),
                    ("days", days.to_string()),
                    ("to", to.join(", ")),
                ],
            ),
            Signal::Rating { score, previous } => match previous {
                Some(p) => m(
                    "risk-rating-fell",
                    &[("score", score.to_string()), ("previous", p.to_string())],
                ),
                None => m("risk-rating", &[("score", score.to_string())]),
            },
            Signal::FollowUps {
                count,
                days,
                late_days,
            } => {
                let mut s = m(
                    "risk-follow-ups",
                    &[("count", count.to_string()), ("days", days.to_string())],
                );
                if let Some(late) = late_days {
                    s = format!(
                        "{s}; {}",
                        m("risk-last-answer-late", &[("days", late.to_string())])
                    );
                }
                s
            }
            Signal::Complaints { count, days } => m(
                "risk-complaints",
                &[("count", count.to_string()), ("days", days.to_string())],
            ),
            Signal::Escalation { leaving, days_ago } => m(
                if *leaving {
                    "risk-leaving"
                } else {
                    "risk-escalation"
                },
                &[("days", days_ago.to_string())],
            ),
            Signal::LateAnswers {
                late,
                answered,
                weeks,
            } => m(
                "risk-late-answers",
                &[
                    ("late", late.to_string()),
                    ("answered", answered.to_string()),
                    ("weeks", weeks.to_string()),
                ],
            ),
            Signal::Missed {
                no_shows,
                late_cancels,
                weeks,
            } => m(
                "risk-missed",
                &[
                    ("no_shows", no_shows.to_string()),
                    ("late_cancels", late_cancels.to_string()),
                    ("weeks", weeks.to_string()),
                ],
            ),
        }
    }
}

impl Risk {
    /// The reasons in `language`, joined as one warning.
    pub fn reasons(&self, language: Language) -> String {
        self.signals
            .iter()
            .map(|(s, _)| s.words(language))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::CallWithManager => "call_with_manager",
            Step::AnswerOverdue => "answer_overdue",
            Step::CallAboutComplaint => "call_about_complaint",
            Step::SendUpdate => "send_update",
            Step::ReviewWorkload => "review_workload",
            Step::ConfirmMeetings => "confirm_meetings",
            Step::KeepPromise => "keep_promise",
            Step::Nothing => "nothing",
        }
    }

    /// The step in words, in `language`.
    pub fn words(self, language: Language) -> String {
        crate::reply::message(language, &format!("risk-step-{}", self.as_str()), &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn contact(
        id: i64,
        arrived: &str,
        due: &str,
        answered: Option<&str>,
        flags: &[Flag],
    ) -> Contact {
        Contact {
            id,
            client: Handle::parse("acme").unwrap(),
            at: at(arrived),
            due: at(due),
            answered: answered.map(at),
            assignee: Handle::parse("ana").unwrap(),
            flags: flags.to_vec(),
            addressed_to: None,
        }
    }

    #[test]
    fn follow_ups_after_a_late_answer_read_like_a_colleague_s_warning() {
        let acme = Handle::parse("acme").unwrap();
        let contacts = [
            // The invoice question, answered two days after its due time.
            contact(
                1,
                "2026-03-02T09:00:00Z",
                "2026-03-02T17:00:00Z",
                Some("2026-03-04T10:00:00Z"),
                &[],
            ),
            contact(
                2,
                "2026-03-05T09:00:00Z",
                "2026-03-09T17:00:00Z",
                Some("2026-03-09T12:00:00Z"),
                &[Flag::FollowUp],
            ),
            contact(
                3,
                "2026-03-07T09:00:00Z",
                "2026-03-09T17:00:00Z",
                Some("2026-03-09T12:00:00Z"),
                &[Flag::FollowUp],
            ),
            contact(
                4,
                "2026-03-08T09:00:00Z",
                "2026-03-09T17:00:00Z",
                Some("2026-03-09T12:00:00Z"),
                &[Flag::FollowUp],
            ),
        ];
        let risk = assess(
            &acme,
            &contacts,
            &[],
            &Other::default(),
            at("2026-03-09T13:00:00Z"),
        );
        assert_eq!(
            risk.signals[0].0,
            Signal::FollowUps {
                count: 3,
                days: 4,
                late_days: None
            }
        );
        // The last answer (12:00 today) was in time; the one before was late.
        // Two days earlier: the follow-ups still open, the last answer the late one.
        let earlier = assess(
            &acme,
            &contacts[..3],
            &[],
            &Other::default(),
            at("2026-03-08T08:00:00Z"),
        );
        assert_eq!(
            earlier.reasons(Language::En),
            "2 follow-ups in 3 days; the last answer came 2 days late"
        );
        assert_eq!(earlier.score, 24);
        assert_eq!(
            (earlier.level, earlier.step),
            (Level::Watch, Step::SendUpdate)
        );
    }

    #[test]
    fn talk_of_leaving_and_overdue_contacts_put_a_client_at_high_risk() {
        let acme = Handle::parse("acme").unwrap();
        let contacts = [
            contact(
                1,
                "2026-03-02T09:00:00Z",
                "2026-03-02T17:00:00Z",
                None,
                &[Flag::Complaint],
            ),
            contact(
                2,
                "2026-03-03T09:00:00Z",
                "2026-03-03T17:00:00Z",
                None,
                &[Flag::Complaint, Flag::Escalation, Flag::Leaving],
            ),
        ];
        let risk = assess(
            &acme,
            &contacts,
            &[],
            &Other::default(),
            at("2026-03-05T09:00:00Z"),
        );
        assert_eq!(risk.level, Level::High);
        assert_eq!(risk.step, Step::CallWithManager);
        assert_eq!(risk.score, 40 + 30 + 24);
        assert!(
            risk.reasons(Language::Es)
                .contains("habló de irse hace 2 días"),
            "{}",
            risk.reasons(Language::Es)
        );
        // A month and a half later, answered, it has all aged out.
        let answered: Vec<Contact> = contacts
            .iter()
            .cloned()
            .map(|mut c| {
                c.answered = Some(at("2026-03-05T10:00:00Z"));
                c
            })
            .collect();
        let later = assess(
            &acme,
            &answered,
            &[],
            &Other::default(),
            at("2026-04-20T09:00:00Z"),
        );
        assert_eq!(
            (later.score, later.level, later.step),
            (0, Level::Calm, Step::Nothing)
        );
    }

    #[test]
    fn missed_meetings_count_for_their_client_only_and_all_are_ranked() {
        let acme = Handle::parse("acme").unwrap();
        let globex = Handle::parse("globex").unwrap();
        let missed = [
            Missed {
                client: acme.clone(),
                at: at("2026-03-01T09:00:00Z"),
                no_show: true,
            },
            Missed {
                client: acme.clone(),
                at: at("2026-03-02T09:00:00Z"),
                no_show: true,
            },
            Missed {
                client: acme.clone(),
                at: at("2026-03-03T09:00:00Z"),
                no_show: false,
            },
        ];
        let all = assess_all(
            [&globex, &acme],
            &[],
            &missed,
            &Other::default(),
            at("2026-03-05T09:00:00Z"),
        );
        assert_eq!(all[0].client, acme);
        assert_eq!(all[0].score, 16);
        assert_eq!(
            all[0].reasons(Language::En),
            "2 no-shows and 1 late cancellations in 8 weeks"
        );
        assert_eq!(all[1].score, 0);
    }
}
