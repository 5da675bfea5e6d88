package io.plugboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.context.SecurityContextHolder;

class MetricsScrapeFilterTest {

    @Test
    void withNoTokenConfiguredTheScrapeDoesNotExistEvenForAGuessedToken() throws Exception {
        for (String configured : new String[] {null, "", "  "}) {
            var filter = new MetricsScrapeFilter(configured, SecurityContextHolder.getContextHolderStrategy());
            for (String sent : new String[] {null, "Bearer ", "Bearer  ", "Bearer null"}) {
                var chain = new MockFilterChain();
                var response = run(filter, sent, chain);
                assertThat(response.getStatus()).isEqualTo(404);
                assertThat(chain.getRequest()).isNull();
            }
        }
    }

    @Test
    void theRightTokenPassesWithTheScrapeAuthorityOnlyForThatRequest() throws Exception {
        var contexts = SecurityContextHolder.getContextHolderStrategy();
        var filter = new MetricsScrapeFilter("s3cret", contexts);
        var seen = new String[1];
        var chain = new MockFilterChain() {
            @Override
            public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
                seen[0] = contexts.getContext().getAuthentication().getAuthorities().iterator().next().getAuthority();
            }
        };
        assertThat(run(filter, "bearer s3cret", chain).getStatus()).isEqualTo(200);
        assertThat(seen[0]).isEqualTo(MetricsScrapeFilter.AUTHORITY);
        assertThat(contexts.getContext().getAuthentication()).isNull();
    }

    private static MockHttpServletResponse run(MetricsScrapeFilter filter, String authorization, MockFilterChain chain)
            throws Exception {
        var request = new MockHttpServletRequest("GET", MetricsScrapeFilter.PATH);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        var response = new MockHttpServletResponse();
        filter.doFilter(request, response, chain);
        return response;
    }
}
