#!/usr/bin/env bash
# Several instances on PostgreSQL beside one on SQLite, in one run on loopback (issue 16):
#
#   1. POST /api/v1/contacts, 16 connections for 20 s (wrk --latency): (a) one server on
#      SQLite, (b) one server on PostgreSQL, (c) two servers on one PostgreSQL database, each
#      driven by a wrk of its own with 8 connections, both at once (the rates add up).
#   2. Bookings under contention: one booking link, 32 connections for 10 s all asking for the
#      same few times, through two servers on one PostgreSQL database (16 each) and through one
#      on SQLite; then the agenda must hold exactly one booking per time.
#
# Every run has a new database with examples/ruiz.toml applied. PostgreSQL is Debian's
# (`postgresql`), started in a temporary directory by scripts/postgres and stopped at the end;
# wrk is Debian's too (apt-get install -y wrk). wrk, the servers and PostgreSQL all share this
# machine's cores. Prints wrk's reports, then a summary; the numbers go to
# docs/PERFORMANCE.md by hand, with the machine. PG_PORT (default 19100) and PORT (default
# 19101; the second server takes the next one) choose the ports.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
command -v psql >/dev/null || { echo "psql is needed: apt-get install -y postgresql" >&2; exit 1; }
cargo build --release --quiet -p frontdesk
bin=$PWD/target/release/frontdesk
pg_port=${PG_PORT:-19100}
port_a=${PORT:-19101}
port_b=$((port_a + 1))
at=2026-12-01T09:00:00Z

dir=$(mktemp -d)
pgdir=$(mktemp -d)
servers=()
stop_servers() {
    for pid in "${servers[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    servers=()
}
cleanup() {
    stop_servers
    scripts/postgres stop "$pgdir" >/dev/null 2>&1 || true
    rm -rf "$dir" "$pgdir"
}
trap cleanup EXIT
admin=$(scripts/postgres start "$pgdir" "$pg_port")
echo "PostgreSQL: $admin ($(psql "$admin" -Atc 'SHOW server_version'))"
echo "frontdesk: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates Cargo.lock || echo ' with uncommitted changes')"

load() { cut -d' ' -f1-3 /proc/loadavg; }

# Waits (up to 10 minutes; not with NO_WAIT=1) until the machine is idle, at least 90% over
# 3 s: anything else running (a build) takes the same two cores and skews every number.
# Prints the idle share seen.
quiet() {
    local tries=0 idle=0 a b
    while :; do
        read -ra a < /proc/stat
        sleep 3
        read -ra b < /proc/stat
        local all=0 i
        for i in 1 2 3 4 5 6 7 8; do
            all=$((all + b[i] - a[i]))
        done
        idle=$(((b[4] + b[5] - a[4] - a[5]) * 100 / all))
        tries=$((tries + 1))
        if [ "$idle" -ge 90 ] || [ -n "${NO_WAIT:-}" ] || [ $tries -ge 200 ]; then
            break
        fi
    done
    echo "${idle}% idle before"
}

# A new database: a SQLite file, or a PostgreSQL database on the server started above.
new_db() {
    case "$1" in
    sqlite) echo "$dir/$2.db" ;;
    postgres)
        psql "$admin" -qc "CREATE DATABASE $2" >/dev/null
        echo "${admin%/*}/$2"
        ;;
    esac
}

# The example practice on database $1, with Ana's API token in $token.
prepare() {
    "$bin" --db "$1" apply examples/ruiz.toml >/dev/null
    token=$("$bin" --db "$1" token create --member ana)
}

# Starts a server on database $1 at port $2, with more arguments for `serve`.
serve() {
    local db=$1 port=$2
    shift 2
    FRONTDESK_LOG=warn "$bin" --db "$db" serve --addr "127.0.0.1:$port" "$@" \
        >"$dir/serve-$port.out" 2>&1 &
    servers+=($!)
    local waited=0
    until grep -q serving "$dir/serve-$port.out" 2>/dev/null; do
        sleep 0.1
        waited=$((waited + 1))
        if [ $waited -gt 300 ]; then
            cat "$dir/serve-$port.out" >&2
            exit 1
        fi
    done
}

contacts() { # NAME PORT [PORT]: 16 connections in all, one wrk per server
    local name=$1
    shift
    local c=$((16 / $#)) port idle
    idle=$(quiet)
    echo
    echo "== $name: POST /api/v1/contacts, $# server(s), $c connections each, 20 s ($idle) =="
    local wrks=()
    for port in "$@"; do
        FRONTDESK_TOKEN=$token wrk -t1 -c$c -d20s --latency -s bench/post_contact.lua \
            "http://127.0.0.1:$port/api/v1/contacts" >"$dir/$name-$port.wrk" &
        wrks+=($!)
    done
    wait "${wrks[@]}"
    for port in "$@"; do
        echo "-- wrk against :$port"
        cat "$dir/$name-$port.wrk"
    done
}

bookings() { # NAME DB PORT [PORT]: 32 connections in all, one wrk per server
    local name=$1 db=$2
    shift 2
    local c=$((32 / $#)) port idle
    local link
    link=$("$bin" --db "$db" link booking --client acme --base-url "http://127.0.0.1:$1" --json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')
    local path=${link#http://127.0.0.1:$1}
    curl -s -D "$dir/$name.headers" -o "$dir/$name.html" "$link"
    local csrf starts
    csrf=$(tr -d '\r' <"$dir/$name.headers" | sed -n 's/^[Ss]et-[Cc]ookie: fd_book=\([0-9a-f]*\).*/\1/p')
    # Four times the client may all book: on four different days, two a week (ACME's
    # allowance in examples/ruiz.toml is two calls a week; a third would be refused anyway).
    starts=$(grep -o 'name="start" value="[^"]*"' "$dir/$name.html" | sed 's/.*value="//; s/"$//' |
        python3 -c '
import datetime, sys
chosen, days, weeks = [], set(), {}
for s in sys.stdin.read().split():
    t = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    week = t.isocalendar()[:2]
    if t.date() in days or weeks.get(week, 0) >= 2:
        continue
    chosen.append(s)
    days.add(t.date())
    weeks[week] = weeks.get(week, 0) + 1
print(",".join(chosen[:4]))')
    [ -n "$csrf" ] && [ -n "$starts" ] || { echo "no CSRF cookie or no free time on $link" >&2; exit 1; }
    idle=$(quiet)
    echo
    echo "== $name: bookings of the same times ($starts), $# server(s), $c connections each, 10 s ($idle) =="
    local wrks=()
    for port in "$@"; do
        CSRF=$csrf STARTS=$starts wrk -t1 -c$c -d10s --latency -s bench/book_slot.lua \
            "http://127.0.0.1:$port$path" >"$dir/$name-$port.wrk" &
        wrks+=($!)
    done
    wait "${wrks[@]}"
    for port in "$@"; do
        echo "-- wrk against :$port"
        cat "$dir/$name-$port.wrk"
    done
    # What the database holds: exactly one booking for each time asked for, and no other.
    "$bin" --db "$db" agenda --client acme --days 30 --at "$at" --json >"$dir/$name.agenda"
    STARTS=$starts python3 - "$dir/$name.agenda" >"$dir/$name.check" <<'EOF'
import datetime, json, os, sys
def instant(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
wanted = [instant(s) for s in os.environ["STARTS"].split(",")]
booked = [instant(o["start"]) for o in json.load(open(sys.argv[1])) if o["kind"] == "booked"]
each = [booked.count(w) for w in wanted]
ok = all(n == 1 for n in each) and len(booked) == len(wanted)
print(f"{'ok' if ok else 'WRONG'}: {len(booked)} booked for {len(wanted)} times (per time: {each})")
EOF
    echo "stored: $(cat "$dir/$name.check")"
}

# Numbers out of wrk's reports.
rate() { awk '/^Requests\/sec/ { print $2 }' "$dir/$1.wrk"; }
p99() { awk '$1 == "99%" { print $2 }' "$dir/$1.wrk"; }
errors() { # non-2xx answers (API) and socket errors
    awk '/Non-2xx/ { n += $NF } /Socket errors/ { n += 1 } END { print n + 0 }' "$dir/$1.wrk"
}
statuses() { sed -n 's/^statuses: //p' "$dir/$1.wrk"; }
sum() { awk '{ s += $1 } END { printf "%.0f", s }'; }

# 1. The API.
db=$(new_db sqlite api-sqlite)
prepare "$db"
serve "$db" "$port_a"
contacts api-sqlite "$port_a"
stop_servers

db=$(new_db postgres api_one)
prepare "$db"
serve "$db" "$port_a"
contacts api-pg1 "$port_a"
stop_servers

db=$(new_db postgres api_two)
prepare "$db"
serve "$db" "$port_a"
serve "$db" "$port_b"
contacts api-pg2 "$port_a" "$port_b"
stop_servers

# 2. Bookings under contention.
db=$(new_db sqlite book-sqlite)
prepare "$db"
serve "$db" "$port_a" --at "$at"
bookings book-sqlite "$db" "$port_a"
stop_servers

db=$(new_db postgres book_two)
prepare "$db"
serve "$db" "$port_a" --at "$at"
serve "$db" "$port_b" --at "$at"
bookings book-pg2 "$db" "$port_a" "$port_b"
stop_servers

echo
echo "== summary ($(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); load now $(load)) =="
printf '%-44s %12s  %-22s %s\n' "run" "requests/s" "p99" "notes"
printf '%-44s %12s  %-22s %s\n' "API, 1 server, SQLite, 16 conn." \
    "$(rate api-sqlite-$port_a | sum)" "$(p99 api-sqlite-$port_a)" \
    "errors $(errors api-sqlite-$port_a)"
printf '%-44s %12s  %-22s %s\n' "API, 1 server, PostgreSQL, 16 conn." \
    "$(rate api-pg1-$port_a | sum)" "$(p99 api-pg1-$port_a)" \
    "errors $(errors api-pg1-$port_a)"
printf '%-44s %12s  %-22s %s\n' "API, 2 servers, one PostgreSQL db, 2×8 conn." \
    "$( (rate api-pg2-$port_a; rate api-pg2-$port_b) | sum)" \
    "$(p99 api-pg2-$port_a) / $(p99 api-pg2-$port_b)" \
    "sum of $(rate api-pg2-$port_a) + $(rate api-pg2-$port_b); errors $(errors api-pg2-$port_a) + $(errors api-pg2-$port_b)"
printf '%-44s %12s  %-22s %s\n' "bookings, 1 server, SQLite, 32 conn." \
    "$(rate book-sqlite-$port_a | sum)" "$(p99 book-sqlite-$port_a)" \
    "$(statuses book-sqlite-$port_a); $(cat "$dir/book-sqlite.check")"
printf '%-44s %12s  %-22s %s\n' "bookings, 2 servers, one PostgreSQL db, 2×16" \
    "$( (rate book-pg2-$port_a; rate book-pg2-$port_b) | sum)" \
    "$(p99 book-pg2-$port_a) / $(p99 book-pg2-$port_b)" \
    "$(statuses book-pg2-$port_a) | $(statuses book-pg2-$port_b); $(cat "$dir/book-pg2.check")"
