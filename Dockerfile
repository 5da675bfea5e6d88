# syntax=docker/dockerfile:1
#
# Plugboard portal. Build:  docker build -t plugboard .
# Run (embedded PostgreSQL, data in a volume):
#   docker run -p 8080:8080 -v plugboard-data:/data plugboard
# Run against an external PostgreSQL: see README, "Docker". Configuration is by environment variables only.

# ---- build: the same ./mvnw package as everywhere else (production-mode Vaadin bundle, no Node.js needed), with
# Spring's ahead-of-time processing (-Paot) for the image's default switches: embedded database, demo mode, no tracing.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /build
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY src src
COPY db db
COPY themes themes
RUN --mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.vaadin \
    ./mvnw -B -q package -DskipTests -Paot \
 && cp target/plugboard-*.jar /build/plugboard.jar

# ---- run: JRE only, as an unprivileged user. JDK 25 for its AOT cache (JEP 483/514/515), made below.
FROM eclipse-temurin:25-jre
# curl is part of the Temurin images today (kept for health checks); install it should a base drop it.
RUN command -v curl > /dev/null \
    || (apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*)
RUN groupadd --system --gid 10001 plugboard \
 && useradd --system --uid 10001 --gid plugboard --home-dir /app --shell /usr/sbin/nologin plugboard \
 && mkdir -p /app /data \
 && chown plugboard:plugboard /data
WORKDIR /app
# Extracted (plugboard.jar + lib/): the AOT cache only covers classes loaded from plain jars on the class path.
COPY --from=build /build/plugboard.jar /tmp/plugboard.jar
RUN java -Djarmode=tools -jar /tmp/plugboard.jar extract --destination /app && rm /tmp/plugboard.jar

# Training run: starts the context once on a throw-away data directory and exits, recording the loaded and
# linked classes and method profiles into the AOT cache. It runs as the unprivileged user (PostgreSQL's
# initdb refuses root); the cache then moves into /app, owned by root like the rest of the application. It is an
# ordinary start, not an AOT one: its cache serves starts with Spring AOT and those that fall back without it alike.
USER 10001:10001
RUN data="$(mktemp -d)" \
 && PLUGBOARD_DATA_DIR="$data" java -XX:AOTCacheOutput=/tmp/plugboard.aot -Dspring.context.exit=onRefresh \
        -jar /app/plugboard.jar \
 && rm -rf "$data" /tmp/embedded-pg
USER root
RUN mv /tmp/plugboard.aot /app/plugboard.aot && chown root:root /app/plugboard.aot

# The embedded PostgreSQL (used when SPRING_DATASOURCE_URL is unset) and a generated master key live here.
ENV PLUGBOARD_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
USER 10001:10001

# A first start on an empty /data runs initdb and the migrations: allow for it before failures count.
HEALTHCHECK --start-period=120s --interval=30s --timeout=5s --retries=3 \
    CMD curl -fsS -o /dev/null "http://localhost:${PORT:-8080}/actuator/health" || exit 1

# Heap follows the container's memory limit; add JVM options with JAVA_TOOL_OPTIONS. A JVM that cannot use
# the AOT cache (other JVM version or garbage collector) says so in a warning and starts without it. A run whose
# database, demo mode or tracing differ from the build's (an external database, say) logs that it starts without
# Spring AOT, and does: correct, with the AOT cache, only without the generated bean definitions.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:AOTCache=/app/plugboard.aot", "-Dspring.aot.enabled=true", \
            "-jar", "/app/plugboard.jar"]
