--liquibase formatted sql

--changeset plugboard:007-credential-counts splitStatements:false
-- The dashboard's credential numbers (per status, per connector) at any size: a count per tenant, connector
-- and status, kept exact by triggers in the same transaction as the change. Counting a million rows instead
-- would read the whole index on every dashboard view. Inserts and deletes are counted per statement (one
-- upsert per group, so bulk statements stay cheap); updates per row, and only when the status (or connector)
-- changes, so the proxy's last-used updates never reach the trigger. Upserts lock counter rows in key order,
-- so two transactions cannot deadlock on them. Creations already commit one at a time (the audit chain's lock),
-- so the counter rows add no new serialisation.
CREATE TABLE credential_counts (
    tenant_id           uuid         NOT NULL,
    app_key             varchar(50)  NOT NULL,
    status              varchar(20)  NOT NULL,
    n                   bigint       NOT NULL,
    PRIMARY KEY (tenant_id, app_key, status)
);

-- Transitions into REFRESH_FAILED per tenant and clock hour (UTC): the provider refused a refresh and the
-- credential now needs a reconnect. The background job retries failed credentials every cooldown and audits
-- each refusal again; those retries are not new failures and are not counted here.
CREATE TABLE credential_refresh_failures_hourly (
    tenant_id           uuid         NOT NULL,
    hour                timestamptz  NOT NULL,
    n                   bigint       NOT NULL,
    PRIMARY KEY (tenant_id, hour)
);
CREATE INDEX credential_refresh_failures_hourly_hour ON credential_refresh_failures_hourly (hour);

CREATE FUNCTION credential_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO credential_counts AS c (tenant_id, app_key, status, n)
    SELECT tenant_id, app_key, status, count(*) FROM inserted_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, app_key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;

CREATE FUNCTION credential_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO credential_counts AS c (tenant_id, app_key, status, n)
    SELECT tenant_id, app_key, status, -count(*) FROM deleted_rows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, app_key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END;
$$;

CREATE FUNCTION credential_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO credential_counts AS c (tenant_id, app_key, status, n)
    SELECT * FROM (VALUES (OLD.tenant_id, OLD.app_key, OLD.status, -1::bigint),
                          (NEW.tenant_id, NEW.app_key, NEW.status, 1::bigint)) v (tenant_id, app_key, status, n)
    ORDER BY 1, 2, 3
    ON CONFLICT (tenant_id, app_key, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    IF NEW.status = 'REFRESH_FAILED' AND OLD.status IS DISTINCT FROM 'REFRESH_FAILED' THEN
        INSERT INTO credential_refresh_failures_hourly AS f (tenant_id, hour, n)
        VALUES (NEW.tenant_id, date_trunc('hour', COALESCE(NEW.refresh_failed_at, now()), 'UTC'), 1)
        ON CONFLICT (tenant_id, hour) DO UPDATE SET n = f.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE FUNCTION credential_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM credential_counts;
    RETURN NULL;
END;
$$;

CREATE TRIGGER credential_counts_insert AFTER INSERT ON credentials
    REFERENCING NEW TABLE AS inserted_rows FOR EACH STATEMENT EXECUTE FUNCTION credential_counts_inserted();
CREATE TRIGGER credential_counts_delete AFTER DELETE ON credentials
    REFERENCING OLD TABLE AS deleted_rows FOR EACH STATEMENT EXECUTE FUNCTION credential_counts_deleted();
CREATE TRIGGER credential_counts_update AFTER UPDATE OF status, app_key, tenant_id ON credentials
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.app_key IS DISTINCT FROM NEW.app_key
                       OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
    EXECUTE FUNCTION credential_counts_updated();
CREATE TRIGGER credential_counts_truncate AFTER TRUNCATE ON credentials
    FOR EACH STATEMENT EXECUTE FUNCTION credential_counts_truncated();

-- The triggers exist before the existing rows are counted, and creating them locked out writers until this
-- change set commits: no credential is missed or counted twice.
INSERT INTO credential_counts (tenant_id, app_key, status, n)
SELECT tenant_id, app_key, status, count(*) FROM credentials GROUP BY 1, 2, 3;

--changeset plugboard:007-proxy-call-stats splitStatements:false
-- Proxied calls per tenant and clock hour (UTC), rolled up from proxy_calls by a scheduled job (CallStatsRollup):
-- totals by outcome and a latency histogram (counts per fixed bucket, LatencyHistogram's bounds) from which
-- percentiles are estimated. The dashboard reads these rows plus the few raw rows not rolled up yet.
CREATE TABLE proxy_call_stats_hourly (
    tenant_id           uuid         NOT NULL,
    hour                timestamptz  NOT NULL,
    calls               bigint       NOT NULL,
    ok                  bigint       NOT NULL,
    client_errors       bigint       NOT NULL,
    errors              bigint       NOT NULL,
    latency_buckets     bigint[]     NOT NULL,
    PRIMARY KEY (tenant_id, hour)
);
CREATE INDEX proxy_call_stats_hourly_hour ON proxy_call_stats_hourly (hour);

-- The same summed over all tenants, for platform staff: reading it costs the same with ten tenants or ten thousand.
CREATE TABLE proxy_call_stats_hourly_all (
    hour                timestamptz  PRIMARY KEY,
    calls               bigint       NOT NULL,
    ok                  bigint       NOT NULL,
    client_errors       bigint       NOT NULL,
    errors              bigint       NOT NULL,
    latency_buckets     bigint[]     NOT NULL
);

-- How far the roll-up has read proxy_calls, by id. Rows are taken by id, not by time, so a call logged late (a
-- long download is logged when it ends, under the hour it started) is still counted, in its own hour.
-- next_to is the highest id seen on the previous run: a run rolls up only that far, which leaves a batch insert
-- that drew its ids but had not committed yet a whole run interval to commit.
CREATE TABLE dashboard_rollups (
    name                varchar(50)  PRIMARY KEY,
    rolled_up_to        bigint       NOT NULL,
    next_to             bigint       NOT NULL,
    updated_at          timestamptz  NOT NULL
);
INSERT INTO dashboard_rollups (name, rolled_up_to, next_to, updated_at) VALUES ('proxy_calls', 0, 0, now());

-- Adds two histograms bucket by bucket (a missing bucket counts 0).
CREATE FUNCTION dashboard_add_buckets(a bigint[], b bigint[]) RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(COALESCE(x, 0) + COALESCE(y, 0) ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS u (x, y, i)
$$;

--changeset plugboard:007-dashboard-list-indexes
-- The dashboard's action lists: a tenant's credentials needing a reconnect (most recent failure first) and its
-- latest revocations. Partial indexes: only those rows are in them.
CREATE INDEX credentials_needing_reconnect ON credentials (tenant_id, refresh_failed_at DESC NULLS LAST)
    WHERE status = 'REFRESH_FAILED';
CREATE INDEX credentials_revoked_recently ON credentials (tenant_id, revoked_at DESC NULLS LAST) WHERE status = 'REVOKED';
-- Connect sessions started in the last 24 hours across all tenants (platform staff).
CREATE INDEX connect_sessions_created ON connect_sessions (created_at);
