package io.plugboard.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

class SandboxKeysTest {

    private final AtomicInteger generated = new AtomicInteger();
    private final SandboxKeys keys = new SandboxKeys(() -> {
        generated.incrementAndGet();
        return SandboxKeys.generate();
    });

    @Test
    void theSigningKeyIsMadeOnFirstUseNotAtStartUp() {
        keys.jwkSource();
        keys.decoder(jwt -> OAuth2TokenValidatorResult.success());

        assertThat(generated).hasValue(0);
    }

    @Test
    void oneKeySignsAndVerifiesEveryToken() throws Exception {
        var decoder = keys.decoder(jwt -> OAuth2TokenValidatorResult.success());
        RSAKey first = select();
        RSAKey second = select();

        assertThat(second.getKeyID()).isEqualTo(first.getKeyID());
        assertThat(decoder.decode(signed(first)).getSubject()).isEqualTo("contact-reader");
        assertThat(generated).hasValue(1);
    }

    private RSAKey select() throws Exception {
        List<JWK> found = keys.jwkSource().get(new JWKSelector(new JWKMatcher.Builder().build()), null);
        assertThat(found).hasSize(1);
        return found.getFirst().toRSAKey();
    }

    private static String signed(RSAKey key) throws Exception {
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("contact-reader")
                        .expirationTime(Date.from(Instant.now().plusSeconds(60))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
