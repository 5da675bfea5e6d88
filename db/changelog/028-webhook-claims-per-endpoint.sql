--liquibase formatted sql

--changeset plugboard:028-webhook-claims-per-endpoint
-- A claim walks each enabled endpoint's due deliveries in order, and counts the endpoint's live leases to keep
-- its deliveries in flight under plugboard.webhooks.per-endpoint-concurrency.
CREATE INDEX webhook_deliveries_endpoint_due ON webhook_deliveries (endpoint_id, next_attempt_at, id)
    WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_endpoint_leased ON webhook_deliveries (endpoint_id, lease_until)
    WHERE status = 'PENDING' AND lease_until IS NOT NULL;
