package io.plugboard.tenant;

import io.plugboard.common.InvalidRequestException;
import io.plugboard.security.AppRoles;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Input rules shared by tenant and user creation; messages are written for the person typing. */
final class Validation {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern SLUG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$");
    static final Set<String> TENANT_ROLES = Set.of(AppRoles.TENANT_ADMIN, AppRoles.AUDITOR);
    static final Set<String> PLATFORM_ROLES = Set.of(AppRoles.PLATFORM_ADMIN, AppRoles.SUPPORT, AppRoles.AUDITOR);

    private Validation() {
    }

    static String email(@Nullable String email) {
        String normalized = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        if (normalized.length() > 254 || !EMAIL.matcher(normalized).matches()) {
            throw new InvalidRequestException("Enter a valid e-mail address.");
        }
        return normalized;
    }

    static String slug(@Nullable String slug) {
        String normalized = slug == null ? "" : slug.strip();
        if (!SLUG.matcher(normalized).matches()) {
            throw new InvalidRequestException(
                    "Slug must be 1-63 lowercase letters, digits or dashes, not starting or ending with a dash.");
        }
        return normalized;
    }

    static String name(@Nullable String name, String what) {
        String normalized = name == null ? "" : name.strip();
        if (normalized.isEmpty()) {
            throw new InvalidRequestException(what + " is required.");
        }
        if (normalized.length() > 200) {
            throw new InvalidRequestException(what + " must be at most 200 characters.");
        }
        return normalized;
    }

    static String role(@Nullable String role, UserScope scope) {
        Set<String> allowed = scope.platformStaff() ? PLATFORM_ROLES : TENANT_ROLES;
        if (role == null || !allowed.contains(role)) {
            throw new InvalidRequestException("Choose one of the roles: "
                    + String.join(", ", allowed.stream().map(AppRoles::label).sorted().toList()) + ".");
        }
        return role;
    }

    static String reason(@Nullable String reason) {
        String normalized = reason == null ? "" : reason.strip();
        if (normalized.length() < 10) {
            throw new InvalidRequestException("Describe why you need access (at least 10 characters).");
        }
        if (normalized.length() > 1000) {
            throw new InvalidRequestException("The reason must be at most 1000 characters.");
        }
        return normalized;
    }
}
