#!/usr/bin/env bash
# Start-up time of the packaged portal on its embedded PostgreSQL: wall time from launching `java -jar`
# until GET /actuator/health first answers {"status":"UP"}. Each run measures a first start (empty data
# directory: initdb, migrations, demo seeding, master key generation) and then a restart on the same
# data directory. The app is stopped with SIGTERM between starts. Besides wall time it prints the CPU
# time the JVM had used by then (user + system), which shows how much of the wall time is waiting for a
# busy CPU rather than work.
#
# At the end it prints the median of each column.
#
# Usage: docs/bench/startup-time.sh [runs]      (default 3 runs; PORT defaults to 8182)
#        JAVA_OPTS="-XX:TieredStopAtLevel=1" JAR=/path/to/other.jar docs/bench/startup-time.sh   (variants)
#        RESTARTS_ONLY=1 docs/bench/startup-time.sh 5   (one unmeasured first start, then 5 measured restarts)
# Needs the jar (./mvnw package -DskipTests), a JDK 21+ (JAVA_HOME or java on PATH) and curl.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS="${1:-3}"
PORT="${PORT:-8182}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR="${JAR:-$(ls target/plugboard-*.jar 2>/dev/null | head -n 1 || true)}"
read -r -a JVM_OPTS <<< "${JAVA_OPTS:-}"
[ -n "$JAR" ] || { echo "No target/plugboard-*.jar: run ./mvnw package -DskipTests first" >&2; exit 1; }
if curl -fs -o /dev/null "http://localhost:$PORT/actuator/health"; then
  echo "Something already answers on port $PORT; set PORT" >&2; exit 1
fi

WORK="$(mktemp -d /tmp/plugboard-startup.XXXXXX)"
APP=""
trap '[ -n "$APP" ] && kill "$APP" 2>/dev/null; rm -rf "$WORK"' EXIT

TICKS="$(getconf CLK_TCK)"

# Starts the jar on data directory $1 and stops it once healthy. Sets WALL (seconds until the first
# healthy answer) and CPU (CPU seconds the JVM had used by then).
measure() {
  local data_dir="$1" log="$1.log" start end first_line
  first_line=$(( $( (cat "$log" 2>/dev/null || true) | wc -l) + 1 ))
  start=$(date +%s%N)
  PLUGBOARD_DATA_DIR="$data_dir" PLUGBOARD_DEMO_PASSWORD="startup-benchmark-password" \
    "$JAVA" "${JVM_OPTS[@]}" -jar "$JAR" --server.port="$PORT" >> "$log" 2>&1 &
  APP=$!
  until curl -fs --max-time 2 "http://localhost:$PORT/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
    if ! kill -0 "$APP" 2>/dev/null; then
      echo "The portal exited before it was healthy; log follows" >&2; tail -n 40 "$log" >&2; exit 1
    fi
    sleep 0.1
  done
  end=$(date +%s%N)
  CPU=$(awk -v hz="$TICKS" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$APP/stat")
  WALL=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  kill "$APP"; wait "$APP" 2>/dev/null || true; APP=""
  # With -Dspring.aot.enabled=true a start whose switches differ from the build's falls back to an ordinary one:
  # count the starts that really were AOT-processed, so a series cannot measure the fallback unnoticed.
  if tail -n +"$first_line" "$log" | grep -q "Starting AOT-processed"; then AOT_STARTS=$((AOT_STARTS + 1)); fi
}

echo "machine: $(nproc) cores, $(uname -srm), $("$JAVA" -version 2>&1 | head -n 1)"
echo "jar: $JAR ($(du -h "$JAR" | cut -f1))${JAVA_OPTS:+, JVM options: $JAVA_OPTS}"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
# Median of the numbers on standard input.
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

FIRSTS=() FIRST_CPUS=() RESTARTS=() RESTART_CPUS=() AOT_STARTS=0
if [ -n "${RESTARTS_ONLY:-}" ]; then
  data_dir="$WORK/data"
  measure "$data_dir"
  echo "(data directory initialised by a first start: ${WALL} s)"
  echo "| run | restart: wall (s) | restart: JVM CPU (s) |"
  echo "|---|---|---|"
  for run in $(seq 1 "$RUNS"); do
    measure "$data_dir"; RESTARTS+=("$WALL"); RESTART_CPUS+=("$CPU")
    echo "| $run | $WALL | $CPU |"
  done
  echo "| median of $RUNS | $(printf '%s\n' "${RESTARTS[@]}" | median) | $(printf '%s\n' "${RESTART_CPUS[@]}" | median) |"
else
  echo "| run | first start: wall (s) | first start: JVM CPU (s) | restart: wall (s) | restart: JVM CPU (s) |"
  echo "|---|---|---|---|---|"
  for run in $(seq 1 "$RUNS"); do
    data_dir="$WORK/run-$run"
    measure "$data_dir"; FIRSTS+=("$WALL"); FIRST_CPUS+=("$CPU")
    measure "$data_dir"; RESTARTS+=("$WALL"); RESTART_CPUS+=("$CPU")
    echo "| $run | ${FIRSTS[-1]} | ${FIRST_CPUS[-1]} | $WALL | $CPU |"
  done
  echo "| median of $RUNS | $(printf '%s\n' "${FIRSTS[@]}" | median) | $(printf '%s\n' "${FIRST_CPUS[@]}" | median)" \
       "| $(printf '%s\n' "${RESTARTS[@]}" | median) | $(printf '%s\n' "${RESTART_CPUS[@]}" | median) |"
fi
echo
echo "starts that used Spring AOT (-Dspring.aot.enabled=true on an -Paot build), the unmeasured one included: $AOT_STARTS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
