package io.plugboard.api;

import io.plugboard.common.NotFoundException;
import io.plugboard.connect.ConnectSessionService;
import io.plugboard.connect.ConnectSessionStatus;
import io.plugboard.connect.CreatedConnectSession;
import io.plugboard.connect.NewConnectSession;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.regex.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/connect-sessions")
@Tag(name = "Connect sessions")
class ConnectSessionsApi {

    /** Session ids are {@code cs_} and 32 hex digits; anything else cannot name one (and may not reach a query). */
    private static final Pattern SESSION_ID = Pattern.compile("cs_[0-9a-f]{32}");

    private final ConnectSessionService sessions;
    private final ApiTenant tenant;

    ConnectSessionsApi(ConnectSessionService sessions, ApiTenant tenant) {
        this.sessions = sessions;
        this.tenant = tenant;
    }

    @PostMapping
    @Operation(summary = "Open a 30-minute connect session for one end user; the token is shown only here")
    ResponseEntity<CreatedConnectSession> create(@RequestBody NewConnectSession request) {
        CreatedConnectSession created = sessions.create(tenant.id(), request);
        return ResponseEntity.created(URI.create("/api/v1/connect-sessions/" + created.sessionId())).body(created);
    }

    @PostMapping("/{id}/refresh")
    @Operation(summary = "A new token and link for the same session, valid another 30 minutes; the old token stops working")
    CreatedConnectSession refresh(@PathVariable String id) {
        return sessions.refresh(tenant.id(), sessionId(id));
    }

    @GetMapping("/{id}")
    @Operation(summary = "PENDING, COMPLETED, EXPIRED or CANCELLED, with the credential ids created")
    ConnectSessionStatus status(@PathVariable String id) {
        return sessions.status(tenant.id(), sessionId(id));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Cancel the session; its link stops working")
    ResponseEntity<Void> cancel(@PathVariable String id) {
        sessions.cancel(tenant.id(), sessionId(id));
        return ResponseEntity.noContent().build();
    }

    private static String sessionId(String id) {
        if (!SESSION_ID.matcher(id).matches()) {
            throw new NotFoundException("Connect session");
        }
        return id;
    }
}
