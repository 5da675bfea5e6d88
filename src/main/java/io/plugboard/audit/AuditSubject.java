package io.plugboard.audit;

/**
 * Whose timeline to show. A portal {@code user}'s timeline holds what was done to them and what they did;
 * an {@code end_user}'s holds every event that names them (connect sessions and every credential event
 * carry the end user's id); any other type is matched as the audit target (e.g. {@code credential},
 * {@code connect_session}, {@code tenant}).
 */
public record AuditSubject(String type, String id) {

    public static final String USER = "user";
    public static final String END_USER = "end_user";
    public static final String CREDENTIAL = "credential";
}
