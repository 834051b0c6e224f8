//! What a client's habits cost: the money terms, the billable items derived from what the desk
//! already knows (time from meetings held and answered contacts, out-of-hours work, no-shows,
//! late cancellations, calls over the allowance, holding days), each with its evidence and its
//! rule in words, and the waivers and adjustments a member makes with a reason.
//!
//! Items are derived once and then kept with the amounts of the terms in force that day: terms
//! changed later do not change them (see [`derive`] and the store's `put_items`).

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::deliverable::{Deliverable, handle_text};
use crate::money::{Currency, Decimal, MoneyError};
use crate::{Flag, Handle, Language, Meeting, MeetingRef, MeetingStatus, Practice};

/// What a fee for a missed or late-cancelled meeting is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fee {
    /// A fixed amount.
    Flat(Decimal),
    /// The meeting's planned time at the hourly rate, rounded like time.
    MeetingTime,
}

/// How VAT applies to a client's items.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vat {
    /// A rate in percent (0 is zero-rated).
    Rate(Decimal),
    /// Exempt, with the legal note printed on the invoice.
    Exempt(String),
    /// Reverse charge (EU business to business): the client accounts for the VAT.
    ReverseCharge(String),
}

/// The note printed for reverse-charge invoices when the terms give none.
pub const REVERSE_CHARGE_NOTE: &str =
    "Reverse charge: VAT to be accounted for by the recipient (Article 196, Directive 2006/112/EC)";

impl Vat {
    /// The percent charged.
    pub fn percent(&self) -> Decimal {
        match self {
            Vat::Rate(r) => *r,
            _ => Decimal::ZERO,
        }
    }

    /// EN 16931's VAT category code: S standard, Z zero, E exempt, AE reverse charge.
    pub fn category(&self) -> &'static str {
        match self {
            Vat::Rate(r) if r.is_zero() => "Z",
            Vat::Rate(_) => "S",
            Vat::Exempt(_) => "E",
            Vat::ReverseCharge(_) => "AE",
        }
    }

    /// The legal note an invoice prints for it, if any.
    pub fn note(&self) -> Option<&str> {
        match self {
            Vat::Rate(_) => None,
            Vat::Exempt(n) | Vat::ReverseCharge(n) => Some(n),
        }
    }
}

impl Default for Vat {
    fn default() -> Vat {
        Vat::Rate(Decimal::ZERO)
    }
}

/// A client's money terms (`terms.money` in the practice file; what is left out is the
/// practice's default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rates {
    /// The currency the client is billed in; the practice's when `None`.
    pub currency: Option<Currency>,
    pub hourly: Option<Decimal>,
    pub daily: Option<Decimal>,
    /// A fixed fee for urgent work out of hours, beside the surcharge.
    pub call_out: Option<Decimal>,
    pub no_show: Option<Fee>,
    pub late_cancellation: Option<Fee>,
    pub over_quota_call: Option<Decimal>,
    pub holding_per_day: Option<Decimal>,
    /// Time is billed for at least this many minutes.
    pub minimum_minutes: u32,
    /// Time is rounded up to steps of this many minutes (0 or 1: to the minute).
    pub rounding_minutes: u32,
    pub vat: Vat,
    /// Days from the invoice to its due date.
    pub payment_days: u32,
    /// The date these terms were given to the client: nothing that happened before is billed.
    pub since: Option<Date>,
}

/// Payment terms when the practice file does not say.
pub const DEFAULT_PAYMENT_DAYS: u32 = 30;

impl Default for Rates {
    /// No prices (nothing is billed), VAT 0 %, time to the minute, payment in 30 days.
    fn default() -> Rates {
        Rates {
            currency: None,
            hourly: None,
            daily: None,
            call_out: None,
            no_show: None,
            late_cancellation: None,
            over_quota_call: None,
            holding_per_day: None,
            minimum_minutes: 0,
            rounding_minutes: 1,
            vat: Vat::default(),
            payment_days: DEFAULT_PAYMENT_DAYS,
            since: None,
        }
    }
}

/// A legal identity: the practice's or a client's, as an invoice names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    /// Street lines, postal code and city.
    pub address: Vec<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// The VAT or tax identifier, with its country prefix ("ESB12345678").
    pub tax_id: Option<String>,
    /// Where invoices are sent.
    pub email: Option<String>,
    /// The city and postcode, for e-invoices that want them apart (FatturaPA requires them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Italy: the province's two letters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    /// Italy: the recipient code of the SdI exchange system (7 characters; FatturaPA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdi_code: Option<String>,
}

/// The practice's billing identity and invoice numbering (`[billing]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seller {
    pub party: Party,
    pub iban: Option<String>,
    pub bic: Option<String>,
    /// What every number starts with ("INV-").
    pub prefix: String,
    /// Numbers start again at 1 each year, the year written in them ("INV-2026-0001").
    pub yearly_reset: bool,
    /// Italy: the seller's tax regime for FatturaPA (RF01 ordinary, RF19 flat rate…).
    pub tax_regime: String,
}

/// What is wrong with billing input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BillingError {
    #[error("period {0:?}: use a month such as 2026-03")]
    BadPeriod(String),
    #[error("period {period}: it has not started yet (today is {today})")]
    FuturePeriod { period: String, today: Date },
    #[error("client {0:?}: no such client")]
    UnknownClient(String),
    #[error(
        "client {0}: the client has no legal identity (clients[].legal: name, address, country) to put on an invoice"
    )]
    NoBuyer(String),
    #[error(
        "billing: the practice has no legal identity ([billing]: name, address, country) to put on an invoice"
    )]
    NoSeller,
    #[error("client {client}: nothing to invoice up to the end of {period}")]
    Nothing { client: String, period: String },
    #[error("{field}: {source}")]
    Money {
        field: String,
        #[source]
        source: MoneyError,
    },
    #[error("reason: a waiver or an adjustment needs a reason")]
    NoReason,
    #[error("item {0}: it is on invoice {1}; correct it with a credit note")]
    Invoiced(i64, String),
    #[error("description: a manual item needs a description")]
    NoDescription,
    #[error("quantity {0}: use a number from 0.01 to 10000")]
    BadQuantity(String),
    #[error("invoice {0}: it is already issued as {1}")]
    AlreadyIssued(i64, String),
    #[error("invoice {0}: only an issued invoice can be credited")]
    NotIssued(String),
    #[error("line {line}: invoice {invoice} has lines 1 to {lines}")]
    NoSuchLine {
        invoice: String,
        line: usize,
        lines: usize,
    },
    #[error("amount {amount}: more than is left to credit on {invoice} ({left})")]
    CreditTooLarge {
        invoice: String,
        amount: String,
        left: String,
    },
    #[error("amount: a partial credit names exactly one line (--line)")]
    AmountWithoutOneLine,
    #[error("invoice {0}: a credit note is corrected by another invoice, not credited")]
    CreditOfCredit(String),
    #[error("{0}: only an owner or a manager issues invoices and waives or adjusts what is billed")]
    NotAllowed(String),
}

/// Refused unless `member` oversees the practice: invoices, waivers and adjustments are an
/// owner's or a manager's.
pub fn may_bill(practice: &Practice, member: &Handle) -> Result<(), BillingError> {
    if practice.oversees(member) {
        Ok(())
    } else {
        Err(BillingError::NotAllowed(member.to_string()))
    }
}

/// A calendar month, the period an invoice covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Period {
    pub year: i16,
    pub month: i8,
}

impl Period {
    /// "2026-03", years 1970 to 2199.
    pub fn parse(text: &str) -> Result<Period, BillingError> {
        let bad = || BillingError::BadPeriod(text.to_string());
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i16 = y.parse().map_err(|_| bad())?;
        let month: i8 = m.parse().map_err(|_| bad())?;
        if !(1970..=2199).contains(&year) || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Period { year, month })
    }

    /// The month a date is in.
    pub fn of(date: Date) -> Period {
        Period {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(&self) -> Date {
        Date::new(self.year, self.month, 1).expect("a valid month")
    }

    pub fn last_day(&self) -> Date {
        self.first_day().last_of_month()
    }

    /// Its instants in `tz`: `[first day 00:00, next month's first day 00:00)`.
    pub fn bounds(&self, tz: &jiff::tz::TimeZone) -> (Timestamp, Timestamp) {
        let start = |d: Date| crate::working_time::day_start(tz, d).unwrap_or(Timestamp::MAX);
        let next = self
            .last_day()
            .tomorrow()
            .unwrap_or_else(|_| self.last_day());
        (start(self.first_day()), start(next))
    }

    /// Refused when the month has not started on `today`.
    pub fn check_started(&self, today: Date) -> Result<(), BillingError> {
        if self.first_day() > today {
            return Err(BillingError::FuturePeriod {
                period: self.to_string(),
                today,
            });
        }
        Ok(())
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Period {
    type Error = BillingError;
    fn try_from(s: String) -> Result<Period, BillingError> {
        Period::parse(&s)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> String {
        p.to_string()
    }
}

/// Which habit an item bills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Time from a meeting held or a contact answered.
    Time,
    /// The surcharge on work done out of hours.
    AfterHours,
    /// The fixed fee for urgent work out of hours.
    CallOut,
    NoShow,
    LateCancellation,
    /// A call beyond the week's allowance that was taken.
    OverQuota,
    /// A day the client's slot was kept while their input was missing.
    Holding,
    /// Written by a member.
    Manual,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Time,
        Kind::AfterHours,
        Kind::CallOut,
        Kind::NoShow,
        Kind::LateCancellation,
        Kind::OverQuota,
        Kind::Holding,
        Kind::Manual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Time => "time",
            Kind::AfterHours => "after_hours",
            Kind::CallOut => "call_out",
            Kind::NoShow => "no_show",
            Kind::LateCancellation => "late_cancellation",
            Kind::OverQuota => "over_quota",
            Kind::Holding => "holding",
            Kind::Manual => "manual",
        }
    }

    /// Whether it is a habit's cost rather than the work itself.
    pub fn is_habit(self) -> bool {
        !matches!(self, Kind::Time | Kind::Manual)
    }
}

/// What a quantity counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Hour,
    Day,
    Piece,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Hour => "hour",
            Unit::Day => "day",
            Unit::Piece => "piece",
        }
    }

    /// UN/ECE Recommendation 20 code, as e-invoices write units.
    pub fn code(self) -> &'static str {
        match self {
            Unit::Hour => "HUR",
            Unit::Day => "DAY",
            Unit::Piece => "C62",
        }
    }
}

/// What an item is evidence of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Contact(i64),
    /// A meeting as `agenda` names it.
    Meeting(String),
    Deliverable(i64),
    None,
}

/// The facts of the rule an item applied, for its words.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The date the terms were given, when the terms say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
    /// Minutes worked (or planned, for a fee in meeting time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    /// Minutes billed after the minimum and the rounding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billed_minutes: Option<u32>,
    /// The surcharge's percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u32>,
    /// What the surcharge is a percent of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Decimal>,
    /// A deliverable's name; a manual item's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// A member's waiver (amount zero) or adjustment of an item, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub amount: Decimal,
    pub reason: String,
    pub by: String,
    pub at: Timestamp,
}

/// A billable item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    #[serde(with = "handle_text")]
    pub client: Handle,
    /// Unique in the practice: the same evidence is billed once (`no_show:12`).
    pub key: String,
    pub kind: Kind,
    /// When what it bills happened.
    pub at: Timestamp,
    /// That day in the practice's home zone: the period it belongs to.
    pub date: Date,
    pub evidence: Evidence,
    pub quantity: Decimal,
    pub unit: Unit,
    pub unit_price: Decimal,
    /// As derived, rounded to the currency.
    pub amount: Decimal,
    pub currency: Currency,
    pub vat: Vat,
    pub rule: Rule,
    pub adjustment: Option<Adjustment>,
    /// The invoice it is on, once issued.
    pub invoice: Option<i64>,
    pub derived_at: Timestamp,
}

impl Item {
    /// What is billed: the adjusted amount, or the derived one.
    pub fn billed(&self) -> Decimal {
        self.adjustment.as_ref().map_or(self.amount, |a| a.amount)
    }

    pub fn waived(&self) -> bool {
        self.adjustment.as_ref().is_some_and(|a| a.amount.is_zero())
    }
}

/// A contact as billing reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Work {
    pub contact: i64,
    pub client: Handle,
    pub at: Timestamp,
    pub flags: Vec<Flag>,
    pub answered: Option<Timestamp>,
    /// Minutes of work the answer took, when recorded.
    pub minutes: Option<u32>,
}

/// What the desk knows of a period, for [`derive`].
#[derive(Clone, Copy, Debug)]
pub struct Evidences<'a> {
    /// Contacts that arrived in the period.
    pub work: &'a [Work],
    /// Meetings that started in the period, with how agenda names them.
    pub meetings: &'a [(MeetingRef, Meeting)],
    pub deliverables: &'a [Deliverable],
}

/// The client's currency: their terms', else the practice's.
pub fn currency(practice: &Practice, rates: &Rates) -> Currency {
    rates.currency.unwrap_or(practice.settings().currency)
}

/// Minutes billed for `minutes` of work: at least the minimum, rounded up to the step.
pub fn billed_minutes(rates: &Rates, minutes: u32) -> u32 {
    let step = rates.rounding_minutes.max(1);
    let rounded = minutes.div_ceil(step).saturating_mul(step);
    rounded.max(rates.minimum_minutes)
}

/// Time at the hourly rate: (hours, amount).
fn time_amount(currency: Currency, hourly: Decimal, billed: u32) -> (Decimal, Decimal) {
    let minutes = Decimal::from(billed);
    let hours = (minutes / Decimal::from(60)).round_dp(4);
    (hours, currency.round(minutes * hourly / Decimal::from(60)))
}

/// The billable items of `period` at `now`: every habit the evidence shows under each client's
/// terms, one per key. Nothing after `now`, nothing before the terms' `since`, nothing the
/// terms put no price on. The caller keeps only the keys not kept before.
pub fn derive(
    practice: &Practice,
    period: Period,
    evidence: &Evidences<'_>,
    now: Timestamp,
) -> Vec<Item> {
    let tz = practice.home_zone();
    let (from, until) = period.bounds(&tz);
    let until = until.min(now);
    let day = |at: Timestamp| at.to_zoned_datetime(tz.clone()).date();
    let mut out = Vec::new();
    let in_terms = |rates: &Rates, at: Timestamp| {
        at >= from && at < until && rates.since.is_none_or(|s| day(at) >= s)
    };
    let item = |client: &Handle,
                rates: &Rates,
                key: String,
                kind: Kind,
                at: Timestamp,
                evidence: Evidence,
                (quantity, unit, unit_price, amount): (Decimal, Unit, Decimal, Decimal),
                rule: Rule| Item {
        id: 0,
        client: client.clone(),
        key,
        kind,
        at,
        date: day(at),
        evidence,
        quantity,
        unit,
        unit_price,
        amount,
        currency: currency(practice, rates),
        vat: rates.vat.clone(),
        rule: Rule {
            since: rates.since,
            ..rule
        },
        adjustment: None,
        invoice: None,
        derived_at: now,
    };
    for w in evidence.work {
        let Some(client) = practice.client(&w.client) else {
            continue;
        };
        let (terms, rates) = (&client.terms, &client.terms.money);
        let c = currency(practice, rates);
        if w.answered.is_none() || !in_terms(rates, w.at) {
            continue;
        }
        let ev = || Evidence::Contact(w.contact);
        let mut time = None;
        if let (Some(minutes), Some(hourly)) = (w.minutes, rates.hourly) {
            let billed = billed_minutes(rates, minutes);
            let (hours, amount) = time_amount(c, hourly, billed);
            time = Some(amount);
            out.push(item(
                &w.client,
                rates,
                format!("time:contact:{}", w.contact),
                Kind::Time,
                w.at,
                ev(),
                (hours, Unit::Hour, hourly, amount),
                Rule {
                    minutes: Some(minutes),
                    billed_minutes: Some(billed),
                    ..Rule::default()
                },
            ));
        }
        if w.flags.contains(&Flag::AfterHours) && terms.urgent_out_of_hours {
            let pct = terms.after_hours_surcharge_pct;
            if let Some(base) = time
                && pct > 0
            {
                let amount = c.round(base * Decimal::from(pct) / Decimal::from(100));
                out.push(item(
                    &w.client,
                    rates,
                    format!("after_hours:contact:{}", w.contact),
                    Kind::AfterHours,
                    w.at,
                    ev(),
                    (Decimal::ONE, Unit::Piece, amount, amount),
                    Rule {
                        percent: Some(pct),
                        base: Some(base),
                        ..Rule::default()
                    },
                ));
            }
            if let Some(fee) = rates.call_out {
                out.push(item(
                    &w.client,
                    rates,
                    format!("call_out:contact:{}", w.contact),
                    Kind::CallOut,
                    w.at,
                    ev(),
                    (Decimal::ONE, Unit::Piece, fee, fee),
                    Rule::default(),
                ));
            }
        }
        if w.flags.contains(&Flag::OverQuota)
            && let Some(fee) = rates.over_quota_call
        {
            out.push(item(
                &w.client,
                rates,
                format!("over_quota:contact:{}", w.contact),
                Kind::OverQuota,
                w.at,
                ev(),
                (Decimal::ONE, Unit::Piece, fee, fee),
                Rule::default(),
            ));
        }
    }
    for (id, m) in evidence.meetings {
        let Some(client) = practice.client(&m.client) else {
            continue;
        };
        let rates = &client.terms.money;
        let c = currency(practice, rates);
        if !in_terms(rates, m.start) || m.start > now {
            continue;
        }
        let fee = |fee: Option<Fee>| -> Option<(Decimal, Unit, Decimal, Decimal, Rule)> {
            match fee? {
                Fee::Flat(a) => Some((Decimal::ONE, Unit::Piece, a, a, Rule::default())),
                Fee::MeetingTime => {
                    let hourly = rates.hourly?;
                    let billed = billed_minutes(rates, m.minutes);
                    let (hours, amount) = time_amount(c, hourly, billed);
                    Some((
                        hours,
                        Unit::Hour,
                        hourly,
                        amount,
                        Rule {
                            minutes: Some(m.minutes),
                            billed_minutes: Some(billed),
                            ..Rule::default()
                        },
                    ))
                }
            }
        };
        let (kind, line) = match m.status {
            MeetingStatus::Held => {
                let (Some(hourly), Some(minutes)) = (rates.hourly, m.held_minutes) else {
                    continue;
                };
                let billed = billed_minutes(rates, minutes);
                let (hours, amount) = time_amount(c, hourly, billed);
                (
                    Kind::Time,
                    (
                        hours,
                        Unit::Hour,
                        hourly,
                        amount,
                        Rule {
                            minutes: Some(minutes),
                            billed_minutes: Some(billed),
                            ..Rule::default()
                        },
                    ),
                )
            }
            MeetingStatus::NoShow => match fee(rates.no_show) {
                Some(l) => (Kind::NoShow, l),
                None => continue,
            },
            MeetingStatus::Cancelled if m.late => match fee(rates.late_cancellation) {
                Some(l) => (Kind::LateCancellation, l),
                None => continue,
            },
            _ => continue,
        };
        let (quantity, unit, price, amount, rule) = line;
        out.push(item(
            &m.client,
            rates,
            format!("{}:meeting:{id}", kind.as_str()),
            kind,
            m.start,
            Evidence::Meeting(id.to_string()),
            (quantity, unit, price, amount),
            rule,
        ));
    }
    for d in evidence.deliverables {
        let Some(client) = practice.client(&d.client) else {
            continue;
        };
        let rates = &client.terms.money;
        let Some(rate) = rates.holding_per_day else {
            continue;
        };
        let member_tz = practice
            .member(&d.member)
            .map_or_else(|| tz.clone(), |m| m.zone.tz().clone());
        let today = now.to_zoned_datetime(member_tz.clone()).date();
        let mut spans = d.holds.clone();
        if let Some(s) = d.held_since {
            spans.push((s, today));
        }
        for (first, until_day) in spans {
            let mut date = first.max(period.first_day());
            while date < until_day && date <= period.last_day() && date < today {
                let at = crate::working_time::day_start(&member_tz, date).unwrap_or(from);
                if rates.since.is_none_or(|s| date >= s) {
                    let mut it = item(
                        &d.client,
                        rates,
                        format!("holding:deliverable:{}:{date}", d.id),
                        Kind::Holding,
                        at,
                        Evidence::Deliverable(d.id),
                        (Decimal::ONE, Unit::Day, rate, rate),
                        Rule {
                            subject: Some(d.name.clone()),
                            ..Rule::default()
                        },
                    );
                    it.date = date;
                    out.push(it);
                }
                match date.tomorrow() {
                    Ok(next) => date = next,
                    Err(_) => break,
                }
            }
        }
    }
    out
}

/// A manual item, checked: a description, a quantity from 0.01 to 10,000 and a price in the
/// client's currency.
#[allow(clippy::too_many_arguments)]
pub fn manual(
    practice: &Practice,
    client: &Handle,
    date: Date,
    description: &str,
    quantity: &str,
    unit: Unit,
    price: Option<&str>,
    now: Timestamp,
) -> Result<Item, BillingError> {
    let c = practice
        .client(client)
        .ok_or_else(|| BillingError::UnknownClient(client.to_string()))?;
    let rates = &c.terms.money;
    let cur = currency(practice, rates);
    let description = description.trim();
    if description.is_empty() {
        return Err(BillingError::NoDescription);
    }
    let q = crate::money::parse_decimal(quantity)
        .ok()
        .filter(|q| *q >= Decimal::new(1, 2) && *q <= Decimal::from(10_000) && q.scale() <= 4)
        .ok_or_else(|| BillingError::BadQuantity(quantity.to_string()))?;
    let default_price = match unit {
        Unit::Hour => rates.hourly,
        Unit::Day => rates.daily,
        Unit::Piece => None,
    };
    let price = match price {
        Some(p) => cur.amount(p).map_err(|source| BillingError::Money {
            field: "price".into(),
            source,
        })?,
        None => default_price.ok_or_else(|| BillingError::Money {
            field: "price".into(),
            source: MoneyError::NotAnAmount(String::new()),
        })?,
    };
    let tz = practice.home_zone();
    let at = crate::working_time::day_start(&tz, date).unwrap_or(now);
    Ok(Item {
        id: 0,
        client: client.clone(),
        key: String::new(),
        kind: Kind::Manual,
        at,
        date,
        evidence: Evidence::None,
        quantity: q,
        unit,
        unit_price: price,
        amount: cur.round(q * price),
        currency: cur,
        vat: rates.vat.clone(),
        rule: Rule {
            subject: Some(description.to_string()),
            ..Rule::default()
        },
        adjustment: None,
        invoice: None,
        derived_at: now,
    })
}

/// A waiver (`amount` None) or an adjustment of `item`, checked: a reason, an amount in its
/// currency, not on an invoice already.
pub fn adjust(
    item: &Item,
    amount: Option<&str>,
    reason: &str,
    by: &Handle,
    now: Timestamp,
    invoice_number: Option<&str>,
) -> Result<Adjustment, BillingError> {
    if let Some(n) = invoice_number {
        return Err(BillingError::Invoiced(item.id, n.to_string()));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(BillingError::NoReason);
    }
    let amount = match amount {
        None => Decimal::ZERO,
        Some(a) => item
            .currency
            .amount(a)
            .map_err(|source| BillingError::Money {
                field: "amount".into(),
                source,
            })?,
    };
    Ok(Adjustment {
        amount: item.currency.round(amount),
        reason: reason.to_string(),
        by: by.to_string(),
        at: now,
    })
}

/// The item in words, in the client's language, times in their zone: what it bills and by
/// which rule ("Missed meeting on Thursday 4 December at 10:00, not cancelled — per the terms
/// since 1 November").
pub fn describe(item: &Item, language: Language, zone: &crate::Zone) -> String {
    use crate::reply::{date, datetime, message};
    let when = datetime(language, item.at, zone);
    let c = item.currency;
    let minutes = |m: Option<u32>| m.unwrap_or(0).to_string();
    let what = match item.kind {
        Kind::Time => {
            let id = match item.evidence {
                Evidence::Meeting(_) => "bill-time-meeting",
                _ => "bill-time-contact",
            };
            message(
                language,
                id,
                &[
                    ("when", when),
                    ("minutes", minutes(item.rule.minutes)),
                    ("billed", minutes(item.rule.billed_minutes)),
                    ("rate", c.format(item.unit_price, language)),
                ],
            )
        }
        Kind::AfterHours => message(
            language,
            "bill-after-hours",
            &[
                ("when", when),
                ("percent", item.rule.percent.unwrap_or(0).to_string()),
                (
                    "base",
                    c.format(item.rule.base.unwrap_or_default(), language),
                ),
            ],
        ),
        Kind::CallOut => message(language, "bill-call-out", &[("when", when)]),
        Kind::NoShow => message(language, "bill-no-show", &[("when", when)]),
        Kind::LateCancellation => message(language, "bill-late-cancellation", &[("when", when)]),
        Kind::OverQuota => message(language, "bill-over-quota", &[("when", when)]),
        Kind::Holding => message(
            language,
            "bill-holding-day",
            &[
                ("deliverable", item.rule.subject.clone().unwrap_or_default()),
                ("day", date(language, item.date)),
            ],
        ),
        Kind::Manual => item.rule.subject.clone().unwrap_or_default(),
    };
    let mut out = if item.kind == Kind::Manual {
        what
    } else {
        format!("{what} — {}", terms_words(item, language))
    };
    if let Some(a) = &item.adjustment {
        let id = if a.amount.is_zero() {
            "bill-waived"
        } else {
            "bill-adjusted"
        };
        out.push_str(&format!(
            " ({})",
            message(language, id, &[("reason", a.reason.clone())])
        ));
    }
    out
}

/// Which terms an item was billed by, in words: "per the terms since 1 November".
pub(crate) fn terms_words(item: &Item, language: Language) -> String {
    use crate::reply::{date, message};
    match item.rule.since {
        Some(s) => message(language, "bill-since", &[("since", date(language, s))]),
        None => message(language, "bill-terms", &[]),
    }
}

/// [`describe`] as the item's client reads it: in their language and zone (the practice's
/// language and UTC for a client no longer in the practice).
pub fn client_words(practice: &Practice, item: &Item) -> String {
    match practice.client(&item.client) {
        Some(c) => describe(item, c.language, &c.zone),
        None => describe(
            item,
            practice.settings().language,
            &crate::Zone::parse("UTC").expect("UTC exists"),
        ),
    }
}

/// A habit's name in `language`, as invoices head its group ("No-shows").
pub fn kind_name(kind: Kind, language: Language) -> String {
    crate::reply::message(language, &format!("bill-kind-{}", kind.as_str()), &[])
}

/// What a client's habits cost in a period, per kind (waived items left out): the client
/// page's "4 over-quota calls: €120".
pub fn habit_costs(items: &[Item]) -> Vec<(Kind, usize, Decimal)> {
    let mut out: Vec<(Kind, usize, Decimal)> = Vec::new();
    for kind in Kind::ALL.into_iter().filter(|k| k.is_habit()) {
        let of: Vec<&Item> = items
            .iter()
            .filter(|i| i.kind == kind && !i.waived())
            .collect();
        if !of.is_empty() {
            out.push((kind, of.len(), of.iter().map(|i| i.billed()).sum()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_months_and_refused_otherwise() {
        let p = Period::parse("2026-03").unwrap();
        assert_eq!(p.first_day().to_string(), "2026-03-01");
        assert_eq!(p.last_day().to_string(), "2026-03-31");
        for bad in ["2026-3", "2026-13", "1969-12", "march", "2026-03-01"] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        let today = Date::new(2026, 2, 27).unwrap();
        assert!(matches!(
            p.check_started(today),
            Err(BillingError::FuturePeriod { .. })
        ));
        assert!(p.check_started(Date::new(2026, 3, 1).unwrap()).is_ok());
    }

    #[test]
    fn time_is_billed_at_least_the_minimum_in_steps() {
        let rates = Rates {
            minimum_minutes: 30,
            rounding_minutes: 15,
            ..Rates::default()
        };
        assert_eq!(billed_minutes(&rates, 5), 30);
        assert_eq!(billed_minutes(&rates, 31), 45);
        assert_eq!(billed_minutes(&rates, 45), 45);
        assert_eq!(billed_minutes(&Rates::default(), 7), 7);
    }
}
