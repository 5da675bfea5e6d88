package io.plugboard.credential;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.KeysetHandle;
import io.plugboard.PlugboardTest;
import io.plugboard.crypto.ApplicationKeyset;
import io.plugboard.crypto.MasterKeys;
import io.plugboard.crypto.SecretVault;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Revocations the provider did not confirm at revoke time, retried by the worker against WireMock as the provider's
 * RFC 7009 endpoint. Time is moved by handing the worker a later "now" ({@link RevocationWorker#retryDue}): the
 * shared application's own worker polls with the real time and so never reaches the attempts a test schedules
 * hours ahead.
 */
@PlugboardTest
class ProviderRevocationQueueIT extends ProxyTestSupport {

    @Autowired
    RevocationWorker worker;
    @Autowired
    ProviderRevocations revocations;
    @Autowired
    RevocationSecrets revocationSecrets;
    @Autowired
    RevocationProperties properties;
    @Autowired
    SecretVault vault;

    /** An authorization-code connector whose revocation endpoint is WireMock's {@code path}. */
    private String revocable(TestTenant who, String appKey, String path) {
        return connector(who, revocableYaml(appKey, path));
    }

    private String revocableYaml(String appKey, String path) {
        return """
                appKey: %s
                name: %s
                category: CRM
                authMode: OAUTH2_AUTHORIZATION_CODE
                oauth:
                  authorizationUrl: %s/oauth/authorize
                  tokenUrl: %s/oauth/token
                  revocationUrl: %s%s
                  clientAuthentication: client_secret_post
                api:
                  baseUrl: %s/api
                  auth:
                    type: BEARER
                """.formatted(appKey, appKey, provider.baseUrl(), provider.baseUrl(), provider.baseUrl(), path,
                provider.baseUrl());
    }

    /** Claims and attempts until nothing is due by {@code now}; returns how many it claimed in all. */
    private static int drain(RevocationWorker worker, Instant now) {
        int total = 0;
        for (int claimed = worker.retryDue(now); claimed > 0; claimed = worker.retryDue(now)) {
            total += claimed;
        }
        return total;
    }

    private String revocable(String appKey, String path) {
        return revocable(tenant, appKey, path);
    }

    private String credential(TestTenant who, String appKey, String refreshToken) {
        return oauthCredential(who, appKey, "at-" + UUID.randomUUID(), refreshToken,
                Instant.now().plus(1, ChronoUnit.HOURS));
    }

    private CredentialView revoke(TestTenant who, String id) {
        return asAdmin(who, () -> credentials.revoke(who.id(), id));
    }

    private ProviderRevocationState state(TestTenant who, String id) {
        return revocations.find(who.id(), id).orElseThrow();
    }

    private byte[] material(String id) {
        return jdbc.queryForObject("SELECT material FROM provider_revocations WHERE credential_id = ?", byte[].class, id);
    }

    private long audits(String id, String action) {
        return jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE target_id = ? AND action = ?", Long.class,
                id, action);
    }

    private int sent(String path) {
        return provider.findAll(postRequestedFor(urlEqualTo(path))).size();
    }

    @Test
    void aProviderThatAnswers503TwiceThen200IsRevokedOnTheThirdAttempt() {
        String app = revocable("flaky-revoke", "/flaky/revoke");
        provider.stubFor(post(urlEqualTo("/flaky/revoke")).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        provider.stubFor(post(urlEqualTo("/flaky/revoke")).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        provider.stubFor(post(urlEqualTo("/flaky/revoke")).inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(200)));
        String refreshToken = "rt-" + UUID.randomUUID();
        String id = credential(tenant, app, refreshToken);

        CredentialView revoked = revoke(tenant, id);

        assertThat(revoked.status()).isEqualTo(CredentialStatus.REVOKED);
        assertThat(revoked.providerRevocation()).isNotNull();
        assertThat(revoked.providerRevocation().status()).isEqualTo(ProviderRevocationStatus.PENDING);
        assertThat(revoked.providerRevocation().attempts()).isEqualTo(1);
        assertThat(revoked.providerRevocation().lastError()).isEqualTo("HTTP 503");
        assertThat(material(id)).isNotNull();

        Instant later = Instant.now();
        for (int i = 0; i < 5 && state(tenant, id).status() == ProviderRevocationStatus.PENDING; i++) {
            later = later.plus(Duration.ofHours(1));
            worker.retryDue(later);
        }

        ProviderRevocationState done = state(tenant, id);
        assertThat(done.status()).isEqualTo(ProviderRevocationStatus.DONE);
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(done.lastError()).isNull();
        assertThat(done.nextAttemptAt()).isNull();
        assertThat(material(id)).as("the sealed material is destroyed once the provider confirmed").isNull();
        assertThat(sent("/flaky/revoke")).isEqualTo(3);
        assertThat(provider.findAll(postRequestedFor(urlEqualTo("/flaky/revoke"))))
                .allSatisfy(request -> assertThat(request.getBodyAsString()).contains("token=" + refreshToken)
                        .contains("client_id=" + OAUTH_CLIENT_ID));
        assertThat(audits(id, "credential.provider_revocation.done")).isEqualTo(1);
        assertThat(audits(id, "credential.provider_revocation.failed")).isZero();
        assertThat(asAdmin(tenant, () -> credentials.get(tenant.id(), id)).providerRevocation().status())
                .isEqualTo(ProviderRevocationStatus.DONE);
    }

    @Test
    void aProviderThatNeverRecoversFailsTheRevocationOnceTheRetriesGiveUp() {
        String app = revocable("down-revoke", "/down/revoke");
        provider.stubFor(post(urlEqualTo("/down/revoke")).willReturn(aResponse().withStatus(503)));
        String id = credential(tenant, app, "rt-" + UUID.randomUUID());
        revoke(tenant, id);

        Instant later = Instant.now();
        int rounds = 0;
        while (state(tenant, id).status() == ProviderRevocationStatus.PENDING && rounds++ < 100) {
            later = later.plus(properties.maxBackoff()).plusSeconds(1);
            worker.retryDue(later);
        }

        ProviderRevocationState failed = state(tenant, id);
        assertThat(failed.status()).isEqualTo(ProviderRevocationStatus.FAILED);
        assertThat(later).as("given up after the bound, not before")
                .isAfter(Instant.now().plus(properties.maxAge()).minus(properties.maxBackoff()));
        assertThat(failed.attempts()).isGreaterThan(10).isEqualTo(sent("/down/revoke"));
        assertThat(failed.lastError()).isEqualTo("HTTP 503 (gave up after " + failed.attempts() + " attempts)");
        assertThat(material(id)).isNull();
        assertThat(audits(id, "credential.provider_revocation.failed")).isEqualTo(1);

        worker.retryDue(later.plus(Duration.ofDays(30)));
        assertThat(sent("/down/revoke")).as("nothing is sent after giving up").isEqualTo(failed.attempts());
    }

    @Test
    void twoWorkersNeverSendTheSameRevocation() throws Exception {
        String app = revocable("slow-revoke", "/slow/revoke");
        provider.stubFor(post(urlEqualTo("/slow/revoke")).willReturn(aResponse().withStatus(503)));
        Map<String, String> tokens = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            String token = "rt-" + UUID.randomUUID();
            String id = credential(tenant, app, token);
            revoke(tenant, id);
            tokens.put(id, token);
        }
        provider.stubFor(post(urlEqualTo("/slow/revoke")).willReturn(aResponse().withStatus(503)
                .withFixedDelay(1000)));
        // Two instances' workers over the same database, taking three at a time, while attempts are in flight.
        var small = new RevocationProperties(properties.initialBackoff(), properties.maxBackoff(), properties.maxAge(),
                properties.pollInterval(), 3, true);
        var one = new RevocationWorker(revocations, context.getBean(RevocationQueue.class), small,
                context.getBean(Clock.class));
        var two = new RevocationWorker(revocations, context.getBean(RevocationQueue.class), small,
                context.getBean(Clock.class));
        Instant later = Instant.now().plus(Duration.ofHours(1));
        // All due at that time only, out of reach of the application's own worker, which polls at the real time.
        tokens.keySet().forEach(id -> jdbc.update(
                "UPDATE provider_revocations SET next_attempt_at = ? WHERE credential_id = ?",
                CredentialStore.utc(later), id));

        int claimed;
        // Threads of their own: the common pool may have a single one on a small machine, which would run them in turn.
        try (var threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
            var first = CompletableFuture.supplyAsync(() -> drain(one, later), threads);
            var second = CompletableFuture.supplyAsync(() -> drain(two, later), threads);
            claimed = first.get() + second.get();
        }

        assertThat(claimed).as("every one claimed").isGreaterThanOrEqualTo(tokens.size());
        assertThat(sent("/slow/revoke")).as("one first attempt and one retry each").isEqualTo(2 * tokens.size());
        tokens.forEach((id, token) -> {
            assertThat(state(tenant, id).attempts()).isEqualTo(2);
            assertThat(provider.findAll(postRequestedFor(urlEqualTo("/slow/revoke"))).stream()
                    .filter(r -> r.getBodyAsString().contains("token=" + token)).count()).isEqualTo(2);
        });
    }

    @Test
    void aRetryIsNotSentWhenTheConnectorsRevocationEndpointChanged() {
        String app = revocable("moved-revoke", "/before/revoke");
        provider.stubFor(post(urlEqualTo("/before/revoke")).willReturn(aResponse().withStatus(503)));
        provider.stubFor(post(urlEqualTo("/after/revoke")).willReturn(aResponse().withStatus(200)));
        String id = credential(tenant, app, "rt-" + UUID.randomUUID());
        revoke(tenant, id);
        editConfirmed(revocableYaml(app, "/after/revoke"));

        worker.retryDue(Instant.now().plus(Duration.ofHours(1)));

        ProviderRevocationState state = state(tenant, id);
        assertThat(state.status()).isEqualTo(ProviderRevocationStatus.FAILED);
        assertThat(state.lastError()).isEqualTo("connector_changed");
        assertThat(state.attempts()).isEqualTo(1);
        assertThat(sent("/before/revoke")).isEqualTo(1);
        assertThat(sent("/after/revoke")).as("the material goes nowhere it was not first sent").isZero();
        assertThat(material(id)).isNull();
        assertThat(audits(id, "credential.provider_revocation.failed")).isEqualTo(1);
    }

    @Test
    void materialCopiedIntoAnotherTenantsRevocationDoesNotOpenAndIsNotSent() {
        TestTenant other = TestTenants.create(context, "revother");
        String mine = credential(tenant, revocable("iso-revoke", "/iso/mine/revoke"), "rt-mine-" + UUID.randomUUID());
        String theirs = credential(other, revocable(other, "iso-revoke", "/iso/theirs/revoke"),
                "rt-theirs-" + UUID.randomUUID());
        provider.stubFor(post(urlEqualTo("/iso/mine/revoke")).willReturn(aResponse().withStatus(503)));
        provider.stubFor(post(urlEqualTo("/iso/theirs/revoke")).willReturn(aResponse().withStatus(503)));
        revoke(tenant, mine);
        revoke(other, theirs);
        // Each tenant sees its own revocation only.
        assertThat(revocations.find(other.id(), mine)).isEmpty();
        assertThat(revocations.find(tenant.id(), theirs)).isEmpty();
        jdbc.update("UPDATE provider_revocations SET material = ? WHERE credential_id = ?", material(mine), theirs);

        worker.retryDue(Instant.now().plus(Duration.ofHours(1)));

        assertThat(state(other, theirs).status()).isEqualTo(ProviderRevocationStatus.FAILED);
        assertThat(state(other, theirs).lastError()).isEqualTo(RevocationQueue.UNREADABLE);
        assertThat(sent("/iso/theirs/revoke")).isEqualTo(1);
        assertThat(provider.findAll(postRequestedFor(urlEqualTo("/iso/theirs/revoke"))))
                .noneMatch(r -> r.getBodyAsString().contains("rt-mine-"));
        assertThat(state(tenant, mine).attempts()).as("the other tenant's own is retried").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aMasterKeyRotationReSealsTheQueuedMaterial() throws Exception {
        String app = revocable("rotated-revoke", "/rotated/revoke");
        provider.stubFor(post(urlEqualTo("/rotated/revoke")).willReturn(aResponse().withStatus(503)));
        String refreshToken = "rt-" + UUID.randomUUID();
        String id = credential(tenant, app, refreshToken);
        revoke(tenant, id);
        KeysetHandle current = ApplicationKeyset.of(vault);
        var rotated = new SecretVault(MasterKeys.withNewPrimary(current));
        assertThat(rotated.sealedWithPrimary(material(id))).isFalse();
        assertThat(revocationSecrets.countNotOnPrimary(rotated)).isPositive();
        try {
            assertThat(revocationSecrets.resealBatch(rotated, null, 10_000).resealed()).isPositive();

            assertThat(revocationSecrets.countNotOnPrimary(rotated)).isZero();
            assertThat(rotated.sealedWithPrimary(material(id))).isTrue();
            assertThat(rotated.open(RevocationQueue.binding(tenant.id(), id), material(id))).contains(refreshToken);
        } finally {
            // Back under the application's own key, which does not know the rotated one.
            for (var row : revocations.materialNotOn(vault.primaryKeyIdBytes(), "", 10_000)) {
                var binding = RevocationQueue.binding(row.tenantId(), row.credentialId());
                revocations.reseal(row, vault.seal(binding, rotated.open(binding, row.material())));
            }
        }
        assertThat(vault.open(RevocationQueue.binding(tenant.id(), id), material(id))).contains(refreshToken);
    }
}
