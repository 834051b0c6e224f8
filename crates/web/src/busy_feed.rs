//! Busy times from calendar feeds: fetching an .ics over HTTP(S), importing it for a member,
//! and — while the server runs — refreshing every subscribed feed on a schedule. A feed that
//! cannot be fetched or read keeps the busy times it gave before; the error is recorded.

use std::time::Duration;

use frontdesk_core::Practice;
use frontdesk_store::{PracticeId, Store};

use crate::state::AppState;
use jiff::{SignedDuration, Timestamp};

/// The largest calendar accepted.
const MAX_BYTES: u64 = 10 * 1024 * 1024;

/// The calendar at `url`, as text.
pub fn fetch(url: &str) -> Result<String, String> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!("{url:?} is not an http or https URL"));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into();
    let resp = agent
        .get(url)
        .header("Accept", "text/calendar")
        .call()
        .map_err(|e| format!("{url}: {e}"))?;
    resp.into_body()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_string()
        .map_err(|e| format!("{url}: {e}"))
}

/// Imports a calendar's busy times for the next year into the member's, replacing what came
/// from `source` before. Returns (imported, replaced). Nothing is written when the calendar
/// cannot be read.
pub fn import(
    store: &mut impl Store,
    id: PracticeId,
    practice: &Practice,
    member: &frontdesk_core::Handle,
    source: &str,
    text: &str,
    now: Timestamp,
) -> Result<(usize, usize), String> {
    let m = practice
        .member(member)
        .ok_or_else(|| format!("no member {member:?}"))?;
    let from = now - SignedDuration::from_hours(24);
    let to = now + SignedDuration::from_hours(24 * 366);
    let busy = frontdesk_core::ical_in::busy_times(text, m.zone.tz(), from, to)
        .map_err(|e| format!("not a calendar frontdesk can read: {e}"))?;
    let replaced = store
        .replace_busy(id, member, source, &busy)
        .map_err(|e| e.to_string())?;
    Ok((busy.len(), replaced))
}

/// Fetches and imports every subscribed feed once; returns how many were read. Each fetch
/// happens without holding the database.
pub async fn refresh_all(state: &AppState) -> usize {
    let sources = match state.db(|s| Ok(s.busy_sources()?)).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e.message, "cannot list busy-time feeds");
            return 0;
        }
    };
    let mut read = 0;
    for src in sources {
        let url = src.url.clone();
        let text = tokio::task::spawn_blocking(move || fetch(&url))
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
        let s = state.clone();
        let outcome = state
            .db(move |store| {
                let now = Timestamp::now();
                let result = match text {
                    Ok(text) => {
                        let practice = s.practice(store, src.practice)?;
                        import(
                            store,
                            src.practice,
                            &practice,
                            &src.member,
                            &src.url,
                            &text,
                            now,
                        )
                        .map(|_| ())
                    }
                    Err(e) => Err(e),
                };
                // What is recorded (and shown to the team) leaves out the feed's secret path.
                let error = result
                    .as_ref()
                    .err()
                    .map(|e| e.replace(&src.url, &crate::settings::feed_host(&src.url)));
                store.busy_source_checked(src.id, now, error.as_deref())?;
                Ok(result)
            })
            .await;
        match outcome {
            Ok(Ok(())) => read += 1,
            Ok(Err(e)) => {
                tracing::warn!(feed = src.id, error = %e, "busy-time feed not read; the previous busy times stay")
            }
            Err(e) => {
                tracing::warn!(feed = src.id, error = %e.message, "busy-time feed not recorded")
            }
        }
    }
    read
}

/// Refreshes the feeds now and then every `every`, for as long as the server runs.
pub async fn refresh_forever(state: AppState, every: Duration) {
    loop {
        let read = refresh_all(&state).await;
        tracing::debug!(read, "busy-time feeds refreshed");
        tokio::time::sleep(every).await;
    }
}
