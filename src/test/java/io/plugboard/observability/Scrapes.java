package io.plugboard.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.PlugboardTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code /actuator/prometheus} the way Prometheus does, with the tests' metrics token. */
final class Scrapes {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Scrapes() {
    }

    static HttpResponse<String> scrape(int port, String authorization) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String scrape(int port) {
        var response = scrape(port, "Bearer " + PlugboardTest.METRICS_TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of the first sample whose line starts with {@code series} (its name, and labels up to one's end). */
    static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + "[^\\n]* (\\S+)$", Pattern.MULTILINE)
                .matcher(scrape);
        assertThat(m.find()).as("series %s in the scrape", series).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
