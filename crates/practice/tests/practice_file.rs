//! The practice file: the issue's example is accepted, bad values are refused with their path,
//! and export → parse is a round trip.

use frontdesk_practice::{parse, render};

const RUIZ: &str = include_str!("../../../examples/ruiz.toml");

#[test]
fn the_issue_example_is_accepted_as_it_is() {
    let p = parse(RUIZ).unwrap();
    assert_eq!(p.settings().name, "Ruiz Consulting");
    assert_eq!(p.members().len(), 2);
    assert_eq!(p.absences().len(), 1);
    let acme = &p.clients()[0];
    assert_eq!(acme.terms.adhoc_calls_per_week, Some(2));
    assert_eq!(acme.terms.response.urgent.minutes(), 30);
    assert_eq!(acme.people[0].phone.as_deref(), Some("+34600111222"));
}

#[test]
fn export_parses_back_to_the_same_practice_and_prints_the_same() {
    let p = parse(RUIZ).unwrap();
    let exported = render(&p);
    let again = parse(&exported).unwrap();
    assert_eq!(again, p);
    assert_eq!(render(&again), exported);
}

#[test]
fn any_rfc_5545_rule_and_a_cancellation_notice_round_trip() {
    let text = RUIZ
        .replace(
            "FREQ=WEEKLY;BYDAY=FR",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        )
        .replace(
            "urgent_out_of_hours = false",
            "urgent_out_of_hours = false\ncancellation_notice = \"48h\"\nbooking = { minutes = 45, notice = \"2h\", buffer = \"0m\", per_day = 4 }",
        );
    let p = parse(&text).unwrap();
    let terms = &p.clients()[0].terms;
    assert_eq!(terms.booking.minutes, 45);
    assert_eq!(terms.booking.notice.minutes(), 120);
    assert_eq!(terms.booking.buffer_minutes, 0);
    assert_eq!(terms.booking.per_day, 4);
    assert_eq!(
        terms.cancellation_notice.map(|t| t.minutes()),
        Some(48 * 60)
    );
    assert_eq!(
        terms.standing_call.as_ref().unwrap().rule.as_str(),
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
    );
    assert_eq!(parse(&render(&p)).unwrap(), p);
}

#[test]
fn client_terms_fall_back_to_the_practice_defaults() {
    let text = RUIZ.replace(
        "[[members]]\nhandle = \"ana\"",
        "[default_terms]\nresponse = { email = \"2h\" }\nadhoc_calls_per_week = 5\n\n[[members]]\nhandle = \"ana\"",
    )
    .replace("adhoc_calls_per_week = 2\n", "")
    .replace("response = { call = \"4h\", voicemail = \"4h\", email = \"8h\", chat = \"2h\", urgent = \"30m\" }\n", "");
    let p = parse(&text).unwrap();
    let terms = &p.clients()[0].terms;
    assert_eq!(terms.adhoc_calls_per_week, Some(5));
    assert_eq!(terms.response.email.minutes(), 120);
    assert_eq!(terms.response.call.minutes(), 240);
    assert_eq!(parse(&render(&p)).unwrap(), p);
}

/// Each case: a replacement in the example, and what the error must mention.
const BAD: &[(&str, &str, &[&str])] = &[
    (
        "time_zone = \"Europe/Madrid\"\nhours.mon",
        "time_zone = \"Europe/Atlantis\"\nhours.mon",
        &["members[0].time_zone", "Europe/Atlantis"],
    ),
    (
        "hours.tue = [\"09:00-13:00\"",
        "hours.tue = [\"9-13\"",
        &["members[0].hours.tue[0]", "9-13"],
    ),
    (
        "hours.wed = [\"09:00-13:00\", \"14:00-18:00\"]",
        "hours.wed = [\"09:00-13:00\", \"12:00-18:00\"]",
        &["members[0].hours.wed", "overlaps"],
    ),
    (
        "hours.fri = [\"09:00-14:00\"]",
        "hours.fri = [\"14:00-09:00\"]",
        &["members[0].hours.fri[0]", "14:00-09:00"],
    ),
    (
        "owner = \"ana\"",
        "owner = \"maria\"",
        &["clients[0].owner", "maria"],
    ),
    (
        "cover = \"pedro\"",
        "cover = \"luis\"",
        &["absences[0].cover", "luis"],
    ),
    (
        "cover = \"pedro\"",
        "cover = \"ana\"",
        &["absences[0].cover", "own absence"],
    ),
    (
        "email = \"8h\"",
        "email = \"8 hours\"",
        &["clients[0].terms.response.email", "8 hours"],
    ),
    (
        "urgent = \"30m\"",
        "urgent = \"0m\"",
        &["clients[0].terms.response.urgent", "0m"],
    ),
    (
        "FREQ=WEEKLY;BYDAY=FR",
        "FREQ=WEEKLY;BYDAY=FX",
        &["clients[0].terms.standing_call.rrule", "FX"],
    ),
    (
        "FREQ=WEEKLY;BYDAY=FR",
        "FREQ=SOMETIMES",
        &["clients[0].terms.standing_call.rrule", "SOMETIMES"],
    ),
    (
        "urgent_out_of_hours = false",
        "urgent_out_of_hours = false\ncancellation_notice = \"2 days\"",
        &["clients[0].terms.cancellation_notice", "2 days"],
    ),
    (
        "urgent_out_of_hours = false",
        "urgent_out_of_hours = false\nbooking = { minutes = 0 }",
        &["clients[0].terms.booking.minutes", "0"],
    ),
    (
        "urgent_out_of_hours = false",
        "urgent_out_of_hours = false\nbooking = { notice = \"soon\" }",
        &["clients[0].terms.booking.notice", "soon"],
    ),
    (
        "urgent_out_of_hours = false",
        "urgent_out_of_hours = false\nbooking = { slots = 3 }",
        &["slots"],
    ),
    (
        "FREQ=WEEKLY;BYDAY=FR",
        "FREQ=WEEKLY;BYDAY=1FR",
        &["clients[0].terms.standing_call.rrule", "1FR", "MONTHLY"],
    ),
    (
        "starts = \"2026-01-09T10:00\"",
        "starts = \"next friday\"",
        &["clients[0].terms.standing_call.starts", "next friday"],
    ),
    (
        "holidays = [\"2026-12-08\"",
        "holidays = [\"2026-13-08\"",
        &["members[0].holidays[0]", "2026-13-08"],
    ),
    (
        "from = \"2026-08-03\"",
        "from = \"2026-08-30\"",
        &["absences[0].until", "2026-08-30"],
    ),
    (
        "language = \"es\"                 # en",
        "language = \"de\"                 # en",
        &["clients[0].language", "de"],
    ),
    (
        "role = \"member\"",
        "role = \"boss\"",
        &["members[1].role", "boss"],
    ),
    (
        "currency = \"EUR\"",
        "currency = \"euros\"",
        &["practice.currency", "euros"],
    ),
    (
        "handle = \"acme\"",
        "handle = \"ACME Corp\"",
        &["clients[0].handle", "ACME Corp"],
    ),
    (
        "domains = [\"acme.example\"]",
        "domains = [\"acme\"]",
        &["clients[0].domains[0]", "acme"],
    ),
    (
        "email = \"marcos@acme.example\"",
        "email = \"marcos\"",
        &["clients[0].people[0].email", "marcos"],
    ),
    (
        "phone = \"+34600111222\"",
        "phone = \"call me\"",
        &["clients[0].people[0].phone", "call me"],
    ),
    (
        "adhoc_calls_per_week = 2",
        "adhoc_calls_per_week = -1",
        &["clients[0].terms.adhoc_calls_per_week", "-1"],
    ),
    (
        "adhoc_calls_per_week = 2",
        "adhoc_calls_per_week = \"two\"",
        &["adhoc_calls_per_week"],
    ),
    (
        "starts = \"2026-01-09T10:00\"",
        "starts = \"9995-01-09T10:00\"",
        &[
            "clients[0].terms.standing_call.starts",
            "9995",
            "1970 to 2199",
        ],
    ),
    (
        "holidays = [\"2026-12-08\"",
        "holidays = [\"9999-12-25\"",
        &["members[0].holidays[0]", "9999-12-25", "1970 to 2199"],
    ),
    (
        "from = \"2026-08-03\"",
        "from = \"1601-01-01\"",
        &["absences[0].from", "1601-01-01", "1970 to 2199"],
    ),
    (
        "rrule = \"FREQ=WEEKLY;BYDAY=FR\"",
        "rrule = \"FREQ=SECONDLY;COUNT=4000000000\"",
        &["clients[0].terms.standing_call.rrule", "at most daily"],
    ),
    (
        "minutes = 30",
        "minutes = 0",
        &["clients[0].terms.standing_call.minutes", "0"],
    ),
    (
        "after_hours_surcharge_pct = 50",
        "after_hours_surcharge_pct = 50\nsurcharge = 10",
        &["surcharge"],
    ),
    ("[[clients]]", "[[clients]]\nhandle = \"acme\"", &["handle"]),
];

#[test]
fn bad_values_are_refused_naming_the_field_and_the_value() {
    for (from, to, needles) in BAD {
        assert!(RUIZ.contains(from), "fixture does not contain {from:?}");
        let text = RUIZ.replacen(from, to, 1);
        let err = parse(&text).expect_err(to).to_string();
        for needle in *needles {
            assert!(
                err.contains(needle),
                "error for {to:?} does not mention {needle:?}: {err}"
            );
        }
    }
}

#[test]
fn a_cover_who_is_absent_at_the_same_time_is_refused() {
    let text = format!(
        "{RUIZ}\n[[absences]]\nmember = \"pedro\"\nfrom = \"2026-08-20\"\nuntil = \"2026-08-28\"\ncover = \"ana\"\n"
    );
    let err = parse(&text).unwrap_err().to_string();
    assert!(
        err.contains("absences[0].cover") && err.contains("absent too"),
        "{err}"
    );
}

#[test]
fn not_toml_is_refused_with_the_line() {
    let err = parse("[practice\nname = 1").unwrap_err().to_string();
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn an_edit_changes_typed_fields_and_is_validated_as_a_file_is() {
    let p = parse(RUIZ).unwrap();
    // No change: the same practice back.
    assert_eq!(frontdesk_practice::edit(&p, |_| Ok(())).unwrap(), p);
    let edited = frontdesk_practice::edit(&p, |f| {
        f.members[0].name = "Ana Ruiz García".into();
        f.absences.clear();
        Ok(())
    })
    .unwrap();
    assert_eq!(edited.members()[0].name, "Ana Ruiz García");
    assert!(edited.absences().is_empty());
    assert_eq!(edited.clients(), p.clients());
    // A bad value is refused with its path, as `apply` would refuse it.
    let err = frontdesk_practice::edit(&p, |f| {
        f.members[1].time_zone = "Mars/Olympus".into();
        Ok(())
    })
    .unwrap_err();
    assert!(err.to_string().starts_with("members[1].time_zone"), "{err}");
    // The change itself may refuse.
    let err = frontdesk_practice::edit(&p, |_| {
        Err(frontdesk_practice::FileError::invalid("members", "no"))
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "members: no");
}

#[test]
fn a_first_run_is_one_owner_working_nine_to_five_on_weekdays() {
    let first = frontdesk_practice::FirstRun {
        practice: " Eva Advisory ".into(),
        handle: "eva".into(),
        name: "Eva Smit".into(),
        email: "eva@example.org".into(),
        time_zone: "Europe/Amsterdam".into(),
        language: "nl".into(),
    };
    let p = frontdesk_practice::first_run(&first).unwrap();
    assert_eq!(p.settings().name, "Eva Advisory");
    assert_eq!(p.settings().currency.code(), "EUR");
    let eva = p.home().unwrap();
    assert_eq!(eva.role, frontdesk_core::Role::Owner);
    let days: Vec<String> = eva
        .hours
        .days()
        .iter()
        .map(|d| {
            d.iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    assert_eq!(
        days,
        [
            "09:00-17:00",
            "09:00-17:00",
            "09:00-17:00",
            "09:00-17:00",
            "09:00-17:00",
            "",
            ""
        ]
    );
    // It is a practice file like any other: it renders and parses back.
    assert_eq!(parse(&render(&p)).unwrap(), p);
    let err = frontdesk_practice::first_run(&frontdesk_practice::FirstRun {
        handle: "Eva Smit".into(),
        ..first
    })
    .unwrap_err();
    assert!(err.to_string().starts_with("members[0].handle"), "{err}");
}

const MAIL: &str = "\n[mail]\nfrom = \"desk@ruiz.example\"\nsmtp = { host = \"smtp.ruiz.example\", port = 587, tls = \"starttls\", user = \"desk@ruiz.example\", password_env = \"FRONTDESK_SMTP_PASSWORD\" }\n";

#[test]
fn the_mail_settings_round_trip_and_keep_no_secret() {
    let text = RUIZ.replacen("\n[[members]]", &format!("{MAIL}\n[[members]]"), 1);
    let p = parse(&text).unwrap();
    let m = p.settings().mail.as_ref().unwrap();
    assert_eq!(m.from, "desk@ruiz.example");
    assert_eq!(m.smtp.port, 587);
    assert_eq!(m.auto_reply_every_days, 7, "the default");
    assert_eq!(m.smtp.tls, frontdesk_core::TlsMode::StartTls);
    assert_eq!(
        m.smtp.password,
        Some(frontdesk_core::Secret::Env(
            "FRONTDESK_SMTP_PASSWORD".into()
        ))
    );
    let again = parse(&render(&p)).unwrap();
    assert_eq!(again, p);
    for (from, to, needle) in [
        ("port = 587", "port = 0", "mail.smtp.port"),
        ("tls = \"starttls\"", "tls = \"ssl\"", "mail.smtp.tls"),
        (
            "password_env = \"FRONTDESK_SMTP_PASSWORD\"",
            "password_env = \"X\", password_command = \"pass smtp\"",
            "not both",
        ),
        (
            ", password_env = \"FRONTDESK_SMTP_PASSWORD\"",
            "",
            "mail.smtp.user",
        ),
        (
            "from = \"desk@ruiz.example\"",
            "from = \"desk\"",
            "mail.from",
        ),
        ("password_env", "password", "password"),
        ("tls = \"starttls\"", "tls = \"none\"", "only over TLS"),
        (
            "from = \"desk@ruiz.example\"",
            "from = \"desk@ruiz.example\"\nauto_reply_every_days = 0",
            "mail.auto_reply_every_days",
        ),
    ] {
        let bad = text.replacen(from, to, 1);
        let err = parse(&bad).expect_err(to).to_string();
        assert!(err.contains(needle), "{to}: {err}");
    }
}

#[test]
fn the_digest_time_and_the_promises_needing_approval_round_trip_and_bad_ones_are_named() {
    let file = RUIZ.replace(
        "language = \"es\"\n",
        "language = \"es\"\ndigest_at = \"07:45\"\npromise_approval = [\"refund\", \"callback\"]\n",
    );
    let p = parse(&file).unwrap();
    assert_eq!(p.settings().digest_at, jiff::civil::time(7, 45, 0, 0));
    use frontdesk_core::promise::Kind;
    assert_eq!(
        p.settings().promise_approval,
        [Kind::Refund, Kind::Callback]
    );
    let exported = render(&p);
    assert!(exported.contains("digest_at = \"07:45\""), "{exported}");
    assert_eq!(parse(&exported).unwrap(), p);
    // The defaults are not written out.
    let plain = render(&parse(RUIZ).unwrap());
    assert!(
        !plain.contains("digest_at") && !plain.contains("promise_approval"),
        "{plain}"
    );
    for (line, field) in [
        ("digest_at = \"25:00\"", "practice.digest_at"),
        ("digest_at = \"8\"", "practice.digest_at"),
        (
            "promise_approval = [\"bribe\"]",
            "practice.promise_approval[0]",
        ),
    ] {
        let bad = RUIZ.replace(
            "language = \"es\"\n",
            &format!("language = \"es\"\n{line}\n"),
        );
        let err = parse(&bad).unwrap_err().to_string();
        assert!(err.contains(field), "{line}: {err}");
    }
}

#[test]
fn money_terms_and_legal_identities_round_trip_with_defaults_inherited() {
    use frontdesk_core::billing::{Fee, Vat};
    // The example has the practice's [billing], ACME's legal identity and its money terms;
    // here defaults are added and ACME's terms are replaced by others in dollars.
    let money = RUIZ
        .lines()
        .find(|l| l.starts_with("money = "))
        .expect("the example's money terms");
    let file = RUIZ
        .replace(
            "[[members]]\nhandle = \"ana\"",
            "[default_terms.money]\nhourly_rate = \"100.00\"\nvat = \"21\"\nno_show_fee = \"meeting\"\n\n[[members]]\nhandle = \"ana\"",
        )
        .replace(
            money,
            "money = { currency = \"USD\", hourly_rate = \"150.50\", late_cancellation_fee = \"45\", vat = \"reverse_charge\", payment_days = 14, since = \"2026-11-01\" }",
        );
    let p = parse(&file).unwrap();
    let acme = p
        .client(&frontdesk_core::Handle::parse("acme").unwrap())
        .unwrap();
    let m = &acme.terms.money;
    // Written in the client's terms, over the defaults for the rest.
    assert_eq!(m.currency.unwrap().code(), "USD");
    assert_eq!(m.hourly.unwrap().to_string(), "150.50");
    assert_eq!(
        m.late_cancellation,
        Some(Fee::Flat("45.00".parse().unwrap()))
    );
    assert_eq!(m.no_show, Some(Fee::MeetingTime));
    assert!(matches!(&m.vat, Vat::ReverseCharge(n) if n.contains("Article 196")));
    assert_eq!(m.payment_days, 14);
    assert_eq!(
        acme.legal.as_ref().unwrap().tax_id.as_deref(),
        Some("ESG87654321")
    );
    let seller = p.settings().billing.as_ref().unwrap();
    assert_eq!(seller.iban.as_deref(), Some("ES9121000418450200051332"));
    assert_eq!(seller.prefix, "RC-");
    assert!(seller.yearly_reset);
    let exported = render(&p);
    assert_eq!(parse(&exported).unwrap(), p, "{exported}");
    // A default amount is in the defaults' currency: a client in another must give its own.
    let bad = file.replace("hourly_rate = \"150.50\", ", "");
    let err = parse(&bad).unwrap_err().to_string();
    assert!(
        err.contains("clients[0].terms.money.hourly_rate: the client is billed in USD"),
        "{err}"
    );
}
