//! Deliverables and the client input they need (story S4: "to finish X by 1 February I need A,
//! B and C by the 20th" — and if nothing comes, X goes on hold, the client is told the options,
//! and the days on hold are counted until the input arrives; then X resumes with a new date).
//!
//! A deliverable has a goal and a due date. An input request lists the items the client must
//! provide by a date; the client is sent it in their language, reminded two days before, and a
//! member ticks items as they arrive. When the date passes with items missing the deliverable
//! goes on hold; when the last item arrives it resumes, its due date moved by the days lost.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{Handle, Language, Practice};

/// Days before an input request's date that the client is reminded of missing items.
pub const REMINDER_DAYS: i64 = 2;
/// The most items one request lists, and the longest text of a name, goal or item.
pub const MAX_ITEMS: usize = 20;
pub const MAX_TEXT: usize = 300;

/// Where a deliverable stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Active,
    /// Waiting for the client's input since `held_since`.
    OnHold,
    Done,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Active => "active",
            State::OnHold => "on_hold",
            State::Done => "done",
        }
    }

    pub fn parse(text: &str) -> Option<State> {
        [State::Active, State::OnHold, State::Done]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// A piece of work for a client, with the goal agreed at the start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliverable {
    pub id: i64,
    #[serde(with = "handle_text")]
    pub client: Handle,
    pub name: String,
    pub goal: String,
    /// The due date now (moved by the days on hold).
    pub due: Date,
    /// The due date first agreed.
    pub original_due: Date,
    /// Who does it.
    #[serde(with = "handle_text")]
    pub member: Handle,
    pub state: State,
    /// The first day on hold, while on hold.
    pub held_since: Option<Date>,
    /// Days on hold so far, ended holds only.
    pub held_days: i64,
    /// The ended holds, `[first day, day resumed)`: the days the holding rate is billed for.
    #[serde(default)]
    pub holds: Vec<(Date, Date)>,
}

/// One thing the client must provide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub text: String,
    pub received: Option<Timestamp>,
}

/// What the client must provide, by when, for a deliverable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRequest {
    pub id: i64,
    pub deliverable: i64,
    pub items: Vec<Item>,
    /// The date the items are needed by.
    pub by: Date,
    /// The date passed with items missing: the deliverable went on hold.
    pub missed: bool,
}

impl InputRequest {
    pub fn missing(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.received.is_none())
    }

    pub fn complete(&self) -> bool {
        self.missing().next().is_none()
    }
}

/// Why a change is refused; nothing is written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeliverableError {
    #[error("client: no client has the handle {0:?}")]
    UnknownClient(String),
    #[error("as: {0} does not serve client {1}")]
    NotTheirClient(String, String),
    #[error("{0}: it is empty")]
    Empty(&'static str),
    #[error("{0}: at most {MAX_TEXT} characters")]
    TooLong(&'static str),
    #[error("item: at most {MAX_ITEMS} items, and at least one")]
    Items,
    #[error("by: {by} is after the deliverable's due date {due}")]
    AfterDue { by: Date, due: Date },
    #[error("{field}: {date} is before today ({today})")]
    Past {
        field: &'static str,
        date: Date,
        today: Date,
    },
    #[error("deliverable {0}: it is done")]
    Done(i64),
    #[error("item: request {id} has no item {item}")]
    NoItem { id: i64, item: usize },
}

fn text(field: &'static str, value: &str) -> Result<String, DeliverableError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(DeliverableError::Empty(field));
    }
    if v.chars().count() > MAX_TEXT {
        return Err(DeliverableError::TooLong(field));
    }
    Ok(v.to_string())
}

/// Today in `member`'s zone (UTC for a member no longer in the practice).
pub fn today(practice: &Practice, member: &Handle, now: Timestamp) -> Date {
    practice
        .member(member)
        .map_or(now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(), |m| {
            crate::working_time::local_date(m, now)
        })
}

/// A new deliverable, checked: the member serves the client, the texts are there, the date is
/// not past.
pub fn new_deliverable(
    practice: &Practice,
    client: &Handle,
    name: &str,
    goal: &str,
    due: Date,
    member: &Handle,
    now: Timestamp,
) -> Result<Deliverable, DeliverableError> {
    if practice.client(client).is_none() {
        return Err(DeliverableError::UnknownClient(client.to_string()));
    }
    if !practice.clients_of(member).any(|c| c.handle == *client) {
        return Err(DeliverableError::NotTheirClient(
            member.to_string(),
            client.to_string(),
        ));
    }
    let today = today(practice, member, now);
    if due < today {
        return Err(DeliverableError::Past {
            field: "due",
            date: due,
            today,
        });
    }
    Ok(Deliverable {
        id: 0,
        client: client.clone(),
        name: text("name", name)?,
        goal: text("goal", goal)?,
        due,
        original_due: due,
        member: member.clone(),
        state: State::Active,
        held_since: None,
        held_days: 0,
        holds: Vec::new(),
    })
}

/// A new input request for `d`, checked: one to [`MAX_ITEMS`] items, a date not past and not
/// after the deliverable's due date.
pub fn new_request(
    practice: &Practice,
    d: &Deliverable,
    items: &[String],
    by: Date,
    member: &Handle,
    now: Timestamp,
) -> Result<InputRequest, DeliverableError> {
    if d.state == State::Done {
        return Err(DeliverableError::Done(d.id));
    }
    if !practice.clients_of(member).any(|c| c.handle == d.client) {
        return Err(DeliverableError::NotTheirClient(
            member.to_string(),
            d.client.to_string(),
        ));
    }
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(DeliverableError::Items);
    }
    let items = items
        .iter()
        .map(|i| {
            Ok(Item {
                text: text("item", i)?,
                received: None,
            })
        })
        .collect::<Result<Vec<_>, DeliverableError>>()?;
    let today = today(practice, member, now);
    if by < today {
        return Err(DeliverableError::Past {
            field: "by",
            date: by,
            today,
        });
    }
    if by > d.due {
        return Err(DeliverableError::AfterDue { by, due: d.due });
    }
    Ok(InputRequest {
        id: 0,
        deliverable: d.id,
        items,
        by,
        missed: false,
    })
}

/// Puts `d` on hold from `since` (the day after its input's date).
pub fn hold(d: &Deliverable, since: Date) -> Deliverable {
    Deliverable {
        state: State::OnHold,
        held_since: Some(since),
        ..d.clone()
    }
}

/// Resumes `d` on `today`: the days on hold are added to its due date.
pub fn resume(d: &Deliverable, today: Date) -> Deliverable {
    let lost = d
        .held_since
        .map_or(0, |s| (today - s).get_days().max(0) as i64);
    let held_days = d.held_days + lost;
    let mut holds = d.holds.clone();
    if let Some(s) = d.held_since
        && today > s
    {
        holds.push((s, today));
    }
    Deliverable {
        state: State::Active,
        held_since: None,
        held_days,
        holds,
        due: d
            .original_due
            .checked_add(jiff::Span::new().days(held_days))
            .unwrap_or(d.due),
        ..d.clone()
    }
}

/// The days `d` has been on hold as of `today`, the current hold included: what the holding
/// rate is billed for.
pub fn days_on_hold(d: &Deliverable, today: Date) -> i64 {
    d.held_days
        + d.held_since
            .map_or(0, |s| (today - s).get_days().max(0) as i64)
}

/// [`days_on_hold`] as of `now`, today being its member's.
pub fn days_on_hold_at(practice: &Practice, d: &Deliverable, now: Timestamp) -> i64 {
    days_on_hold(d, today(practice, &d.member, now))
}

/// A list in words: "A, B and C".
fn list(language: Language, items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!(
            "{} {} {last}",
            rest.join(", "),
            crate::reply::message(language, "list-and", &[])
        ),
    }
}

/// A message of `kind` (`input-request`, `input-reminder`, `input-missed`, `input-resumed`)
/// to each of the client's people with an e-mail address, in the client's language.
pub fn client_job(
    practice: &Practice,
    d: &Deliverable,
    r: &InputRequest,
    kind: &str,
) -> Option<crate::timers::Job> {
    let client = practice.client(&d.client)?;
    let member = practice.member(&d.member)?;
    let language = client.language;
    let missing: Vec<&str> = r.missing().map(|i| i.text.as_str()).collect();
    let all: Vec<&str> = r.items.iter().map(|i| i.text.as_str()).collect();
    let args = [
        ("practice", practice.settings().name.clone()),
        ("member", member.name.clone()),
        ("deliverable", d.name.clone()),
        ("due", crate::reply::date(language, d.due)),
        ("by", crate::reply::date(language, r.by)),
        ("items", list(language, &all)),
        ("missing", list(language, &missing)),
    ];
    let key = format!("{kind}:{}", r.id);
    let messages: Vec<crate::outbox::Message> = client
        .people
        .iter()
        .filter_map(|p| p.email.as_ref())
        .map(|to| crate::outbox::Message {
            key: format!("{key}:{to}"),
            medium: crate::outbox::Medium::Email,
            to: to.clone(),
            language,
            subject: crate::reply::message(language, &format!("{kind}-subject"), &args),
            text: crate::reply::message(language, kind, &args),
            throttle: None,
            in_reply_to: None,
            from: None,
            calendar: None,
            attachment: None,
        })
        .collect();
    (!messages.is_empty()).then_some(crate::timers::Job { key, messages })
}

/// What the timers do for a request at `now`: remind the client two days before its date of
/// the items missing, and the day after it, put the deliverable on hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Due {
    Remind,
    Hold { since: Date },
}

pub fn due(practice: &Practice, d: &Deliverable, r: &InputRequest, now: Timestamp) -> Option<Due> {
    if r.complete() || r.missed || d.state != State::Active {
        return None;
    }
    let today = today(practice, &d.member, now);
    if today > r.by {
        return Some(Due::Hold {
            since: r.by.tomorrow().ok()?,
        });
    }
    let remind_from =
        r.by.checked_sub(jiff::Span::new().days(REMINDER_DAYS))
            .ok()?;
    (today >= remind_from).then_some(Due::Remind)
}

pub(crate) mod handle_text {
    use crate::Handle;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(h: &Handle, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(h.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Handle, D::Error> {
        let text = String::deserialize(d)?;
        Handle::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hold_moves_the_due_date_by_the_days_lost() {
        let d = Deliverable {
            id: 1,
            client: Handle::parse("acme").unwrap(),
            name: "X".into(),
            goal: "g".into(),
            due: "2027-02-01".parse().unwrap(),
            original_due: "2027-02-01".parse().unwrap(),
            member: Handle::parse("ana").unwrap(),
            state: State::Active,
            held_since: None,
            held_days: 0,
            holds: Vec::new(),
        };
        let held = hold(&d, "2027-01-21".parse().unwrap());
        assert_eq!(days_on_hold(&held, "2027-01-25".parse().unwrap()), 4);
        let back = resume(&held, "2027-01-26".parse().unwrap());
        assert_eq!(back.state, State::Active);
        assert_eq!(back.held_days, 5);
        assert_eq!(back.due.to_string(), "2027-02-06");
        // A second hold adds to the first.
        let again = resume(
            &hold(&back, "2027-02-01".parse().unwrap()),
            "2027-02-03".parse().unwrap(),
        );
        assert_eq!(
            (again.held_days, again.due.to_string()),
            (7, "2027-02-08".to_string())
        );
    }
}
