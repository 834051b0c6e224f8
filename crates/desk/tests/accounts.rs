//! Accounts in the store (SQLite, or PostgreSQL on `scripts/test`'s second pass): sessions end
//! when they expire or are deleted, tokens and links are found only by the hash of a live
//! secret, and a member's account goes with the member.

mod common;

use common::TestStore;
use frontdesk_core::Handle;
use frontdesk_store::LinkTarget;
use jiff::{SignedDuration, Timestamp};

const RUIZ: &str = include_str!("../../../examples/ruiz.toml");

fn store() -> (TestStore, frontdesk_store::PracticeId) {
    let mut store = common::store();
    let id = store
        .apply(&frontdesk_practice::parse(RUIZ).unwrap())
        .unwrap()
        .id;
    (store, id)
}

fn ana() -> Handle {
    Handle::parse("ana").unwrap()
}

#[test]
fn a_session_ends_when_it_expires_or_is_deleted() {
    let (mut store, id) = store();
    let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
    let expires = now + SignedDuration::from_hours(12);
    store
        .create_session(id, &ana(), b"hash-1", "csrf", expires)
        .unwrap();
    let p = store.session(b"hash-1", now).unwrap().expect("live");
    assert_eq!(
        (p.practice, p.member.as_str(), p.csrf.as_str()),
        (id, "ana", "csrf")
    );
    assert!(
        store.session(b"hash-1", expires).unwrap().is_none(),
        "expired"
    );
    assert!(store.session(b"other", now).unwrap().is_none());
    store.delete_session(b"hash-1").unwrap();
    assert!(store.session(b"hash-1", now).unwrap().is_none(), "deleted");
}

#[test]
fn tokens_and_links_work_until_revoked_and_only_in_their_practice() {
    let (mut store, id) = store();
    let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
    let n = store.create_token(id, &ana(), b"token-hash", now).unwrap();
    assert_eq!(store.token(b"token-hash").unwrap().unwrap().member, ana());
    let other = frontdesk_store::PracticeId(id.0 + 1);
    assert!(
        !store.revoke_token(other, &ana(), n, now).unwrap(),
        "another practice"
    );
    assert!(store.revoke_token(id, &ana(), n, now).unwrap());
    assert!(store.token(b"token-hash").unwrap().is_none());
    assert!(
        !store.revoke_token(id, &ana(), n, now).unwrap(),
        "already revoked"
    );
    assert_eq!(store.tokens(id, &ana()).unwrap()[0].revoked, Some(now));

    let acme = LinkTarget::Booking(Handle::parse("acme").unwrap());
    let l = store.create_link(id, &acme, b"link-hash", now).unwrap();
    assert_eq!(store.link(b"link-hash").unwrap().unwrap().target, acme);
    assert!(!store.revoke_link(other, l, now).unwrap());
    assert!(store.revoke_link(id, l, now).unwrap());
    assert!(store.link(b"link-hash").unwrap().is_none());
}

#[test]
fn a_removed_members_account_and_tokens_go_with_them() {
    let (mut store, id) = store();
    let now: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
    let pedro = Handle::parse("pedro").unwrap();
    store.set_password(id, &pedro, "$argon2id$x").unwrap();
    store.create_token(id, &pedro, b"pedro-token", now).unwrap();
    // pedro covers ana's absence and nothing else; without both, he can go.
    let without = RUIZ
        .replace(
            "[[absences]]\nmember = \"ana\"\nfrom = \"2026-08-03\"             # local dates in the member's zone, both inclusive\nuntil = \"2026-08-21\"\ncover = \"pedro\"\n",
            "",
        );
    let start = without.find("[[members]]\nhandle = \"pedro\"").unwrap();
    let end = without[start..].find("\n\n").unwrap() + start + 2;
    let without = format!("{}{}", &without[..start], &without[end..]);
    store
        .apply(&frontdesk_practice::parse(&without).unwrap())
        .unwrap();
    assert!(store.token(b"pedro-token").unwrap().is_none());
    assert!(store.logins("pedro@ruiz.example").unwrap().is_empty());
}
