//! Why the desk decided as it did, as data: each reason keeps its values (instants, zones,
//! handles) so that any interface can say it in its own language. `english` gives the plain
//! words the CLI and the JSON contract carry.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One reason of a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// The owner is away; `cover` answers.
    Covering {
        owner: String,
        from: Date,
        until: Date,
        cover: String,
    },
    /// The owner is away and this client was not handed over: no brief its cover acknowledged.
    NotHandedOver { owner: String, cover: String },
    /// The text asks for action now; `evidence` are the patterns that matched.
    ReadsUrgent { evidence: Vec<String> },
    /// How the client wrote: a complaint, an escalation (talk of leaving among them), a
    /// follow-up; `evidence` are the patterns that matched.
    ReadsAs {
        complaint: bool,
        escalation: bool,
        leaving: bool,
        follow_up: bool,
        evidence: Vec<String>,
    },
    /// Urgent inside working hours: handled at once.
    UrgentNow {
        at: Timestamp,
        zone: String,
        member: String,
    },
    /// Urgent outside working hours, allowed by the terms: handled at once, with the surcharge.
    UrgentAfterHours {
        at: Timestamp,
        zone: String,
        member: String,
        surcharge_pct: u32,
    },
    /// Urgent outside working hours, not allowed by the terms: held.
    UrgentHeld {
        at: Timestamp,
        zone: String,
        member: String,
    },
    /// Outside working hours: held, answered within `target` of working time.
    OutOfHours {
        at: Timestamp,
        zone: String,
        member: String,
        target: String,
    },
    /// Only asks for a call-back.
    NoContent,
    /// The `call`-th ad-hoc call of the week, over the allowance.
    OverAllowance { call: u32, allowance: u32 },
    /// The standing call at `at` (shown in `zone`) can take it.
    StandingCallTakes { at: Timestamp, zone: String },
    /// No standing call in the next 7 days.
    NoStandingCall,
    /// Inside working hours: answered within `target` of working time.
    InHours {
        at: Timestamp,
        zone: String,
        member: String,
        target: String,
    },
    /// The assignee has no working time ahead: the due time is clock time.
    NoWorkingTime { member: String },
}

fn local(at: Timestamp, zone: &str, format: &str) -> String {
    match jiff::tz::TimeZone::get(zone) {
        Ok(tz) => at.to_zoned_datetime(tz).strftime(format).to_string(),
        Err(_) => at.to_string(),
    }
}

impl Reason {
    /// What a [`Reason::ReadsAs`] says the message is, as message keys in the order they are
    /// said: `tone-complaint`, `tone-leaving` or `tone-escalation`, `tone-follow-up`.
    pub fn tone_keys(&self) -> Vec<&'static str> {
        let Reason::ReadsAs {
            complaint,
            escalation,
            leaving,
            follow_up,
            ..
        } = self
        else {
            return Vec::new();
        };
        let mut keys = Vec::new();
        if *complaint {
            keys.push("tone-complaint");
        }
        if *leaving {
            keys.push("tone-leaving");
        } else if *escalation {
            keys.push("tone-escalation");
        }
        if *follow_up {
            keys.push("tone-follow-up");
        }
        keys
    }

    /// The reason in plain English, as the CLI prints it and the JSON contract carries it.
    pub fn english(&self) -> String {
        let when = |at: &Timestamp, zone: &str, inside: bool| {
            format!(
                "{} in {zone} {}",
                local(*at, zone, "%a %Y-%m-%d %H:%M"),
                if inside { "is inside" } else { "is outside" }
            )
        };
        match self {
            Reason::Covering {
                owner,
                from,
                until,
                cover,
            } => format!("{owner} is away from {from} to {until}; {cover} covers"),
            Reason::NotHandedOver { owner, cover } => format!(
                "{owner} did not hand this client over: {cover} acknowledged no brief for it"
            ),
            Reason::ReadsUrgent { evidence } => {
                format!("the message reads as urgent ({})", evidence.join(", "))
            }
            Reason::ReadsAs { evidence, .. } => {
                let what: Vec<&str> = self
                    .tone_keys()
                    .iter()
                    .map(|k| match *k {
                        "tone-complaint" => "a complaint",
                        "tone-leaving" => "talk of leaving",
                        "tone-escalation" => "an escalation",
                        _ => "a follow-up",
                    })
                    .collect();
                format!(
                    "the message reads as {} ({})",
                    what.join(" and "),
                    evidence.join(", ")
                )
            }
            Reason::UrgentNow { at, zone, member } => format!(
                "{} {member}'s working hours: handle it now",
                when(at, zone, true)
            ),
            Reason::UrgentAfterHours {
                at,
                zone,
                member,
                surcharge_pct,
            } => format!(
                "{} {member}'s working hours, and the terms allow urgent contact out of hours: handle it now, billed with the {surcharge_pct}% surcharge",
                when(at, zone, false)
            ),
            Reason::UrgentHeld { at, zone, member } => format!(
                "{} {member}'s working hours and the terms do not include urgent contact out of hours: held to the next working window",
                when(at, zone, false)
            ),
            Reason::OutOfHours {
                at,
                zone,
                member,
                target,
            } => format!(
                "{} {member}'s working hours: held, answered within {target} of working time",
                when(at, zone, false)
            ),
            Reason::NoContent => {
                "it only asks for a call-back and does not say what about".to_string()
            }
            Reason::OverAllowance { call, allowance } => {
                format!("ad-hoc call {call} this week, over the allowance of {allowance}")
            }
            Reason::StandingCallTakes { at, zone } => format!(
                "the standing call on {} can take it",
                local(*at, zone, "%a %Y-%m-%d %H:%M %Z")
            ),
            Reason::NoStandingCall => "no standing call in the next 7 days: accepted".to_string(),
            Reason::InHours {
                at,
                zone,
                member,
                target,
            } => format!(
                "{} {member}'s working hours: answer within {target} of working time",
                when(at, zone, true)
            ),
            Reason::NoWorkingTime { member } => format!(
                "{member} has no working time in the next three years: due counted in clock time"
            ),
        }
    }
}
