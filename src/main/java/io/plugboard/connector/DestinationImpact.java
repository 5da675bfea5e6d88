package io.plugboard.connector;

/**
 * What a change of a connector's destination strands, as the editor shows it before the change: the credentials
 * that will need reconnecting and whether the OAuth app's client secret and the secret connector settings must be
 * entered again. The same values come back as the confirmation, so a confirmation given for 3 credentials does not
 * cover 300.
 */
public record DestinationImpact(int credentials, boolean oauthAppSecret, boolean secretSettings) {

    public static final DestinationImpact NONE = new DestinationImpact(0, false, false);

    /** For connectors without secret settings. */
    public DestinationImpact(int credentials, boolean oauthAppSecret) {
        this(credentials, oauthAppSecret, false);
    }

    public boolean strandsSecrets() {
        return credentials > 0 || oauthAppSecret || secretSettings;
    }

    /** "This changes where secrets are sent: ..." as the editor and the refusal say it. */
    public String describe() {
        var sb = new StringBuilder("This changes where secrets are sent: ");
        if (credentials > 0) {
            sb.append(credentials).append(credentials == 1 ? " credential will" : " credentials will")
                    .append(" need reconnecting");
        }
        if (oauthAppSecret) {
            sb.append(credentials > 0 ? " and " : "").append("the OAuth app secret must be entered again");
        }
        if (secretSettings) {
            sb.append(credentials > 0 || oauthAppSecret ? " and " : "")
                    .append("the secret integration settings must be entered again");
        }
        return sb.append('.').toString();
    }
}
