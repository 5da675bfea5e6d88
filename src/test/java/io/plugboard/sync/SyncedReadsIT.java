package io.plugboard.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.plugboard.PlugboardTest;
import io.plugboard.proxy.ProxyTestSupport;
import io.plugboard.tenant.TestTenants;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Universal CRM API answering from the synced records of Follow Up Boss once the first backfill is complete,
 * live from the CRM before. Follow Up Boss is WireMock answering what its documentation shows (the stub files
 * under {@code universal/followupboss/} name their pages: https://docs.followupboss.com/reference/people-get,
 * https://docs.followupboss.com/reference/people-put, https://docs.followupboss.com/reference/people-post,
 * https://docs.followupboss.com/reference/pagination); the five people of its pagination example are given
 * different stages, tags, owners and times of change here so that filters and order have something to tell apart.
 * fub-standin speaks Follow Up Boss's Universal mapping (PlugboardTest's connector-mappings setting).
 */
@PlugboardTest
class SyncedReadsIT extends ProxyTestSupport {

    private static final String UNIVERSAL = "/api/v1/universal/crm";

    @Autowired
    SyncWorker worker;

    private String appKey;

    @BeforeAll
    void connectFollowUpBoss() {
        appKey = connector("""
                appKey: fub-standin
                name: Follow Up Boss (stand-in)
                category: CRM
                authMode: API_KEY
                api:
                  baseUrl: %s/v1
                  auth:
                    type: BASIC
                    username: "{apiKey}"
                    password: ""
                fields:
                  - key: apiKey
                    label: API key
                    secret: true
                """.formatted(provider.baseUrl()));
    }

    @AfterEach
    void stopSyncs() {
        jdbc.update("UPDATE sync_states SET enabled = false, lease_owner = NULL, lease_until = NULL "
                + "WHERE tenant_id = ?", tenant.id());
    }

    // ------------------------------------------------------------------ synced or live

    @Test
    void untilTheFirstBackfillCompletesReadsAreLiveAndStoreOnlyFiltersNeedSync() {
        String credential = credential("eu-" + System.nanoTime());
        stubPeople();
        sync(credential, "people");

        var live = read(credential, "/people");
        assertThat(live.statusCode()).as(text(live)).isEqualTo(200);
        assertThat(live.headers().firstValue("X-Plugboard-Data")).hasValue("live");
        assertThat(json(live).has("syncedAt")).isFalse();
        assertThat(ids(json(live))).containsExactly("950", "949", "948", "947", "946");

        for (String query : List.of("/people?tag=Buyer", "/people?stage=Lead", "/people?assignedUserId=7",
                "/people?sort=updatedAt", "/tasks?assignedUserId=7", "/notes?sort=-updatedAt")) {
            var refused = read(credential, query);
            assertThat(refused.statusCode()).as(query).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            assertThat(problemType(refused)).as(query).endsWith("sync-required");
            assertThat(json(refused).path("detail").asString()).contains("not synced", "first backfill");
        }
    }

    @Test
    void afterTheBackfillPeopleComeFromTheStoreAsTheCrmWouldGiveThem() {
        String credential = credential("eu-" + System.nanoTime());
        stubPeople();
        JsonNode live = json(read(credential, "/people?include=original"));
        sync(credential, "people");
        runDue();
        provider.resetAll();

        var synced = read(credential, "/people?include=original");

        assertThat(synced.statusCode()).as(text(synced)).isEqualTo(200);
        assertThat(synced.headers().firstValue("X-Plugboard-Data")).hasValue("synced");
        JsonNode page = json(synced);
        assertThat(Instant.parse(page.path("syncedAt").asString())).isBefore(Instant.now());
        assertThat(page.path("nextCursor").isNull()).isTrue();
        assertThat(byId(page)).isEqualTo(byId(live));
        var one = read(credential, "/people/950");
        assertThat(one.headers().firstValue("X-Plugboard-Data")).hasValue("synced");
        ObjectNode mary = (ObjectNode) json(one);
        assertThat(Instant.parse(mary.remove("syncedAt").asString())).isBefore(Instant.now());
        ObjectNode listed = (ObjectNode) byId(live).get("950").deepCopy();
        listed.putNull("original");
        assertThat(mary).isEqualTo(listed);
        assertThat(received()).as("nothing asked of the CRM").isEmpty();
    }

    @Test
    void pagesOverTheStoreGoNewestChangeFirstWithoutGapsOrRepeats() {
        String credential = backfilled("eu-" + System.nanoTime());

        assertThat(allPages(credential, "/people?limit=2")).containsExactly("946", "950", "949", "947", "948");
        assertThat(allPages(credential, "/people?limit=2&sort=updatedAt"))
                .containsExactly("948", "947", "949", "950", "946");
        assertThat(allPages(credential, "/people?limit=1&stage=Lead")).containsExactly("946", "950", "948");

        String cursor = json(read(credential, "/people?limit=2&stage=Lead")).path("nextCursor").asString();
        var otherFilter = read(credential, "/people?stage=Closed&cursor=" + encode(cursor));
        assertThat(otherFilter.statusCode()).isEqualTo(400);
        assertThat(problemType(otherFilter)).endsWith("invalid-cursor");
        String another = backfilled("eu-" + System.nanoTime());
        assertThat(read(another, "/people?cursor=" + encode(cursor)).statusCode()).as("another credential's cursor")
                .isEqualTo(400);
        assertThat(received()).isEmpty();
    }

    @Test
    void storeFiltersNarrowTheSyncedPeople() {
        String credential = backfilled("eu-" + System.nanoTime());

        assertThat(ids(credential, "/people?tag=Seller")).containsExactly("949", "948");
        assertThat(ids(credential, "/people?stage=Lead&tag=Buyer")).containsExactly("950", "948");
        assertThat(ids(credential, "/people?stage=" + encode("Active Client"))).containsExactly("949");
        assertThat(ids(credential, "/people?assignedUserId=8")).containsExactly("949", "948");
        assertThat(ids(credential, "/people?q=McMil")).containsExactly("950");
        assertThat(ids(credential, "/people?q=5555551250")).as("a phone's digits").containsExactly("950");
        assertThat(ids(credential, "/people?q=555-555-1250")).containsExactly("950");
        assertThat(ids(credential, "/people?q=100%25")).as("% is literal").isEmpty();
        assertThat(ids(credential, "/people?email=MARY@example.com")).containsExactly("950");
        assertThat(ids(credential, "/people?phone=" + encode("(555) 555-1250"))).containsExactly("950");
        assertThat(ids(credential, "/people?updatedSince=2026-01-04T00:00:00Z")).containsExactly("950", "949");
        assertThat(received()).isEmpty();
    }

    @Test
    void recordsAPassFoundDeletedAreLeftOut() {
        String credential = backfilled("eu-" + System.nanoTime());
        jdbc.update("UPDATE synced_people SET deleted_at = now() WHERE credential_id = ? AND provider_id = '949'",
                credential);

        assertThat(allPages(credential, "/people?limit=2")).containsExactly("946", "950", "947", "948");
        var gone = read(credential, "/people/949");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(problemType(gone)).endsWith("not-found");
    }

    @Test
    void tasksAndUsersComeFromTheStoreWithTheirFilters() {
        String credential = credential("eu-" + System.nanoTime());
        ArrayNode tasks = JSON.createArrayNode();
        for (int page = 1; page <= 3; page++) {
            JSON.readTree(stub("tasks-page-" + page + ".json")).path("tasks").forEach(tasks::add);
        }
        ((ObjectNode) tasks.get(2)).put("assignedUserId", 1);
        ((ObjectNode) tasks.get(3)).put("personId", 124);
        ObjectNode page = (ObjectNode) JSON.readTree(stub("tasks-page-1.json"));
        page.set("tasks", tasks);
        provider.stubFor(get(urlPathEqualTo("/v1/tasks")).willReturn(okJson(page.toString())));
        provider.stubFor(get(urlPathEqualTo("/v1/users")).willReturn(okJson(stub("users.json"))));
        sync(credential, "tasks", "users");
        runDue();
        provider.resetAll();

        assertThat(allPages(credential, "/tasks?limit=2")).containsExactly("310", "311", "312", "313", "314");
        assertThat(ids(credential, "/tasks?assignedUserId=1")).containsExactly("312");
        assertThat(ids(credential, "/tasks?personId=124")).containsExactly("313");
        assertThat(allPages(credential, "/tasks?personId=123&assignedUserId=7&limit=2"))
                .containsExactly("310", "311", "314");
        JsonNode task = json(read(credential, "/tasks?limit=1")).path("items").get(0);
        assertThat(task.path("title").asString()).isEqualTo("Call about the viewing");
        assertThat(task.path("completed").asBoolean()).isFalse();
        assertThat(allPages(credential, "/users?limit=1")).containsExactly("1", "7");
        assertThat(received()).isEmpty();

        provider.stubFor(put(urlPathEqualTo("/v1/tasks/310")).willReturn(okJson(stub("task-completed.json"))));
        var done = write(credential, "PATCH", "/tasks/310", "{\"completed\": true}");
        assertThat(done.statusCode()).as(text(done)).isEqualTo(200);
        JsonNode after = json(read(credential, "/tasks?personId=123&limit=1")).path("items").get(0);
        assertThat(after.path("id").asString()).isEqualTo("310");
        assertThat(after.path("completed").asBoolean()).isTrue();
    }

    @Test
    void theOpenApiDocumentSaysWhereAnswersComeFrom() {
        JsonNode document = json(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                .timeout(Duration.ofSeconds(120)).GET().build()));
        JsonNode people = document.path("paths").path(UNIVERSAL + "/people").path("get");

        assertThat(people.path("responses").path("200").path("headers").has("X-Plugboard-Data")).isTrue();
        var parameters = new ArrayList<String>();
        people.path("parameters").forEach(parameter -> parameters.add(parameter.path("name").asString()));
        assertThat(parameters).contains("tag", "stage", "assignedUserId", "sort");
        assertThat(document.path("components").path("schemas").path("PersonPage").path("properties").has("syncedAt"))
                .isTrue();
        assertThat(people.path("description").asString()).contains("sync-required");
    }

    // ------------------------------------------------------------------ writes

    @Test
    void aWriteGoesToTheCrmFirstAndTheReadAfterItSeesTheChange() {
        String credential = backfilled("eu-" + System.nanoTime());
        ObjectNode mary = (ObjectNode) people().get(0).deepCopy();
        mary.put("stage", "Active Client").put("updated", "2026-02-01T08:00:00Z");
        provider.stubFor(put(urlPathEqualTo("/v1/people/950")).willReturn(okJson(mary.toString())));
        provider.stubFor(post(urlPathEqualTo("/v1/people")).willReturn(okJson(stub("person.json"))));

        var changed = write(credential, "PATCH", "/people/950", "{\"stage\": \"Active Client\"}");
        var created = write(credential, "POST", "/people", "{\"firstName\": \"Mary\", \"lastName\": \"Mcmillan\"}");

        assertThat(changed.statusCode()).as(text(changed)).isEqualTo(200);
        assertThat(json(changed).path("original").isNull()).as("not asked for").isTrue();
        assertThat(created.statusCode()).as(text(created)).isEqualTo(201);
        provider.verify(putRequestedFor(urlPathEqualTo("/v1/people/950")));
        provider.verify(postRequestedFor(urlPathEqualTo("/v1/people")));
        assertThat(ids(credential, "/people?stage=" + encode("Active Client"))).containsExactly("950", "949");
        var read = read(credential, "/people/950");
        assertThat(read.headers().firstValue("X-Plugboard-Data")).hasValue("synced");
        assertThat(json(read).path("stage").asString()).isEqualTo("Active Client");
        assertThat(json(read).path("updatedAt").asString()).isEqualTo("2026-02-01T08:00:00Z");
        var fresh = read(credential, "/people/123");
        assertThat(fresh.statusCode()).as(text(fresh)).isEqualTo(200);
        assertThat(json(fresh).path("name").asString()).isEqualTo("Mary Mcmillan");
        assertThat(allPages(credential, "/people?limit=3")).containsExactly("946", "950", "949", "947", "948", "123");
    }

    // ------------------------------------------------------------------ who sees what, and bad input

    @Test
    void theStoreAnswersOnlyWhomTheCrmWould() {
        String endUser = "eu-" + System.nanoTime();
        String credential = backfilled(endUser);
        String otherToken = jwt(TestTenants.create(context, "syncreads-other"), "tenant");

        assertThat(read(jwt(tenant, endUser), credential, "/people").statusCode()).isEqualTo(200);
        assertThat(read(jwt(tenant, endUser), credential, "/people").headers().firstValue("X-Plugboard-Data"))
                .hasValue("synced");
        for (String token : List.of(otherToken, jwt(tenant, "another-end-user"))) {
            assertThat(read(token, credential, "/people").statusCode()).isEqualTo(404);
            assertThat(read(token, credential, "/people/950").statusCode()).isEqualTo(404);
            assertThat(read(token, credential, "/people?tag=Buyer").statusCode()).isEqualTo(404);
        }
        assertThat(received()).isEmpty();
    }

    @Test
    void aModelTurnedOffOrARevokedCredentialIsNoLongerAnsweredFromTheStoreAtTheNextRead() {
        String credential = backfilled("eu-" + System.nanoTime());
        assertThat(read(credential, "/people").headers().firstValue("X-Plugboard-Data")).hasValue("synced");

        // As another instance would: the state row changes under this one, which caches nothing.
        jdbc.update("UPDATE sync_states SET enabled = false WHERE credential_id = ?", credential);
        stubPeople();
        var off = read(credential, "/people");
        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(off.headers().firstValue("X-Plugboard-Data")).hasValue("live");
        assertThat(read(credential, "/people?tag=Buyer").statusCode()).isEqualTo(400);

        jdbc.update("UPDATE sync_states SET enabled = true WHERE credential_id = ?", credential);
        assertThat(read(credential, "/people").headers().firstValue("X-Plugboard-Data")).hasValue("synced");

        asAdmin(tenant, () -> credentials.revoke(tenant.id(), credential));
        var revoked = read(credential, "/people");
        assertThat(revoked.headers().firstValue("X-Plugboard-Data")).isNotEqualTo(java.util.Optional.of("synced"));
        assertThat(revoked.statusCode()).isNotEqualTo(200);
        assertThat(read(credential, "/people?stage=Lead").statusCode()).isEqualTo(400);
    }

    @Test
    void badStoreFiltersAnswer400() {
        String credential = backfilled("eu-" + System.nanoTime());

        for (String query : List.of("/people?sort=name", "/people?limit=0", "/people?limit=101",
                "/people?cursor=not-a-cursor", "/people?cursor=s1.e30", "/people?updatedSince=yesterday",
                "/notes?sort=createdAt", "/people?tag=" + "x".repeat(501),
                "/people?cursor=" + forged(credential, "{\"updatedSince\": \"yesterday\"}", 25),
                "/people?cursor=" + forged(credential, "{}", 1_000_000))) {
            var refused = read(credential, query);
            assertThat(refused.statusCode()).as(query + " " + text(refused)).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A store cursor made up by a client: its filters and page size are checked as a request's would be. */
    private static String forged(String credential, String filters, int limit) {
        String cursor = """
                {"model": "people", "cred": "%s", "filters": %s, "limit": %d, "sort": "-updatedAt",
                 "after": {"updatedAt": null, "id": "950"}}""".formatted(credential, filters, limit);
        return "s1." + Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
    }

    private String credential(String endUser) {
        return credential(tenant, appKey, endUser, Map.of("apiKey", "fub-api-key"), null);
    }

    /** A credential whose people are synced, their first backfill complete. */
    private String backfilled(String endUser) {
        String credential = credential(endUser);
        stubPeople();
        sync(credential, "people");
        runDue();
        provider.resetAll();
        return credential;
    }

    private void sync(String credential, String... models) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/credentials/"
                        + credential + "/sync"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + jwt())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"models\": [\"" + String.join("\", \"", models) + "\"]}"))
                .build();
        var response = send(request);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    }

    private void runDue() {
        for (int ran = worker.runDue(); ran > 0; ran = worker.runDue()) {
            // until nothing is due
        }
    }

    /** The five people of the documented pagination example as one page, told apart. */
    private void stubPeople() {
        ObjectNode page = (ObjectNode) JSON.readTree(stub("people-page-1.json"));
        ((ObjectNode) page.path("_metadata")).putNull("next").putNull("nextLink").put("total", 5);
        page.set("people", people());
        provider.stubFor(get(urlPathEqualTo("/v1/people")).withQueryParam("next", absent())
                .willReturn(okJson(page.toString())));
    }

    private static ArrayNode people() {
        var people = JSON.createArrayNode();
        for (String file : List.of("people-page-1.json", "people-page-2.json", "people-page-3.json")) {
            JSON.readTree(stub(file)).path("people").forEach(people::add);
        }
        change(people.get(1), "2026-01-04T00:00:00Z", "Active Client", 8, "Seller");
        change(people.get(0), "2026-01-05T00:00:00Z", "Lead", 7, "Buyer");
        change(people.get(2), "2026-01-03T00:00:00Z", "Lead", 8, "Buyer", "Seller");
        change(people.get(3), "2026-01-03T00:00:00Z", "Closed", 7);
        change(people.get(4), null, "Lead", null);
        return people;
    }

    private static void change(JsonNode person, @Nullable String updated, String stage, @Nullable Integer owner,
                               String... tags) {
        ObjectNode record = (ObjectNode) person;
        if (updated == null) {
            record.remove("updated");
        } else {
            record.put("updated", updated);
        }
        record.put("stage", stage);
        if (owner == null) {
            record.remove("assignedUserId");
        } else {
            record.put("assignedUserId", owner);
        }
        ArrayNode list = record.putArray("tags");
        for (String tag : tags) {
            list.add(tag);
        }
    }

    private List<String> allPages(String credential, String query) {
        var ids = new ArrayList<String>();
        String cursor = null;
        for (int pages = 0; pages < 20; pages++) {
            var response = read(credential, cursor == null ? query : after(query, cursor));
            assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Plugboard-Data")).hasValue("synced");
            JsonNode page = json(response);
            ids.addAll(ids(page));
            if (page.path("nextCursor").isNull()) {
                return ids;
            }
            cursor = page.path("nextCursor").asString();
        }
        throw new AssertionError("no last page");
    }

    /** A next page asked with its cursor alone. */
    private static String after(String query, String cursor) {
        return query.substring(0, query.indexOf('?')) + "?cursor=" + encode(cursor);
    }

    private List<String> ids(String credential, String query) {
        var response = read(credential, query);
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Plugboard-Data")).hasValue("synced");
        return ids(json(response));
    }

    private static List<String> ids(JsonNode page) {
        var ids = new ArrayList<String>();
        page.path("items").forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    private static Map<String, JsonNode> byId(JsonNode page) {
        var byId = new HashMap<String, JsonNode>();
        page.path("items").forEach(item -> byId.put(item.path("id").asString(), item));
        return byId;
    }

    private HttpResponse<byte[]> read(String credential, String pathAndQuery) {
        return read(jwt(), credential, pathAndQuery);
    }

    private HttpResponse<byte[]> read(String token, String credential, String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + UNIVERSAL + pathAndQuery))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                .header("X-Credential-Id", credential).GET().build());
    }

    private HttpResponse<byte[]> write(String credential, String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + UNIVERSAL + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + jwt())
                .header("X-Credential-Id", credential).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static ResponseDefinitionBuilder okJson(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** The documented answer in a stub file (its {@code _source} names the pages it comes from). */
    private static String stub(String file) {
        try (InputStream in = SyncedReadsIT.class.getResourceAsStream("/universal/followupboss/" + file)) {
            return JSON.readTree(in).path("response").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
