package io.plugboard.universal;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HubSpot's contacts search stood in for with its result cap, as the {@code hubspot-capped} test mapping (a cap of
 * 4) pages it two by two: seven changed contacts (universal/hubspot/search-capped.json), the fourth and fifth
 * sharing a lastmodifieddate. The first query answers two pages, and a 400 past its fourth result; the query
 * started again from the fourth contact's time answers it, its twin and the two after them.
 */
public final class HubSpotSearchCap {

    public static final String SEARCH = "/crm/v3/objects/contacts/search";
    /** The contacts' ids, in the search's order. */
    public static final List<String> IDS = List.of("512", "513", "514", "515", "516", "517", "518");
    /** The lastmodifieddate the fourth and fifth contacts share, where the second query starts. */
    public static final Instant TIE = Instant.parse("2026-12-01T10:03:00Z");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HubSpotSearchCap() {
    }

    /** Stubs both queries' pages, at page size 2, and the cap's 400. */
    public static void stub(WireMockServer provider) {
        String restarted = "$.filterGroups[0].filters[?(@.propertyName == 'lastmodifieddate' && @.value == '"
                + TIE.toEpochMilli() + "')]";
        // The first query, whatever time it asks from.
        provider.stubFor(page(null).atPriority(5).willReturn(answer(0, 2, "2")));
        provider.stubFor(page("2").atPriority(5).willReturn(answer(2, 4, "4")));
        provider.stubFor(page("4").atPriority(5).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json;charset=utf-8").withBody(file("error-400-search-cap.json"))));
        // The query from the fourth contact's time: it and the ones after it.
        provider.stubFor(page(null).atPriority(1).withRequestBody(matchingJsonPath(restarted)).willReturn(answer(3, 5, "2")));
        provider.stubFor(page("2").atPriority(1).withRequestBody(matchingJsonPath(restarted)).willReturn(answer(5, 7, null)));
    }

    /** The times each search asked for contacts modified since (the largest GTE on lastmodifieddate), in order. */
    public static List<Instant> since(List<LoggedRequest> searches) {
        var since = new ArrayList<Instant>();
        for (LoggedRequest request : searches) {
            long from = Long.MIN_VALUE;
            for (JsonNode filter : JSON.readTree(request.getBodyAsString()).path("filterGroups").path(0).path("filters")) {
                if (filter.path("propertyName").asString().equals("lastmodifieddate")
                        && filter.path("operator").asString().equals("GTE")) {
                    from = Math.max(from, Long.parseLong(filter.path("value").asString()));
                }
            }
            since.add(Instant.ofEpochMilli(from));
        }
        return since;
    }

    static MappingBuilder page(@Nullable String after) {
        return post(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.limit", equalTo("2")))
                .withRequestBody(matchingJsonPath("$.after", after == null ? absent() : equalTo(after)));
    }

    /** The search's answer holding the contacts {@code from} to {@code to} (exclusive), with a next page if given. */
    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer(int from, int to,
                                                                                          @Nullable String after) {
        ObjectNode all = (ObjectNode) JSON.readTree(file("search-capped.json"));
        ArrayNode results = JSON.createArrayNode();
        for (int i = from; i < to; i++) {
            results.add(all.path("results").get(i));
        }
        all.set("results", results);
        if (after != null) {
            all.putObject("paging").putObject("next").put("after", after).put("link", "?after=" + after);
        }
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json;charset=utf-8")
                .withBody(all.toString());
    }

    private static String file(String name) {
        try (InputStream in = HubSpotSearchCap.class.getResourceAsStream("/universal/hubspot/" + name)) {
            return JSON.readTree(in).path("response").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
