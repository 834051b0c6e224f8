//! Busy times from a member's own calendar: fetching an .ics over HTTP(S) and importing it.
//! A calendar that cannot be fetched or read keeps the busy times it gave before.

use std::time::Duration;

use frontdesk_core::Practice;
use frontdesk_core::slots::Busy;
use frontdesk_store::{PracticeId, Store};

use jiff::{SignedDuration, Timestamp};

/// The largest calendar accepted.
const MAX_BYTES: u64 = 10 * 1024 * 1024;

/// How many redirects a feed may take.
const MAX_REDIRECTS: usize = 5;

/// Whether an address is on the public internet: not loopback, private, link-local, shared
/// (CGNAT), unique-local, multicast, documentation or otherwise reserved.
fn is_public(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(a) => {
            let o = a.octets();
            !(a.is_loopback()
                || a.is_private()
                || a.is_link_local()
                || a.is_unspecified()
                || a.is_broadcast()
                || a.is_multicast()
                || a.is_documentation()
                || o[0] == 0
                || o[0] >= 240
                || (o[0] == 100 && (o[1] & 0xc0) == 64))
        }
        IpAddr::V6(a) => {
            if let Some(v4) = a.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = a.segments();
            // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds; the deprecated
            // IPv4-compatible form (::a.b.c.d) is not public either.
            if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let o = a.octets();
                return is_public(IpAddr::V4(std::net::Ipv4Addr::new(
                    o[12], o[13], o[14], o[15],
                )));
            }
            if s[..6] == [0; 6] {
                return false;
            }
            let first = s[0];
            !(a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Refuses a URL whose host resolves to any address that is not public, unless the host is
/// one of `allow` (an operator's own calendar server on the LAN).
fn check_public(url: &str, allow: &[String]) -> Result<(), String> {
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| format!("{:?} is not a URL", feed_host(url)))?;
    let https = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(format!("{:?} is not an http or https URL", feed_host(url))),
    };
    let host = uri
        .host()
        .ok_or_else(|| format!("{:?} names no host", feed_host(url)))?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if allow.iter().any(|a| a.eq_ignore_ascii_case(bare)) {
        return Ok(());
    }
    let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
    let addrs: Vec<std::net::SocketAddr> = std::net::ToSocketAddrs::to_socket_addrs(&(bare, port))
        .map_err(|_| format!("{bare}: the name does not resolve"))?
        .collect();
    if addrs.is_empty() || addrs.iter().any(|a| !is_public(a.ip())) {
        return Err(format!(
            "{bare} is not on the public internet (a loopback, private or link-local address); \
             an operator can allow it with FRONTDESK_FEED_ALLOW_HOSTS"
        ));
    }
    Ok(())
}

/// Resolves names for feeds and keeps only public addresses (all of them for an allowed
/// host): the check holds at the moment of connecting, so a name that answers a public
/// address to our check and a private one to the connection (DNS rebinding) gets nowhere.
#[derive(Debug)]
struct PublicOnly {
    inner: ureq::unversioned::resolver::DefaultResolver,
    allow: Vec<String>,
}

impl ureq::unversioned::resolver::Resolver for PublicOnly {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let found = self.inner.resolve(uri, config, timeout)?;
        let host = uri
            .host()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']');
        if self.allow.iter().any(|a| a.eq_ignore_ascii_case(host)) {
            return Ok(found);
        }
        let mut public = self.empty();
        for a in found.iter().filter(|a| is_public(a.ip())) {
            public.push(*a);
        }
        if public.is_empty() {
            return Err(ureq::Error::HostNotFound);
        }
        Ok(public)
    }
}

/// The calendar at `url`, as text. Only public addresses are fetched — after DNS, and again at
/// every redirect — unless the host is in `allow`; errors say what failed without repeating
/// what the other side answered.
pub fn fetch(url: &str, allow: &[String]) -> Result<String, String> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(20)))
        .max_redirects(0)
        .max_redirects_will_error(false)
        .http_status_as_error(false)
        .build();
    let agent = ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::default(),
        PublicOnly {
            inner: ureq::unversioned::resolver::DefaultResolver::default(),
            allow: allow.to_vec(),
        },
    );
    let mut current = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        check_public(&current, allow)?;
        let resp = agent
            .get(&current)
            .header("Accept", "text/calendar")
            .call()
            .map_err(|_| format!("{}: the feed could not be reached", feed_host(&current)))?;
        let status = resp.status();
        if status.is_redirection() {
            let location = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| format!("{}: a redirect to nowhere", feed_host(&current)))?;
            current = if location.starts_with("http://") || location.starts_with("https://") {
                location.to_string()
            } else if location.starts_with('/') {
                let uri: ureq::http::Uri = current
                    .parse()
                    .map_err(|_| format!("{:?} is not a URL", feed_host(&current)))?;
                format!(
                    "{}://{}{location}",
                    uri.scheme_str().unwrap_or("https"),
                    uri.authority().map_or("", |a| a.as_str())
                )
            } else {
                return Err(format!(
                    "{}: a redirect frontdesk does not follow",
                    feed_host(&current)
                ));
            };
            continue;
        }
        if !status.is_success() {
            return Err(format!(
                "{}: the feed answered HTTP {}",
                feed_host(&current),
                status.as_u16()
            ));
        }
        return resp
            .into_body()
            .with_config()
            .limit(MAX_BYTES)
            .read_to_string()
            .map_err(|_| {
                format!(
                    "{}: the feed is not text, or larger than {} MB",
                    feed_host(&current),
                    MAX_BYTES / 1024 / 1024
                )
            });
    }
    Err(format!(
        "{}: more than {MAX_REDIRECTS} redirects",
        feed_host(url)
    ))
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
    read_calendar(practice, member, text, now).map_err(|e| match e {
        Unreadable::Member(m) => m,
        Unreadable::Calendar(e) => format!("not a calendar frontdesk can read: {e}"),
    })
}

/// Why a calendar gave no busy times.
#[derive(Debug)]
pub enum Unreadable {
    /// The member is not in the practice.
    Member(String),
    /// The file is not a calendar frontdesk can read, and where.
    Calendar(frontdesk_core::ical_in::IcsError),
}

impl Unreadable {
    /// What may be shown to the whole team about a feed: where it failed, without a word of
    /// what the other side sent (a feed's address could be anything's).
    pub fn summary(&self) -> String {
        match self {
            Unreadable::Member(m) => m.clone(),
            Unreadable::Calendar(e) => {
                format!("not a calendar frontdesk can read (line {})", e.line)
            }
        }
    }
}

/// [`read`], with the reason as data.
pub fn read_calendar(
    practice: &Practice,
    member: &frontdesk_core::Handle,
    text: &str,
    now: Timestamp,
) -> Result<Vec<Busy>, Unreadable> {
    let m = practice
        .member(member)
        .ok_or_else(|| Unreadable::Member(format!("no member {member:?}")))?;
    let from = now
        .checked_sub(SignedDuration::from_hours(24))
        .unwrap_or(Timestamp::MIN);
    let to = now
        .checked_add(SignedDuration::from_hours(24 * 366))
        .unwrap_or(Timestamp::MAX);
    frontdesk_core::ical_in::busy_times(text, m.zone.tz(), from, to).map_err(Unreadable::Calendar)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_addresses_on_the_public_internet_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::",
            "64:ff9b::a9fe:a9fe",
            "::7f00:1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "64:ff9b::101:101",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
