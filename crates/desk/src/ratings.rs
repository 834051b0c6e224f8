//! Satisfaction ratings: asking a client (a secret link, sent in their language) and taking
//! their answer, for the command line, the pages and the API.

use frontdesk_core::rating::{self, Rating, RatingError};
use frontdesk_core::{Handle, Practice};
use frontdesk_store::{PracticeId, Store, StoreError};
use jiff::Timestamp;

/// Why a rating was not asked or not taken; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum RatingFail {
    #[error(transparent)]
    Refused(#[from] RatingError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Asks `client` to rate the work — deliverable `deliverable` against its goal, or the work of
/// the period against `goal` — through a new secret link under `public_url`. Returns the rating
/// and the link (only its hash is kept).
#[allow(clippy::too_many_arguments)]
pub fn request(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    client: &Handle,
    deliverable: Option<i64>,
    goal: Option<&str>,
    public_url: &str,
    member: &Handle,
    now: Timestamp,
) -> Result<(Rating, String), RatingFail> {
    let Some(c) = practice.client(client) else {
        return Err(RatingError::UnknownClient(client.to_string()).into());
    };
    if !practice.clients_of(member).any(|x| x.handle == *client) {
        return Err(RatingError::UnknownClient(client.to_string()).into());
    }
    let (what, goal) = match deliverable {
        Some(n) => {
            let d = store
                .deliverables(id)?
                .into_iter()
                .find(|d| d.id == n && d.client == *client)
                .ok_or_else(|| {
                    StoreError::Refused(format!("deliverable {n}: there is no such deliverable"))
                })?;
            (d.name, d.goal)
        }
        None => (
            frontdesk_core::rating::month_words(c.language),
            rating::check_goal(goal.unwrap_or(""))?,
        ),
    };
    let secret = crate::secrets::new_token();
    let url = format!("{}/rate/{secret}", public_url.trim_end_matches('/'));
    let messages = |n: i64| rating::request_messages(practice, client, &what, &goal, &url, n);
    let r = store.request_rating(
        id,
        client,
        deliverable,
        &goal,
        &crate::secrets::secret_hash(&secret),
        &messages,
        member.as_str(),
        now,
    )?;
    Ok((r, url))
}

/// The client's answer through the link: a score from 1 to 10 and a comment, once.
pub fn rate(
    store: &mut dyn Store,
    secret: &str,
    score: &str,
    comment: &str,
    now: Timestamp,
) -> Result<Option<Rating>, RatingFail> {
    let Some((id, r)) = store.rating_by_token(&crate::secrets::secret_hash(secret))? else {
        return Ok(None);
    };
    if r.rated.is_some() {
        return Err(RatingError::AlreadyRated.into());
    }
    let score = rating::parse_score(score)?;
    let comment = rating::check_comment(comment)?;
    Ok(Some(store.rate(
        id,
        r.id,
        score,
        comment.as_deref(),
        now,
    )?))
}

/// The monthly ratings due at `now` (see `core::rating::monthly_due`), asked of each client
/// once a month by its owner, with links under `public_url`. A month's key is claimed before
/// its request is made, so a failed request is not asked again that month; returns how many
/// were asked.
pub fn monthly(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    public_url: &str,
    now: Timestamp,
) -> Result<usize, StoreError> {
    let mut asked = 0;
    for c in practice.clients() {
        let Some((key, goal)) = frontdesk_core::rating::monthly_due(practice, c, now) else {
            continue;
        };
        let job = frontdesk_core::timers::Job {
            key,
            messages: Vec::new(),
        };
        if store.run_jobs(id, &[job], now)?.is_empty() {
            continue;
        }
        match request(
            store,
            id,
            practice,
            &c.handle,
            None,
            Some(goal),
            public_url,
            &c.owner,
            now,
        ) {
            Ok(_) => asked += 1,
            Err(RatingFail::Store(e)) => return Err(e),
            Err(RatingFail::Refused(e)) => {
                tracing::warn!(client = %c.handle, error = %e, "the monthly rating could not be asked")
            }
        }
    }
    Ok(asked)
}
