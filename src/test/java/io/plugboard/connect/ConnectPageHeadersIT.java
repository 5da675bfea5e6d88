package io.plugboard.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.tenant.ConnectTenantFixture.ConnectTenant;
import org.junit.jupiter.api.Test;

/**
 * The connect page's response headers over real HTTP: framed only by the tenant's allowed origins, and
 * never a referrer (the token is in the path). The rendered "This link has expired" page is checked in a
 * browser by {@link ConnectPageE2ETest}; here, that an unknown token is a normal page, not an error.
 */
class ConnectPageHeadersIT extends ConnectTestSupport {

    @Test
    void theConnectPageMayBeFramedByTheTenantsAllowedOriginsOnlyAndSendsNoReferrer() {
        ConnectTenant tenant = tenant("framed");
        addApiKeyConnector(tenant);
        allowOrigins(tenant, "https://app.example.com", "http://localhost:3000");
        Created session = createSession(tenant, "fay");

        Response page = httpGet(session.connectUrl());

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy"))
                .endsWith("; frame-ancestors 'self' https://app.example.com http://localhost:3000")
                .contains("default-src 'self'").contains("object-src 'none'");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
        assertThat(page.headers().allValues("Content-Security-Policy")).hasSize(1);
    }

    @Test
    void withoutAllowedOriginsOnlyPlugboardItselfMayFrameIt() {
        ConnectTenant tenant = tenant("unframed");
        addApiKeyConnector(tenant);
        Created session = createSession(tenant, "uma");

        Response page = httpGet(session.connectUrl());

        assertThat(page.header("Content-Security-Policy")).endsWith("; frame-ancestors 'self'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("SAMEORIGIN");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    }

    @Test
    void anotherTenantsOriginsDoNotLeakIntoAnUnknownTokensPage() {
        ConnectTenant tenant = tenant("leak");
        allowOrigins(tenant, "https://app.example.com");

        for (String token : new String[] {Tokens.random256(), "a".repeat(20), "A-b_".repeat(25)}) {
            Response page = httpGet(publicUrl + "/connect/" + token);
            assertThat(page.status()).as(token).isEqualTo(200);
            assertThat(page.header("Content-Security-Policy")).as(token).endsWith("; frame-ancestors 'self'");
            assertThat(page.header("Referrer-Policy")).as(token).isEqualTo("no-referrer");
            assertThat(page.body()).doesNotContain("Exception").doesNotContain("at io.plugboard")
                    .doesNotContain("Whitelabel");
        }
        // Not shaped like a token at all: not a connect link, so not embeddable either.
        for (String path : new String[] {"short", "a".repeat(101), "a".repeat(30) + "/extra"}) {
            Response page = httpGet(publicUrl + "/connect/" + path);
            assertThat(page.header("Content-Security-Policy")).as(path).endsWith("; frame-ancestors 'none'");
            assertThat(page.body()).as(path).doesNotContain("Exception").doesNotContain("at io.plugboard");
        }
    }

    @Test
    void theCallbackPageIsAPageNotAnErrorWhateverItIsSent() {
        for (String query : new String[] {"", "?state=", "?code=x", "?state=" + Tokens.random256() + "&code=abc",
                "?error=access_denied", "?state=%00%ff&code=%3Cscript%3E"}) {
            Response page = httpGet(publicUrl + "/connect/oauth/callback" + query);
            assertThat(page.status()).as(query).isIn(200, 400);
            assertThat(page.body()).as(query).doesNotContain("Exception").doesNotContain("at io.plugboard");
        }
    }

    /** The first page of a framed page's sign-in popup: a top-level page only, and nothing for an unknown nonce. */
    @Test
    void theSignInWindowsPageIsNeverFramedAndAnUnknownNonceStartsNothing() {
        for (String nonce : new String[] {Tokens.random256(), "x", "%00%ff", "a".repeat(300)}) {
            Response page = httpGet(publicUrl + "/connect/oauth/window/" + nonce);
            // An encoded NUL is refused by the servlet container's firewall before any page.
            assertThat(page.status()).as(nonce).isEqualTo(nonce.startsWith("%00") ? 400 : 200);
            if (page.status() == 200) {
                assertThat(page.header("Content-Security-Policy")).as(nonce).endsWith("; frame-ancestors 'none'");
                assertThat(page.header("X-Frame-Options")).as(nonce).isEqualTo("DENY");
            }
            assertThat(page.headers().allValues("Set-Cookie")).as(nonce)
                    .noneMatch(cookie -> cookie.startsWith("plugboard_oauth_"));
            assertThat(page.body()).as(nonce).doesNotContain("Exception").doesNotContain("at io.plugboard");
        }
    }

    @Test
    void portalPagesMayNeverBeFramed() {
        Response login = httpGet(publicUrl + "/login");

        assertThat(login.header("Content-Security-Policy")).endsWith("; frame-ancestors 'none'");
        assertThat(login.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(login.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
    }
}
