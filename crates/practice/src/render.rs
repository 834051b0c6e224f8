//! From a [`Practice`] back to a practice file.

use std::fmt::Write;

use frontdesk_core::{Practice, Terms, WEEKDAY_KEYS};

/// Prints the practice as a practice file. Client terms are written out in full, so the file
/// means the same whatever the defaults are.
pub fn render(practice: &Practice) -> String {
    let mut out = String::new();
    let s = practice.settings();
    let _ = writeln!(out, "[practice]");
    let _ = writeln!(out, "name = {}", quote(&s.name));
    let _ = writeln!(out, "currency = {}", quote(s.currency.code()));
    let _ = writeln!(out, "language = {}", quote(s.language.code()));
    if s.reply_in_message_language {
        let _ = writeln!(out, "reply_language = \"message\"");
    }
    if s.promise_approval != frontdesk_core::promise::NEEDS_APPROVAL {
        let kinds: Vec<String> = s
            .promise_approval
            .iter()
            .map(|k| quote(k.as_str()))
            .collect();
        let _ = writeln!(out, "promise_approval = [{}]", kinds.join(", "));
    }
    if s.monthly_ratings {
        let _ = writeln!(out, "monthly_ratings = true");
    }
    if s.digest_at != frontdesk_core::DEFAULT_DIGEST_AT {
        let _ = writeln!(out, "digest_at = \"{}\"", s.digest_at.strftime("%H:%M"));
    }
    if let Some(b) = &s.billing {
        out.push_str("\n[billing]\n");
        party(&mut out, &b.party, "\n");
        if let Some(v) = &b.iban {
            let _ = writeln!(out, "iban = {}", quote(v));
        }
        if let Some(v) = &b.bic {
            let _ = writeln!(out, "bic = {}", quote(v));
        }
        let _ = writeln!(out, "invoice_prefix = {}", quote(&b.prefix));
        let _ = writeln!(out, "yearly_reset = {}", b.yearly_reset);
        if b.tax_regime != "RF01" {
            let _ = writeln!(out, "tax_regime = {}", quote(&b.tax_regime));
        }
    }
    out.push_str("\n[default_terms]\n");
    terms(&mut out, &s.default_terms);
    if let Some(m) = &s.mail {
        out.push_str("\n[mail]\n");
        let _ = writeln!(out, "from = {}", quote(&m.from));
        let _ = writeln!(out, "auto_reply_every_days = {}", m.auto_reply_every_days);
        if m.answers_from_member {
            let _ = writeln!(out, "answers_from = \"member\"");
        }
        let r = &m.smtp;
        let mut smtp = format!(
            "smtp = {{ host = {}, port = {}, tls = {}",
            quote(&r.host),
            r.port,
            quote(r.tls.as_str())
        );
        if let Some(u) = &r.user {
            let _ = write!(smtp, ", user = {}", quote(u));
        }
        match &r.password {
            Some(frontdesk_core::Secret::Env(v)) => {
                let _ = write!(smtp, ", password_env = {}", quote(v));
            }
            Some(frontdesk_core::Secret::Command(c)) => {
                let _ = write!(smtp, ", password_command = {}", quote(c));
            }
            None => {}
        }
        let _ = writeln!(out, "{smtp} }}");
        for b in &m.mailboxes {
            out.push_str("\n[[mail.mailboxes]]\n");
            let _ = writeln!(out, "name = {}", quote(&b.name));
            let _ = writeln!(out, "host = {}", quote(&b.host));
            let _ = writeln!(out, "port = {}", b.port);
            let _ = writeln!(out, "tls = {}", quote(b.tls.as_str()));
            if let Some(f) = &b.tls_ca_file {
                let _ = writeln!(out, "tls_ca_file = {}", quote(f));
            }
            let _ = writeln!(out, "user = {}", quote(&b.user));
            match &b.password {
                frontdesk_core::Secret::Env(v) => {
                    let _ = writeln!(out, "password_env = {}", quote(v));
                }
                frontdesk_core::Secret::Command(c) => {
                    let _ = writeln!(out, "password_command = {}", quote(c));
                }
            }
            let _ = writeln!(out, "auth = {}", quote(b.auth.as_str()));
            let _ = writeln!(out, "folder = {}", quote(&b.folder));
            if let Some(h) = &b.member {
                let _ = writeln!(out, "member = {}", quote(h.as_str()));
            }
        }
    }

    for m in practice.members() {
        out.push_str("\n[[members]]\n");
        let _ = writeln!(out, "handle = {}", quote(m.handle.as_str()));
        let _ = writeln!(out, "name = {}", quote(&m.name));
        let _ = writeln!(out, "email = {}", quote(&m.email));
        let _ = writeln!(out, "role = {}", quote(m.role.as_str()));
        let _ = writeln!(out, "time_zone = {}", quote(m.zone.name()));
        for (day, ranges) in m.hours.days().iter().enumerate() {
            if !ranges.is_empty() {
                let list: Vec<String> = ranges.iter().map(|r| quote(&r.to_string())).collect();
                let _ = writeln!(out, "hours.{} = [{}]", WEEKDAY_KEYS[day], list.join(", "));
            }
        }
        if !m.holidays.is_empty() {
            let list: Vec<String> = m.holidays.iter().map(|d| quote(&d.to_string())).collect();
            let _ = writeln!(out, "holidays = [{}]", list.join(", "));
        }
    }

    for a in practice.absences() {
        out.push_str("\n[[absences]]\n");
        let _ = writeln!(out, "member = {}", quote(a.member.as_str()));
        let _ = writeln!(out, "from = {}", quote(&a.from.to_string()));
        let _ = writeln!(out, "until = {}", quote(&a.until.to_string()));
        let _ = writeln!(out, "cover = {}", quote(a.cover.as_str()));
    }

    for c in practice.clients() {
        out.push_str("\n[[clients]]\n");
        let _ = writeln!(out, "handle = {}", quote(c.handle.as_str()));
        let _ = writeln!(out, "name = {}", quote(&c.name));
        let _ = writeln!(out, "owner = {}", quote(c.owner.as_str()));
        let _ = writeln!(out, "language = {}", quote(c.language.code()));
        let _ = writeln!(out, "time_zone = {}", quote(c.zone.name()));
        let list: Vec<String> = c.domains.iter().map(|d| quote(d)).collect();
        let _ = writeln!(out, "domains = [{}]", list.join(", "));
        if let Some(g) = &c.goal {
            let _ = writeln!(out, "goal = {}", quote(g));
        }
        if let Some(l) = &c.legal {
            let mut inline = String::new();
            party(&mut inline, l, ", ");
            let _ = writeln!(out, "legal = {{ {} }}", inline.trim_end_matches(", "));
        }
        out.push_str("[clients.terms]\n");
        terms(&mut out, &c.terms);
        for p in &c.people {
            out.push_str("[[clients.people]]\n");
            let _ = writeln!(out, "name = {}", quote(&p.name));
            if let Some(e) = &p.email {
                let _ = writeln!(out, "email = {}", quote(e));
            }
            if let Some(ph) = &p.phone {
                let _ = writeln!(out, "phone = {}", quote(ph));
            }
        }
    }
    out
}

fn terms(out: &mut String, t: &Terms) {
    if let Some(n) = t.adhoc_calls_per_week {
        let _ = writeln!(out, "adhoc_calls_per_week = {n}");
    }
    if let Some(call) = &t.standing_call {
        let _ = writeln!(
            out,
            "standing_call = {{ rrule = {}, starts = {}, minutes = {} }}",
            quote(call.rule.as_str()),
            quote(&local_datetime(call.starts)),
            call.minutes
        );
    }
    let r = &t.response;
    let _ = writeln!(
        out,
        "response = {{ call = {}, voicemail = {}, email = {}, chat = {}, urgent = {} }}",
        quote(&r.call.to_string()),
        quote(&r.voicemail.to_string()),
        quote(&r.email.to_string()),
        quote(&r.chat.to_string()),
        quote(&r.urgent.to_string())
    );
    let _ = writeln!(out, "urgent_out_of_hours = {}", t.urgent_out_of_hours);
    let _ = writeln!(
        out,
        "after_hours_surcharge_pct = {}",
        t.after_hours_surcharge_pct
    );
    if let Some(notice) = t.cancellation_notice {
        let _ = writeln!(out, "cancellation_notice = {}", quote(&notice.to_string()));
    }
    let b = &t.booking;
    let buffer = if b.buffer_minutes == 0 {
        "0m".to_string()
    } else {
        frontdesk_core::Target::from_minutes(b.buffer_minutes).to_string()
    };
    let _ = writeln!(
        out,
        "booking = {{ minutes = {}, notice = {}, buffer = {}, per_day = {}, client_hours = {} }}",
        b.minutes,
        quote(&b.notice.to_string()),
        quote(&buffer),
        b.per_day,
        quote(&b.client_hours.to_string())
    );
    money(out, &t.money);
}

/// A legal identity's keys, each followed by `end` ("\n" for a table, ", " inline).
fn party(out: &mut String, p: &frontdesk_core::billing::Party, end: &str) {
    let list: Vec<String> = p.address.iter().map(|l| quote(l)).collect();
    let _ = write!(out, "name = {}{end}", quote(&p.name));
    let _ = write!(out, "address = [{}]{end}", list.join(", "));
    let _ = write!(out, "country = {}{end}", quote(&p.country));
    if let Some(t) = &p.tax_id {
        let _ = write!(out, "tax_id = {}{end}", quote(t));
    }
    if let Some(e) = &p.email {
        let _ = write!(out, "email = {}{end}", quote(e));
    }
    for (key, value) in [
        ("city", &p.city),
        ("postcode", &p.postcode),
        ("province", &p.province),
        ("sdi_code", &p.sdi_code),
    ] {
        if let Some(v) = value {
            let _ = write!(out, "{key} = {}{end}", quote(v));
        }
    }
}

/// The money terms as one inline table, every value written out.
fn money(out: &mut String, m: &frontdesk_core::billing::Rates) {
    use frontdesk_core::billing::{Fee, Vat};
    let mut parts: Vec<String> = Vec::new();
    if let Some(c) = m.currency {
        parts.push(format!("currency = {}", quote(c.code())));
    }
    let amounts = [
        ("hourly_rate", m.hourly),
        ("daily_rate", m.daily),
        ("call_out_fee", m.call_out),
        ("over_quota_call_fee", m.over_quota_call),
        ("holding_rate_per_day", m.holding_per_day),
    ];
    for (key, value) in amounts {
        if let Some(v) = value {
            parts.push(format!("{key} = {}", quote(&v.to_string())));
        }
    }
    for (key, fee) in [
        ("no_show_fee", m.no_show),
        ("late_cancellation_fee", m.late_cancellation),
    ] {
        match fee {
            Some(Fee::Flat(v)) => parts.push(format!("{key} = {}", quote(&v.to_string()))),
            Some(Fee::MeetingTime) => parts.push(format!("{key} = \"meeting\"")),
            None => {}
        }
    }
    parts.push(format!("minimum_minutes = {}", m.minimum_minutes));
    parts.push(format!("rounding_minutes = {}", m.rounding_minutes));
    match &m.vat {
        Vat::Rate(r) => parts.push(format!("vat = {}", quote(&r.to_string()))),
        Vat::Exempt(n) => {
            parts.push("vat = \"exempt\"".into());
            parts.push(format!("vat_note = {}", quote(n)));
        }
        Vat::ReverseCharge(n) => {
            parts.push("vat = \"reverse_charge\"".into());
            parts.push(format!("vat_note = {}", quote(n)));
        }
    }
    parts.push(format!("payment_days = {}", m.payment_days));
    if let Some(s) = m.since {
        parts.push(format!("since = {}", quote(&s.to_string())));
    }
    let _ = writeln!(out, "money = {{ {} }}", parts.join(", "));
}

/// A local date-time as the file writes it: seconds only where there are some.
fn local_datetime(dt: jiff::civil::DateTime) -> String {
    if dt.second() == 0 && dt.subsec_nanosecond() == 0 {
        dt.strftime("%Y-%m-%dT%H:%M").to_string()
    } else {
        dt.to_string()
    }
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
