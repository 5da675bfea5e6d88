package io.plugboard.credential;

import io.plugboard.crypto.SecretVault;
import java.util.UUID;
import org.springframework.context.ApplicationContext;

/** Tests only: opens a credential's sealed secret the way the service does, to check what was stored. */
public final class StoredSecrets {

    private StoredSecrets() {
    }

    public static CredentialSecret open(ApplicationContext context, UUID tenantId, String credentialId) {
        var row = context.getBean(CredentialStore.class).secretRow(tenantId, credentialId).orElseThrow();
        String json = context.getBean(SecretVault.class).open(CredentialIds.binding(tenantId, credentialId,
                row.destination()), row.secret());
        return CredentialStore.JSON.readValue(json, CredentialSecret.class);
    }
}
