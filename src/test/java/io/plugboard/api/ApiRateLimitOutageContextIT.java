package io.plugboard.api;

import io.plugboard.PlatformScopeForTests;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.database.PostgresOutage;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * Requests that waited for the database in the token check all pass it at once when the database comes back;
 * the rate limiter must not answer them 429, since the client sent them within its rate. A connection timeout
 * long enough for them to wait out the outage, and a burst smaller than the backlog.
 */
@ExtendWith(PlatformScopeForTests.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "plugboard.data-dir=target/test-data/${random.uuid}",
        "plugboard.demo.enabled=false",
        "plugboard.database.durable=true",
        "plugboard.database.connection-timeout=30s",
        "plugboard.api.rate-limit.burst=3",
        "plugboard.api.rate-limit.requests-per-second=1",
})
class ApiRateLimitOutageContextIT {

    private static final String PATH = "/api/v1/end-users";

    @Autowired
    ApplicationContext context;
    @LocalServerPort
    int port;

    @Test
    void aBacklogReleasedWhenTheDatabaseIsBackIsNotAnswered429() throws Exception {
        var api = new TestApi(port);
        TestTenant tenant = TestTenants.create(context, "backlog");
        String token = TestApi.token(tenant, "tenant");
        var outage = PostgresOutage.of(context);
        outage.crash();
        List<Integer> statuses = new ArrayList<>();
        try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> backlog = new ArrayList<>();
            try {
                // Six requests, one every 400 ms: within a burst of 3 and 1 per second... as they arrive.
                for (int i = 0; i < 6; i++) {
                    backlog.add(clients.submit(() -> api.get(PATH, token).status()));
                    Thread.sleep(400);
                }
            } finally {
                outage.start();
            }
            for (Future<Integer> request : backlog) {
                statuses.add(request.get());
            }
        }
        assertThat(statuses).as("the backlog, answered once the database was back").containsOnly(200);
    }
}
