//! Recurrence sets: DTSTART, rules, RDATEs and EXDATEs merged in order.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::*;

/// A recurrence set (RFC 5545 section 3.8.5): DTSTART, the instances of its rules and RDATEs,
/// without the EXDATEs, in the series' zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    /// DTSTART, the first instance, local in the series' zone.
    pub start: DateTime,
    pub rules: Vec<RRule>,
    /// Extra instances (RDATE), local.
    pub rdates: Vec<DateTime>,
    /// Removed instances (EXDATE), local; they win over rules and RDATEs.
    pub exdates: Vec<DateTime>,
}

impl Recurrence {
    /// A series of one rule from `start`.
    pub fn new(start: DateTime, rule: RRule) -> Recurrence {
        Recurrence {
            start,
            rules: vec![rule],
            rdates: Vec::new(),
            exdates: Vec::new(),
        }
    }

    /// The local start times of the set, in order, each once. A rule's `UNTIL` in UTC needs
    /// the zone and is applied by `occurrences` only.
    pub fn local(&self) -> impl Iterator<Item = DateTime> + '_ {
        self.merged(None::<fn(DateTime) -> Option<Timestamp>>, DateTime::MIN)
    }

    /// The local start times of the set, in order, each once, as the series' zone has them:
    /// `to_instant` maps a local time to its instant (a zone defined in a calendar file, not
    /// only an IANA one), so that a rule's `UNTIL` in UTC ends that rule where it should.
    /// Instances before `near` may be left out: without a `COUNT` a rule jumps to the period
    /// holding `near` instead of walking there from DTSTART.
    pub fn local_in<'a>(
        &'a self,
        near: DateTime,
        to_instant: impl Fn(DateTime) -> Option<Timestamp> + Clone + 'a,
    ) -> impl Iterator<Item = DateTime> + 'a {
        self.merged(Some(to_instant), near)
    }

    /// The instants of the set at or after `from`, in order, in `tz`. A rule's `UNTIL` in UTC
    /// bounds that rule's instances only.
    pub fn occurrences<'a>(
        &'a self,
        tz: &'a TimeZone,
        from: Timestamp,
    ) -> impl Iterator<Item = Timestamp> + 'a {
        let early = surely_before(from, tz);
        let local = self
            .merged(
                Some(move |dt| tz.to_ambiguous_timestamp(dt).compatible().ok()),
                early,
            )
            .skip_while(move |dt| *dt < early);
        instants(local, tz).skip_while(move |t| *t < from)
    }

    /// DTSTART, RDATEs and every rule's instances merged in order, without the EXDATEs.
    /// Instances before `near` may be left out.
    fn merged<'a, F>(
        &'a self,
        to_instant: Option<F>,
        near: DateTime,
    ) -> Box<dyn Iterator<Item = DateTime> + 'a>
    where
        F: Fn(DateTime) -> Option<Timestamp> + Clone + 'a,
    {
        let mut sources: Vec<Box<dyn Iterator<Item = DateTime> + 'a>> = Vec::new();
        for rule in &self.rules {
            let local = rule.local_near(self.start, near);
            match (rule.end, to_instant.clone()) {
                (End::Until(until), Some(f)) => sources.push(Box::new(
                    local.take_while(move |dt| f(*dt).is_some_and(|t| t <= until)),
                )),
                _ => sources.push(Box::new(local)),
            }
        }
        let start = std::iter::once(self.start);
        if self.rdates.is_empty() && self.exdates.is_empty() && sources.len() == 1 {
            // The common case, one rule and nothing else, needs no merging: the rule's
            // instances are at or after DTSTART.
            let rule = sources.pop().expect("one source");
            return Box::new(start.chain(rule.skip_while(move |dt| *dt == self.start)));
        }
        sources.push(Box::new(start));
        let mut rdates = self.rdates.clone();
        rdates.sort();
        sources.push(Box::new(rdates.into_iter()));
        let mut exdates = self.exdates.clone();
        exdates.sort();
        Box::new(Merge::new(sources).filter(move |dt| exdates.binary_search(dt).is_err()))
    }
}

/// Merges sorted iterators into one sorted iterator without repeats.
struct Merge<'a> {
    heads: Vec<(Option<DateTime>, Box<dyn Iterator<Item = DateTime> + 'a>)>,
    last: Option<DateTime>,
}

impl<'a> Merge<'a> {
    fn new(sources: Vec<Box<dyn Iterator<Item = DateTime> + 'a>>) -> Merge<'a> {
        Merge {
            heads: sources.into_iter().map(|mut s| (s.next(), s)).collect(),
            last: None,
        }
    }
}

impl Iterator for Merge<'_> {
    type Item = DateTime;

    fn next(&mut self) -> Option<DateTime> {
        loop {
            let (i, _) = self
                .heads
                .iter()
                .enumerate()
                .filter_map(|(i, (h, _))| h.map(|h| (i, h)))
                .min_by_key(|(_, h)| *h)?;
            let (head, source) = &mut self.heads[i];
            let value = head.take()?;
            *head = source.next();
            if self.last.is_none_or(|l| value > l) {
                self.last = Some(value);
                return Some(value);
            }
        }
    }
}
