//! From TOML text to a validated [`Practice`].

use std::collections::BTreeSet;

use frontdesk_core::billing::{Fee, Party, Rates, Seller, Vat};
use frontdesk_core::money::{Currency, Decimal};
use frontdesk_core::{
    Absence, Booking, Client, Handle, ImapAuth, Language, MailSettings, Mailbox, Member,
    ParseError, Person, Practice, PracticeError, RRule, ResponseTargets, Role, Secret, Settings,
    SmtpRelay, StandingCall, Target, Terms, TimeRange, TlsMode, WEEKDAY_KEYS, WeeklyHours, Zone,
};
use jiff::civil::{Date, DateTime};

use crate::file::{
    AbsenceEntry, BillingEntry, BookingEntry, ClientEntry, LegalEntry, MailEntry, MemberEntry,
    MoneyEntry, PersonEntry, PracticeFile, ResponseEntry, TermsEntry,
};

/// Why a practice file was refused. Every variant names where in the file the problem is.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Not TOML, an unknown key, or a value of the wrong type.
    #[error("{0}")]
    Syntax(String),
    /// A value that does not parse.
    #[error("{path}: {source}")]
    Value {
        /// The field path, `members[0].time_zone`.
        path: String,
        /// What was wrong with it.
        source: ParseError,
    },
    /// A value that parses but is not allowed here.
    #[error("{path}: {message}")]
    Invalid {
        /// The field path.
        path: String,
        /// Why.
        message: String,
    },
    /// References between parts that do not hold.
    #[error(transparent)]
    Practice(#[from] PracticeError),
}

fn at(path: impl Into<String>) -> impl FnOnce(ParseError) -> FileError {
    let path = path.into();
    move |source| FileError::Value { path, source }
}

impl FileError {
    /// A value refused at `path` for the reason `message`: what an edit says when it cannot
    /// be made (`members: there is no member "eva"`).
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> FileError {
        invalid(path, message)
    }
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> FileError {
    FileError::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

/// Parses and validates a whole practice file.
pub fn parse(text: &str) -> Result<Practice, FileError> {
    let file: PracticeFile =
        toml::from_str(text).map_err(|e| FileError::Syntax(e.to_string().trim().to_string()))?;
    validate(&file)
}

/// Validates a practice file already read: what [`parse`] does after the TOML.
pub fn validate(file: &PracticeFile) -> Result<Practice, FileError> {
    let p = &file.practice;
    if p.name.trim().is_empty() {
        return Err(invalid("practice.name", "the practice needs a name"));
    }
    let currency =
        Currency::parse(&p.currency).map_err(|e| invalid("practice.currency", e.to_string()))?;
    let language = Language::parse(&p.language).map_err(at("practice.language"))?;
    let default_terms = match &file.default_terms {
        Some(t) => {
            if t.standing_call.is_some() {
                return Err(invalid(
                    "default_terms.standing_call",
                    "a standing call belongs to one client; set it in clients[].terms",
                ));
            }
            terms(t, &Terms::default(), "default_terms", false, currency)?
        }
        None => Terms::default(),
    };
    let members = file
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| member(m, &format!("members[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let absences = file
        .absences
        .iter()
        .enumerate()
        .map(|(i, a)| absence(a, &format!("absences[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let clients = file
        .clients
        .iter()
        .enumerate()
        .map(|(i, c)| {
            client(
                c,
                &format!("clients[{i}]"),
                language,
                &default_terms,
                &members,
                currency,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mail = file.mail.as_ref().map(|m| mail(m, &members)).transpose()?;
    let reply_in_message_language = match p.reply_language.as_deref().map(str::trim) {
        None | Some("client") => false,
        Some("message") => true,
        Some(other) => {
            return Err(invalid(
                "practice.reply_language",
                format!("{other:?}: use client or message"),
            ));
        }
    };
    let digest_at = match p.digest_at.as_deref().map(str::trim) {
        None => frontdesk_core::DEFAULT_DIGEST_AT,
        Some(text) => parse_clock(text).ok_or_else(|| {
            invalid(
                "practice.digest_at",
                format!("{text:?}: use a time of day such as \"08:30\""),
            )
        })?,
    };
    let promise_approval = match &p.promise_approval {
        None => frontdesk_core::promise::NEEDS_APPROVAL.to_vec(),
        Some(kinds) => kinds
            .iter()
            .enumerate()
            .map(|(i, k)| {
                frontdesk_core::promise::Kind::parse(k).ok_or_else(|| {
                    invalid(
                        format!("practice.promise_approval[{i}]"),
                        format!(
                            "{k:?}: use refund, discount, earlier_date, senior_call, scope_change, delivery or callback"
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    let billing = file.billing.as_ref().map(seller).transpose()?;
    let settings = Settings {
        name: p.name.trim().to_string(),
        currency,
        billing,
        monthly_ratings: p.monthly_ratings.unwrap_or(false),
        language,
        default_terms,
        mail,
        reply_in_message_language,
        digest_at,
        promise_approval,
    };
    Ok(Practice::new(settings, members, absences, clients)?)
}

/// A time of day written "HH:MM".
fn parse_clock(text: &str) -> Option<jiff::civil::Time> {
    let (h, m) = text.split_once(':')?;
    if h.len() > 2 || m.len() != 2 {
        return None;
    }
    jiff::civil::Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

fn member(m: &MemberEntry, path: &str) -> Result<Member, FileError> {
    let handle = Handle::parse(&m.handle).map_err(at(format!("{path}.handle")))?;
    let mut days: [Vec<TimeRange>; 7] = Default::default();
    for (d, ranges) in m.hours.days().into_iter().enumerate() {
        for (j, r) in ranges.iter().flatten().enumerate() {
            let field = format!("{path}.hours.{}[{j}]", WEEKDAY_KEYS[d]);
            days[d].push(TimeRange::parse(r).map_err(at(field))?);
        }
    }
    let hours = WeeklyHours::new(days).map_err(|o| {
        invalid(
            format!("{path}.hours.{}", WEEKDAY_KEYS[o.day]),
            format!("\"{}\" overlaps \"{}\"", o.ranges.0, o.ranges.1),
        )
    })?;
    let mut holidays = BTreeSet::new();
    for (j, h) in m.holidays.iter().enumerate() {
        holidays.insert(date(h, &format!("{path}.holidays[{j}]"))?);
    }
    Ok(Member {
        handle,
        name: name(&m.name, &format!("{path}.name"))?,
        email: email(&m.email, &format!("{path}.email"))?,
        role: Role::parse(&m.role).map_err(at(format!("{path}.role")))?,
        zone: Zone::parse(&m.time_zone).map_err(at(format!("{path}.time_zone")))?,
        hours,
        holidays,
    })
}

fn absence(a: &AbsenceEntry, path: &str) -> Result<Absence, FileError> {
    Ok(Absence {
        member: Handle::parse(&a.member).map_err(at(format!("{path}.member")))?,
        from: date(&a.from, &format!("{path}.from"))?,
        until: date(&a.until, &format!("{path}.until"))?,
        cover: Handle::parse(&a.cover).map_err(at(format!("{path}.cover")))?,
    })
}

fn client(
    c: &ClientEntry,
    path: &str,
    practice_language: Language,
    defaults: &Terms,
    members: &[Member],
    currency: Currency,
) -> Result<Client, FileError> {
    let owner = Handle::parse(&c.owner).map_err(at(format!("{path}.owner")))?;
    let owner_zone = members.iter().find(|m| m.handle == owner).map(|m| &m.zone);
    let zone = match &c.time_zone {
        Some(z) => Zone::parse(z).map_err(at(format!("{path}.time_zone")))?,
        // Unknown owners are reported by Practice::new, with their path.
        None => owner_zone
            .cloned()
            .unwrap_or_else(|| Zone::parse("UTC").expect("UTC exists")),
    };
    let language = match &c.language {
        Some(l) => Language::parse(l).map_err(at(format!("{path}.language")))?,
        None => practice_language,
    };
    let mut domains = Vec::new();
    for (j, d) in c.domains.iter().enumerate() {
        domains.push(domain(d, &format!("{path}.domains[{j}]"))?);
    }
    let terms = match &c.terms {
        Some(t) => terms(t, defaults, &format!("{path}.terms"), true, currency)?,
        None => defaults.clone(),
    };
    let people = c
        .people
        .iter()
        .enumerate()
        .map(|(j, p)| person(p, &format!("{path}.people[{j}]")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Client {
        handle: Handle::parse(&c.handle).map_err(at(format!("{path}.handle")))?,
        name: name(&c.name, &format!("{path}.name"))?,
        owner,
        language,
        zone,
        domains,
        terms,
        people,
        legal: c
            .legal
            .as_ref()
            .map(|l| party(l, &format!("{path}.legal")))
            .transpose()?,
        goal: match &c.goal {
            None => None,
            Some(g) => Some(
                frontdesk_core::rating::check_goal(g)
                    .map_err(|e| invalid(format!("{path}.goal"), e.to_string()))?,
            ),
        },
    })
}

/// Terms written in the file, over `base` for what it leaves out.
fn terms(
    t: &TermsEntry,
    base: &Terms,
    path: &str,
    standing_call_allowed: bool,
    practice_currency: Currency,
) -> Result<Terms, FileError> {
    let adhoc_calls_per_week = match t.adhoc_calls_per_week {
        Some(n) if !(0..=1000).contains(&n) => {
            return Err(invalid(
                format!("{path}.adhoc_calls_per_week"),
                format!("{n} is not a number of calls from 0 to 1000"),
            ));
        }
        Some(n) => Some(n as u32),
        None => base.adhoc_calls_per_week,
    };
    let standing_call = match (&t.standing_call, standing_call_allowed) {
        (Some(s), true) => {
            let p = format!("{path}.standing_call");
            let rule = RRule::parse(&s.rrule).map_err(at(format!("{p}.rrule")))?;
            if rule.frequency() < frontdesk_core::Frequency::Daily {
                return Err(invalid(
                    format!("{p}.rrule"),
                    format!(
                        "{:?}: a standing call repeats at most daily (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)",
                        s.rrule
                    ),
                ));
            }
            let starts: DateTime = s.starts.parse().map_err(|_| {
                invalid(
                    format!("{p}.starts"),
                    format!(
                        "{:?} is not a local date-time such as \"2026-01-09T10:00\"",
                        s.starts
                    ),
                )
            })?;
            let starts = frontdesk_core::bounds::check_datetime(starts)
                .map_err(at(format!("{p}.starts")))?;
            if !(1..=24 * 60).contains(&s.minutes) {
                return Err(invalid(
                    format!("{p}.minutes"),
                    format!("{} is not a length from 1 to 1440 minutes", s.minutes),
                ));
            }
            Some(StandingCall {
                rule,
                starts,
                minutes: s.minutes as u32,
            })
        }
        _ => base.standing_call.clone(),
    };
    let response = response(t.response.as_ref(), &base.response, path)?;
    let pct = match t.after_hours_surcharge_pct {
        Some(n) if !(0..=1000).contains(&n) => {
            return Err(invalid(
                format!("{path}.after_hours_surcharge_pct"),
                format!("{n} is not a percentage from 0 to 1000"),
            ));
        }
        Some(n) => n as u32,
        None => base.after_hours_surcharge_pct,
    };
    let cancellation_notice = match &t.cancellation_notice {
        Some(v) => Some(Target::parse(v).map_err(at(format!("{path}.cancellation_notice")))?),
        None => base.cancellation_notice,
    };
    let booking = booking(t.booking.as_ref(), base.booking, path)?;
    let money = money(t.money.as_ref(), &base.money, path, practice_currency)?;
    Ok(Terms {
        adhoc_calls_per_week,
        standing_call,
        response,
        urgent_out_of_hours: t.urgent_out_of_hours.unwrap_or(base.urgent_out_of_hours),
        after_hours_surcharge_pct: pct,
        cancellation_notice,
        booking,
        money,
    })
}

/// The money terms written in the file, over `base`; amounts in the terms' currency.
fn money(
    m: Option<&MoneyEntry>,
    base: &Rates,
    path: &str,
    practice_currency: Currency,
) -> Result<Rates, FileError> {
    let Some(m) = m else {
        return Ok(base.clone());
    };
    let p = format!("{path}.money");
    let currency = match &m.currency {
        Some(c) => {
            Some(Currency::parse(c).map_err(|e| invalid(format!("{p}.currency"), e.to_string()))?)
        }
        None => base.currency,
    };
    let cur = currency.unwrap_or(practice_currency);
    let base_currency = base.currency.unwrap_or(practice_currency);
    // An amount of the defaults is in their currency: a client billed in another gives its own.
    let inherited = |key: &str| {
        invalid(
            format!("{p}.{key}"),
            format!(
                "the client is billed in {cur} and the default terms set this in {base_currency}: give it in {cur} here too"
            ),
        )
    };
    let amount = |value: &Option<String>, key: &str, base: Option<Decimal>| match value {
        Some(v) => cur
            .amount(v)
            .map(Some)
            .map_err(|e| invalid(format!("{p}.{key}"), e.to_string())),
        None if base.is_some() && cur != base_currency => Err(inherited(key)),
        None => Ok(base),
    };
    let fee = |value: &Option<String>, key: &str, base: Option<Fee>| match value.as_deref() {
        None if matches!(base, Some(Fee::Flat(_))) && cur != base_currency => Err(inherited(key)),
        Some("meeting") => Ok(Some(Fee::MeetingTime)),
        Some(v) => cur.amount(v).map(|a| Some(Fee::Flat(a))).map_err(|e| {
            invalid(
                format!("{p}.{key}"),
                format!("{e}; or \"meeting\" for the meeting's time at the hourly rate"),
            )
        }),
        None => Ok(base),
    };
    let minutes = |value: Option<i64>, key: &str, base: u32| match value {
        Some(n) if !(0..=1440).contains(&n) => Err(invalid(
            format!("{p}.{key}"),
            format!("{n} is not a number of minutes from 0 to 1440"),
        )),
        Some(n) => Ok(n as u32),
        None => Ok(base),
    };
    let vat = match m.vat.as_deref().map(str::trim) {
        None => match (&base.vat, &m.vat_note) {
            (Vat::Exempt(_), Some(n)) => Vat::Exempt(n.trim().to_string()),
            (Vat::ReverseCharge(_), Some(n)) => Vat::ReverseCharge(n.trim().to_string()),
            (v, _) => v.clone(),
        },
        Some("exempt") => Vat::Exempt(
            m.vat_note
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .ok_or_else(|| {
                    invalid(
                        format!("{p}.vat_note"),
                        "an exemption needs its legal note (the law that exempts the work), printed on every invoice",
                    )
                })?
                .to_string(),
        ),
        Some("reverse_charge") => Vat::ReverseCharge(
            m.vat_note
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .unwrap_or(frontdesk_core::billing::REVERSE_CHARGE_NOTE)
                .to_string(),
        ),
        Some(rate) => {
            let r = frontdesk_core::money::parse_decimal(rate)
                .ok()
                .filter(|r| *r <= Decimal::from(100) && r.scale() <= 2)
                .ok_or_else(|| {
                    invalid(
                        format!("{p}.vat"),
                        format!("{rate:?}: use a rate in percent from 0 to 100 (\"21\"), \"exempt\" or \"reverse_charge\""),
                    )
                })?;
            Vat::Rate(r)
        }
    };
    let payment_days = match m.payment_days {
        Some(n) if !(0..=365).contains(&n) => {
            return Err(invalid(
                format!("{p}.payment_days"),
                format!("{n} is not a number of days from 0 to 365"),
            ));
        }
        Some(n) => n as u32,
        None => base.payment_days,
    };
    let since = match &m.since {
        Some(v) => Some(date(v, &format!("{p}.since"))?),
        None => base.since,
    };
    Ok(Rates {
        currency,
        hourly: amount(&m.hourly_rate, "hourly_rate", base.hourly)?,
        daily: amount(&m.daily_rate, "daily_rate", base.daily)?,
        call_out: amount(&m.call_out_fee, "call_out_fee", base.call_out)?,
        no_show: fee(&m.no_show_fee, "no_show_fee", base.no_show)?,
        late_cancellation: fee(
            &m.late_cancellation_fee,
            "late_cancellation_fee",
            base.late_cancellation,
        )?,
        over_quota_call: amount(
            &m.over_quota_call_fee,
            "over_quota_call_fee",
            base.over_quota_call,
        )?,
        holding_per_day: amount(
            &m.holding_rate_per_day,
            "holding_rate_per_day",
            base.holding_per_day,
        )?,
        minimum_minutes: minutes(m.minimum_minutes, "minimum_minutes", base.minimum_minutes)?,
        rounding_minutes: minutes(
            m.rounding_minutes,
            "rounding_minutes",
            base.rounding_minutes,
        )?
        .max(1),
        vat,
        payment_days,
        since,
    })
}

/// A legal identity: a name, a country code, optional address lines, tax ID and e-mail.
fn party(l: &LegalEntry, path: &str) -> Result<Party, FileError> {
    let (name_text, address, tax_id, email_text) =
        (&l.name, &l.address, l.tax_id.as_deref(), l.email.as_deref());
    let country = l.country.trim();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(invalid(
            format!("{path}.country"),
            format!("{country:?} is not an ISO 3166 country code such as \"NL\" or \"ES\""),
        ));
    }
    for (i, line) in address.iter().enumerate() {
        if line.trim().is_empty() || line.len() > 200 {
            return Err(invalid(
                format!("{path}.address[{i}]"),
                format!("{line:?}: an address line has 1 to 200 characters"),
            ));
        }
    }
    let tax_id = match tax_id.map(str::trim) {
        Some(t)
            if t.is_empty()
                || t.len() > 40
                || !t
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-' || c == '.') =>
        {
            return Err(invalid(
                format!("{path}.tax_id"),
                format!("{t:?} is not a VAT or tax ID such as \"NL123456789B01\""),
            ));
        }
        t => t.map(str::to_string),
    };
    Ok(Party {
        name: name(name_text, &format!("{path}.name"))?,
        address: address.iter().map(|l| l.trim().to_string()).collect(),
        country: country.to_string(),
        tax_id,
        email: email_text
            .map(|e| email(e, &format!("{path}.email")))
            .transpose()?,
        city: text_field(l.city.as_deref(), &format!("{path}.city"), 100)?,
        postcode: text_field(l.postcode.as_deref(), &format!("{path}.postcode"), 20)?,
        province: match l.province.as_deref().map(str::trim) {
            Some(p) if p.len() != 2 || !p.bytes().all(|b| b.is_ascii_uppercase()) => {
                return Err(invalid(
                    format!("{path}.province"),
                    format!("{p:?} is not a province's two capital letters such as \"MI\""),
                ));
            }
            p => p.map(str::to_string),
        },
        sdi_code: match l.sdi_code.as_deref().map(str::trim) {
            Some(c) if c.len() != 7 || !c.bytes().all(|b| b.is_ascii_alphanumeric()) => {
                return Err(invalid(
                    format!("{path}.sdi_code"),
                    format!("{c:?} is not an SdI recipient code (7 letters and digits)"),
                ));
            }
            c => c.map(str::to_uppercase),
        },
    })
}

/// An optional text of at most `max` characters, not blank when given.
fn text_field(value: Option<&str>, path: &str, max: usize) -> Result<Option<String>, FileError> {
    match value.map(str::trim) {
        Some(v) if v.is_empty() || v.chars().count() > max => {
            Err(invalid(path, format!("{v:?}: give 1 to {max} characters")))
        }
        v => Ok(v.map(str::to_string)),
    }
}

/// `[billing]`: the practice's identity and numbering.
fn seller(b: &BillingEntry) -> Result<Seller, FileError> {
    let party = party(
        &LegalEntry {
            name: b.name.clone(),
            address: b.address.clone(),
            country: b.country.clone(),
            tax_id: b.tax_id.clone(),
            email: b.email.clone(),
            city: b.city.clone(),
            postcode: b.postcode.clone(),
            province: b.province.clone(),
            sdi_code: None,
        },
        "billing",
    )?;
    let tax_regime = match b.tax_regime.as_deref().map(str::trim) {
        None => "RF01".to_string(),
        Some(r)
            if r.len() == 4
                && r.starts_with("RF")
                && r[2..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            r.to_string()
        }
        Some(r) => {
            return Err(invalid(
                "billing.tax_regime",
                format!("{r:?} is not a FatturaPA tax regime such as \"RF01\""),
            ));
        }
    };
    let iban = match b.iban.as_deref() {
        Some(v) => {
            let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            if !iban_ok(&compact) {
                return Err(invalid(
                    "billing.iban",
                    format!("{v:?} is not an IBAN (its check digits do not match)"),
                ));
            }
            Some(compact)
        }
        None => None,
    };
    let prefix = b
        .invoice_prefix
        .clone()
        .unwrap_or_else(|| "INV-".to_string());
    if prefix.len() > 20 || prefix.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(
            "billing.invoice_prefix",
            format!("{prefix:?}: a prefix has at most 20 characters and no spaces"),
        ));
    }
    Ok(Seller {
        party,
        iban,
        bic: b.bic.as_deref().map(|v| v.trim().to_string()),
        prefix,
        yearly_reset: b.yearly_reset.unwrap_or(true),
        tax_regime,
    })
}

/// ISO 13616: two letters, two check digits, up to 30 letters and digits, mod 97 = 1.
fn iban_ok(v: &str) -> bool {
    if !(15..=34).contains(&v.len()) || !v.is_ascii() {
        return false;
    }
    let (head, tail) = v.split_at(4);
    if !head[..2].bytes().all(|b| b.is_ascii_uppercase())
        || !head[2..].bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let mut rem: u32 = 0;
    for c in tail.chars().chain(head.chars()) {
        let n = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return false,
        };
        rem = if n >= 10 {
            (rem * 100 + n) % 97
        } else {
            (rem * 10 + n) % 97
        };
    }
    rem == 1
}

/// The booking terms written in the file, over `base`.
fn booking(b: Option<&BookingEntry>, base: Booking, path: &str) -> Result<Booking, FileError> {
    let Some(b) = b else { return Ok(base) };
    let p = format!("{path}.booking");
    let number = |value: Option<i64>, key: &str, max: i64, base: u32| match value {
        Some(n) if !(1..=max).contains(&n) => Err(invalid(
            format!("{p}.{key}"),
            format!("{n} is not a number from 1 to {max}"),
        )),
        Some(n) => Ok(n as u32),
        None => Ok(base),
    };
    let minutes = number(b.minutes, "minutes", 24 * 60, base.minutes)?;
    let per_day = number(b.per_day, "per_day", 100, base.per_day)?;
    let notice = match &b.notice {
        Some(v) => Target::parse(v).map_err(at(format!("{p}.notice")))?,
        None => base.notice,
    };
    let buffer_minutes = match &b.buffer {
        Some(v) if v == "0m" || v == "0h" => 0,
        Some(v) => Target::parse(v)
            .map_err(at(format!("{p}.buffer")))?
            .minutes(),
        None => base.buffer_minutes,
    };
    let client_hours = match &b.client_hours {
        Some(v) => TimeRange::parse(v.trim()).map_err(at(format!("{p}.client_hours")))?,
        None => base.client_hours,
    };
    Ok(Booking {
        minutes,
        notice,
        buffer_minutes,
        per_day,
        client_hours,
    })
}

fn response(
    r: Option<&ResponseEntry>,
    base: &ResponseTargets,
    path: &str,
) -> Result<ResponseTargets, FileError> {
    let Some(r) = r else { return Ok(*base) };
    let one = |value: &Option<String>, key: &str, base: Target| match value {
        Some(v) => Target::parse(v).map_err(at(format!("{path}.response.{key}"))),
        None => Ok(base),
    };
    Ok(ResponseTargets {
        call: one(&r.call, "call", base.call)?,
        voicemail: one(&r.voicemail, "voicemail", base.voicemail)?,
        email: one(&r.email, "email", base.email)?,
        chat: one(&r.chat, "chat", base.chat)?,
        urgent: one(&r.urgent, "urgent", base.urgent)?,
    })
}

fn person(p: &PersonEntry, path: &str) -> Result<Person, FileError> {
    let phone = match &p.phone {
        Some(ph) => {
            let digits = ph.chars().filter(char::is_ascii_digit).count();
            let allowed = ph
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
            if !allowed || !(5..=20).contains(&digits) {
                return Err(invalid(
                    format!("{path}.phone"),
                    format!("{ph:?} is not a phone number such as \"+34600111222\""),
                ));
            }
            Some(ph.clone())
        }
        None => None,
    };
    Ok(Person {
        name: name(&p.name, &format!("{path}.name"))?,
        email: p
            .email
            .as_deref()
            .map(|e| email(e, &format!("{path}.email")))
            .transpose()?,
        phone,
    })
}

fn date(value: &str, path: &str) -> Result<Date, FileError> {
    frontdesk_core::bounds::date(value).map_err(at(path))
}

fn name(value: &str, path: &str) -> Result<String, FileError> {
    let trimmed = value.trim();
    if trimmed.is_empty() || trimmed.chars().any(char::is_control) {
        return Err(invalid(path, format!("{value:?} is not a name")));
    }
    Ok(trimmed.to_string())
}

fn mail(m: &MailEntry, members: &[Member]) -> Result<MailSettings, FileError> {
    let from = email(m.from.trim(), "mail.from")?;
    let s = &m.smtp;
    let smtp_host = host(&s.host, "mail.smtp.host")?;
    let smtp_port = port(s.port, "mail.smtp.port")?;
    let tls = TlsMode::parse(s.tls.trim()).map_err(at("mail.smtp.tls"))?;
    let password = secret(&s.password_env, &s.password_command, "mail.smtp")?;
    let user = s.user.as_deref().map(str::trim).filter(|u| !u.is_empty());
    if password.is_some() && tls == TlsMode::None {
        return Err(invalid(
            "mail.smtp.tls",
            "a password is sent only over TLS: use tls or starttls",
        ));
    }
    if password.is_some() != user.is_some() {
        return Err(invalid(
            "mail.smtp.user",
            "a user and a password go together (password_env or password_command)",
        ));
    }
    let auto_reply_every_days = match m.auto_reply_every_days {
        None => frontdesk_core::DEFAULT_AUTO_REPLY_EVERY_DAYS,
        Some(d) => u32::try_from(d)
            .ok()
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| {
                invalid(
                    "mail.auto_reply_every_days",
                    format!("{d} is not a number of days from 1 to 365"),
                )
            })?,
    };
    let mut mailboxes: Vec<Mailbox> = Vec::new();
    for (i, b) in m.mailboxes.iter().enumerate() {
        let path = format!("mail.mailboxes[{i}]");
        let name = b.name.trim();
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        {
            return Err(invalid(
                format!("{path}.name"),
                format!(
                    "{:?} is not a mailbox name (letters, digits, - _ .)",
                    b.name
                ),
            ));
        }
        if mailboxes.iter().any(|x| x.name == name) {
            return Err(invalid(
                format!("{path}.name"),
                format!("{name:?} names two mailboxes"),
            ));
        }
        let host = host(&b.host, &format!("{path}.host"))?;
        let tls = TlsMode::parse(b.tls.trim()).map_err(at(&format!("{path}.tls")))?;
        if tls == TlsMode::None && !frontdesk_core::is_loopback(&host) {
            return Err(invalid(
                format!("{path}.tls"),
                format!("the password goes to {host} only over TLS: use tls or starttls"),
            ));
        }
        let tls_ca_file = match b.tls_ca_file.as_deref().map(str::trim) {
            None => None,
            Some(f) if f.is_empty() || f.chars().any(char::is_control) => {
                return Err(invalid(
                    format!("{path}.tls_ca_file"),
                    format!("{f:?} is not a file name"),
                ));
            }
            Some(_) if tls == TlsMode::None => {
                return Err(invalid(
                    format!("{path}.tls_ca_file"),
                    "a certificate authority is for tls or starttls, not none",
                ));
            }
            Some(f) => Some(f.to_string()),
        };
        let user = b.user.trim();
        if user.is_empty() || user.chars().any(char::is_control) {
            return Err(invalid(
                format!("{path}.user"),
                format!("{:?} is not a user name", b.user),
            ));
        }
        let password = secret(&b.password_env, &b.password_command, &path)?.ok_or_else(|| {
            invalid(
                &path,
                "give password_env or password_command: the password never goes in the file",
            )
        })?;
        let auth = match &b.auth {
            None => ImapAuth::Login,
            Some(a) => ImapAuth::parse(a.trim()).map_err(at(&format!("{path}.auth")))?,
        };
        let folder = b.folder.as_deref().map(str::trim).unwrap_or("INBOX");
        if folder.is_empty() || folder.chars().any(|c| c.is_control() || c == '"') {
            return Err(invalid(
                format!("{path}.folder"),
                format!("{folder:?} is not a folder name"),
            ));
        }
        let member = match &b.member {
            None => None,
            Some(h) => {
                let h = Handle::parse(h.trim()).map_err(at(&format!("{path}.member")))?;
                if !members.iter().any(|m| m.handle == h) {
                    return Err(invalid(
                        format!("{path}.member"),
                        format!("{h} is not a member of the practice"),
                    ));
                }
                Some(h)
            }
        };
        mailboxes.push(Mailbox {
            name: name.to_string(),
            port: port(b.port, &format!("{path}.port"))?,
            host,
            tls,
            tls_ca_file,
            user: user.to_string(),
            password,
            auth,
            folder: folder.to_string(),
            member,
        });
    }
    let answers_from_member = match m.answers_from.as_deref().map(str::trim) {
        None | Some("practice") => false,
        Some("member") => true,
        Some(other) => {
            return Err(invalid(
                "mail.answers_from",
                format!("{other:?}: use practice or member"),
            ));
        }
    };
    Ok(MailSettings {
        from,
        mailboxes,
        answers_from_member,
        auto_reply_every_days,
        smtp: SmtpRelay {
            host: smtp_host,
            port: smtp_port,
            tls,
            user: user.map(str::to_string),
            password,
        },
    })
}

fn host(value: &str, path: &str) -> Result<String, FileError> {
    let host = value.trim();
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(path, format!("{value:?} is not a host name")));
    }
    Ok(host.to_string())
}

fn port(value: i64, path: &str) -> Result<u16, FileError> {
    u16::try_from(value)
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| invalid(path, format!("{value} is not a port (1 to 65535)")))
}

/// Where a password comes from: an environment variable or a command, never the file.
fn secret(
    env: &Option<String>,
    command: &Option<String>,
    path: &str,
) -> Result<Option<Secret>, FileError> {
    match (env, command) {
        (Some(_), Some(_)) => Err(invalid(
            format!("{path}.password_command"),
            "give password_env or password_command, not both",
        )),
        (Some(v), None) if !v.trim().is_empty() => Ok(Some(Secret::Env(v.trim().to_string()))),
        (None, Some(c)) if !c.trim().is_empty() => Ok(Some(Secret::Command(c.trim().to_string()))),
        (None, None) => Ok(None),
        _ => Err(invalid(path, "an empty password_env or password_command")),
    }
}

fn email(value: &str, path: &str) -> Result<String, FileError> {
    // One idea of an address for the practice file and the booking page.
    if !frontdesk_core::booking::is_address(value) {
        return Err(invalid(
            path,
            format!("{value:?} is not an email address such as \"ana@example.com\""),
        ));
    }
    Ok(value.to_string())
}

fn domain(value: &str, path: &str) -> Result<String, FileError> {
    let ok = value.contains('.')
        && value.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        });
    if !ok {
        return Err(invalid(
            path,
            format!("{value:?} is not a lowercase domain such as \"acme.example\""),
        ));
    }
    Ok(value.to_string())
}
