package io.plugboard.database;

import io.plugboard.security.TenantScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one place that tells PostgreSQL whose rows a connection may see (row-level security): every connection
 * handed out carries the scope of the work that takes it, set as session settings ({@code plugboard.tenant_id},
 * {@code plugboard.platform}) that the policies of changeset 020 read. A pooled connection remembers what it was
 * last told, so a connection that serves the same scope again costs no round trip. When a scope is bound while a
 * transaction is already open on the thread, the transaction's connection follows it until the scope ends
 * ({@code SET LOCAL}, undone at commit or rollback).
 */
final class TenantScopedDataSource extends DelegatingDataSource implements AutoCloseable {

    private static final String APPLY = "SELECT set_config('plugboard.tenant_id', ?, ?), set_config('plugboard.platform', ?, ?)";

    private final Supplier<Optional<TenantScope.Scope>> scope;
    /** Per physical connection, the session settings it holds now; weak, so a closed connection is forgotten. */
    private final Map<Object, String> told = Collections.synchronizedMap(new WeakHashMap<>());
    private final Runnable followScope = this::followScopeInTransaction;

    TenantScopedDataSource(DataSource pool, Supplier<Optional<TenantScope.Scope>> scope) {
        super(pool);
        this.scope = scope;
        TenantScope.addListener(followScope);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return scoped(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return scoped(super.getConnection(username, password));
    }

    private Connection scoped(Connection connection) throws SQLException {
        try {
            String[] settings = settings(scope.get());
            String key = settings[0] + '/' + settings[1];
            Object physical = connection.unwrap(PGConnection.class);
            // In autocommit mode the settings are committed at once; otherwise a rollback could undo them.
            boolean lasting = connection.getAutoCommit();
            if (lasting && key.equals(told.get(physical))) {
                return connection;
            }
            apply(connection, settings, false);
            if (lasting) {
                told.put(physical, key);
            } else {
                told.remove(physical);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void followScopeInTransaction() {
        if (!(TransactionSynchronizationManager.getResource(this) instanceof ConnectionHolder holder)
                || holder.getConnectionHandle() == null) {
            return;
        }
        try {
            apply(holder.getConnection(), settings(scope.get()), true);
        } catch (SQLException e) {
            // A lost connection, as any other query on it would report: callers that handle an unreachable
            // database (the fail-fast 503, the jobs' retry next time) recognise it.
            throw new DataAccessResourceFailureException("Could not apply the tenant scope to the open transaction", e);
        }
    }

    private static void apply(Connection connection, String[] settings, boolean local) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(APPLY)) {
            statement.setString(1, settings[0]);
            statement.setBoolean(2, local);
            statement.setString(3, settings[1]);
            statement.setBoolean(4, local);
            statement.execute();
        }
    }

    /** The tenant id (or empty) and whether the platform scope is on ("on" or empty): empty settings see nothing. */
    private static String[] settings(Optional<TenantScope.Scope> scope) {
        return switch (scope.orElse(null)) {
            case TenantScope.Tenant tenant -> new String[] {tenant.id().toString(), ""};
            case TenantScope.Platform platform -> new String[] {"", "on"};
            case null -> new String[] {"", ""};
        };
    }

    @Override
    public void close() throws Exception {
        TenantScope.removeListener(followScope);
        if (getTargetDataSource() instanceof AutoCloseable pool) {
            pool.close();
        }
    }
}
