"""Reads an iCalendar file with independent parsers (icalendar, recurring_ical_events from PyPI)
and prints, as JSON, the events that occur in [START, END): UID, start and end in UTC, status.
Fails on anything a strict reader would refuse: no UID or DTSTAMP on an event, a TZID without
its VTIMEZONE.  Usage: expand_ics.py FILE START END (RFC 3339 instants)."""
import json
import sys
from datetime import datetime, timezone

import icalendar
import recurring_ical_events

path, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())

assert cal.get("VERSION") == "2.0", "VERSION:2.0 missing"
assert cal.get("PRODID"), "PRODID missing"
zones = {str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")}
for event in cal.walk("VEVENT"):
    assert event.get("UID"), f"event without UID: {event}"
    assert event.get("DTSTAMP"), f"event without DTSTAMP: {event.get('UID')}"
    for prop in ("DTSTART", "RECURRENCE-ID", "EXDATE"):
        values = event.get(prop)
        if values is None:
            continue
        for v in values if isinstance(values, list) else [values]:
            tzid = v.params.get("TZID")
            assert tzid is None or tzid in zones, f"{prop} uses TZID {tzid} without a VTIMEZONE"

parse = lambda s: datetime.fromisoformat(s.replace("Z", "+00:00"))
utc = lambda d: d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
out = []
for event in recurring_ical_events.of(cal).between(parse(start), parse(end)):
    out.append({
        "uid": str(event.get("UID")),
        "start": utc(event.get("DTSTART").dt),
        "end": utc(event.get("DTEND").dt) if event.get("DTEND") else None,
        "status": str(event.get("STATUS", "CONFIRMED")),
    })
out.sort(key=lambda e: (e["start"], e["uid"]))
print(json.dumps(out))
