//! The promise register (story S2: trust is lost by promising what one cannot deliver). A
//! promise is what was told a client — what, by when, by whom, answering which contact. Kinds
//! a member may not grant alone (a refund, a discount, a date earlier than the plan, a call
//! from a partner or the CEO, a change of scope) wait for a manager's approval, and meanwhile
//! the client is told "I'll confirm by …" instead. A promise past its date and not kept warns
//! its member, then the managers.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{Handle, Language, Practice};

/// What kind of thing was promised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Something delivered by a date: a report, a fix, an answer.
    Delivery,
    /// A call back.
    Callback,
    Refund,
    Discount,
    /// A date earlier than the plan.
    EarlierDate,
    /// A call from a partner, the owner or the CEO.
    SeniorCall,
    /// More (or other) work than agreed.
    ScopeChange,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Delivery,
        Kind::Callback,
        Kind::Refund,
        Kind::Discount,
        Kind::EarlierDate,
        Kind::SeniorCall,
        Kind::ScopeChange,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Delivery => "delivery",
            Kind::Callback => "callback",
            Kind::Refund => "refund",
            Kind::Discount => "discount",
            Kind::EarlierDate => "earlier_date",
            Kind::SeniorCall => "senior_call",
            Kind::ScopeChange => "scope_change",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }
}

/// The kinds that need a manager's approval when the practice file does not say.
pub const NEEDS_APPROVAL: [Kind; 5] = [
    Kind::Refund,
    Kind::Discount,
    Kind::EarlierDate,
    Kind::SeniorCall,
    Kind::ScopeChange,
];

/// Where a promise stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Waiting for a manager's approval.
    Pending,
    /// Made (approved, or needing no approval), not kept yet.
    Open,
    /// A manager refused it: the client must be told otherwise.
    Refused,
    /// Kept.
    Kept,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Pending => "pending",
            State::Open => "open",
            State::Refused => "refused",
            State::Kept => "kept",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        [State::Pending, State::Open, State::Refused, State::Kept]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A promise as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Promise {
    pub id: i64,
    pub client: Handle,
    /// The contact it answers, if one.
    pub contact: Option<i64>,
    pub kind: Kind,
    pub what: String,
    /// By when, in the promiser's zone.
    pub due: Date,
    /// Who promised.
    pub by: Handle,
    pub state: State,
    pub recorded: Timestamp,
    /// The manager who approved or refused it, with their note.
    pub decided_by: Option<Handle>,
    pub note: Option<String>,
    pub kept: Option<Timestamp>,
}

/// A promise to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPromise {
    pub client: Handle,
    pub contact: Option<i64>,
    pub kind: Kind,
    pub what: String,
    pub due: Date,
    pub by: Handle,
}

/// What may happen to a recorded promise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Act {
    Approve(String),
    Refuse(String),
    Keep,
}

/// Why a promise change is refused; nothing is written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PromiseError {
    #[error("client: no client has the handle {0:?}")]
    UnknownClient(String),
    #[error("as: no member has the handle {0:?}")]
    UnknownMember(String),
    #[error("as: {0} does not serve client {1}")]
    NotTheirClient(String, String),
    #[error("what: say what was promised")]
    Empty,
    #[error("what: at most {MAX_WHAT} characters")]
    TooLong,
    #[error("due: {due} is before the day it was promised ({today})")]
    DueInPast { due: Date, today: Date },
    #[error("as: only owners and managers approve or refuse a promise; {0} does not")]
    NotAManager(String),
    #[error("promise {id}: it is {state}, not waiting for approval")]
    NotPending { id: i64, state: &'static str },
    #[error("promise {id}: it is {state}; only an open promise is kept")]
    NotOpen { id: i64, state: &'static str },
    #[error("as: only {by} (who promised) or a manager marks promise {id} kept")]
    NotTheirPromise { id: i64, by: String },
}

/// The longest "what".
pub const MAX_WHAT: usize = 500;

/// Whether `kind` needs a manager's approval in `practice`.
pub fn needs_approval(practice: &Practice, kind: Kind) -> bool {
    practice.settings().promise_approval.contains(&kind)
}

/// Checks a new promise and says the state it starts in: pending when its kind needs
/// approval and the promiser does not oversee the practice, else open.
pub fn check_new(
    practice: &Practice,
    p: &NewPromise,
    now: Timestamp,
) -> Result<State, PromiseError> {
    let client = practice
        .client(&p.client)
        .ok_or_else(|| PromiseError::UnknownClient(p.client.to_string()))?;
    let member = practice
        .member(&p.by)
        .ok_or_else(|| PromiseError::UnknownMember(p.by.to_string()))?;
    if !practice
        .clients_of(&p.by)
        .any(|c| c.handle == client.handle)
        && !practice
            .absences()
            .iter()
            .any(|a| a.member == client.owner && a.cover == p.by)
    {
        return Err(PromiseError::NotTheirClient(
            p.by.to_string(),
            p.client.to_string(),
        ));
    }
    let what = p.what.trim();
    if what.is_empty() {
        return Err(PromiseError::Empty);
    }
    if what.chars().count() > MAX_WHAT {
        return Err(PromiseError::TooLong);
    }
    let today = crate::working_time::local_date(member, now);
    if p.due < today {
        return Err(PromiseError::DueInPast { due: p.due, today });
    }
    Ok(
        if needs_approval(practice, p.kind) && !practice.oversees(&p.by) {
            State::Pending
        } else {
            State::Open
        },
    )
}

/// Judges `act` on `promise` by `by`: the state it leads to.
pub fn judge(
    practice: &Practice,
    promise: &Promise,
    act: &Act,
    by: &Handle,
) -> Result<State, PromiseError> {
    if practice.member(by).is_none() {
        return Err(PromiseError::UnknownMember(by.to_string()));
    }
    match act {
        Act::Approve(_) | Act::Refuse(_) => {
            if !practice.oversees(by) {
                return Err(PromiseError::NotAManager(by.to_string()));
            }
            if promise.state != State::Pending {
                return Err(PromiseError::NotPending {
                    id: promise.id,
                    state: promise.state.as_str(),
                });
            }
            Ok(if matches!(act, Act::Approve(_)) {
                State::Open
            } else {
                State::Refused
            })
        }
        Act::Keep => {
            if *by != promise.by && !practice.oversees(by) {
                return Err(PromiseError::NotTheirPromise {
                    id: promise.id,
                    by: promise.by.to_string(),
                });
            }
            if promise.state != State::Open {
                return Err(PromiseError::NotOpen {
                    id: promise.id,
                    state: promise.state.as_str(),
                });
            }
            Ok(State::Kept)
        }
    }
}

/// Whether an open promise is past its date at `now` (its day is over in the promiser's zone).
pub fn overdue(practice: &Practice, promise: &Promise, now: Timestamp) -> bool {
    let Some(member) = practice.member(&promise.by) else {
        return false;
    };
    promise.state == State::Open && crate::working_time::local_date(member, now) > promise.due
}

/// What the member tells the client while a promise waits for approval: "I'll confirm by …"
/// (the next working day), in the client's language.
pub fn confirm_by(language: Language, date: Date) -> String {
    crate::reply::message(
        language,
        "promise-confirm-by",
        &[("date", crate::reply::date(language, date))],
    )
}

/// The timer jobs of the promises at `now`: each pending one is put to the managers once; an
/// open one past its date warns its member, and a day later the managers.
pub fn jobs(
    practice: &Practice,
    promises: &[Promise],
    language_of: &dyn Fn(&Handle) -> Option<Language>,
    now: Timestamp,
) -> Vec<crate::timers::Job> {
    let managers: Vec<&crate::Member> = practice
        .members()
        .iter()
        .filter(|m| practice.oversees(&m.handle))
        .collect();
    let mut out = Vec::new();
    for p in promises {
        let Some(member) = practice.member(&p.by) else {
            continue;
        };
        let client = practice
            .client(&p.client)
            .map_or(p.client.to_string(), |c| c.name.clone());
        let args = |language: Language| {
            vec![
                ("client", client.clone()),
                ("member", member.name.clone()),
                ("what", p.what.clone()),
                ("due", crate::reply::date(language, p.due)),
                (
                    "kind",
                    crate::reply::message(
                        language,
                        &format!("promise-kind-{}", p.kind.as_str()),
                        &[],
                    ),
                ),
            ]
        };
        match p.state {
            State::Pending => out.push(crate::brief::to_members(
                practice,
                format!("promise-approval:{}", p.id),
                &managers,
                language_of,
                "promise-approval",
                &args,
            )),
            State::Open if overdue(practice, p, now) => {
                out.push(crate::brief::to_members(
                    practice,
                    format!("promise-overdue:{}", p.id),
                    &[member],
                    language_of,
                    "promise-overdue",
                    &args,
                ));
                let today = crate::working_time::local_date(member, now);
                if (today - p.due).get_days() >= 2 {
                    let others: Vec<&crate::Member> = managers
                        .iter()
                        .copied()
                        .filter(|m| m.handle != member.handle)
                        .collect();
                    if !others.is_empty() {
                        out.push(crate::brief::to_members(
                            practice,
                            format!("promise-overdue-managers:{}", p.id),
                            &others,
                            language_of,
                            "promise-overdue-managers",
                            &args,
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    out
}
