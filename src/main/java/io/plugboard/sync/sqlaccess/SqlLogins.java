package io.plugboard.sync.sqlaccess;

import io.plugboard.audit.AuditLog;
import io.plugboard.audit.AuditRecord;
import io.plugboard.common.InvalidRequestException;
import io.plugboard.common.NotFoundException;
import io.plugboard.security.CurrentUser;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A tenant's read-only SQL login: at most one per tenant, created, given a new password and revoked by a tenant
 * admin (Settings) or a tenant-wide API token, each change audited. The roles themselves are made by the database functions of changeset 033, which the
 * application's role may call but not bypass; the password is generated here, handed out once and sent to the
 * database only as a SCRAM verifier.
 */
@Service
public class SqlLogins {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int PASSWORD_LENGTH = 32;
    private static final Pattern URL_HOST = Pattern.compile("^jdbc:postgresql://\\[?([^/:,?\\]]+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final CurrentUser currentUser;

    SqlLogins(JdbcTemplate jdbc, AuditLog audit, CurrentUser currentUser) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.currentUser = currentUser;
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_TENANT')")
    @Transactional(readOnly = true)
    public Optional<SqlLogin> find(UUID tenantId) {
        currentUser.requireTenant(tenantId);
        return jdbc.query("SELECT role_name, created_at, password_changed_at FROM sql_logins WHERE tenant_id = ?",
                (rs, n) -> new SqlLogin(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant()), tenantId).stream().findFirst();
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_TENANT')")
    @Transactional
    public IssuedSqlLogin create(UUID tenantId) {
        currentUser.requireWritableTenant(tenantId);
        if (find(tenantId).isPresent()) {
            throw new InvalidRequestException("This tenant already has a SQL login: rotate its password instead.");
        }
        IssuedSqlLogin login = setPassword(tenantId);
        audit.record(AuditRecord.of("sync.sql_login.created", tenantId).target("sql_login", login.roleName()));
        return login;
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_TENANT')")
    @Transactional
    public IssuedSqlLogin rotate(UUID tenantId) {
        currentUser.requireWritableTenant(tenantId);
        if (find(tenantId).isEmpty()) {
            throw new NotFoundException("SQL login");
        }
        IssuedSqlLogin login = setPassword(tenantId);
        audit.record(AuditRecord.of("sync.sql_login.rotated", tenantId).target("sql_login", login.roleName()));
        return login;
    }

    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_TENANT')")
    @Transactional
    public void revoke(UUID tenantId) {
        currentUser.requireWritableTenant(tenantId);
        String roleName = call(() -> jdbc.queryForObject("SELECT sql_login_drop(?)", String.class, tenantId));
        if (roleName == null) {
            throw new NotFoundException("SQL login");
        }
        audit.record(AuditRecord.of("sync.sql_login.revoked", tenantId).target("sql_login", roleName));
    }

    /** Where the login connects: the database and port Plugboard's own pool uses, and the host its URL names. */
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'API_TENANT')")
    public SqlConnectionInfo connectionInfo() {
        return jdbc.execute((ConnectionCallback<SqlConnectionInfo>) connection -> {
            var matcher = URL_HOST.matcher(connection.getMetaData().getURL());
            String host = matcher.find() ? matcher.group(1) : "localhost";
            try (var statement = connection.createStatement();
                 var rs = statement.executeQuery("SELECT current_database(), coalesce(inet_server_port(), 5432)")) {
                rs.next();
                return new SqlConnectionInfo(host, rs.getInt(2), rs.getString(1));
            }
        });
    }

    private IssuedSqlLogin setPassword(UUID tenantId) {
        String password = newPassword();
        String roleName = call(() -> jdbc.queryForObject("SELECT sql_login_set_password(?, ?)", String.class,
                tenantId, ScramVerifiers.of(password)));
        return new IssuedSqlLogin(Objects.requireNonNull(roleName), password);
    }

    private static <T> @Nullable T call(Supplier<@Nullable T> statement) {
        try {
            return statement.get();
        } catch (DataAccessException e) {
            if (e.getMostSpecificCause() instanceof SQLException sql && "42501".equals(sql.getSQLState())) {
                throw new SqlLoginsUnavailableException(e);
            }
            throw e;
        }
    }

    private static String newPassword() {
        var password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }
}
