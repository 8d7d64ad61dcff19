#!/usr/bin/env bash
# Every benchmark in one go: signing, fan-out, listening (inbound and timeline), start-up.
# On SQLite, and on PostgreSQL too when MUNIFED_BENCH_DATABASE_URL names an existing
# database. Installs Debian's wrk (the timeline's load generator) when it is missing.
# Usage: benches/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi
fi
cargo bench --bench signing
postgres="${MUNIFED_BENCH_DATABASE_URL:-}"
for database in "" "$postgres"; do
    if [ -z "$database" ] && [ -n "${done_sqlite:-}" ]; then continue; fi
    if [ -n "$database" ]; then
        echo "== PostgreSQL: $database"
        export MUNIFED_BENCH_DATABASE_URL="$database"
    else
        echo "== SQLite"
        unset MUNIFED_BENCH_DATABASE_URL
        done_sqlite=1
    fi
    cargo bench --bench fanout
    cargo bench --bench timeline
done
benches/startup.sh
