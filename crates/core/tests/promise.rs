//! The promise register's rules on the practice with a third member: who may approve
//! or refuse (a manager, once), and who may mark a promise kept (its promiser or a manager).

use frontdesk_core::promise::{Act, Kind, NewPromise, Promise, PromiseError, State, judge};
use frontdesk_core::{Handle, Practice};

fn practice() -> Practice {
    let text = include_str!("../../../examples/ruiz.toml").replace(
        "[[absences]]",
        "[[members]]\nhandle = \"joost\"\nname = \"Joost\"\nemail = \"joost@ruiz.example\"\nrole = \"member\"\ntime_zone = \"Europe/Madrid\"\nhours.mon = [\"09:00-17:00\"]\n\n[[absences]]",
    );
    frontdesk_practice::parse(&text).unwrap()
}

fn h(s: &str) -> Handle {
    Handle::parse(s).unwrap()
}

fn promise(state: State) -> Promise {
    Promise {
        id: 7,
        client: h("acme"),
        contact: None,
        kind: Kind::Refund,
        what: "March".into(),
        due: "2026-03-10".parse().unwrap(),
        by: h("pedro"),
        state,
        recorded: "2026-03-02T09:00:00Z".parse().unwrap(),
        decided_by: None,
        note: None,
        kept: None,
    }
}

#[test]
fn a_manager_decides_a_pending_promise_once() {
    let p = practice();
    let pending = promise(State::Pending);
    let approve = Act::Approve("ok".into());
    assert_eq!(judge(&p, &pending, &approve, &h("ana")), Ok(State::Open));
    assert_eq!(
        judge(&p, &pending, &Act::Refuse(String::new()), &h("ana")),
        Ok(State::Refused)
    );
    assert_eq!(
        judge(&p, &pending, &approve, &h("joost")),
        Err(PromiseError::NotAManager("joost".into()))
    );
    assert!(matches!(
        judge(&p, &promise(State::Open), &approve, &h("ana")),
        Err(PromiseError::NotPending { id: 7, .. })
    ));
}

#[test]
fn only_the_promiser_or_a_manager_marks_an_open_promise_kept() {
    let p = practice();
    let open = promise(State::Open);
    assert_eq!(judge(&p, &open, &Act::Keep, &h("pedro")), Ok(State::Kept));
    assert_eq!(judge(&p, &open, &Act::Keep, &h("ana")), Ok(State::Kept));
    assert!(matches!(
        judge(&p, &open, &Act::Keep, &h("joost")),
        Err(PromiseError::NotTheirPromise { id: 7, .. })
    ));
    assert!(matches!(
        judge(&p, &promise(State::Pending), &Act::Keep, &h("pedro")),
        Err(PromiseError::NotOpen { id: 7, .. })
    ));
    assert_eq!(
        judge(&p, &open, &Act::Keep, &h("nobody")),
        Err(PromiseError::UnknownMember("nobody".into()))
    );
}

#[test]
fn a_refund_by_a_member_waits_and_by_a_manager_does_not() {
    let p = practice();
    let now = "2026-03-02T09:00:00Z".parse().unwrap();
    let new = |by: &str, kind| NewPromise {
        client: h("acme"),
        contact: None,
        kind,
        what: "x".into(),
        due: "2026-03-10".parse().unwrap(),
        by: h(by),
    };
    // Pedro covers Ana's absence, so ACME is his to promise to.
    assert_eq!(
        frontdesk_core::promise::check_new(&p, &new("pedro", Kind::Refund), now),
        Ok(State::Pending)
    );
    assert_eq!(
        frontdesk_core::promise::check_new(&p, &new("pedro", Kind::Delivery), now),
        Ok(State::Open)
    );
    assert_eq!(
        frontdesk_core::promise::check_new(&p, &new("ana", Kind::Refund), now),
        Ok(State::Open)
    );
    assert_eq!(
        frontdesk_core::promise::check_new(&p, &new("joost", Kind::Delivery), now),
        Err(PromiseError::NotTheirClient("joost".into(), "acme".into()))
    );
}
