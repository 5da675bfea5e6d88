--liquibase formatted sql

--changeset plugboard:027-audit-events-tenant-chain runInTransaction:false
-- A tenant's SIEM pulls its audit events in chain order after the position it last saw (GET /api/v1/audit/events);
-- this index makes each poll a short range scan rather than a walk of every tenant's newer events. Built
-- concurrently, so audited writes of running instances are not blocked while it builds.
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_events_tenant_chain ON audit_events (tenant_id, chain_index);
