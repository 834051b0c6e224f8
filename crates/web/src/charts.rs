//! The figures of the last weeks and the SVG charts drawn from them on the server, for the
//! dashboard and the client page: contacts per week inside and outside working hours, ad-hoc
//! calls against the allowance, response times by channel against the targets, what is overdue.

use std::collections::BTreeMap;

use frontdesk_core::stats::percentile;
use frontdesk_core::{Channel, Client, Handle, Practice, Target};
use frontdesk_store::{Response, Store, WeekCounts};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use maud::{Markup, html};

use crate::error::ApiError;
use crate::i18n::T;

const WEEKS: i64 = 12;
const INSIDE: &str = "#2271b1";
const OUTSIDE: &str = "#d63638";
const P90: &str = "#9ec2e6";

/// What the charts are drawn from.
pub struct Figures {
    pub weeks: Vec<WeekCounts>,
    pub responses: Vec<Response>,
    pub overdue: u64,
    /// The Monday of the first week shown.
    pub first_week: Date,
}

impl Figures {
    /// What the member may see: everything for those who oversee the practice; otherwise
    /// their own clients' figures and no practice-wide overdue count.
    fn for_member(self, practice: &Practice, member: &Handle) -> Figures {
        if practice.oversees(member) {
            return self;
        }
        let mine: Vec<&Handle> = practice.clients_of(member).map(|c| &c.handle).collect();
        Figures {
            weeks: self
                .weeks
                .into_iter()
                .filter(|w| mine.contains(&&w.client))
                .collect(),
            responses: self
                .responses
                .into_iter()
                .filter(|r| mine.contains(&&r.client))
                .collect(),
            overdue: self.overdue,
            first_week: self.first_week,
        }
    }
}

/// Reads the figures of the last 12 weeks up to `now`, as `member` may see them: everything
/// for owners and managers, their own clients and contacts for a member.
pub fn figures(
    store: &dyn Store,
    practice: &Practice,
    id: frontdesk_store::PracticeId,
    member: &Handle,
    now: Timestamp,
) -> Result<Figures, ApiError> {
    let today = now.to_zoned_datetime(practice.home_zone()).date();
    let monday = frontdesk_core::working_time::week_start(today);
    let first_week = monday
        .checked_sub(((WEEKS - 1) * 7).days())
        .unwrap_or(monday);
    // A day's margin on each side: weeks are the owners' and zones differ.
    let from = now
        .checked_sub(SignedDuration::from_hours(24 * (WEEKS * 7 + 1)))
        .unwrap_or(Timestamp::MIN);
    let weeks = store
        .week_counts(id, from, now)?
        .into_iter()
        .filter(|w| w.week >= first_week)
        .collect();
    let responses = store.responses(id, from, now)?;
    let overdue = store.inbox(id, &practice.scope(member), now, 1)?.overdue;
    Ok(Figures {
        weeks,
        responses,
        overdue,
        first_week,
    }
    .for_member(practice, member))
}

fn week_starts(first: Date) -> Vec<Date> {
    (0..WEEKS)
        .filter_map(|i| first.checked_add((i * 7).days()).ok())
        .collect()
}

/// Stacked bars of contacts per week, inside and outside working hours.
pub fn weeks_chart(t: T, f: &Figures, client: Option<&Handle>) -> Markup {
    let weeks = week_starts(f.first_week);
    let counts: Vec<(u32, u32)> = weeks
        .iter()
        .map(|w| {
            f.weeks
                .iter()
                .filter(|c| c.week == *w && client.is_none_or(|h| c.client == *h))
                .fold((0, 0), |(a, b), c| (a + c.in_hours, b + c.out_of_hours))
        })
        .collect();
    let max = counts.iter().map(|(a, b)| a + b).max().unwrap_or(0).max(1);
    let (w, h, left, bottom) = (640.0, 220.0, 40.0, 30.0);
    let bar = (w - left) / weeks.len() as f64;
    let scale = (h - bottom - 10.0) / f64::from(max);
    html! {
        figure.chart {
            figcaption { (t.get("dash-weeks")) }
            svg viewBox={"0 0 " (w) " " (h)} role="img" aria-label=(t.get("dash-weeks")) width="100%" {
                line x1=(left) y1=(h - bottom) x2=(w) y2=(h - bottom) stroke="#8c8f94" {}
                text x="4" y="14" font-size="11" { (max) }
                @for (i, (week, (inside, outside))) in weeks.iter().zip(&counts).enumerate() {
                    @let x = left + i as f64 * bar + 4.0;
                    @let hi = f64::from(*inside) * scale;
                    @let ho = f64::from(*outside) * scale;
                    rect x=(x) y=(h - bottom - hi) width=(bar - 8.0) height=(hi) fill=(INSIDE) {
                        title { (week) ": " (inside) " " (t.get("dash-inside")) }
                    }
                    rect x=(x) y=(h - bottom - hi - ho) width=(bar - 8.0) height=(ho) fill=(OUTSIDE) {
                        title { (week) ": " (outside) " " (t.get("dash-outside")) }
                    }
                    text x=(x) y=(h - 12.0) font-size="10" { (week.strftime("%d/%m")) }
                }
            }
            p.legend {
                span.swatch.inside { "■" } " " (t.get("dash-inside")) " "
                span.swatch.outside { "■" } " " (t.get("dash-outside"))
            }
        }
    }
}

/// Bars of in-hours ad-hoc calls per week with the client's allowance as a line.
pub fn adhoc_chart(t: T, f: &Figures, client: &Client) -> Markup {
    let weeks = week_starts(f.first_week);
    let counts: Vec<u32> = weeks
        .iter()
        .map(|w| {
            f.weeks
                .iter()
                .filter(|c| c.week == *w && c.client == client.handle)
                .map(|c| c.adhoc_calls)
                .sum()
        })
        .collect();
    let allowance = client.terms.adhoc_calls_per_week;
    let max = counts
        .iter()
        .copied()
        .chain(allowance)
        .max()
        .unwrap_or(0)
        .max(1);
    let (w, h, left, bottom) = (640.0, 180.0, 40.0, 30.0);
    let bar = (w - left) / weeks.len() as f64;
    let scale = (h - bottom - 10.0) / f64::from(max);
    html! {
        figure.chart {
            figcaption { (t.get("dash-adhoc")) }
            svg viewBox={"0 0 " (w) " " (h)} role="img" aria-label=(t.get("dash-adhoc")) width="100%" {
                line x1=(left) y1=(h - bottom) x2=(w) y2=(h - bottom) stroke="#8c8f94" {}
                @for (i, (week, n)) in weeks.iter().zip(&counts).enumerate() {
                    @let x = left + i as f64 * bar + 4.0;
                    @let hb = f64::from(*n) * scale;
                    @let over = allowance.is_some_and(|a| *n > a);
                    rect x=(x) y=(h - bottom - hb) width=(bar - 8.0) height=(hb) fill=(if over { OUTSIDE } else { INSIDE }) {
                        title { (week) ": " (n) }
                    }
                    text x=(x) y=(h - 12.0) font-size="10" { (week.strftime("%d/%m")) }
                }
                @if let Some(a) = allowance {
                    @let y = h - bottom - f64::from(a) * scale;
                    line.allowance x1=(left) y1=(y) x2=(w) y2=(y) stroke="#1d2327" stroke-dasharray="6 4" {}
                    text x="4" y=(y + 4.0) font-size="11" { (t.get("dash-allowance")) " " (a) }
                }
            }
        }
    }
}

/// Where a response is counted: urgent ones apart, the others by channel; with its order.
pub fn channel_key(r: &Response) -> (usize, &'static str) {
    if r.urgent {
        (Channel::ALL.len(), "urgent")
    } else {
        (
            Channel::ALL
                .iter()
                .position(|c| *c == r.channel)
                .unwrap_or(0),
            r.channel.as_str(),
        )
    }
}

/// The target a response is judged against: the client's, for its channel or urgency.
fn target(practice: &Practice, r: &Response) -> Option<Target> {
    let c = practice.client(&r.client)?;
    let t = &c.terms.response;
    Some(if r.urgent {
        t.urgent
    } else {
        match r.channel {
            Channel::Call => t.call,
            Channel::Voicemail => t.voicemail,
            Channel::Email => t.email,
            Channel::Chat => t.chat,
        }
    })
}

/// Median and 90th-percentile response time per channel (urgent ones apart), with the share
/// answered within target; for one client, its targets are drawn too.
pub fn response_chart(t: T, f: &Figures, practice: &Practice, client: Option<&Client>) -> Markup {
    let mut rows: BTreeMap<usize, (String, Vec<SignedDuration>, usize, Option<Target>)> =
        BTreeMap::new();
    for r in &f.responses {
        if client.is_some_and(|c| c.handle != r.client) {
            continue;
        }
        let (order, key) = channel_key(r);
        let label = if r.urgent {
            t.get("channel-urgent")
        } else {
            key.to_string()
        };
        let goal = target(practice, r);
        let row = rows
            .entry(order)
            .or_insert_with(|| (label, Vec::new(), 0, client.and(goal)));
        row.1.push(r.working);
        if goal.is_some_and(|g| r.working <= g.duration()) {
            row.2 += 1;
        }
    }
    let hours = |d: SignedDuration| d.as_secs_f64() / 3600.0;
    let max = rows
        .values()
        .flat_map(|(_, v, _, g)| {
            percentile(v, 90.0)
                .map(hours)
                .into_iter()
                .chain(g.map(|g| hours(g.duration())))
        })
        .fold(1.0_f64, f64::max);
    let (w, row_h, left) = (640.0, 34.0, 90.0);
    let h = row_h * rows.len().max(1) as f64 + 10.0;
    let scale = (w - left - 110.0) / max;
    html! {
        figure.chart {
            figcaption { (t.get("dash-response")) }
            @if rows.is_empty() {
                p { (t.get("dash-no-answers")) }
            } @else {
                svg viewBox={"0 0 " (w) " " (h)} role="img" aria-label=(t.get("dash-response")) width="100%" {
                    @for (i, (label, values, _, goal)) in rows.values().enumerate() {
                        @let y = 5.0 + i as f64 * row_h;
                        @let p50 = percentile(values, 50.0).map_or(0.0, hours);
                        @let p90 = percentile(values, 90.0).map_or(0.0, hours);
                        text x="4" y=(y + 16.0) font-size="12" { (label) }
                        rect x=(left) y=(y + 2.0) width=(p90 * scale) height="22" fill=(P90) {
                            title { (t.get("dash-p90")) ": " (format!("{p90:.1}")) " h" }
                        }
                        rect x=(left) y=(y + 7.0) width=(p50 * scale) height="12" fill=(INSIDE) {
                            title { (t.get("dash-median")) ": " (format!("{p50:.1}")) " h" }
                        }
                        @if let Some(g) = goal {
                            @let x = left + hours(g.duration()) * scale;
                            line x1=(x) y1=(y) x2=(x) y2=(y + 26.0) stroke=(OUTSIDE) stroke-width="2" {
                                title { (t.get("dash-target")) ": " (g) }
                            }
                        }
                        text x=(left + p90 * scale + 6.0) y=(y + 17.0) font-size="11" {
                            (format!("{p50:.1} / {p90:.1} h"))
                        }
                    }
                }
                ul {
                    @for (label, values, within, _) in rows.values() {
                        li { (label) ": " (t.args("dash-within", &[("pct", (within * 100 / values.len()).to_string()), ("n", values.len().to_string())])) }
                    }
                }
            }
        }
    }
}

/// The overdue count, as a number people notice.
pub fn overdue(t: T, f: &Figures) -> Markup {
    html! { p.overdue-count { strong { (t.args("dash-overdue", &[("n", f.overdue.to_string())])) } } }
}
