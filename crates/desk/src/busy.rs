//! Busy times from a member's own calendar: fetching an .ics over HTTP(S) and importing it.
//! A calendar that cannot be fetched or read keeps the busy times it gave before.

use std::time::Duration;

use frontdesk_core::Practice;
use frontdesk_core::slots::Busy;
use frontdesk_store::{PracticeId, Store};

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

/// The busy times a calendar gives the member for the next year, merged into disjoint
/// stretches; an error names the line. Reading touches no store, so a server reads a feed
/// without holding the database.
pub fn read(
    practice: &Practice,
    member: &frontdesk_core::Handle,
    text: &str,
    now: Timestamp,
) -> Result<Vec<Busy>, String> {
    let m = practice
        .member(member)
        .ok_or_else(|| format!("no member {member:?}"))?;
    let from = now
        .checked_sub(SignedDuration::from_hours(24))
        .unwrap_or(Timestamp::MIN);
    let to = now
        .checked_add(SignedDuration::from_hours(24 * 366))
        .unwrap_or(Timestamp::MAX);
    frontdesk_core::ical_in::busy_times(text, m.zone.tz(), from, to)
        .map_err(|e| format!("not a calendar frontdesk can read: {e}"))
}

/// Imports a calendar's busy times for the next year into the member's, replacing what came
/// from `source` before. Returns (imported, replaced). Nothing is written when the calendar
/// cannot be read.
pub fn import(
    store: &mut dyn Store,
    id: PracticeId,
    practice: &Practice,
    member: &frontdesk_core::Handle,
    source: &str,
    text: &str,
    now: Timestamp,
) -> Result<(usize, usize), String> {
    let busy = read(practice, member, text, now)?;
    let replaced = store
        .replace_busy(id, member, source, &busy)
        .map_err(|e| e.to_string())?;
    Ok((busy.len(), replaced))
}

/// A feed's URL without its secret path, for what is recorded and shown to the team.
pub fn feed_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?']).next().unwrap_or(rest);
    format!("{host}/…")
}
