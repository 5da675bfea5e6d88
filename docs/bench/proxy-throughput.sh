#!/usr/bin/env bash
# The proxy benchmark in one command: a small GET straight to a local upstream, through nginx as a plain
# reverse proxy, and through Plugboard's proxy, alternating in rounds within one run, all driven by wrk with
# the same number of keep-alive connections. Plugboard runs as in production (durable database, Prometheus,
# JSON logs, tracing at the default sampling with a collector that accepts the spans). Prints the report
# (also written to target/benchmarks/proxy-throughput.md) and the load average before and after.
#
# Usage: docs/bench/proxy-throughput.sh [maven options]
#        docs/bench/proxy-throughput.sh -Dbench.rounds=5 -Dbench.seconds=20 -Dbench.warmup=30
#        options: -Dbench.connections=4 -Dbench.wrk-threads=2 -Dbench.rounds=3 -Dbench.seconds=10
#                 -Dbench.warmup=20 (Plugboard's; direct and nginx get a quarter) -Dbench.wrk=… -Dbench.nginx=…
#        a profile: -DargLine="-XX:FlightRecorderOptions:stackdepth=256 -XX:StartFlightRecording=filename=/tmp/proxy.jfr,settings=profile"
# Needs wrk and nginx (Debian/Ubuntu: apt-get install -y wrk nginx-light). Without wrk the benchmark's own
# socket client drives all three; without nginx its column is skipped; the report says which.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v wrk >/dev/null || echo "wrk not found: apt-get install -y wrk (the socket client is used instead)" >&2
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || echo "nginx not found: apt-get install -y nginx-light (its column is skipped)" >&2

LOG="$(mktemp /tmp/proxy-throughput.XXXXXX.log)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
./mvnw -B -q test -Dtest=ProxyThroughputBenchmark -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsurefire.printSummary=false "$@" > "$LOG" 2>&1 \
  || { tail -n 60 "$LOG" >&2; exit 1; }
cat target/benchmarks/proxy-throughput.md
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
