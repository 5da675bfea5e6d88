package io.plugboard.credential;

import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Records when credentials were last used; called in batches off the request path. */
@Component
public class CredentialUsage {

    private final CredentialStore store;

    CredentialUsage(CredentialStore store) {
        this.store = store;
    }

    /** The latest portal check per credential: status code and time. */
    @Transactional
    public void checked(Map<String, Object[]> checks) {
        if (!checks.isEmpty()) {
            store.recordChecks(checks);
        }
    }

    @Transactional
    public void touch(Map<String, Instant> lastUsed) {
        if (!lastUsed.isEmpty()) {
            store.touchLastUsed(lastUsed);
        }
    }
}
