package io.plugboard.sync;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes the {@link SyncEvents} of a run, each in the transaction of the change it reports, so the webhook
 * outbox holds an event exactly when its change committed.
 */
@Component
class SyncNotices {

    private final ApplicationEventPublisher publisher;
    private final JdbcTemplate jdbc;

    SyncNotices(ApplicationEventPublisher publisher, DataSource dataSource) {
        this.publisher = publisher;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    void recordsChanged(SyncStates.Claim claim, List<String> created, List<String> updated, List<String> deleted) {
        if (created.isEmpty() && updated.isEmpty() && deleted.isEmpty()) {
            return;
        }
        publisher.publishEvent(new SyncEvents.RecordsChanged(claim.tenantId(), claim.credentialId(), claim.appKey(),
                endUser(claim), claim.model().key(), created, updated, deleted));
    }

    void failed(SyncStates.Claim claim, String error) {
        publisher.publishEvent(new SyncEvents.Failed(claim.tenantId(), claim.credentialId(), claim.appKey(),
                endUser(claim), claim.model().key(), error.length() > 500 ? error.substring(0, 500) : error));
    }

    void recovered(SyncStates.Claim claim, int failures) {
        publisher.publishEvent(new SyncEvents.Recovered(claim.tenantId(), claim.credentialId(), claim.appKey(),
                endUser(claim), claim.model().key(), failures));
    }

    /** The end user's own id (as the tenant named them), as in the credential events. */
    private String endUser(SyncStates.Claim claim) {
        return jdbc.queryForObject("SELECT e.external_id FROM credentials c JOIN end_users e ON e.id = c.end_user_id "
                + "WHERE c.id = ?", String.class, claim.credentialId());
    }
}
