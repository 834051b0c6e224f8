#!/usr/bin/env python3
"""Expanding a year of occurrences for 1,000 recurrence rules: frontdesk against python-dateutil,
in one run, on the same rules and the same window, checking that both find the same number of
occurrences. Usage: bench/recurrence_vs_dateutil.py [N_RULES] (needs `pip install python-dateutil`).
"""
import subprocess, sys, tempfile, time
from datetime import datetime

from dateutil.rrule import rrulestr

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
rounds = 5
run = ["cargo", "run", "--quiet", "--release", "-p", "frontdesk-bench", "--example", "expand", "--"]
rules = subprocess.run(run + ["rules", str(n)], check=True, capture_output=True, text=True).stdout
with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    f.write(rules)
    path = f.name

# The window is local: all of 2026. Both sides expand in local (wall-clock) time; the rules'
# times are 08:00-17:45, away from any DST gap, so local and zoned counts are the same.
start, end = datetime(2026, 1, 1), datetime(2026, 12, 31, 23, 59, 59)
parsed = []
for line in rules.splitlines():
    dtstart, rule = line.split(" ", 1)
    parsed.append(rrulestr(rule, dtstart=datetime.strptime(dtstart, "%Y%m%dT%H%M%S")))
best, py_count = float("inf"), 0
for _ in range(rounds):
    t = time.perf_counter()
    py_count = sum(len(r.between(start, end, inc=True)) for r in parsed)
    best = min(best, time.perf_counter() - t)

out = subprocess.run(run + ["time", path, "2026-01-01", "2026-12-31", str(rounds * 20)],
                     check=True, capture_output=True, text=True).stdout.split()
rs_count, rs_best = int(out[0]), float(out[1])
print(f"rules: {n}, window: 2026, occurrences: frontdesk {rs_count}, dateutil {py_count}")
print(f"frontdesk: {rs_best * 1000:.2f} ms   dateutil: {best * 1000:.1f} ms   ratio: {best / rs_best:.1f}x")
if rs_count != py_count:
    sys.exit("the two expansions disagree")
