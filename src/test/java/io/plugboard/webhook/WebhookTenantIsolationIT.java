package io.plugboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plugboard.PlugboardTest;
import io.plugboard.common.NotFoundException;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.data.domain.PageRequest;
import org.springframework.security.access.AccessDeniedException;

/**
 * One tenant's endpoints, events and deliveries never reach another: not through the service (every id of
 * tenant A answers "not found" to tenant B), and not through the outbox (A's changes go only to A's endpoints).
 * Auditors read but change nothing.
 */
@PlugboardTest
class WebhookTenantIsolationIT extends WebhookTestSupport {

    @Test
    void anotherTenantsEndpointsAndDeliveriesDoNotResolve() {
        TestTenant other = newTenant("whb");
        IssuedSecret mine = endpoint("/iso/a");
        IssuedSecret theirs = endpoint(other, "/iso/b");
        String id = credential(uniqueUser());
        eventually().until(() -> typesFor("/iso/a", id).size() == 1);
        long delivery = deliveryIds(mine.endpoint().id(), id).getFirst();

        assertThat(typesFor("/iso/b", id)).as("B's endpoint heard nothing of A's credential").isEmpty();
        assertThat(deliveryIds(theirs.endpoint().id(), id)).isEmpty();

        asAdmin(other, () -> {
            assertThat(webhooks.endpoints(other.id())).extracting(WebhookEndpoint::id).containsExactly(theirs.endpoint().id());
            assertThat(webhooks.deliveries(other.id(), DeliveryFilter.ALL, PageRequest.of(0, 50))).isEmpty();
            assertThat(webhooks.deliveries(other.id(), new DeliveryFilter(mine.endpoint().id(), null),
                    PageRequest.of(0, 50))).isEmpty();
            assertThat(webhooks.countDeliveries(other.id(), new DeliveryFilter(mine.endpoint().id(), null))).isZero();
            List<Runnable> probes = List.of(
                    () -> webhooks.endpoints(tenant.id()),
                    () -> webhooks.endpoint(other.id(), mine.endpoint().id()),
                    () -> webhooks.endpoint(tenant.id(), mine.endpoint().id()),
                    () -> webhooks.delivery(other.id(), delivery),
                    () -> webhooks.deliveries(tenant.id(), DeliveryFilter.ALL, PageRequest.of(0, 10)),
                    () -> webhooks.update(other.id(), mine.endpoint().id(), new EndpointInput(receiver.baseUrl() + "/x",
                            null, List.of("credential.created"))),
                    () -> webhooks.setEnabled(other.id(), mine.endpoint().id(), false),
                    () -> webhooks.rotateSecret(other.id(), mine.endpoint().id()),
                    () -> webhooks.sendTest(other.id(), mine.endpoint().id()),
                    () -> webhooks.redeliver(other.id(), delivery),
                    () -> webhooks.delete(other.id(), mine.endpoint().id()),
                    () -> webhooks.summary(tenant.id()));
            for (int i = 0; i < probes.size(); i++) {
                assertThatThrownBy(probes.get(i)::run).as("probe %d", i).isInstanceOf(NotFoundException.class);
            }
            return null;
        });
        WebhookEndpoint untouched = asAdmin(() -> webhooks.endpoint(tenant.id(), mine.endpoint().id()));
        assertThat(untouched.enabled()).isTrue();
        assertThat(untouched.url()).endsWith("/iso/a");
        assertThat(untouched.secretRotatedAt()).isEqualTo(mine.endpoint().secretRotatedAt());
    }

    @Test
    void anAuditorOfTheTenantReadsButCannotChangeAnything() {
        IssuedSecret endpoint = endpoint("/iso/audited");
        String auditorEmail = "auditor@" + tenant.slug() + ".example";
        jdbc.update("""
                INSERT INTO portal_users (id, email, display_name, role, tenant_id, password_hash, enabled, created_at,
                    updated_at)
                SELECT gen_random_uuid(), ?, 'Auditor', 'AUDITOR', ?, password_hash, true, now(), now()
                FROM portal_users WHERE email = ?
                ON CONFLICT DO NOTHING""", auditorEmail, tenant.id(), tenant.adminEmail());
        as(auditorEmail, () -> {
            assertThat(webhooks.endpoints(tenant.id())).extracting(WebhookEndpoint::id).contains(endpoint.endpoint().id());
            assertThat(webhooks.summary(tenant.id()).endpoints()).isPositive();
            assertThatThrownBy(() -> webhooks.create(tenant.id(), new EndpointInput(receiver.baseUrl() + "/no", null,
                    List.of("credential.created")))).isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> webhooks.rotateSecret(tenant.id(), endpoint.endpoint().id()))
                    .isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> webhooks.sendTest(tenant.id(), endpoint.endpoint().id()))
                    .isInstanceOf(AccessDeniedException.class);
            return null;
        });
    }

    @Test
    void invalidInputIsRefusedWithAMessageAndNothingIsStored() {
        long before = asAdmin(() -> (long) webhooks.endpoints(tenant.id()).size());
        Map<EndpointInput, String> refused = Map.of(
                new EndpointInput("ftp://example.com/x", null, List.of("credential.created")), "URL: ",
                new EndpointInput(receiver.baseUrl() + "/x", null, List.of()), "Events: ",
                new EndpointInput(receiver.baseUrl() + "/x", null, List.of("credential.exploded")), "Events: unknown",
                new EndpointInput(receiver.baseUrl() + "/x", "line\nbreak", List.of("credential.created")), "Description: ");
        refused.forEach((input, message) -> assertThatThrownBy(() -> asAdmin(() -> webhooks.create(tenant.id(), input)))
                .as(input.toString()).isInstanceOf(io.plugboard.common.InvalidRequestException.class)
                .hasMessageStartingWith(message));
        assertThat(asAdmin(() -> (long) webhooks.endpoints(tenant.id()).size())).isEqualTo(before);
    }
}
