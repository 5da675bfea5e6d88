package io.plugboard.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.function.SingletonSupplier;

/**
 * The sandbox's token signing key: RSA 2048, kept in memory only. It is made on first use rather than at
 * start-up, where generating it cost a noticeable share of a restart's CPU for a sandbox most starts never use.
 */
final class SandboxKeys {

    private final SingletonSupplier<RSAKey> key;

    SandboxKeys() {
        this(SandboxKeys::generate);
    }

    SandboxKeys(Supplier<RSAKey> generator) {
        this.key = SingletonSupplier.of(generator);
    }

    static RSAKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate()).keyID(UUID.randomUUID().toString()).build();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    JWKSource<SecurityContext> jwkSource() {
        return (selector, context) -> selector.select(new JWKSet(key.obtain()));
    }

    /** Verifies the tokens signed with this key; the decoder itself is built on the first token. */
    JwtDecoder decoder(OAuth2TokenValidator<Jwt> validator) {
        SingletonSupplier<NimbusJwtDecoder> decoder = SingletonSupplier.of(() -> {
            NimbusJwtDecoder built = NimbusJwtDecoder.withPublicKey(publicKey()).build();
            built.setJwtValidator(validator);
            return built;
        });
        return token -> decoder.obtain().decode(token);
    }

    private RSAPublicKey publicKey() {
        try {
            return key.obtain().toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
