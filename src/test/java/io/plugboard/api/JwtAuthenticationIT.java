package io.plugboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.plugboard.PlugboardTest;
import io.plugboard.SignedIn;
import io.plugboard.tenant.TenantService;
import io.plugboard.tenant.TestTenants;
import io.plugboard.tenant.TestTenants.TestTenant;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The JWT rules of the tenant API, one defect per test: every token here is valid except for the one
 * thing its test names, so a 401 can only come from the rule under test.
 */
@PlugboardTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAuthenticationIT {

    private static final String PATH = "/api/v1/connectors";

    @Autowired
    ApplicationContext context;
    @LocalServerPort
    int port;

    private TestApi api;
    private TestTenant tenant;
    private TestTenant other;

    @BeforeAll
    void tenants() {
        api = new TestApi(port);
        tenant = TestTenants.create(context, "jwt");
        other = TestTenants.create(context, "jwt-other");
    }

    // ------------------------------------------------------------------ accepted

    @Test
    void validHs512TokenIsAccepted() {
        var response = api.get(PATH, TestApi.token(tenant, "tenant"));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json().path("items").isArray()).isTrue();
    }

    @Test
    void validTokenWithAnEndUserSubjectIsAccepted() {
        assertThat(api.get(PATH, TestApi.token(tenant, "end-user-42")).status()).isEqualTo(200);
    }

    @Test
    void lifetimeOfExactlySixtyMinutesIsAccepted() {
        Instant now = Instant.now();
        var claims = claims(now);
        claims.put("exp", now.plus(Duration.ofMinutes(60)).getEpochSecond());
        assertThat(api.get(PATH, hs512(claims, tenant.clientSecret())).status()).isEqualTo(200);
    }

    @Test
    void clockSkewOfThirtySecondsIsTolerated() {
        Instant now = Instant.now();
        var issuedAhead = claims(now);
        issuedAhead.put("iat", now.plusSeconds(30).getEpochSecond());
        assertThat(api.get(PATH, hs512(issuedAhead, tenant.clientSecret())).status()).isEqualTo(200);

        var justExpired = claims(now);
        justExpired.put("iat", now.minus(Duration.ofMinutes(10)).getEpochSecond());
        justExpired.put("exp", now.minusSeconds(30).getEpochSecond());
        assertThat(api.get(PATH, hs512(justExpired, tenant.clientSecret())).status()).isEqualTo(200);

        var almostValid = claims(now);
        almostValid.put("nbf", now.plusSeconds(30).getEpochSecond());
        assertThat(api.get(PATH, hs512(almostValid, tenant.clientSecret())).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ refused: the header

    @Test
    void missingAuthorizationHeaderIsRefused() {
        assertRefused(api.get(PATH, null), "authorization");
    }

    @Test
    void anotherAuthorizationSchemeIsRefused() {
        String valid = TestApi.token(tenant, "tenant");
        assertRefused(api.getWithAuthorization(PATH, "Basic " + valid), "authorization");
        assertRefused(api.getWithAuthorization(PATH, "Bearer "), "authorization");
        assertRefused(api.getWithAuthorization(PATH, valid), "authorization");
    }

    @Test
    void algNoneIsRefused() {
        String unsigned = Jwts.builder().claims(claims(Instant.now())).compact();
        assertThat(unsigned).endsWith(".");
        assertRefused(api.get(PATH, unsigned), "alg");
        // An unsecured header in front of a genuine HS512 signature changes nothing.
        String valid = TestApi.token(tenant, "tenant");
        String noneWithSignature = b64("{\"alg\":\"none\"}") + valid.substring(valid.indexOf('.'));
        assertRefused(api.get(PATH, noneWithSignature), "alg");
    }

    @Test
    void hs256WithTheRightSecretIsRefused() {
        String token = Jwts.builder().claims(claims(Instant.now()))
                .signWith(Keys.hmacShaKeyFor(tenant.clientSecret().getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS256)
                .compact();
        assertThat(header(token)).contains("HS256");
        assertRefused(api.get(PATH, token), "alg");
    }

    @Test
    void hs384WithTheRightSecretIsRefused() {
        String token = Jwts.builder().claims(claims(Instant.now()))
                .signWith(Keys.hmacShaKeyFor(tenant.clientSecret().getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS384)
                .compact();
        assertRefused(api.get(PATH, token), "alg");
    }

    @Test
    void rs256WithARealRsaSignatureIsRefused() {
        var keys = Jwts.SIG.RS256.keyPair().build();
        String token = Jwts.builder().claims(claims(Instant.now())).signWith(keys.getPrivate(), Jwts.SIG.RS256).compact();
        assertThat(header(token)).contains("RS256");
        assertRefused(api.get(PATH, token), "alg");
    }

    @Test
    void es256WithARealEcSignatureIsRefused() {
        var keys = Jwts.SIG.ES256.keyPair().build();
        String token = Jwts.builder().claims(claims(Instant.now())).signWith(keys.getPrivate(), Jwts.SIG.ES256).compact();
        assertThat(header(token)).contains("ES256");
        assertRefused(api.get(PATH, token), "alg");
    }

    // ------------------------------------------------------------------ refused: the signature

    @Test
    void wrongSecretIsRefused() {
        byte[] random = new byte[64];
        new SecureRandom().nextBytes(random);
        String wrong = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        assertRefused(api.get(PATH, hs512(claims(Instant.now()), wrong)), "signature");
    }

    @Test
    void anotherTenantsSecretWithThisTenantsIssuerIsRefused() {
        String token = hs512(claims(Instant.now()), other.clientSecret());
        assertRefused(api.get(PATH, token), "signature");
        // and the other way round: the secret proves who signed, iss only selects the key
        var claims = claims(Instant.now());
        claims.put("iss", other.clientId());
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "signature");
    }

    @Test
    void tamperedPayloadIsRefused() {
        String valid = TestApi.token(tenant, "end-user-1");
        String[] parts = valid.split("\\.");
        var claims = claims(Instant.now());
        claims.put("sub", "tenant");
        String tampered = parts[0] + "." + b64(TestApi.json(claims)) + "." + parts[2];
        assertRefused(api.get(PATH, tampered), "signature");
    }

    @Test
    void truncatedTokenIsRefused() {
        String valid = TestApi.token(tenant, "tenant");
        assertRefused(api.get(PATH, valid.substring(0, valid.length() - 10)), "signature");
        assertRefused(api.get(PATH, valid.substring(0, valid.lastIndexOf('.'))), "format");
        assertRefused(api.get(PATH, valid.substring(0, valid.lastIndexOf('.') + 1)), "signature");
        assertRefused(api.get(PATH, valid.substring(0, valid.indexOf('.') + 5)), "format");
    }

    @Test
    void malformedTokenIsRefused() {
        assertRefused(api.get(PATH, "not-a-jwt"), "format");
        assertRefused(api.get(PATH, "a.b.c"), "format");
        assertRefused(api.get(PATH, b64("[1,2]") + "." + b64("{}") + ".sig"), "format");
        assertRefused(api.get(PATH, b64("{\"alg\":\"HS512\"}") + "." + b64("not json") + ".sig"), "format");
        String valid = TestApi.token(tenant, "tenant");
        assertRefused(api.get(PATH, valid + ".extra"), "format");
    }

    // ------------------------------------------------------------------ refused: the claims

    @Test
    void expiredTokenIsRefused() {
        Instant now = Instant.now();
        var claims = claims(now);
        claims.put("iat", now.minus(Duration.ofMinutes(20)).getEpochSecond());
        claims.put("exp", now.minus(Duration.ofMinutes(5)).getEpochSecond());
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "exp");
    }

    @Test
    void notBeforeInTheFutureIsRefused() {
        Instant now = Instant.now();
        var claims = claims(now);
        claims.put("nbf", now.plus(Duration.ofMinutes(5)).getEpochSecond());
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "nbf");
    }

    @Test
    void issuedAtInTheFutureIsRefused() {
        Instant now = Instant.now();
        var claims = claims(now);
        claims.put("iat", now.plus(Duration.ofMinutes(5)).getEpochSecond());
        claims.put("exp", now.plus(Duration.ofMinutes(15)).getEpochSecond());
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "iat");
    }

    @Test
    void lifetimeOverSixtyMinutesIsRefused() {
        Instant now = Instant.now();
        var claims = claims(now);
        claims.put("exp", now.plus(Duration.ofMinutes(61)).getEpochSecond());
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "exp");
        // An old iat cannot be used to stretch the window either.
        var backdated = claims(now);
        backdated.put("iat", now.minus(Duration.ofMinutes(55)).getEpochSecond());
        backdated.put("exp", now.plus(Duration.ofMinutes(10)).getEpochSecond());
        assertRefused(api.get(PATH, hs512(backdated, tenant.clientSecret())), "exp");
    }

    @Test
    void missingExpIsRefused() {
        var claims = claims(Instant.now());
        claims.remove("exp");
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "exp");
    }

    @Test
    void missingIssIsRefused() {
        var claims = claims(Instant.now());
        claims.remove("iss");
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "iss");
    }

    @Test
    void missingIatIsRefused() {
        var claims = claims(Instant.now());
        claims.remove("iat");
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "iat");
    }

    @Test
    void missingSubIsRefused() {
        var claims = claims(Instant.now());
        claims.remove("sub");
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "sub");
        claims.put("sub", "  ");
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "sub");
    }

    @Test
    void subjectThatNoEndUserIdCanMatchIsRefused() {
        // End-user ids are at most 200 characters; a longer subject, or one with control characters,
        // could never name an end user, and would otherwise reach the audit trail's columns.
        var claims = claims(Instant.now());
        claims.put("sub", "tenant:" + "x".repeat(300));
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "sub");
        claims.put("sub", "end\u0000user");
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "sub");
    }

    @Test
    void claimsOfTheWrongTypeAreRefused() {
        // jjwt will not build these, so they are signed by hand: a valid HS512 signature over bad claims.
        assertThat(api.get(PATH, signedByHand(claims(Instant.now()), tenant.clientSecret())).status()).isEqualTo(200);
        for (var entry : Map.<String, Object>of("iat", "not-a-date", "exp", "tomorrow", "nbf", List.of(1),
                "sub", 42, "iss", 7).entrySet()) {
            var claims = claims(Instant.now());
            claims.put(entry.getKey(), entry.getValue());
            var response = api.get(PATH, signedByHand(claims, tenant.clientSecret()));
            assertThat(response.status()).as(entry + " " + response).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().path("rule").asString()).as(entry.toString()).isIn(entry.getKey(), "format");
        }
    }

    @Test
    void issuerThatNoClientIdCanMatchIsRefused() {
        var claims = claims(Instant.now());
        claims.put("iss", "pbc_\u0000");
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "iss");
        claims.put("iss", "pbc_" + "x".repeat(5000));
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "iss");
    }

    @Test
    void unknownIssuerIsRefused() {
        var claims = claims(Instant.now());
        claims.put("iss", "pbc_nobody_has_this_id");
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "iss");
    }

    @Test
    void anUnknownIssuerCostsOneLookupAndATenantCreatedLaterWithThatIdIsAcceptedAtOnce() {
        String clientId = "pbc_later_" + UUID.randomUUID().toString().substring(0, 8);
        var claims = claims(Instant.now());
        claims.put("iss", clientId);
        String unknown = hs512(claims, tenant.clientSecret());
        JwtVerifier verifier = context.getBean(JwtVerifier.class);
        long before = verifier.keyLookups();
        for (int i = 0; i < 20; i++) {
            assertRefused(api.get(PATH, unknown), "iss");
        }
        // A flood of tokens naming no tenant must not become a flood of database reads.
        assertThat(verifier.keyLookups() - before).isEqualTo(1);

        TestTenant created = TestTenants.create(context, "jwt-later", clientId);
        assertThat(api.get(PATH, TestApi.token(created, "tenant")).status()).isEqualTo(200);
    }

    @Test
    void suspendedTenantIsRefused() {
        TestTenant suspended = TestTenants.create(context, "jwt-suspended");
        String token = TestApi.token(suspended, "tenant");
        assertThat(api.get(PATH, token).status()).isEqualTo(200);
        TestTenants.suspend(context, suspended.id());
        assertRefused(api.get(PATH, token), "tenant");
        // A forged token for the suspended tenant still fails on its signature first: nothing is revealed.
        var claims = claims(Instant.now());
        claims.put("iss", suspended.clientId());
        assertRefused(api.get(PATH, hs512(claims, tenant.clientSecret())), "signature");
    }

    @Test
    void aRotatedSecretInvalidatesTokensSignedWithTheOldOne() {
        TestTenant rotating = TestTenants.create(context, "jwt-rotating");
        String old = TestApi.token(rotating, "tenant");
        assertThat(api.get(PATH, old).status()).isEqualTo(200);
        SignedIn.as(context.getBean(JdbcTemplate.class), rotating.adminEmail());
        String newSecret;
        try {
            newSecret = context.getBean(TenantService.class).rotateClientSecret(rotating.id());
        } finally {
            SignedIn.out();
        }
        assertRefused(api.get(PATH, old), "signature");
        assertThat(api.get(PATH, TestApi.token(rotating.clientId(), newSecret, "tenant")).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    private void assertRefused(TestApi.Response response, String rule) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        var body = response.json();
        assertThat(body.path("rule").asString()).as(response.toString()).isEqualTo(rule);
        assertThat(body.path("status").asInt()).isEqualTo(401);
        assertThat(body.path("detail").asString()).isNotBlank();
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(response.body()).doesNotContain(tenant.clientSecret()).doesNotContain(other.clientSecret())
                .doesNotContainIgnoringCase("exception").doesNotContain("io.jsonwebtoken");
    }

    /** The claims of a valid token for {@link #tenant}; a test changes exactly one of them. */
    private Map<String, Object> claims(Instant now) {
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", tenant.clientId());
        claims.put("sub", "tenant");
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(Duration.ofMinutes(15)).getEpochSecond());
        return claims;
    }

    private static String hs512(Map<String, Object> claims, String secret) {
        return Jwts.builder().claims(claims)
                .signWith(Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8)), Jwts.SIG.HS512)
                .compact();
    }

    private static String signedByHand(Map<String, Object> claims, String secret) {
        String input = b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + b64(TestApi.json(claims));
        try {
            var mac = javax.crypto.Mac.getInstance("HmacSHA512");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            byte[] signature = mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String header(String token) {
        return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
    }
}
