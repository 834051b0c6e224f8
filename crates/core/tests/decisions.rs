//! The decision engine on the practice file of the issue (Ana, Pedro, ACME), rule by rule.

use frontdesk_core::{
    AnswerRefused, Channel, DecideError, Decision, Flag, Handle, History, Inbound, Language,
    Practice, Verdict, decide,
};
use jiff::Timestamp;

const RUIZ: &str = include_str!("../../../examples/ruiz.toml");

fn ruiz() -> Practice {
    frontdesk_practice::parse(RUIZ).unwrap()
}

fn ruiz_with(edit: impl Fn(String) -> String) -> Practice {
    frontdesk_practice::parse(&edit(RUIZ.to_string())).unwrap()
}

fn contact(channel: Channel, at: &str, body: Option<&str>) -> Inbound {
    Inbound {
        client: Handle::parse("acme").unwrap(),
        channel,
        from: "marcos@acme.example".into(),
        at: at.parse().unwrap(),
        body: body.map(str::to_string),
    }
}

fn check(practice: &Practice, inbound: &Inbound, calls_this_week: u32) -> Decision {
    let history = History {
        adhoc_calls_this_week: calls_this_week,
        ..History::default()
    };
    decide(practice, inbound, &history).unwrap()
}

/// A decision's flags other than how the client wrote (complaint, escalation, leaving,
/// follow-up, read by the tone lists and model and tested in `tone.rs`): what the desk does.
fn desk_flags(d: &Decision) -> Vec<Flag> {
    d.flags
        .iter()
        .copied()
        .filter(|f| {
            !matches!(
                f,
                Flag::Complaint | Flag::Escalation | Flag::Leaving | Flag::FollowUp
            )
        })
        .collect()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn routine_email_in_hours_is_accepted_with_the_email_target_in_working_time() {
    // Tue 1 Dec 2026, 10:00 Madrid (UTC+1). 8h of Ana's time: 10-13, 14-18, then Wed 09-10.
    let d = check(
        &ruiz(),
        &contact(
            Channel::Email,
            "2026-12-01T10:00:00+01:00",
            Some("¿Podéis revisar el informe trimestral?"),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::Accept);
    assert_eq!(d.assignee.as_str(), "ana");
    assert_eq!(d.due, ts("2026-12-02T10:00:00+01:00"));
    assert!(d.flags.is_empty());
    assert_eq!(d.reply, None);
    assert!(d.in_hours);
}

#[test]
fn night_message_is_held_until_next_morning() {
    let d = check(
        &ruiz(),
        &contact(
            Channel::Chat,
            "2026-12-01T23:10:00+01:00",
            Some("Mañana revisamos el presupuesto de enero"),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::Hold);
    // Chat target 2h from the next window: Wed 09:00 → 11:00.
    assert_eq!(d.due, ts("2026-12-02T11:00:00+01:00"));
    let reply = d.reply.unwrap();
    assert_eq!(reply.language, Language::Es);
    assert!(reply.text.contains("11:00"), "{}", reply.text);
    assert!(reply.text.contains("Ana Ruiz"), "{}", reply.text);
    assert!(!d.in_hours);
}

#[test]
fn weekend_and_holiday_contacts_are_held_to_the_next_working_day() {
    // Tue 8 Dec is Ana's holiday: 4h voicemail target runs Wed 09-13.
    let d = check(
        &ruiz(),
        &contact(
            Channel::Voicemail,
            "2026-12-08T10:00:00+01:00",
            Some("Llamo por la factura de noviembre"),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::Hold);
    assert_eq!(d.due, ts("2026-12-09T13:00:00+01:00"));
    // Saturday: held to Monday.
    let d = check(
        &ruiz(),
        &contact(
            Channel::Email,
            "2026-12-05T12:00:00+01:00",
            Some("Te mando el contrato firmado"),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::Hold);
    assert_eq!(d.due, ts("2026-12-07T18:00:00+01:00"));
}

#[test]
fn voicemail_that_only_says_who_called_asks_for_the_topic() {
    let d = check(
        &ruiz(),
        &contact(
            Channel::Voicemail,
            "2026-12-01T10:00:00+01:00",
            Some("Hola, soy Marcos. Llámame."),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::AskTopic);
    assert_eq!(desk_flags(&d), [Flag::NoContent]);
    // 4h: 10-13 and 14-15.
    assert_eq!(d.due, ts("2026-12-01T15:00:00+01:00"));
    assert!(d.reply.is_some());
}

#[test]
fn an_empty_email_has_no_content_but_a_call_without_notes_is_just_a_call() {
    let d = check(
        &ruiz(),
        &contact(Channel::Email, "2026-12-01T10:00:00+01:00", None),
        0,
    );
    assert_eq!(d.verdict, Verdict::AskTopic);
    let d = check(
        &ruiz(),
        &contact(Channel::Call, "2026-12-01T10:00:00+01:00", None),
        0,
    );
    assert_eq!(d.verdict, Verdict::Accept);
}

#[test]
fn third_call_of_the_week_is_deferred_to_the_standing_call() {
    let d = check(
        &ruiz(),
        &contact(
            Channel::Call,
            "2026-12-01T10:00:00+01:00",
            Some("Quiero comentar el calendario del proyecto"),
        ),
        2,
    );
    assert_eq!(d.verdict, Verdict::Defer);
    assert_eq!(desk_flags(&d), [Flag::OverQuota]);
    let reply = d.reply.unwrap();
    // Friday 4 December at 10:00 Madrid, in Spanish.
    assert!(reply.text.contains("4 de diciembre"), "{}", reply.text);
    assert!(reply.text.contains("10:00"), "{}", reply.text);
}

#[test]
fn calls_within_the_allowance_and_emails_are_not_counted_against_it() {
    let call = contact(
        Channel::Call,
        "2026-12-01T10:00:00+01:00",
        Some("Sobre el informe"),
    );
    assert_eq!(check(&ruiz(), &call, 1).verdict, Verdict::Accept);
    let email = contact(
        Channel::Email,
        "2026-12-01T10:00:00+01:00",
        Some("Sobre el informe"),
    );
    assert_eq!(check(&ruiz(), &email, 9).verdict, Verdict::Accept);
}

#[test]
fn only_calls_and_voicemails_in_working_hours_count_towards_the_allowance() {
    let body = Some("Sobre el informe");
    let counts = |channel, at| check(&ruiz(), &contact(channel, at, body), 0).allowance;
    assert!(counts(Channel::Call, "2026-12-01T10:00:00+01:00"));
    assert!(counts(Channel::Voicemail, "2026-12-01T10:00:00+01:00"));
    assert!(!counts(Channel::Email, "2026-12-01T10:00:00+01:00"));
    assert!(!counts(Channel::Chat, "2026-12-01T10:00:00+01:00"));
    // At night the call is held, and does not use the week's allowance.
    assert!(!counts(Channel::Call, "2026-12-01T23:10:00+01:00"));
}

#[test]
fn a_contact_is_answered_once_and_not_before_it_arrived() {
    let p = ruiz();
    let inbound = contact(
        Channel::Email,
        "2026-12-01T10:00:00+01:00",
        Some("Sobre el informe"),
    );
    let ana = Handle::parse("ana").unwrap();
    let early = frontdesk_core::answer(&p, &inbound, &ana, None, ts("2026-12-01T09:59:00+01:00"));
    assert_eq!(
        early,
        Err(AnswerRefused::BeforeArrival {
            arrived: inbound.at,
            at: ts("2026-12-01T09:59:00+01:00")
        })
    );
    // Answered at 15:00: 5h on the clock, 4h of Ana's working time (lunch 13-14).
    let a =
        frontdesk_core::answer(&p, &inbound, &ana, None, ts("2026-12-01T15:00:00+01:00")).unwrap();
    assert_eq!(a.response, jiff::SignedDuration::from_hours(5));
    assert_eq!(a.working_response, jiff::SignedDuration::from_hours(4));
    let again = frontdesk_core::answer(&p, &inbound, &ana, Some(&a), ts("2026-12-02T09:00:00Z"));
    assert_eq!(again, Err(AnswerRefused::Already(a.at)));
}

#[test]
fn over_quota_without_a_standing_call_soon_is_accepted_and_flagged() {
    let p = ruiz_with(|s| {
        s.replace(
            "starts = \"2026-01-09T10:00\"",
            "starts = \"2027-03-05T10:00\"",
        )
    });
    let d = check(
        &p,
        &contact(
            Channel::Voicemail,
            "2026-12-01T10:00:00+01:00",
            Some("Sobre el informe"),
        ),
        2,
    );
    assert_eq!(d.verdict, Verdict::Accept);
    assert_eq!(desk_flags(&d), [Flag::OverQuota]);
}

#[test]
fn urgent_inside_hours_is_due_in_clock_time() {
    let d = check(
        &ruiz(),
        &contact(
            Channel::Email,
            "2026-12-01T12:50:00+01:00",
            Some("Se ha caído el servidor y no podemos facturar"),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::Urgent);
    assert_eq!(desk_flags(&d), [Flag::Urgent]);
    // 30 minutes of clock time, through Ana's lunch break.
    assert_eq!(d.due, ts("2026-12-01T13:20:00+01:00"));
    assert!(d.reply.is_some());
}

#[test]
fn urgent_out_of_hours_is_held_when_the_terms_do_not_allow_it() {
    let d = check(
        &ruiz(),
        &contact(
            Channel::Chat,
            "2026-12-01T22:00:00+01:00",
            Some("¡URGENTE! la web no funciona"),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::Hold);
    assert_eq!(desk_flags(&d), [Flag::Urgent]);
    assert_eq!(d.due, ts("2026-12-02T09:30:00+01:00"));
}

#[test]
fn urgent_out_of_hours_is_handled_and_billed_when_the_terms_allow_it() {
    let p = ruiz_with(|s| s.replace("urgent_out_of_hours = false", "urgent_out_of_hours = true"));
    let d = check(
        &p,
        &contact(
            Channel::Chat,
            "2026-12-01T22:00:00+01:00",
            Some("¡URGENTE! la web no funciona"),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::Urgent);
    assert_eq!(desk_flags(&d), [Flag::Urgent, Flag::AfterHours]);
    assert_eq!(d.due, ts("2026-12-01T22:30:00+01:00"));
    assert!(
        d.reasons.iter().any(|r| r.contains("50%")),
        "{:?}",
        d.reasons
    );
}

#[test]
fn negated_urgency_is_not_urgent() {
    let d = check(
        &ruiz(),
        &contact(
            Channel::Email,
            "2026-12-01T10:00:00+01:00",
            Some("No es urgente, pero quería comentar la factura"),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::Accept);
}

#[test]
fn absent_owner_routes_to_the_cover_in_the_covers_working_time() {
    // Wed 5 Aug 2026, 10:00 Madrid (UTC+2). Pedro works 08-15: 5h today, 3h Thursday.
    let d = check(
        &ruiz(),
        &contact(
            Channel::Email,
            "2026-08-05T10:00:00+02:00",
            Some("Necesito el informe de julio"),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::Cover);
    assert_eq!(d.assignee.as_str(), "pedro");
    assert_eq!(d.due, ts("2026-08-06T11:00:00+02:00"));
    let text = d.reply.unwrap().text;
    for needle in [
        "Pedro Sanz",
        "pedro@ruiz.example",
        "Ana Ruiz",
        "21 de agosto",
    ] {
        assert!(text.contains(needle), "{needle} missing in {text}");
    }
}

#[test]
fn cover_still_sets_flags_and_out_of_hours_due() {
    // 16:00 is inside Ana's hours but outside Pedro's: urgent, held to Pedro's morning.
    let d = check(
        &ruiz(),
        &contact(
            Channel::Call,
            "2026-08-05T16:00:00+02:00",
            Some("Urgente: el servidor está caído"),
        ),
        0,
    );
    assert_eq!(d.verdict, Verdict::Cover);
    assert_eq!(desk_flags(&d), [Flag::Urgent]);
    assert_eq!(d.due, ts("2026-08-06T08:30:00+02:00"));
}

#[test]
fn replies_use_the_clients_language_and_zone() {
    let p = ruiz_with(|s| {
        s.replace(
            "language = \"es\"                 # en",
            "language = \"en\"                 # en",
        )
        .replace(
            "time_zone = \"Europe/Madrid\"\ndomains",
            "time_zone = \"America/New_York\"\ndomains",
        )
    });
    let d = check(
        &p,
        &contact(
            Channel::Chat,
            "2026-12-01T23:10:00+01:00",
            Some("Can we move Friday's call?"),
        ),
        0,
    );
    let reply = d.reply.unwrap();
    assert_eq!(reply.language, Language::En);
    // Due Wed 11:00 Madrid = 05:00 New York.
    assert!(reply.text.contains("05:00"), "{}", reply.text);
    assert!(reply.text.contains("Wednesday"), "{}", reply.text);
}

#[test]
fn unknown_client_is_an_error() {
    let mut c = contact(Channel::Call, "2026-12-01T10:00:00+01:00", None);
    c.client = Handle::parse("nobody").unwrap();
    assert_eq!(
        decide(&ruiz(), &c, &History::default()),
        Err(DecideError::UnknownClient("nobody".into()))
    );
}

#[test]
fn every_decision_explains_itself() {
    for (at, body) in [
        ("2026-12-01T10:00:00+01:00", "Hola, soy Marcos. Llámame."),
        ("2026-12-01T23:00:00+01:00", "Presupuesto"),
        ("2026-08-05T10:00:00+02:00", "Informe"),
    ] {
        let d = check(&ruiz(), &contact(Channel::Voicemail, at, Some(body)), 0);
        assert!(!d.reasons.is_empty());
    }
}

#[test]
fn owners_and_managers_oversee_members_see_their_own_clients_and_what_they_cover() {
    let p = ruiz();
    let (ana, pedro, acme, nobody) = (
        Handle::parse("ana").unwrap(),
        Handle::parse("pedro").unwrap(),
        Handle::parse("acme").unwrap(),
        Handle::parse("nobody").unwrap(),
    );
    assert!(p.oversees(&ana) && !p.oversees(&pedro) && !p.oversees(&nobody));
    assert_eq!(p.clients_of(&ana).count(), p.clients().len());
    assert_eq!(p.clients_of(&pedro).count(), 0, "pedro owns no client");
    assert!(p.may_see(&ana, &acme, &ana));
    assert!(
        !p.may_see(&pedro, &acme, &ana),
        "ana's client, ana's contact"
    );
    assert!(
        p.may_see(&pedro, &acme, &pedro),
        "assigned to pedro as cover"
    );
    assert!(!p.may_see(&nobody, &acme, &nobody), "not a member");
}

#[test]
fn the_messages_own_language_is_read_recorded_and_answered_in_when_the_practice_says_so() {
    // Acme is a Spanish-speaking client; Marcos writes in Russian at night about an outage.
    let body = "Добрый вечер, сайт не работает, клиенты не могут оплатить заказы";
    let night = "2026-12-01T23:10:00+01:00";
    let d = check(&ruiz(), &contact(Channel::Email, night, Some(body)), 0);
    assert_eq!(d.message_language, Some(Language::Ru));
    assert!(d.flags.contains(&Flag::Urgent), "{:?}", d.reasons);
    assert_eq!(
        d.reply.unwrap().language,
        Language::Es,
        "the client's language"
    );
    let by_message = ruiz_with(|t| {
        t.replacen(
            "language = \"es\"\n",
            "language = \"es\"\nreply_language = \"message\"\n",
            1,
        )
    });
    let d = check(&by_message, &contact(Channel::Email, night, Some(body)), 0);
    assert_eq!(
        d.reply.unwrap().language,
        Language::Ru,
        "the message's language"
    );
    // Too short to tell: the client's language.
    let d = check(&by_message, &contact(Channel::Chat, night, Some("ok?")), 0);
    assert_eq!(d.message_language, None);
}

#[test]
fn a_complaint_that_talks_of_leaving_is_flagged_with_its_words_as_the_reason() {
    let d = check(
        &ruiz(),
        &contact(
            Channel::Email,
            "2026-12-01T10:00:00+01:00",
            Some(
                "Es inaceptable, sigo esperando la factura. Si no llega mañana buscaremos otro proveedor.",
            ),
        ),
        0,
    );
    // Still an ordinary email to answer in working time: the tone warns, it does not reroute.
    assert_eq!(d.verdict, Verdict::Accept);
    for flag in [
        Flag::Complaint,
        Flag::Escalation,
        Flag::Leaving,
        Flag::FollowUp,
    ] {
        assert!(d.flags.contains(&flag), "{flag:?} not in {:?}", d.flags);
    }
    let reason = d
        .reasons
        .iter()
        .find(|r| r.starts_with("the message reads as"))
        .expect("a tone reason");
    assert!(
        reason
            .starts_with("the message reads as a complaint and talk of leaving and a follow-up ("),
        "{reason}"
    );
    assert!(reason.contains("otro proveedor"), "{reason}");
    // A calm question carries none of them.
    let calm = check(
        &ruiz(),
        &contact(
            Channel::Email,
            "2026-12-01T10:00:00+01:00",
            Some("¿Podéis revisar el informe?"),
        ),
        0,
    );
    assert!(calm.flags.is_empty(), "{:?}", calm.flags);
}
