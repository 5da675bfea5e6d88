package io.plugboard.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a signed-in portal user may no longer act: the same rules as sign-in, checked on every request. The code goes
 * into the audit trail and the sign-in page's address; the message is what the sign-in page tells the user.
 */
public enum AccessRefusal {

    DISABLED("Your account was disabled. Ask an administrator if you think this is a mistake."),
    ROLE_CHANGED("Your role was changed. Sign in again to continue with your new role."),
    /** The access epoch moved on with nothing else different: a password reset (or a disable undone since). */
    ACCESS_CHANGED("Your password was reset or your access changed since you signed in. Sign in again."),
    TENANT_SUSPENDED("Your organisation's account was suspended. Ask Plugboard support if you think this is a mistake."),
    /** Signed out from another session ("Sign out everywhere", or this one ended in the list), or reset by an admin. */
    SESSION_ENDED("This session was signed out from another one. Sign in again to continue.");

    private final String message;

    AccessRefusal(String message) {
        this.message = message;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String message() {
        return message;
    }

    public static Optional<AccessRefusal> ofCode(String code) {
        return Arrays.stream(values()).filter(r -> r.code().equals(code)).findFirst();
    }
}
