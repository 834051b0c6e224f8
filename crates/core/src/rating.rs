//! Satisfaction 1–10 against the goal agreed at the start (story S4): at a deliverable's
//! completion (or whenever a member asks, say monthly) the client gets a secret link, no account
//! needed, to rate the work against its goal with a comment, in their language. A low or
//! falling rating is a risk signal.

use jiff::Timestamp;

use crate::{Handle, Practice};

/// The longest comment kept.
pub const MAX_COMMENT: usize = 2000;
/// The longest goal.
pub const MAX_GOAL: usize = 300;

/// A rating asked of a client, and what they answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rating {
    pub id: i64,
    pub client: Handle,
    /// The deliverable it is about, if one.
    pub deliverable: Option<i64>,
    /// The goal agreed at the start, that the work is rated against.
    pub goal: String,
    pub requested: Timestamp,
    /// 1–10, once given.
    pub score: Option<u8>,
    pub comment: Option<String>,
    pub rated: Option<Timestamp>,
    /// The link no longer opens.
    pub revoked: bool,
}

/// Why a rating is refused; nothing is written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RatingError {
    #[error("score: {0} is not a whole number from 1 to 10")]
    Score(String),
    #[error("comment: at most {MAX_COMMENT} characters")]
    Comment,
    #[error("goal: say what the work was meant to achieve (at most {MAX_GOAL} characters)")]
    Goal,
    #[error("client: no client has the handle {0:?}")]
    UnknownClient(String),
    #[error("this rating was already given")]
    AlreadyRated,
}

/// A score as typed: a whole number from 1 to 10.
pub fn parse_score(text: &str) -> Result<u8, RatingError> {
    text.trim()
        .parse::<u8>()
        .ok()
        .filter(|s| (1..=10).contains(s))
        .ok_or_else(|| RatingError::Score(text.trim().to_string()))
}

/// A comment, trimmed; at most [`MAX_COMMENT`] characters.
pub fn check_comment(text: &str) -> Result<Option<String>, RatingError> {
    let t = text.trim();
    if t.chars().count() > MAX_COMMENT {
        return Err(RatingError::Comment);
    }
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// A goal, trimmed; present and at most [`MAX_GOAL`] characters.
pub fn check_goal(text: &str) -> Result<String, RatingError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > MAX_GOAL {
        return Err(RatingError::Goal);
    }
    Ok(t.to_string())
}

/// The message asking the client's people to rate the work, in the client's language, with
/// the link (`url`); one per person with an e-mail address.
pub fn request_messages(
    practice: &Practice,
    client: &Handle,
    what: &str,
    goal: &str,
    url: &str,
    id: i64,
) -> Vec<crate::outbox::Message> {
    let Some(c) = practice.client(client) else {
        return Vec::new();
    };
    let language = c.language;
    let args = [
        ("practice", practice.settings().name.clone()),
        ("what", what.to_string()),
        ("goal", goal.to_string()),
        ("url", url.to_string()),
    ];
    c.people
        .iter()
        .filter_map(|p| p.email.as_ref())
        .map(|to| crate::outbox::Message {
            key: format!("rating-request:{id}:{to}"),
            medium: crate::outbox::Medium::Email,
            to: to.clone(),
            language,
            subject: crate::reply::message(language, "rating-request-subject", &args),
            text: crate::reply::message(language, "rating-request", &args),
            throttle: None,
            in_reply_to: None,
            from: None,
            calendar: None,
            attachment: None,
        })
        .collect()
}

/// What a rating of the period is about, in `language`: "Our work for you this month".
/// When `client` is asked for this month's rating: with monthly ratings on and a goal, from
/// its owner's first working day of the month at the digest time, in the owner's zone. Gives
/// the month's key (`rating-month:CLIENT:YYYY-MM`) that asks it once, and the goal.
pub fn monthly_due<'a>(
    practice: &'a Practice,
    client: &'a crate::Client,
    now: jiff::Timestamp,
) -> Option<(String, &'a str)> {
    if !practice.settings().monthly_ratings {
        return None;
    }
    let goal = client.goal.as_deref()?;
    let owner = practice.member(&client.owner)?;
    let today = crate::working_time::local_date(owner, now);
    let mut day = today.first_of_month();
    while !crate::digest::works_on(owner, day) {
        day = day.tomorrow().ok()?;
        if day.month() != today.month() {
            return None;
        }
    }
    let at = crate::digest::digest_instant(practice, owner, day)?;
    (now >= at).then(|| {
        (
            format!(
                "rating-month:{}:{:04}-{:02}",
                client.handle,
                today.year(),
                today.month()
            ),
            goal,
        )
    })
}

pub fn month_words(language: crate::Language) -> String {
    crate::reply::message(language, "rating-what-month", &[])
}

/// The client's latest score and the one before it, from `ratings` (any order): what the risk
/// reads.
pub fn latest(ratings: &[Rating], client: &Handle) -> Option<(u8, Option<u8>)> {
    let mut given: Vec<(&Timestamp, u8)> = ratings
        .iter()
        .filter(|r| r.client == *client)
        .filter_map(|r| Some((r.rated.as_ref()?, r.score?)))
        .collect();
    given.sort_by_key(|(at, _)| **at);
    let (_, last) = given.pop()?;
    Some((last, given.pop().map(|(_, s)| s)))
}
