#!/usr/bin/env bash
# Where a batch of recording spends the PostgreSQL server's time, statement by statement:
#
#   bench/pg_statements.sh PGDIR PORT [ROUNDS]
#
# PGDIR and PORT are a server started by `scripts/postgres start PGDIR PORT` (its log is
# PGDIR/server.log). Creates a database of its own (dropped first if left over), logs every
# statement's duration there (log_min_duration_statement = 0), records ROUNDS (default 20)
# batches of 1,000 contacts with crates/bench/examples/pg_record.rs, then prints the server's
# time per batch for the eight costliest statements (execute, bind and parse apart) and in all
# (the database's setup — the schema, the practice's clients — is spread over the batches too).
# The logging itself costs time: compare runs of this script, not its times with the bench's.
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir=${1:?PGDIR of scripts/postgres start}
port=${2:?PORT}
rounds=${3:-20}
admin="postgres://frontdesk@127.0.0.1:$port/postgres"
cargo build --release --quiet -p frontdesk-bench --example pg_record
export PGOPTIONS='-c client_min_messages=warning'
psql -qX "$admin" -c "DROP DATABASE IF EXISTS fd_pg_statements" \
    -c "CREATE DATABASE fd_pg_statements" \
    -c "ALTER DATABASE fd_pg_statements SET log_min_duration_statement = 0"
log="$pgdir/server.log"
from=$(($(wc -l < "$log") + 1))
target/release/examples/pg_record "postgres://frontdesk@127.0.0.1:$port/fd_pg_statements" "$rounds" | tail -1
psql -qX "$admin" -c "DROP DATABASE fd_pg_statements"
tail -n "+$from" "$log" | python3 -c '
import collections, re, sys
rounds = int(sys.argv[1])
total, count = collections.defaultdict(float), collections.Counter()
for line in sys.stdin:
    m = re.search(r"duration: ([\d.]+) ms\s+(statement|execute|parse|bind)[^:]*:\s*(.*)", line)
    if m:
        key = m.group(2) + " " + m.group(3)[:70]
        total[key] += float(m.group(1))
        count[key] += 1
for key, ms in sorted(total.items(), key=lambda kv: -kv[1])[:8]:
    print(f"{ms / rounds:8.2f} ms a batch  {count[key]:6d}×  {key}")
print(f"{sum(total.values()) / rounds:8.2f} ms a batch in all")
' "$rounds"
