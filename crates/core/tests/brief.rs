//! The hand-over rules and the workload preview of briefs, on a practice read from its file.

use frontdesk_core::Handle;
use frontdesk_core::brief::{self, BriefError, State};

const PRACTICE: &str = r#"
[practice]
name = "Vega"
currency = "EUR"
language = "en"

[[members]]
handle = "ana"
name = "Ana"
email = "ana@vega.example"
role = "owner"
time_zone = "Europe/Madrid"
hours.mon = ["09:00-17:00"]
hours.tue = ["09:00-17:00"]
hours.wed = ["09:00-17:00"]
hours.thu = ["09:00-17:00"]
hours.fri = ["09:00-17:00"]

[[members]]
handle = "pedro"
name = "Pedro"
email = "pedro@vega.example"
role = "member"
time_zone = "Europe/Madrid"
hours.mon = ["09:00-13:00"]
hours.tue = ["09:00-13:00"]

[[absences]]
member = "ana"
from = "2026-08-03"
until = "2026-08-21"
cover = "pedro"

[[clients]]
handle = "acme"
name = "ACME"
owner = "ana"

[[clients]]
handle = "globex"
name = "Globex"
owner = "pedro"
"#;

fn h(s: &str) -> Handle {
    Handle::parse(s).unwrap()
}

#[test]
fn the_workload_preview_warns_when_the_cover_cannot_take_it() {
    let p = frontdesk_practice::parse(PRACTICE).unwrap();
    let absence = &p.absences()[0];
    // Pedro works 8 hours a week: half of it holds 16 contacts at 15 minutes.
    let light = brief::workload(&p, absence, &|c| {
        if c.as_str() == "acme" { 10.0 } else { 4.0 }
    });
    assert_eq!((light.covered_per_week, light.own_per_week), (10.0, 4.0));
    assert_eq!(light.hours_per_week, 8.0);
    assert!(light.fits);
    let heavy = brief::workload(&p, absence, &|c| {
        if c.as_str() == "acme" { 20.0 } else { 4.0 }
    });
    assert!(!heavy.fits);
}

#[test]
fn only_the_absent_member_or_an_overseer_writes_and_only_for_their_clients() {
    let p = frontdesk_practice::parse(PRACTICE).unwrap();
    let a = &p.absences()[0];
    assert_eq!(
        brief::may_write(&p, a, &h("acme"), &h("pedro"), &h("ana")),
        Ok(())
    );
    assert_eq!(
        brief::may_write(&p, a, &h("acme"), &h("pedro"), &h("pedro")),
        Err(BriefError::NotTheirs(h("pedro")))
    );
    assert!(matches!(
        brief::may_write(&p, a, &h("globex"), &h("pedro"), &h("ana")),
        Err(BriefError::NotTheirClient { .. })
    ));
    assert_eq!(
        brief::may_write(&p, a, &h("acme"), &h("ana"), &h("ana")),
        Err(BriefError::SelfCover(h("ana")))
    );
    // A new version after the acknowledgement waits again; an open question blocks it.
    assert_eq!(brief::after_edit(State::Acknowledged), Ok(State::Waiting));
    assert_eq!(
        brief::after_edit(State::Question),
        Err(BriefError::QuestionOpen)
    );
    // The reminder goes three of Ana's working days before Monday 3 August: Wednesday 29 July;
    // the return report on her first working day after Friday 21 August: Monday 24 August.
    assert_eq!(
        brief::reminder_date(&p, a, 3),
        jiff::civil::date(2026, 7, 29)
    );
    assert_eq!(brief::return_date(&p, a), jiff::civil::date(2026, 8, 24));
}

#[test]
fn an_open_item_is_read_from_one_line_with_or_without_its_date() {
    use frontdesk_core::brief::OpenItem;
    let i = OpenItem::parse_line(" 2026-08-10: send the Q2 report ").unwrap();
    assert_eq!(
        (i.due, i.text.as_str()),
        (Some(jiff::civil::date(2026, 8, 10)), "send the Q2 report")
    );
    let i = OpenItem::parse_line("call Marcos: he waits").unwrap();
    assert_eq!((i.due, i.text.as_str()), (None, "call Marcos: he waits"));
    let e = OpenItem::parse_line("2026-13-40: x").unwrap_err();
    assert_eq!(e.kind, "date");
}
