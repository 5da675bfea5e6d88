package io.plugboard.sync.sqlaccess;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.plugboard.security.TenantScope;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Holds tenants' SQL logins to their limits even when a session changed its own settings (any session may SET
 * statement_timeout = 0): every few seconds, statements running longer than {@link #LONGEST_STATEMENT} are
 * cancelled and sessions idle in a transaction longer than {@link #LONGEST_IDLE_TRANSACTION} are ended, by the
 * database function of changeset 035. The role's own defaults (30 s and 60 s) stop a well-behaved client first.
 * When the server's notification queue is fuller than {@link #FULLEST_NOTIFY_QUEUE} of its size, every login's
 * session is ended: a session that LISTENs and stops reading holds the queue back, and once it is full every
 * announced credential write fails. Every instance runs it; running twice does no harm.
 */
@Component
class SqlLoginLimits {

    static final Duration LONGEST_STATEMENT = Duration.ofSeconds(60);
    static final Duration LONGEST_IDLE_TRANSACTION = Duration.ofSeconds(120);
    /** 1 % of the queue: 80 MB with PostgreSQL's default size, far above what Plugboard's own listeners leave. */
    static final double FULLEST_NOTIFY_QUEUE = 0.01;
    private static final Logger log = LoggerFactory.getLogger(SqlLoginLimits.class);

    private final JdbcTemplate jdbc;
    private final Counter stopped;

    SqlLoginLimits(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.stopped = Counter.builder("plugboard.sql.login.sessions.stopped")
                .description("Statements of tenants' SQL logins cancelled, or their sessions ended, for overrunning")
                .register(registry);
    }

    @Scheduled(fixedDelay = 5_000, initialDelay = 30_000)
    void enforce() {
        enforce(LONGEST_STATEMENT, LONGEST_IDLE_TRANSACTION, FULLEST_NOTIFY_QUEUE);
    }

    /** Returns how many statements it cancelled and sessions it ended. */
    int enforce(Duration longestStatement, Duration longestIdleTransaction, double fullestNotifyQueue) {
        Integer count;
        try {
            count = TenantScope.platform("SQL logins of every tenant are held to the same limits",
                    () -> jdbc.queryForObject("SELECT sql_login_enforce_limits(make_interval(secs => ?), "
                                    + "make_interval(secs => ?), ?)", Integer.class, longestStatement.toMillis() / 1000.0,
                            longestIdleTransaction.toMillis() / 1000.0, fullestNotifyQueue));
        } catch (DataAccessException e) {
            log.warn("Could not hold SQL logins to their limits: {}", e.getMostSpecificCause().getMessage());
            return 0;
        }
        int stoppedNow = count == null ? 0 : count;
        if (stoppedNow > 0) {
            stopped.increment(stoppedNow);
            log.info("Stopped {} overrunning statement(s) or transaction(s) of tenants' SQL logins", stoppedNow);
        }
        return stoppedNow;
    }
}
