//! Auto-replies: what the client is told, in their language, with times in their zone.
//!
//! The texts are Fluent files under `crates/core/locales/`, one per language; this module only
//! chooses a message and fills in names and formatted times. Dates are formatted from the same
//! files (`weekday-N`, `month-N`, `datetime`, `date`) so word order and grammatical case stay
//! with the translation.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::{Language, Zone};

/// A text for the client, in their language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// The language it is written in.
    pub language: Language,
    /// The text.
    pub text: String,
}

/// Which reply to send, with what it mentions.
#[derive(Clone, Debug)]
pub(crate) enum ReplyKind<'a> {
    Hold {
        assignee: &'a str,
        due: Timestamp,
    },
    HoldUrgent {
        assignee: &'a str,
        due: Timestamp,
    },
    Defer {
        call: Timestamp,
    },
    Cover {
        owner: &'a str,
        until: Date,
        cover: &'a str,
        cover_email: &'a str,
        due: Timestamp,
    },
    AskTopic {
        due: Timestamp,
    },
    Urgent {
        assignee: &'a str,
    },
}

/// Renders a reply in `language`, showing instants in `zone`.
pub(crate) fn render(kind: &ReplyKind<'_>, language: Language, zone: &Zone) -> Reply {
    let texts = Texts::of(language);
    let mut args = FluentArgs::new();
    let id = match kind {
        ReplyKind::Hold { assignee, due } => {
            args.set("assignee", *assignee);
            args.set("due", texts.datetime(*due, zone));
            "reply-hold"
        }
        ReplyKind::HoldUrgent { assignee, due } => {
            args.set("assignee", *assignee);
            args.set("due", texts.datetime(*due, zone));
            "reply-hold-urgent"
        }
        ReplyKind::Defer { call } => {
            args.set("call", texts.datetime(*call, zone));
            "reply-defer"
        }
        ReplyKind::Cover {
            owner,
            until,
            cover,
            cover_email,
            due,
        } => {
            args.set("owner", *owner);
            args.set("until", texts.date(*until));
            args.set("cover", *cover);
            args.set("cover_email", *cover_email);
            args.set("due", texts.datetime(*due, zone));
            "reply-cover"
        }
        ReplyKind::AskTopic { due } => {
            args.set("due", texts.datetime(*due, zone));
            "reply-ask-topic"
        }
        ReplyKind::Urgent { assignee } => {
            args.set("assignee", *assignee);
            "reply-urgent"
        }
    };
    Reply {
        language,
        text: texts.format(id, &args),
    }
}

/// Message `id` of the language's file with `args` filled in; instants among the args are
/// formatted by the caller with [`datetime`].
pub(crate) fn message(language: Language, id: &str, args: &[(&str, String)]) -> String {
    let mut fluent = FluentArgs::new();
    for (k, v) in args {
        // Whole numbers as numbers, so that plural forms select ("1 complaint", "2 complaints");
        // not "+34…" nor "0007": those are text that happens to be digits.
        match v.parse::<i64>() {
            Ok(n) if !(v.starts_with('+') || (v.starts_with('0') && v.len() > 1)) => {
                fluent.set(*k, n)
            }
            _ => fluent.set(*k, v.clone()),
        }
    }
    Texts::of(language).format(id, &fluent)
}

/// A date as a person of `language` reads it: "Monday 7 December".
pub(crate) fn date(language: Language, date: Date) -> String {
    Texts::of(language).date(date)
}

/// An instant as a person of `language` reads it, in `zone`: "Monday 7 December at 09:00".
pub(crate) fn datetime(language: Language, at: Timestamp, zone: &Zone) -> String {
    Texts::of(language).datetime(at, zone)
}

struct Texts {
    bundle: FluentBundle<FluentResource>,
}

impl Texts {
    fn of(language: Language) -> &'static Texts {
        static ALL: OnceLock<Vec<Texts>> = OnceLock::new();
        let all = ALL.get_or_init(|| Language::ALL.iter().map(|&l| Texts::load(l)).collect());
        &all[Language::ALL.iter().position(|l| *l == language).unwrap()]
    }

    fn load(language: Language) -> Texts {
        let source = match language {
            Language::En => include_str!("../locales/en.ftl"),
            Language::Es => include_str!("../locales/es.ftl"),
            Language::Ru => include_str!("../locales/ru.ftl"),
            Language::It => include_str!("../locales/it.ftl"),
            Language::Nl => include_str!("../locales/nl.ftl"),
        };
        let resource = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, e)| panic!("reply texts for {language} do not parse: {e:?}"));
        let id: unic_langid::LanguageIdentifier = language.code().parse().unwrap();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        bundle.set_use_isolating(false);
        bundle
            .add_resource(resource)
            .unwrap_or_else(|e| panic!("reply texts for {language} repeat a message: {e:?}"));
        Texts { bundle }
    }

    fn format(&self, id: &str, args: &FluentArgs<'_>) -> String {
        let pattern = self
            .bundle
            .get_message(id)
            .and_then(|m| m.value())
            .unwrap_or_else(|| panic!("reply text {id} is missing"));
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, Some(args), &mut errors);
        debug_assert!(errors.is_empty(), "{id}: {errors:?}");
        text.into_owned()
    }

    fn date_args(&self, date: Date) -> FluentArgs<'static> {
        let mut args = FluentArgs::new();
        let weekday = date.weekday().to_monday_one_offset();
        args.set(
            "weekday",
            self.format(&format!("weekday-{weekday}"), &FluentArgs::new()),
        );
        args.set("day", date.day().to_string());
        args.set(
            "month",
            self.format(&format!("month-{}", date.month()), &FluentArgs::new()),
        );
        args.set("year", date.year().to_string());
        args
    }

    fn date(&self, date: Date) -> String {
        self.format("date", &self.date_args(date))
    }

    fn datetime(&self, at: Timestamp, zone: &Zone) -> String {
        let local = at.to_zoned_datetime(zone.tz().clone());
        let mut args = self.date_args(local.date());
        args.set("time", format!("{:02}:{:02}", local.hour(), local.minute()));
        self.format("datetime", &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message id each language file must define.
    const MESSAGE_IDS: &[&str] = &[
        "reply-hold",
        "reply-hold-urgent",
        "reply-defer",
        "reply-cover",
        "reply-ask-topic",
        "reply-urgent",
        "subject-reply",
        "notice-due-soon-subject",
        "notice-due-soon",
        "notice-overdue-subject",
        "notice-overdue",
        "channel-call",
        "channel-voicemail",
        "channel-email",
        "channel-chat",
        "datetime",
        "date",
        "booking-title",
        "booking-confirmed-subject",
        "booking-confirmed",
        "booking-moved-subject",
        "booking-moved",
        "booking-cancelled-subject",
        "booking-cancelled",
        "booking-manage",
        "brief-reminder-subject",
        "brief-reminder",
        "brief-missing-subject",
        "brief-missing",
        "brief-state-none",
        "brief-state-waiting",
        "brief-state-question",
        "absence-notice-subject",
        "absence-notice",
        "return-report-subject",
        "return-report",
        "return-report-line",
        "return-report-called",
        "return-report-not-called",
    ];

    #[test]
    fn counts_take_their_plural_forms_and_digit_texts_stay_text() {
        let m = |l: Language, c: &str, d: &str| {
            message(
                l,
                "risk-complaints",
                &[("count", c.into()), ("days", d.into())],
            )
        };
        assert_eq!(m(Language::En, "1", "1"), "1 complaint in 1 day");
        assert_eq!(m(Language::En, "3", "14"), "3 complaints in 14 days");
        assert_eq!(m(Language::Es, "1", "14"), "1 queja en 14 días");
        assert_eq!(m(Language::Nl, "2", "1"), "2 klachten in 1 dag");
        assert_eq!(
            message(Language::En, "risk-leaving", &[("days", "0".into())]),
            "talked of leaving today"
        );
        assert_eq!(
            message(Language::En, "invoice-title", &[("number", "0007".into())]),
            "Invoice 0007"
        );
    }

    #[test]
    fn every_language_has_every_message_and_date_word() {
        for l in Language::ALL {
            let texts = Texts::of(l);
            let mut ids: Vec<String> = MESSAGE_IDS.iter().map(|s| s.to_string()).collect();
            ids.extend((1..=7).map(|n| format!("weekday-{n}")));
            ids.extend((1..=12).map(|n| format!("month-{n}")));
            for id in ids {
                assert!(texts.bundle.get_message(&id).is_some(), "{l}: {id} missing");
            }
        }
    }

    #[test]
    fn times_are_shown_in_the_clients_zone_and_language() {
        let due: Timestamp = "2026-12-07T08:00:00Z".parse().unwrap();
        let madrid = Zone::parse("Europe/Madrid").unwrap();
        let reply = render(&ReplyKind::AskTopic { due }, Language::Es, &madrid);
        assert!(reply.text.contains("7 de diciembre"), "{}", reply.text);
        assert!(reply.text.contains("09:00"), "{}", reply.text);
        let ny = Zone::parse("America/New_York").unwrap();
        let reply = render(&ReplyKind::AskTopic { due }, Language::En, &ny);
        assert!(reply.text.contains("03:00"), "{}", reply.text);
    }
}
