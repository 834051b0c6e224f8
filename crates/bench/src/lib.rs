//! Synthetic practices and contact streams for the benchmarks: deterministic, sized like the
//! issue's targets (50 members, 1,000 clients), and varied like a real week at the desk.

pub mod tone_training;
pub mod triage_training;

use std::fmt::Write;

use frontdesk_core::{Channel, Handle, Inbound, Practice};
use jiff::{SignedDuration, Timestamp};

const ZONES: [&str; 5] = [
    "Europe/Madrid",
    "Europe/Amsterdam",
    "America/New_York",
    "Europe/Moscow",
    "Europe/Rome",
];
const LANGUAGES: [&str; 5] = ["es", "nl", "en", "ru", "it"];

/// Messages of every kind, in the five languages: routine, urgent, empty, negated.
pub const BODIES: [Option<&str>; 12] = [
    Some("Hola, soy Marcos. Llámame."),
    Some("¿Podemos revisar el presupuesto del segundo trimestre el jueves?"),
    Some("Our server is down and customers cannot log in, please call me now"),
    Some("Could you send the signed contract when you have a moment? No rush."),
    Some("Сайт не открывается, клиенты не могут оплатить, срочно!"),
    Some("Добрый день, пришлите, пожалуйста, счёт за ноябрь"),
    Some("Buongiorno, sono Giulia, mi richiami per favore"),
    Some("Il server è giù da stamattina, è urgentissimo"),
    Some("Kunt u de offerte voor januari sturen? Het is niet dringend."),
    Some("De webshop ligt eruit sinds vanochtend!"),
    Some("No es urgente, pero quería comentar la factura de octubre"),
    None,
];

/// A practice file with `members` members and `clients` clients, spread over five zones.
pub fn practice_file(members: usize, clients: usize) -> String {
    let mut f = String::from(
        "[practice]\nname = \"Bench Practice\"\ncurrency = \"EUR\"\nlanguage = \"en\"\n",
    );
    for m in 0..members {
        let _ = write!(
            f,
            "\n[[members]]\nhandle = \"m{m}\"\nname = \"Member {m}\"\nemail = \"m{m}@bench.example\"\n\
             role = \"member\"\ntime_zone = \"{}\"\n\
             hours.mon = [\"09:00-13:00\", \"14:00-18:00\"]\nhours.tue = [\"09:00-13:00\", \"14:00-18:00\"]\n\
             hours.wed = [\"09:00-13:00\", \"14:00-18:00\"]\nhours.thu = [\"09:00-13:00\", \"14:00-18:00\"]\n\
             hours.fri = [\"09:00-14:00\"]\nholidays = [\"2026-12-08\", \"2026-12-25\"]\n",
            ZONES[m % ZONES.len()]
        );
    }
    for m in (0..members).step_by(10) {
        let _ = write!(
            f,
            "\n[[absences]]\nmember = \"m{m}\"\nfrom = \"2026-12-14\"\nuntil = \"2026-12-18\"\ncover = \"m{}\"\n",
            m + 1
        );
    }
    for c in 0..clients {
        let _ = write!(
            f,
            "\n[[clients]]\nhandle = \"c{c}\"\nname = \"Client {c}\"\nowner = \"m{}\"\nlanguage = \"{}\"\n\
             time_zone = \"{}\"\ndomains = [\"c{c}.example\"]\n[clients.terms]\nadhoc_calls_per_week = 2\n\
             standing_call = {{ rrule = \"FREQ=WEEKLY;BYDAY=FR\", starts = \"2026-01-09T10:00\", minutes = 30 }}\n\
             urgent_out_of_hours = {}\nafter_hours_surcharge_pct = 50\n",
            c % members,
            LANGUAGES[c % LANGUAGES.len()],
            ZONES[c % ZONES.len()],
            c % 3 == 0
        );
    }
    f
}

/// The practice of [`practice_file`], parsed.
pub fn practice(members: usize, clients: usize) -> Practice {
    frontdesk_practice::parse(&practice_file(members, clients)).expect("bench practice is valid")
}

/// `n` contacts over December 2026, every 7 minutes and 13 seconds, cycling through clients,
/// channels and bodies so that every rule of the engine is exercised.
pub fn contacts(clients: usize, n: usize) -> Vec<Inbound> {
    let start: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
    (0..n)
        .map(|i| Inbound {
            client: Handle::parse(&format!("c{}", (i * 7919) % clients)).unwrap(),
            channel: Channel::ALL[i % 4],
            from: format!("person{i}@example.com"),
            at: start + SignedDuration::from_secs(433 * (i % 6000) as i64),
            body: BODIES[i % BODIES.len()].map(str::to_string),
        })
        .collect()
}

/// `n` recurrence rules, the same on every call: DTSTART (local, `YYYYMMDDTHHMMSS`) and the
/// RRULE, a mix of what people put in calendars — weekly standing calls, every other week,
/// monthly on the n-th weekday or the last working day, quarterly, yearly, daily stand-ups.
pub fn recurrence_rules(n: usize) -> Vec<(String, String)> {
    const DAYS: [&str; 5] = ["MO", "TU", "WE", "TH", "FR"];
    (0..n)
        .map(|i| {
            let day = DAYS[i % 5];
            let other = DAYS[(i / 5 + 2) % 5];
            let rule = match i % 10 {
                0 => format!("FREQ=WEEKLY;BYDAY={day}"),
                1 => format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={day},{other}"),
                2 => format!("FREQ=MONTHLY;BYDAY={}{day}", i % 4 + 1),
                3 => "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1".to_string(),
                4 => "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR".to_string(),
                5 => format!("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY={}", i % 28 + 1),
                6 => format!("FREQ=YEARLY;BYMONTH={};BYDAY=-1{day}", i % 12 + 1),
                7 => format!("FREQ=WEEKLY;BYDAY={day};COUNT={}", 10 + i % 40),
                8 => "FREQ=MONTHLY;BYMONTHDAY=-1".to_string(),
                _ => format!("FREQ=DAILY;INTERVAL={}", i % 6 + 2),
            };
            let start = format!(
                "2025{:02}{:02}T{:02}{:02}00",
                i % 12 + 1,
                i % 28 + 1,
                8 + i % 10,
                (i % 4) * 15
            );
            (start, rule)
        })
        .collect()
}
