package io.plugboard.sandbox;

import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/**
 * The sandbox's people are fictional: any e-mail address signs in with the published password
 * {@value #PASSWORD}; each address is its own account with its own contacts. Used only inside the
 * sandbox's filter chain (never a bean, so the portal's sign-in never sees it).
 */
final class SandboxUsers {

    static final String PASSWORD = "sandbox";
    static final String EXAMPLE = "jane@sandbox.example";
    private static final Pattern EMAIL = Pattern.compile("^[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,190}\\.[a-z]{2,24}$");

    private SandboxUsers() {
    }

    static AuthenticationProvider provider() {
        UserDetailsService users = username -> {
            String email = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
            if (!EMAIL.matcher(email).matches()) {
                throw new UsernameNotFoundException("not an e-mail address");
            }
            return User.withUsername(email).password("{noop}" + PASSWORD).roles("SANDBOX_USER").build();
        };
        var provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
        return provider;
    }

    /** "jane.doe@sandbox.example" becomes "Jane Doe". */
    static String displayName(String email) {
        String local = email.contains("@") ? email.substring(0, email.indexOf('@')) : email;
        var name = new StringBuilder();
        for (String part : local.split("[._+-]+")) {
            if (!part.isEmpty()) {
                name.append(name.isEmpty() ? "" : " ").append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.isEmpty() ? email : name.toString();
    }
}
