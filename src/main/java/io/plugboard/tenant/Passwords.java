package io.plugboard.tenant;

import io.plugboard.common.InvalidRequestException;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Password policy, generation and hashing (bcrypt through Spring's delegating encoder). */
@Component
class Passwords {

    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_LENGTH = 20;
    private static final int MAX_LENGTH = 128;

    private final SecureRandom random = new SecureRandom();
    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    private final int minLength;
    /** Checked against when the e-mail is unknown, so both paths cost one bcrypt. */
    private final String dummyHash;

    Passwords(@Value("${plugboard.password.min-length:12}") int minLength) {
        this.minLength = minLength;
        this.dummyHash = encoder.encode(generate());
    }

    String generate() {
        var sb = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Returns the password to use: the one given (after the policy check) or a generated one. */
    String chooseOrGenerate(@Nullable String given) {
        if (given == null || given.isEmpty()) {
            return generate();
        }
        check(given);
        return given;
    }

    void check(String password) {
        if (password.length() < minLength) {
            throw new InvalidRequestException("Password must be at least " + minLength + " characters long.");
        }
        if (password.length() > MAX_LENGTH) {
            throw new InvalidRequestException("Password must be at most " + MAX_LENGTH + " characters long.");
        }
        if (password.isBlank()) {
            throw new InvalidRequestException("Password must not be only spaces.");
        }
    }

    String hash(String password) {
        return encoder.encode(password);
    }

    boolean matches(String password, @Nullable String hash) {
        return encoder.matches(password, hash == null ? dummyHash : hash) && hash != null;
    }

    int minLength() {
        return minLength;
    }
}
