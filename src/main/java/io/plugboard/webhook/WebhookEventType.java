package io.plugboard.webhook;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/** The events an endpoint can subscribe to, by their wire names. */
public enum WebhookEventType {
    CREDENTIAL_CREATED("credential.created", "A credential was connected or imported"),
    CREDENTIAL_RECONNECTED("credential.reconnected", "A credential was re-authenticated"),
    CREDENTIAL_REVOKED("credential.revoked", "A credential was revoked"),
    CREDENTIAL_METADATA_UPDATED("credential.metadata.updated", "A credential's metadata or label changed"),
    CREDENTIAL_REFRESH_FAILED("credential.refresh_failed", "The provider refused a token refresh; reconnect needed"),
    CREDENTIAL_NEEDS_RECONNECT("credential.needs_reconnect",
            "The connector's destination changed; the credential must be reconnected"),
    CREDENTIAL_PROVIDER_REVOCATION_UPDATED("credential.provider_revocation.updated",
            "A revocation at the provider that was retried in the background is done or failed"),
    CREDENTIAL_REFRESH_RECOVERED("credential.refresh_recovered", "A credential that needed a reconnect works again"),
    CONNECT_SESSION_COMPLETED("connect_session.completed", "An end user finished a connect session"),
    RECORDS_CHANGED("records.changed", "A sync stored new, changed or deleted CRM records"),
    SYNC_FAILED("sync.failed", "A sync run failed after succeeding (once per streak of failures)"),
    SYNC_RECOVERED("sync.recovered", "A sync run completed after failing"),
    AUDIT_CHECKPOINT("audit.checkpoint",
            "A signed checkpoint of the platform's audit chain, to keep as a witness outside Plugboard");

    /** Sent by "Send test event" to one endpoint, whatever it subscribes to. */
    public static final String TEST = "webhook.test";

    private final String wireName;
    private final String description;

    WebhookEventType(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    public String wireName() {
        return wireName;
    }

    public String description() {
        return description;
    }

    public static Optional<WebhookEventType> of(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(WebhookEventType::wireName).toList();
    }

    /**
     * What a new endpoint is offered ticked: every type but {@code audit.checkpoint}, which is not about the
     * tenant's own data and arrives every few minutes, so a receiver gets it only when someone chose it.
     */
    public static EnumSet<WebhookEventType> preselected() {
        return EnumSet.complementOf(EnumSet.of(AUDIT_CHECKPOINT));
    }
}
