//! The UI's words: Fluent messages per language (`crates/web/locales/*.ftl`), the reader's
//! language from their preference or the browser's, and localized dates.

use std::sync::OnceLock;

use axum::http::{HeaderMap, header};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use frontdesk_core::Language;
use jiff::Timestamp;

// ---- languages ------------------------------------------------------------------------------

const UI_SOURCES: [(Language, &str); 5] = [
    (Language::En, include_str!("../locales/en.ftl")),
    (Language::Es, include_str!("../locales/es.ftl")),
    (Language::Ru, include_str!("../locales/ru.ftl")),
    (Language::It, include_str!("../locales/it.ftl")),
    (Language::Nl, include_str!("../locales/nl.ftl")),
];

fn bundles() -> &'static Vec<(Language, FluentBundle<FluentResource>)> {
    static B: OnceLock<Vec<(Language, FluentBundle<FluentResource>)>> = OnceLock::new();
    B.get_or_init(|| {
        UI_SOURCES
            .iter()
            .map(|(lang, src)| {
                let res = FluentResource::try_new(src.to_string())
                    .unwrap_or_else(|(_, e)| panic!("{lang} UI messages: {e:?}"));
                let id: unic_langid::LanguageIdentifier = lang.code().parse().expect("language id");
                let mut b = FluentBundle::new_concurrent(vec![id]);
                b.set_use_isolating(false);
                b.add_resource(res).expect("no duplicate UI messages");
                (*lang, b)
            })
            .collect()
    })
}

/// The message ids of one language's UI file, for the test that every language has them all.
pub fn message_ids(lang: Language) -> Vec<String> {
    let src = UI_SOURCES
        .iter()
        .find(|(l, _)| *l == lang)
        .expect("known")
        .1;
    src.lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
        .filter(|k| !k.starts_with('#') && !k.is_empty())
        .collect()
}

/// The UI in one language.
#[derive(Clone, Copy)]
pub struct T(pub Language);

impl T {
    pub fn get(&self, key: &str) -> String {
        self.args(key, &[])
    }

    /// An instant in a member's zone, in this language's way: "mar 01/12/2026 10:05 CET".
    pub fn time(
        &self,
        practice: &frontdesk_core::Practice,
        member: &frontdesk_core::Handle,
        at: Timestamp,
    ) -> String {
        match practice.member(member) {
            Some(m) => self.local(&at.to_zoned_datetime(m.zone.tz().clone()), "%H:%M %Z"),
            None => at.to_string(),
        }
    }

    /// An instant in a named zone, in this language's way, with the zone: "mar 01/12/2026 10:05
    /// (Europe/Madrid)".
    pub fn time_in(&self, at: Timestamp, zone: &str) -> String {
        match jiff::tz::TimeZone::get(zone) {
            Ok(tz) => format!(
                "{} ({zone})",
                self.local(&at.to_zoned_datetime(tz), "%H:%M")
            ),
            Err(_) => at.to_string(),
        }
    }

    /// The weekday and date in this language's way, then the time as `clock` formats it.
    fn local(&self, z: &jiff::ZonedDateTime, clock: &str) -> String {
        let day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            [usize::try_from(z.weekday().to_monday_zero_offset()).unwrap_or(0)];
        format!(
            "{} {} {}",
            self.get(&format!("weekday-{day}")),
            z.strftime(&self.get("date-format")),
            z.strftime(clock)
        )
    }

    /// What the desk decided, in words: "Held until working hours".
    pub fn verdict(&self, v: frontdesk_core::Verdict) -> String {
        self.get(&format!("verdict-{}", v.as_str()))
    }

    /// A flag in words: "after hours".
    pub fn flag(&self, f: frontdesk_core::Flag) -> String {
        self.get(&format!("flag-{}", f.as_str()))
    }

    /// How a contact arrived, in words: "voicemail".
    pub fn channel(&self, c: frontdesk_core::Channel) -> String {
        self.get(&format!("via-{}", c.as_str()))
    }

    /// A day as a client reads it: its weekday in this language and the date, "viernes
    /// 2026-12-04".
    pub fn day(&self, date: jiff::civil::Date) -> String {
        format!(
            "{} {date}",
            self.get(&format!("weekday-long-{}", weekday_key(date.weekday())))
        )
    }

    /// A zone as people read it: its city and its offset from UTC at `at`, "New York
    /// (UTC−05:00)".
    pub fn zone(&self, zone: &frontdesk_core::Zone, at: jiff::Timestamp) -> String {
        zone.label(at)
    }

    /// A standing call in words: "Every 2 weeks: Friday, 10:00 (30 min)"; the rule as written
    /// when it has no simple shape.
    pub fn standing_call(&self, s: &frontdesk_core::StandingCall) -> String {
        use frontdesk_core::Simple;
        let day = |d: jiff::civil::Weekday| self.get(&format!("weekday-long-{}", weekday_key(d)));
        let time = s.starts.time().strftime("%H:%M").to_string();
        let minutes = s.minutes.to_string();
        match s.rule.simple() {
            Some(Simple::Weekly { interval, days }) => self.args(
                "standing-weekly",
                &[
                    ("interval", interval.to_string()),
                    (
                        "days",
                        days.into_iter().map(day).collect::<Vec<_>>().join(", "),
                    ),
                    ("time", time),
                    ("minutes", minutes),
                ],
            ),
            Some(Simple::Monthly {
                interval,
                nth,
                day: d,
            }) => self.args(
                "standing-monthly",
                &[
                    ("interval", interval.to_string()),
                    ("nth", nth.to_string()),
                    ("day", day(d)),
                    ("time", time),
                    ("minutes", minutes),
                ],
            ),
            None => format!("{} ({} min, {})", s.rule, s.minutes, s.starts),
        }
    }

    /// A decision's reason in this language.
    pub fn reason(&self, r: &frontdesk_core::Reason) -> String {
        use frontdesk_core::Reason as R;
        let s = |v: &str| v.to_string();
        match r {
            R::Covering {
                owner,
                from,
                until,
                cover,
            } => self.args(
                "reason-covering",
                &[
                    ("owner", s(owner)),
                    ("from", from.to_string()),
                    ("until", until.to_string()),
                    ("cover", s(cover)),
                ],
            ),
            R::NotHandedOver { owner, cover } => self.args(
                "reason-not-handed-over",
                &[("owner", s(owner)), ("cover", s(cover))],
            ),
            R::ReadsAs { evidence, .. } => {
                let what: Vec<String> = r.tone_keys().iter().map(|k| self.get(k)).collect();
                let and = format!(" {} ", self.get("tone-and"));
                self.args(
                    "reason-reads-as",
                    &[("what", what.join(&and)), ("evidence", evidence.join(", "))],
                )
            }
            R::ReadsUrgent { evidence } => {
                self.args("reason-urgent", &[("evidence", evidence.join(", "))])
            }
            R::UrgentNow { at, zone, member } => self.args(
                "reason-urgent-now",
                &[("when", self.time_in(*at, zone)), ("member", s(member))],
            ),
            R::UrgentAfterHours {
                at,
                zone,
                member,
                surcharge_pct,
            } => self.args(
                "reason-urgent-after-hours",
                &[
                    ("when", self.time_in(*at, zone)),
                    ("member", s(member)),
                    ("pct", surcharge_pct.to_string()),
                ],
            ),
            R::UrgentHeld { at, zone, member } => self.args(
                "reason-urgent-held",
                &[("when", self.time_in(*at, zone)), ("member", s(member))],
            ),
            R::OutOfHours {
                at,
                zone,
                member,
                target,
            } => self.args(
                "reason-out-of-hours",
                &[
                    ("when", self.time_in(*at, zone)),
                    ("member", s(member)),
                    ("target", s(target)),
                ],
            ),
            R::NoContent => self.get("reason-no-content"),
            R::OverAllowance { call, allowance } => self.args(
                "reason-over-allowance",
                &[
                    ("call", call.to_string()),
                    ("allowance", allowance.to_string()),
                ],
            ),
            R::StandingCallTakes { at, zone } => {
                self.args("reason-standing-call", &[("when", self.time_in(*at, zone))])
            }
            R::NoStandingCall => self.get("reason-no-standing-call"),
            R::InHours {
                at,
                zone,
                member,
                target,
            } => self.args(
                "reason-in-hours",
                &[
                    ("when", self.time_in(*at, zone)),
                    ("member", s(member)),
                    ("target", s(target)),
                ],
            ),
            R::NoWorkingTime { member } => {
                self.args("reason-no-working-time", &[("member", s(member))])
            }
        }
    }

    /// A refusal from the practice file's rules in the reader's words: the field's path
    /// (`members[0].time_zone: …`) becomes the field's label (`Time zone: …`); the rest —
    /// which quotes the value — is kept.
    pub fn field_error(&self, message: &str) -> String {
        let Some((path, rest)) = message.split_once(": ") else {
            return message.to_string();
        };
        let is_path = !path.is_empty()
            && path
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.[]".contains(c));
        if !is_path {
            return message.to_string();
        }
        // The most precise label there is: `terms.response.email` before `email`.
        let segments: Vec<&str> = path
            .split('.')
            .map(|s| s.split('[').next().unwrap_or(s))
            .collect();
        let rest = self.invalid_value(rest).unwrap_or_else(|| rest.to_string());
        for n in (1..=segments.len().min(3)).rev() {
            let key = format!("field-{}", segments[segments.len() - n..].join("-"));
            if self.has(&key) {
                return format!("{}: {rest}", self.get(&key));
            }
        }
        format!("{path}: {rest}")
    }

    /// A parser's "invalid time zone \"X\": …" or "\"X\" is not an email address …" in the
    /// reader's words, with the value quoted; None for other refusals.
    fn invalid_value(&self, rest: &str) -> Option<String> {
        const KINDS: [&str; 8] = [
            "time zone",
            "time range",
            "date",
            "duration",
            "language",
            "role",
            "handle",
            "email",
        ];
        let (kind, value) = match rest.strip_prefix("invalid ") {
            Some(r) => {
                let kind = KINDS
                    .iter()
                    .find(|k| r.strip_prefix(**k).is_some_and(|a| a.starts_with(" \"")))?;
                (kind.replace(' ', "-"), quoted(&r[kind.len() + 1..])?.0)
            }
            None => {
                let (value, after) = quoted(rest)?;
                if after.starts_with(" is not an email address") {
                    ("email".to_string(), value)
                } else if after.starts_with(" is not a whole number") {
                    ("number".to_string(), value)
                } else {
                    return None;
                }
            }
        };
        Some(self.args(&format!("invalid-{kind}"), &[("value", value)]))
    }

    /// Whether the language has the message.
    pub fn has(&self, key: &str) -> bool {
        bundles()
            .iter()
            .any(|(l, b)| *l == self.0 && b.get_message(key).is_some_and(|m| m.value().is_some()))
    }

    pub fn args(&self, key: &str, args: &[(&str, String)]) -> String {
        let (_, b) = bundles()
            .iter()
            .find(|(l, _)| *l == self.0)
            .expect("every language has a bundle");
        let Some(msg) = b.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            // Whole numbers as numbers, so that selectors ([1], [-1], plural forms) match.
            match v.parse::<i64>() {
                // Not "+34…" nor "007": those are text that happens to be digits.
                Ok(n) if !(v.starts_with('+') || (v.starts_with('0') && v.len() > 1)) => {
                    fa.set(*k, n)
                }
                _ => fa.set(*k, v.clone()),
            }
        }
        let mut errors = Vec::new();
        b.format_pattern(msg, Some(&fa), &mut errors).into_owned()
    }
}

/// The member's preference, else the browser's Accept-Language, else English.
pub(crate) fn language(headers: &HeaderMap, preference: Option<&str>) -> Language {
    if let Some(l) = preference.and_then(|p| Language::parse(p).ok()) {
        return l;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut choices: Vec<(f32, Language)> = accept
        .split(',')
        .filter_map(|part| {
            let mut it = part.trim().split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok()))
                .unwrap_or(1.0);
            let primary = tag.split('-').next()?.to_ascii_lowercase();
            Language::parse(&primary).ok().map(|l| (q, l))
        })
        .collect();
    choices.sort_by(|a, b| b.0.total_cmp(&a.0));
    choices.first().map_or(Language::En, |(_, l)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn every_ui_message_exists_in_every_language() {
        let english = message_ids(Language::En);
        assert!(english.len() > 30);
        for lang in Language::ALL {
            let ids = message_ids(lang);
            for id in &english {
                assert!(ids.contains(id), "{lang} lacks {id}");
                assert!(T(lang).has(id), "{lang} {id} does not parse");
                assert!(!T(lang).get(id).trim().is_empty(), "{lang} {id} is empty");
            }
            assert_eq!(
                ids.len(),
                english.len(),
                "{lang} has messages English lacks"
            );
        }
    }

    #[test]
    fn the_browsers_language_is_chosen_by_weight() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(v).unwrap());
            language(&m, None)
        };
        assert_eq!(h("nl;q=0.5, it;q=0.9"), Language::It);
        assert_eq!(h("de, es-MX;q=0.7"), Language::Es);
        assert_eq!(h("de"), Language::En);
        assert_eq!(language(&HeaderMap::new(), Some("ru")), Language::Ru);
    }
}

/// The key of a weekday in the message files: `mon` … `sun`.
/// The value at the start of `s` quoted as Rust's Debug writes it, and what follows it.
fn quoted(s: &str) -> Option<(String, &str)> {
    let mut chars = s.strip_prefix('"')?.char_indices();
    let mut value = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            // `i` counts from after the opening quote: the closing one is at i + 1.
            '"' => return Some((value, &s[i + 2..])),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

pub(crate) fn weekday_key(d: jiff::civil::Weekday) -> &'static str {
    use jiff::civil::Weekday as W;
    match d {
        W::Monday => "mon",
        W::Tuesday => "tue",
        W::Wednesday => "wed",
        W::Thursday => "thu",
        W::Friday => "fri",
        W::Saturday => "sat",
        W::Sunday => "sun",
    }
}

#[cfg(test)]
mod standing_call_tests {
    use super::*;

    fn call(rule: &str) -> frontdesk_core::StandingCall {
        frontdesk_core::StandingCall {
            rule: frontdesk_core::RRule::parse(rule).unwrap(),
            starts: "2026-12-04T10:00".parse().unwrap(),
            minutes: 30,
        }
    }

    #[test]
    fn standing_calls_read_as_people_say_them_in_each_language() {
        let en = T(Language::En);
        assert_eq!(
            en.standing_call(&call("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")),
            "Every 2 weeks: Monday, 10:00 (30 min)"
        );
        assert_eq!(
            en.standing_call(&call("FREQ=MONTHLY;BYDAY=-1FR")),
            "Monthly: Friday, last week of the month, 10:00 (30 min)"
        );
        assert_eq!(
            T(Language::Es).standing_call(&call("FREQ=WEEKLY;BYDAY=FR")),
            "Semanal: viernes, 10:00 (30 min)"
        );
        assert_eq!(
            T(Language::Ru).standing_call(&call("FREQ=MONTHLY;BYDAY=-1FR")),
            "Ежемесячно: пятница, последняя неделя месяца, 10:00 (30 мин)"
        );
        // A rule with no simple shape is shown as written.
        assert!(
            en.standing_call(&call("FREQ=DAILY;BYHOUR=9,15"))
                .starts_with("FREQ=DAILY")
        );
    }
}

#[cfg(test)]
mod field_error_tests {
    use super::*;

    #[test]
    fn refusals_name_the_field_and_the_value_in_the_readers_words() {
        let es = T(Language::Es);
        assert_eq!(
            es.field_error(
                "members[0].time_zone: invalid time zone \"Europa/Madrid\": not in the IANA time zone database; use a name such as \"Europe/Madrid\""
            ),
            "Zona horaria: «Europa/Madrid» no es una zona horaria: escriba un nombre como Europe/Madrid o America/New_York."
        );
        let ru = T(Language::Ru);
        assert_eq!(
            ru.field_error("members[1].hours.mon: invalid time range \"9-12\": write HH:MM-HH:MM"),
            "Часы в понедельник: «9-12» — не интервал времени: пишите так: 09:00-13:00."
        );
        let en = T(Language::En);
        assert_eq!(
            en.field_error(
                "clients[0].people[2].email: \"marcos@\" is not an email address such as \"ana@example.com\""
            ),
            "E-mail: “marcos@” is not an e-mail address such as ana@example.com."
        );
        // A value with a quote in it is read whole.
        assert_eq!(
            en.field_error(
                "clients[0].terms.adhoc_calls_per_week: \"a \\\"few\\\"\" is not a whole number"
            ),
            "Ad-hoc calls a week: “a \"few\"” is not a whole number."
        );
        // Other refusals keep their words, with the field named.
        assert_eq!(
            en.field_error("clients.handle: \"acme\" is a client already"),
            "Handle: \"acme\" is a client already"
        );
        // Not a path: left as it is.
        assert_eq!(
            en.field_error("the practice changed"),
            "the practice changed"
        );
    }
}
