package io.plugboard.client.example;

import io.plugboard.client.ConnectSession;
import io.plugboard.client.CredentialQuery;
import io.plugboard.client.CredentialStatus;
import io.plugboard.client.NewConnectSession;
import io.plugboard.client.PlugboardClient;
import io.plugboard.client.ProxyResponse;
import io.plugboard.client.WebhookVerifier;
import io.plugboard.client.WebhookVerifier.WebhookEvent;
import java.io.PrintStream;
import java.util.List;

/**
 * The README's example as a program: a connect link for an end user, their credentials, a call to the provider
 * through one of them, and a webhook handler's check. It lives with the tests and uses only the public API, so it
 * compiles with every change; PlugboardClientIT runs it against the application.
 *
 * <p>Run it with PLUGBOARD_URL, PLUGBOARD_CLIENT_ID and PLUGBOARD_CLIENT_SECRET set.
 */
public final class Example {

    private Example() {
    }

    public static void main(String[] args) {
        PlugboardClient plugboard = PlugboardClient.builder()
                .baseUrl(System.getenv("PLUGBOARD_URL"))
                .clientId(System.getenv("PLUGBOARD_CLIENT_ID"))
                .clientSecret(System.getenv("PLUGBOARD_CLIENT_SECRET"))
                .build();
        run(plugboard, args.length > 0 ? args[0] : "agent-42", System.out);
    }

    public static void run(PlugboardClient plugboard, String endUserId, PrintStream out) {
        // A link for the end user to connect their Follow Up Boss account (valid 30 minutes).
        ConnectSession session = plugboard.connectSessions().create(NewConnectSession.forEndUser(endUserId)
                .withAllowedConnectors(List.of("followupboss")));
        out.println("Connect here: " + session.connectUrl());

        // Their credentials, page after page.
        CredentialQuery theirs = CredentialQuery.all().endUserId(endUserId).status(CredentialStatus.ACTIVE);
        plugboard.credentials().stream(theirs)
                .forEach(c -> out.println(c.id() + " " + c.appKey() + " " + c.label()));

        // A call to the provider's API through one of them: Plugboard adds the credential's auth.
        plugboard.credentials().stream(theirs.appKey("followupboss")).findFirst().ifPresent(credential -> {
            ProxyResponse people = plugboard.proxy(credential.id()).get("/people?limit=5");
            out.println("HTTP " + people.status() + " (" + people.requestId() + "): " + people.json());
        });
    }

    /** In the webhook endpoint: check the raw body's signature before acting on it (answer 400 if it throws). */
    public static WebhookEvent onWebhook(String signatureHeader, byte[] rawBody, String signingSecret) {
        WebhookEvent event = new WebhookVerifier(signingSecret).verify(signatureHeader, rawBody);
        // Deliveries are at least once: handle each event.id() once.
        return event;
    }
}
