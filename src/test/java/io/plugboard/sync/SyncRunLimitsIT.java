package io.plugboard.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster-wide limits on runs in progress: {@code max-runs-per-tenant} (2 here, the default) and
 * {@code max-runs-per-host} (4). Claimers racing each other stand for the workers of several instances: each
 * claim is its own transaction on its own connection, exactly as another instance's would be.
 */
@PlugboardTest
class SyncRunLimitsIT extends SyncTestSupport {

    private String appKey;

    @BeforeAll
    void connectFollowUpBoss() {
        appKey = followUpBoss(tenant);
    }

    @Test
    void workersRacingToClaimNeverRunMoreThanTwoSyncsOfOneTenantAtOnce() throws Exception {
        for (int i = 0; i < 12; i++) {
            synced(tenant, appKey, "people");
        }

        // Eight claimers at once, each asking for one run: without a count that sees the others' claims, each would
        // find the tenant below its limit and take one.
        List<SyncStates.Claim> claimed = race(8, List.of(tenant));

        assertThat(claimed).hasSize(2);
        assertThat(mine(worker.claim(100), List.of(tenant))).as("the tenant is full").isEmpty();

        // A run that ends (here: its lease handed back) makes room for exactly one more.
        states.release(claimed.getFirst());
        jdbc.update("UPDATE sync_states SET next_run_at = now() + interval '1 hour' WHERE credential_id = ?",
                claimed.getFirst().credentialId());
        assertThat(mine(worker.claim(100), List.of(tenant))).hasSize(1);
        assertThat(mine(worker.claim(100), List.of(tenant))).isEmpty();
    }

    @Test
    void aLeaseThatRanOutNoLongerCountsAgainstTheTenant() {
        for (int i = 0; i < 3; i++) {
            synced(tenant, appKey, "people");
        }
        List<SyncStates.Claim> first = mine(worker.claim(100), List.of(tenant));
        assertThat(first).hasSize(2);

        // The worker holding them died: once their leases run out, the tenant has room again.
        jdbc.update("UPDATE sync_states SET lease_until = now() - interval '1 second' WHERE tenant_id = ? "
                + "AND lease_until IS NOT NULL", tenant.id());

        assertThat(mine(worker.claim(100), List.of(tenant))).hasSize(2);
    }

    @Test
    void workersRacingToClaimNeverRunMoreThanFourSyncsAgainstOneProviderHost() throws Exception {
        // Three tenants, three credentials each, all against the same CRM host.
        var tenants = new ArrayList<TestTenant>();
        tenants.add(tenant);
        for (String name : List.of("limitsb", "limitsc")) {
            TestTenant other = TestTenants.create(context, name);
            tenants.add(other);
        }
        for (TestTenant who : tenants) {
            String key = who == tenant ? appKey : followUpBoss(who);
            for (int i = 0; i < 3; i++) {
                synced(who, key, "people");
            }
        }
        try {
            List<SyncStates.Claim> claimed = race(8, tenants);

            assertThat(claimed).hasSize(4);
            for (TestTenant who : tenants) {
                assertThat(claimed).filteredOn(c -> c.tenantId().equals(who.id())).hasSizeLessThanOrEqualTo(2);
            }
            assertThat(claimed).extracting(SyncStates.Claim::apiHost).containsOnly(host());
            assertThat(mine(worker.claim(100), tenants)).as("the host is full").isEmpty();
        } finally {
            for (TestTenant who : tenants) {
                jdbc.update("UPDATE sync_states SET enabled = false, lease_owner = NULL, lease_until = NULL "
                        + "WHERE tenant_id = ?", who.id());
            }
        }
    }

    @Test
    void theHostIsNotedWhenTheSyncIsConfiguredAndAgainWhenItRuns() {
        String credential = synced(tenant, appKey, "people");
        assertThat(jdbc.queryForObject("SELECT api_host FROM sync_states WHERE credential_id = ?", String.class,
                credential)).isEqualTo(host());

        jdbc.update("UPDATE sync_states SET api_host = NULL WHERE credential_id = ?", credential);
        stubPeoplePages();
        runDue();

        assertThat(jdbc.queryForObject("SELECT api_host FROM sync_states WHERE credential_id = ?", String.class,
                credential)).isEqualTo(host());
        assertThat(rows("synced_people", credential)).isEqualTo(5);
    }

    /** {@code claimers} threads claim one run each, all at once, until none finds any more; the claims of ours. */
    private List<SyncStates.Claim> race(int claimers, List<TestTenant> tenants) throws Exception {
        var start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            var futures = new ArrayList<Future<List<SyncStates.Claim>>>();
            for (int i = 0; i < claimers; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    var all = new ArrayList<SyncStates.Claim>();
                    for (int round = 0; round < 3; round++) {
                        all.addAll(mine(worker.claim(1), tenants));
                    }
                    return all;
                }));
            }
            start.countDown();
            var claimed = new ArrayList<SyncStates.Claim>();
            for (var future : futures) {
                claimed.addAll(future.get());
            }
            return claimed;
        } finally {
            pool.shutdownNow();
        }
    }

    private String host() {
        return SyncHosts.key(java.net.URI.create(provider.baseUrl()));
    }
}
