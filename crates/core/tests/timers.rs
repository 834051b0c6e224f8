//! The timers on the example practice: which contacts a pass needs to look at.

use frontdesk_core::timers::{DUE_SOON, horizon};
use frontdesk_core::{Handle, working_time};
use jiff::Timestamp;

const RUIZ: &str = include_str!("../../../examples/ruiz.toml");

#[test]
fn the_horizon_is_the_last_half_hour_of_working_time_of_any_member() {
    let practice = frontdesk_practice::parse(RUIZ).unwrap();
    // Thursday 3 December 2026, 17:40 in Madrid: Ana works until 18:00 (20 minutes), then
    // from Friday 09:00; Pedro works 08:00-15:00. 31 minutes of Ana's time end on Friday at
    // 09:11, later than Pedro's (08:31).
    let now: Timestamp = "2026-12-03T17:40:00+01:00".parse().unwrap();
    let h = horizon(&practice, now);
    assert_eq!(h, "2026-12-04T09:11:00+01:00".parse::<Timestamp>().unwrap());
    // A contact of Ana's due on Thursday at 20:00 is in the gap, due soon, and looked at; one
    // due at the horizon is 31 minutes of her time away.
    let ana = practice.member(&Handle::parse("ana").unwrap()).unwrap();
    let evening: Timestamp = "2026-12-03T20:00:00+01:00".parse().unwrap();
    assert!(evening < h);
    assert!(working_time::working_time_between(&practice, ana, now, evening) <= DUE_SOON);
    assert!(working_time::working_time_between(&practice, ana, now, h) > DUE_SOON);
}
