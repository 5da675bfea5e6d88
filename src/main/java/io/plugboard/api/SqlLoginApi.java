package io.plugboard.api;

import io.plugboard.common.NotFoundException;
import io.plugboard.sync.sqlaccess.IssuedSqlLogin;
import io.plugboard.sync.sqlaccess.SqlConnectionInfo;
import io.plugboard.sync.sqlaccess.SqlLogin;
import io.plugboard.sync.sqlaccess.SqlLogins;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's read-only SQL login to its synced records (docs/sync.md), for a tenant-wide token: an end user's
 * token is refused like on the other management paths. A password is in the answer that set it, and nowhere else.
 */
@RestController
@Tag(name = "Sync", description = "CRM records kept in PostgreSQL per credential and model")
class SqlLoginApi {

    private static final String PATH = "/api/v1/sync/sql-login";

    private final SqlLogins logins;
    private final ApiTenant tenant;

    SqlLoginApi(SqlLogins logins, ApiTenant tenant) {
        this.logins = logins;
        this.tenant = tenant;
    }

    @GetMapping(PATH)
    @Operation(summary = "The tenant's SQL login and where it connects (404 when it has none)")
    LoginView get() {
        SqlLogin login = logins.find(tenant.id()).orElseThrow(() -> new NotFoundException("SQL login"));
        SqlConnectionInfo connection = logins.connectionInfo();
        return new LoginView(login.roleName(), login.createdAt(), login.passwordChangedAt(), connection.host(),
                connection.port(), connection.database());
    }

    @PostMapping(PATH)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create the tenant's SQL login; the password is shown in this answer only",
            description = "400 when the tenant has one already: rotate its password instead.")
    IssuedView create() {
        return issued(logins.create(tenant.id()));
    }

    @PostMapping(PATH + "/rotate")
    @Operation(summary = "Set a new password; the old one is refused from now on")
    IssuedView rotate() {
        return issued(logins.rotate(tenant.id()));
    }

    @DeleteMapping(PATH)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Drop the login: it can no longer connect, open sessions lose access")
    void revoke() {
        logins.revoke(tenant.id());
    }

    private IssuedView issued(IssuedSqlLogin login) {
        SqlConnectionInfo connection = logins.connectionInfo();
        return new IssuedView(login.roleName(), login.password(), connection.host(), connection.port(),
                connection.database(), connection.psql(login.roleName()));
    }

    record LoginView(String user, Instant createdAt, Instant passwordChangedAt, String host, int port,
                     String database) {
    }

    record IssuedView(String user, String password, String host, int port, String database, String psql) {
    }
}
