//! The decision engine: what the desk does with one inbound contact.
//!
//! The rules, in order (PRODUCT.md, "The decision for an inbound contact"):
//!
//! 1. The assignee is the client's owner; if the owner is absent on the contact's local date,
//!    the assignee is the cover and the verdict is `cover`, while the rules below still set the
//!    flags and the due time, in the cover's working time.
//! 2. Urgent content inside working hours, or out of hours where the terms allow it: `urgent`,
//!    due in clock time (flag `after_hours` when out of hours). Otherwise `hold`, flag `urgent`.
//! 3. Outside working hours: `hold`.
//! 4. No content ("call me"): `ask_topic`.
//! 5. A call or voicemail beyond the week's ad-hoc allowance: flag `over_quota`; `defer` to a
//!    standing call in the next 7 days, or `accept` without one.
//! 6. Otherwise `accept`.

use std::fmt;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

use crate::agenda::{Meeting, next_standing_call};
use crate::reason::Reason;
use crate::reply::{ReplyKind, render};
use crate::working_time::{add_working_time, is_working, local_date, week_start};
use crate::{Channel, Client, Handle, Inbound, Language, Member, Practice, Reply, Target};

/// What the desk does with a contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Answer within the channel's target.
    Accept,
    /// Outside working hours: tell the client when they will get an answer.
    Hold,
    /// Over the ad-hoc allowance: propose the coming standing call.
    Defer,
    /// The owner is away: the cover answers.
    Cover,
    /// Handle now.
    Urgent,
    /// Ask what it is about.
    AskTopic,
}

impl Verdict {
    /// The verdict's name in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Accept => "accept",
            Verdict::Hold => "hold",
            Verdict::Defer => "defer",
            Verdict::Cover => "cover",
            Verdict::Urgent => "urgent",
            Verdict::AskTopic => "ask_topic",
        }
    }

    /// Parses a verdict's name.
    pub fn parse(value: &str) -> Option<Verdict> {
        [
            Verdict::Accept,
            Verdict::Hold,
            Verdict::Defer,
            Verdict::Cover,
            Verdict::Urgent,
            Verdict::AskTopic,
        ]
        .into_iter()
        .find(|v| v.as_str() == value)
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something worth knowing about a contact, for billing and warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flag {
    /// The content reads as urgent.
    Urgent,
    /// Handled outside working hours: the surcharge applies.
    AfterHours,
    /// It says nothing beyond "call me".
    NoContent,
    /// A call beyond the week's ad-hoc allowance.
    OverQuota,
    /// The client is unhappy with the work, the answers or the manner.
    Complaint,
    /// The client goes beyond the usual contact: the manager, a lawyer, another supplier.
    Escalation,
    /// The client talks of leaving: another supplier, ending the contract.
    Leaving,
    /// The client chases something asked before.
    FollowUp,
}

impl Flag {
    /// The flag's name in the JSON contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Urgent => "urgent",
            Flag::AfterHours => "after_hours",
            Flag::NoContent => "no_content",
            Flag::OverQuota => "over_quota",
            Flag::Complaint => "complaint",
            Flag::Escalation => "escalation",
            Flag::Leaving => "leaving",
            Flag::FollowUp => "follow_up",
        }
    }

    /// Parses a flag's name.
    pub fn parse(value: &str) -> Option<Flag> {
        [
            Flag::Urgent,
            Flag::AfterHours,
            Flag::NoContent,
            Flag::OverQuota,
            Flag::Complaint,
            Flag::Escalation,
            Flag::Leaving,
            Flag::FollowUp,
        ]
        .into_iter()
        .find(|f| f.as_str() == value)
    }
}

/// What the storage knows that the decision depends on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// The client's calls and voicemails already recorded inside working hours in the same
    /// Monday–Sunday week (of the owner's zone) as the contact; see [`quota_week`].
    pub adhoc_calls_this_week: u32,
    /// What was stored about the client's standing-call occurrences (moved, cancelled, held)
    /// from a week before the contact to a week after, by number.
    pub standing_changes: Vec<(i64, Meeting)>,
    /// The client's briefs for absences: whose absence (member, first day), its cover for this
    /// client, and whether it was handed over (acknowledged).
    pub briefs: Vec<BriefOf>,
}

/// A brief as the decision needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BriefOf {
    pub member: Handle,
    pub absence_from: jiff::civil::Date,
    pub cover: Handle,
    pub handed_over: bool,
}

/// What to do with one inbound contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// What the desk does.
    pub verdict: Verdict,
    /// Who answers.
    pub assignee: Handle,
    /// By when.
    pub due: Timestamp,
    /// Billing and warning flags.
    pub flags: Vec<Flag>,
    /// Why, in plain English words (what the CLI prints and the JSON contract carries).
    pub reasons: Vec<String>,
    /// Why, as data, for saying it in other languages.
    pub why: Vec<Reason>,
    /// What the client is told, if anything.
    pub reply: Option<Reply>,
    /// Whether it arrived inside the assignee's working hours.
    pub in_hours: bool,
    /// Whether it counts towards the client's weekly ad-hoc call allowance: a call or
    /// voicemail inside working hours. The store counts these; nothing else decides it.
    pub allowance: bool,
    /// The Monday of the owner's week it belongs to.
    pub week: Date,
    /// The language the message is written in, when it could be told (its text was read with
    /// that language's words too).
    pub message_language: Option<Language>,
}

/// A contact the engine cannot decide on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecideError {
    /// No client has that handle.
    #[error("no client has the handle {0:?}")]
    UnknownClient(String),
}

/// The Monday, in the client owner's zone, of the week the contact arrives in: the key under
/// which the week's ad-hoc calls are counted.
pub fn quota_week(practice: &Practice, inbound: &Inbound) -> Result<Date, DecideError> {
    let (_, owner) = client_and_owner(practice, &inbound.client)?;
    Ok(week_start(local_date(owner, inbound.at)))
}

fn client_and_owner<'p>(
    practice: &'p Practice,
    handle: &Handle,
) -> Result<(&'p Client, &'p Member), DecideError> {
    let client = practice
        .client(handle)
        .ok_or_else(|| DecideError::UnknownClient(handle.to_string()))?;
    let owner = practice
        .member(&client.owner)
        .expect("a practice's client owners exist");
    Ok((client, owner))
}

/// What a contact's text says — its triage, its tone and its language — read before it is
/// decided. Reading is the costly part of a decision and depends on nothing but the practice
/// and the contact, so a batch can read its contacts on another thread while the store reads
/// what deciding them needs ([`read_contact`], then [`decide_read`]).
#[derive(Clone, Debug)]
pub struct Reading {
    found: crate::triage::Triage,
    tone: crate::tone::Tone,
    message_language: Option<Language>,
    /// Whether the client newly wrote nothing.
    empty: bool,
}

/// Reads a contact's text as [`decide`] would; None when its client is not the practice's
/// (deciding it says why).
pub fn read_contact(practice: &Practice, inbound: &Inbound) -> Option<Reading> {
    let (client, _) = client_and_owner(practice, &inbound.client).ok()?;
    // What the client newly wrote (quoted history and signature say nothing of now), read once
    // for its language and its triage.
    let body = crate::quotes::new_text(inbound.body.as_deref().unwrap_or(""));
    // Clients write in the language they like: the message's own language is read too, from
    // the same words as its triage.
    let mut languages = vec![client.language];
    if practice.settings().language != client.language {
        languages.push(practice.settings().language);
    }
    let (found, tone, message_language) = crate::triage::read_with_tone(&languages, &body);
    Some(Reading {
        found,
        tone,
        message_language,
        empty: body.is_empty(),
    })
}

/// Decides what to do with an inbound contact. Pure: everything it depends on is passed in.
pub fn decide(
    practice: &Practice,
    inbound: &Inbound,
    history: &History,
) -> Result<Decision, DecideError> {
    match read_contact(practice, inbound) {
        Some(reading) => decide_read(practice, inbound, history, &reading),
        None => Err(DecideError::UnknownClient(inbound.client.to_string())),
    }
}

/// [`decide`], with the contact's text already read (by [`read_contact`], for this practice and
/// this contact).
pub fn decide_read(
    practice: &Practice,
    inbound: &Inbound,
    history: &History,
    reading: &Reading,
) -> Result<Decision, DecideError> {
    let (client, owner) = client_and_owner(practice, &inbound.client)?;
    let at = inbound.at;
    let owner_date = local_date(owner, at);
    let terms = &client.terms;
    let mut reasons = Vec::new();
    let mut flags = Vec::new();

    // Rule 1: who answers.
    let absence = practice.absence_on(&owner.handle, owner_date);
    let assignee = match absence {
        Some(a) => {
            // The client's brief for this absence may name its own cover.
            let brief = history
                .briefs
                .iter()
                .find(|b| b.member == owner.handle && b.absence_from == a.from);
            let cover = brief
                .and_then(|b| practice.member(&b.cover))
                .unwrap_or_else(|| practice.member(&a.cover).expect("covers exist"));
            reasons.push(Reason::Covering {
                owner: owner.handle.to_string(),
                from: a.from,
                until: a.until,
                cover: cover.handle.to_string(),
            });
            if !brief.is_some_and(|b| b.handed_over) {
                reasons.push(Reason::NotHandedOver {
                    owner: owner.handle.to_string(),
                    cover: cover.handle.to_string(),
                });
            }
            cover
        }
        None => owner,
    };

    let in_hours = is_working(practice, assignee, at);
    let zone = assignee.zone.to_string();
    let member = assignee.handle.to_string();
    let Reading {
        found,
        tone,
        message_language,
        empty,
    } = reading;
    let (message_language, empty) = (*message_language, *empty);
    // A call's body is a note of what was said; an empty one means nothing is known, not that
    // nothing was said, so only other channels can be empty of content.
    let no_content = found.no_content && !(inbound.channel == Channel::Call && empty);
    if no_content {
        flags.push(Flag::NoContent);
    }
    // How the client wrote: a complaint, an escalation, a follow-up — for the inbox and the
    // client's risk.
    for (on, flag) in [
        (tone.complaint, Flag::Complaint),
        (tone.escalation, Flag::Escalation),
        (tone.leaving, Flag::Leaving),
        (tone.follow_up, Flag::FollowUp),
    ] {
        if on {
            flags.push(flag);
        }
    }
    if tone.complaint || tone.escalation || tone.follow_up {
        reasons.push(Reason::ReadsAs {
            complaint: tone.complaint,
            escalation: tone.escalation,
            leaving: tone.leaving,
            follow_up: tone.follow_up,
            evidence: tone.evidence.clone(),
        });
    }

    let channel_target = target(terms, inbound.channel);
    let mut no_working_time = false;
    let mut working_due = |target: Target| {
        add_working_time(practice, assignee, at, target.duration()).unwrap_or_else(|| {
            no_working_time = true;
            clock_due(at, target)
        })
    };

    let (verdict, due, standing_call) = if found.urgent {
        flags.insert(0, Flag::Urgent);
        reasons.push(Reason::ReadsUrgent {
            evidence: found.evidence.clone(),
        });
        if in_hours || terms.urgent_out_of_hours {
            let due = clock_due(at, terms.response.urgent);
            if in_hours {
                reasons.push(Reason::UrgentNow { at, zone, member });
            } else {
                flags.push(Flag::AfterHours);
                reasons.push(Reason::UrgentAfterHours {
                    at,
                    zone,
                    member,
                    surcharge_pct: terms.after_hours_surcharge_pct,
                });
            }
            (Verdict::Urgent, due, None)
        } else {
            let due = working_due(terms.response.urgent);
            reasons.push(Reason::UrgentHeld { at, zone, member });
            (Verdict::Hold, due, None)
        }
    } else if !in_hours {
        let due = working_due(channel_target);
        reasons.push(Reason::OutOfHours {
            at,
            zone,
            member,
            target: channel_target.to_string(),
        });
        (Verdict::Hold, due, None)
    } else if no_content {
        let due = working_due(channel_target);
        reasons.push(Reason::NoContent);
        (Verdict::AskTopic, due, None)
    } else if let Some(allowance) = terms
        .adhoc_calls_per_week
        .filter(|n| inbound.channel.is_adhoc_call() && history.adhoc_calls_this_week >= *n)
    {
        flags.push(Flag::OverQuota);
        reasons.push(Reason::OverAllowance {
            call: history.adhoc_calls_this_week + 1,
            allowance,
        });
        let due = working_due(channel_target);
        match next_standing_call(
            practice,
            client,
            &history.standing_changes,
            at,
            SignedDuration::from_hours(7 * 24),
        ) {
            Some(call) => {
                reasons.push(Reason::StandingCallTakes {
                    at: call,
                    zone: owner.zone.to_string(),
                });
                (Verdict::Defer, due, Some(call))
            }
            None => {
                reasons.push(Reason::NoStandingCall);
                (Verdict::Accept, due, None)
            }
        }
    } else {
        let due = working_due(channel_target);
        reasons.push(Reason::InHours {
            at,
            zone,
            member,
            target: channel_target.to_string(),
        });
        (Verdict::Accept, due, None)
    };

    if no_working_time {
        reasons.push(Reason::NoWorkingTime {
            member: assignee.handle.to_string(),
        });
    }
    let verdict = if absence.is_some() {
        Verdict::Cover
    } else {
        verdict
    };
    let reply_kind = match verdict {
        Verdict::Cover => absence.map(|a| ReplyKind::Cover {
            owner: &owner.name,
            until: a.until,
            cover: &assignee.name,
            cover_email: &assignee.email,
            due,
        }),
        Verdict::Hold if flags.contains(&Flag::Urgent) => Some(ReplyKind::HoldUrgent {
            assignee: &assignee.name,
            due,
        }),
        Verdict::Hold => Some(ReplyKind::Hold {
            assignee: &assignee.name,
            due,
        }),
        Verdict::Defer => standing_call.map(|call| ReplyKind::Defer { call }),
        Verdict::AskTopic => Some(ReplyKind::AskTopic { due }),
        Verdict::Urgent => Some(ReplyKind::Urgent {
            assignee: &assignee.name,
        }),
        Verdict::Accept => None,
    };
    let reply_language = match message_language {
        Some(l) if practice.settings().reply_in_message_language => l,
        _ => client.language,
    };
    let reply = reply_kind.map(|kind| render(&kind, reply_language, &client.zone));

    Ok(Decision {
        verdict,
        assignee: assignee.handle.clone(),
        due,
        flags,
        reasons: reasons.iter().map(Reason::english).collect(),
        why: reasons,
        reply,
        in_hours,
        allowance: in_hours && inbound.channel.is_adhoc_call(),
        week: week_start(owner_date),
        message_language,
    })
}

fn target(terms: &crate::Terms, channel: Channel) -> Target {
    let r = &terms.response;
    match channel {
        Channel::Call => r.call,
        Channel::Voicemail => r.voicemail,
        Channel::Email => r.email,
        Channel::Chat => r.chat,
    }
}

fn clock_due(at: Timestamp, target: Target) -> Timestamp {
    at.checked_add(target.duration()).unwrap_or(at)
}
