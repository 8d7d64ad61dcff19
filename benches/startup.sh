#!/usr/bin/env bash
# Start-up and memory of a release build on SQLite: time from exec to the first WebFinger
# answer (fresh database, so it includes migrations and key generation, and again on an
# existing database), idle RSS after the first answers, and the binary's size.
# Usage: benches/startup.sh   (builds target/release/munifed first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
binary=target/release/munifed
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=18999

now_ms() { date +%s%3N; }

# Starts the server and sets $pid and $elapsed_ms (exec to first WebFinger answer).
start_server() {
  local start
  start=$(now_ms)
  MUNIFED__SERVER__BIND=127.0.0.1:$port MUNIFED__INSTANCE__DOMAIN=localhost:$port \
  MUNIFED__DATABASE__URL="sqlite://$work/munifed.db" MUNIFED__LOG__LEVEL=warn \
    "$binary" serve >"$work/log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$port/.well-known/webfinger?resource=acct:news@localhost:$port" >/dev/null; do
    sleep 0.005
  done
  elapsed_ms=$(( $(now_ms) - start ))
}

stop_server() {
  kill -TERM "$pid"
  wait "$pid" || true
  pid=""
}

bytes=$(stat -c %s "$binary")
echo "binary size: $(du -h "$binary" | cut -f1) ($bytes bytes)"
# A line of benches/run.sh's table: figure, value, unit, target, ratio.
result() { echo "RESULT|$1|$2|$3|$4|$(awk -v v="$2" -v t="$5" 'BEGIN { printf "%.0f%%", v / t * 100 }')"; }
result "release binary" "$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')" MiB "target 30" 30
start_server
echo "first start (empty database) to first WebFinger answer: ${elapsed_ms} ms"
for _ in $(seq 1 50); do
  curl -fs -H 'Accept: application/activity+json' "http://127.0.0.1:$port/users/news" >/dev/null
done
sleep 2
rss_kib=$(grep VmRSS "/proc/$pid/status" | awk '{print $2}')
echo "idle RSS after 50 actor fetches: $rss_kib kB"
result "idle RSS (sqlite)" "$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')" MiB "target 25" 25
stop_server
start_server
echo "restart (existing database) to first WebFinger answer: ${elapsed_ms} ms"
result "start-up to first WebFinger (sqlite)" "$elapsed_ms" ms "target 100" 100
stop_server
