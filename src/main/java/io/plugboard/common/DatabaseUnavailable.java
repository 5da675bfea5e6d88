package io.plugboard.common;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Tells a failure to reach PostgreSQL (no pooled connection within the pool's timeout, a connection refused or
 * broken, the server shutting down or starting up) from every other failure: only the first is answered
 * "unavailable, retry after a moment" (503) rather than "something went wrong" (500), and logged by count
 * rather than with a stack trace per request.
 */
public final class DatabaseUnavailable {

    /** What a client is told to wait before retrying: about the time PostgreSQL takes to restart. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** The same words everywhere (API problem detail, portal message). */
    public static final String MESSAGE = "The database is unavailable at the moment; nothing was changed. "
            + "Retry in a few seconds.";

    /** Counts API requests, portal requests and background jobs that found the database unavailable. */
    public static final ThrottledLog LOG = new ThrottledLog(DatabaseUnavailable.class, Duration.ofSeconds(10));

    private DatabaseUnavailable() {
    }

    /** Whether the failure, or any of its causes, says the database could not be reached or went away. */
    public static boolean causedBy(@Nullable Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && (connectionState(sql.getSQLState())
                    // HikariCP's answer for a connection it already closed as broken carries no SQLSTATE.
                    || sql.getSQLState() == null && "Connection is closed".equals(sql.getMessage()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATE class 08 (connection exception), and 57P01-57P03: the server was shut down by an administrator,
     * crashed, or cannot take connections yet (starting up, recovering).
     */
    private static boolean connectionState(@Nullable String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    /** The innermost message, which names the actual trouble ("Connection refused", "timed out after 2000ms"). */
    public static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
