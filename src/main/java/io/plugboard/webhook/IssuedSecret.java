package io.plugboard.webhook;

/**
 * An endpoint together with its freshly issued signing secret, handed out exactly once (on creation or
 * rotation); Plugboard keeps only the sealed copy.
 */
public record IssuedSecret(WebhookEndpoint endpoint, String secret) {

    @Override
    public String toString() {
        return "IssuedSecret[" + endpoint.id() + "]";
    }
}
