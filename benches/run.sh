#!/usr/bin/env bash
# Every benchmark in one go, then one table of each figure next to its ceiling or target:
# signing, fan-out, inbound, the timeline, start-up and footprint. On SQLite, and on
# PostgreSQL too when MUNIFED_BENCH_DATABASE_URL names a server (a database is made for
# each run and dropped after). Installs Debian's wrk (the load generator) when missing.
# Usage: benches/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cargo bench --bench signing | tee -a "$log"
postgres="${MUNIFED_BENCH_DATABASE_URL:-}"
for backend in sqlite postgres; do
    if [ "$backend" = sqlite ]; then
        unset MUNIFED_BENCH_DATABASE_URL
    elif [ -n "$postgres" ]; then
        export MUNIFED_BENCH_DATABASE_URL="$postgres"
    else
        continue
    fi
    echo "== $backend"
    for bench in fanout inbound timeline; do
        cargo bench --bench "$bench" | tee -a "$log"
    done
done
benches/startup.sh | tee -a "$log"
echo
printf '%-44s %12s %-6s %-34s %8s\n' figure value unit "ceiling or target" ratio
grep '^RESULT|' "$log" | while IFS='|' read -r _ figure value unit reference ratio; do
    printf '%-44s %12s %-6s %-34s %8s\n' "$figure" "$value" "$unit" "$reference" "$ratio"
done
