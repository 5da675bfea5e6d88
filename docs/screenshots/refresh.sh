#!/usr/bin/env bash
# Re-takes the README screenshots (1280x800 PNGs in this directory): packages the portal, starts the jar
# on a fresh embedded database, and drives headless Chromium through it (io.plugboard.e2e.ReadmeScreenshots).
# Needs a JDK 21+ (JAVA_HOME), curl, and Debian's chromium + chromium-driver at /usr/bin.
# Usage: docs/screenshots/refresh.sh            (PORT defaults to 8181)
set -euo pipefail
cd "$(dirname "$0")/../.."

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
PORT="${PORT:-8181}"
PASSWORD="screenshots-$RANDOM-$RANDOM"
DATA_DIR="$(mktemp -d /tmp/plugboard-screenshots.XXXXXX)"

./mvnw -q package -DskipTests
./mvnw -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt

# The public URL must match the port: the demo's sandbox provider and the OAuth redirect URI live there.
PLUGBOARD_DATA_DIR="$DATA_DIR" PLUGBOARD_DEMO_PASSWORD="$PASSWORD" PLUGBOARD_PUBLIC_URL="http://localhost:$PORT" \
  "$JAVA" -jar target/plugboard-*.jar --server.port="$PORT" > "$DATA_DIR.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null || true; rm -rf "$DATA_DIR"' EXIT

for _ in $(seq 1 120); do
  curl -fs "http://localhost:$PORT/actuator/health" > /dev/null && break
  kill -0 $APP 2>/dev/null || { echo "The portal did not start; see $DATA_DIR.log" >&2; exit 1; }
  sleep 1
done

"$JAVA" -cp "target/test-classes:$(cat target/test-classpath.txt)" io.plugboard.e2e.ReadmeScreenshots \
  "http://localhost:$PORT" "$PASSWORD" docs/screenshots
