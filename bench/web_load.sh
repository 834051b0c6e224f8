#!/usr/bin/env bash
# Load on loopback: recording contacts through the JSON API, then the inbox page with the
# database holding at least 100,000 contacts. Needs wrk (Debian: apt-get install -y wrk).
# Prints wrk's reports; the numbers go to docs/PERFORMANCE.md by hand, with the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
cargo build --release --quiet
bin=target/release/frontdesk
dir=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
export FRONTDESK_DB="$dir/load.db"
$bin apply examples/ruiz.toml >/dev/null
export FRONTDESK_TOKEN=$($bin token create --member ana)
echo "a long enough password" | $bin password set --member ana >/dev/null
port=${PORT:-18080}
FRONTDESK_LOG=warn $bin serve --addr 127.0.0.1:$port > "$dir/serve.out" &
server=$!
until grep -q serving "$dir/serve.out" 2>/dev/null; do sleep 0.1; done
url=http://127.0.0.1:$port

echo "== POST /api/v1/contacts (16 connections, 30 s) =="
wrk -t1 -c16 -d30s --latency -s bench/post_contact.lua "$url/api/v1/contacts"
open=$(curl -s -H "Authorization: Bearer $FRONTDESK_TOKEN" "$url/api/v1/inbox?limit=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["open"])')
echo "contacts in the database (all open): $open"

# A desk that keeps up: answer all but the last 2,000, as the API would be told.
export LAST=$((open - 2000))
echo "== answering $LAST contacts through the API =="
wrk -t1 -c16 -d$((LAST / 4000 + 5))s -s bench/reply_contact.lua "$url" | grep -E "Requests/sec"
open=$(curl -s -H "Authorization: Bearer $FRONTDESK_TOKEN" "$url/api/v1/inbox?limit=1" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["open"])')
echo "open contacts now: $open"

# A session for the page.
csrf=$(curl -s -D - -o /dev/null "$url/signin" | sed -n 's/^set-cookie: fd_csrf=\([0-9a-f]*\).*/\1/p')
session=$(curl -s -D - -o /dev/null -b "fd_csrf=$csrf" \
  --data-urlencode "csrf=$csrf" --data-urlencode "email=ana@ruiz.example" \
  --data-urlencode "password=a long enough password" "$url/signin" |
  sed -n 's/^set-cookie: fd_session=\([0-9a-z_]*\).*/\1/p')
echo "== GET /inbox, $open open (8 connections, 20 s) =="
wrk -t1 -c8 -d20s --latency -H "Cookie: fd_session=$session" "$url/inbox"
