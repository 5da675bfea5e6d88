package io.plugboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.plugboard.client.example.Example;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the real application, started once from its jar for the whole class (see
 * {@link RunningPlugboard}). Follow Up Boss, which the demo tenant has enabled, is pointed by an operator connector
 * file at {@link #upstream}, a local HTTP server standing in for the provider, so proxied calls reach a real upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlugboardClientIT {

    /**
     * The built-in Follow Up Boss definition with its API base URL on the local upstream, and a metadata field. Its
     * auth is the built-in's, from https://docs.followupboss.com/reference/authentication: HTTP Basic with the API
     * key as the username and an empty password.
     */
    private static final String CONNECTOR = """
            appKey: followupboss
            name: Follow Up Boss
            category: CRM
            docsUrl: https://docs.followupboss.com/reference/authentication
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
                required: true
                prefillable: false
            metadata:
              - key: office
                label: Office
                type: STRING
                required: false
            """;

    /**
     * A second Follow Up Boss at {@code /crm/v1} of the upstream, which answers people as the Follow Up Boss API
     * does; the application maps it like the built-in ({@code PLUGBOARD_UNIVERSAL_CONNECTOR_MAPPINGS}).
     */
    private static final String CRM_CONNECTOR = """
            appKey: crm-standin
            name: Follow Up Boss (stand-in)
            category: CRM
            authMode: API_KEY
            api:
              baseUrl: %s/crm/v1
              auth:
                type: BASIC
                username: "{apiKey}"
                password: ""
            fields:
              - key: apiKey
                label: API key
                secret: true
                required: true
            """;

    /**
     * One person as GET /v1/people/{id} answers, from the record in
     * https://docs.followupboss.com/docs/requests-and-responses and the fields of
     * https://docs.followupboss.com/reference/people-post.
     */
    private static final String FUB_PERSON = """
            {"id": 950, "created": "2012-04-23T02:23:11Z", "updated": "2012-04-24T10:00:00Z",
             "name": "Mary Mcmillan", "firstName": "Mary", "lastName": "Mcmillan", "stage": "Lead",
             "source": "Zillow", "assignedUserId": 7, "tags": ["Buyer"],
             "emails": [{"value": "mary@example.com", "type": "home", "isPrimary": 1}],
             "phones": [{"value": "555-555-1250", "type": "mobile", "isPrimary": 1}],
             "addresses": [{"type": "home", "street": "1 Main St", "city": "Scottsdale", "state": "AZ",
                            "code": "85251", "country": "United States"}]}""";

    /**
     * A note, a task and a user as Follow Up Boss answers them: the note of
     * https://docs.followupboss.com/reference/notesid, the task fields of
     * https://docs.followupboss.com/reference/tasks-post, the user of https://docs.followupboss.com/reference/users-get.
     */
    private static final String FUB_NOTE = """
            {"id": 1106, "personId": 950, "subject": "Call", "body": "Called, wants a viewing on Saturday.",
             "isHtml": false, "createdById": 7, "created": "2026-03-09T15:04:05Z", "updated": "2026-03-09T15:04:05Z"}""";
    private static final String FUB_TASK = """
            {"id": 310, "personId": 950, "assignedUserId": 7, "name": "Call about the viewing", "type": "Call",
             "dueDate": "2026-03-05", "dueDateTime": "2026-03-05T12:00:00-05:00", "isCompleted": 0,
             "created": "2026-03-01T09:00:00Z", "updated": "2026-03-01T09:00:00Z"}""";
    private static final String FUB_USER = """
            {"id": 7, "name": "Jane Agent", "firstName": "Jane", "lastName": "Agent", "email": "jane@example.com",
             "role": "Agent"}""";

    /** The bodies the stand-in CRM was sent, in order. */
    private final LinkedBlockingQueue<String> crmBodies = new LinkedBlockingQueue<>();

    /** What {@code /hooks/…} on {@link #upstream} received: webhook deliveries, as sent. */
    private final LinkedBlockingQueue<Received> hooks = new LinkedBlockingQueue<>();

    private record Received(String path, String signature, byte[] body) {
    }

    private HttpServer upstream;
    private RunningPlugboard plugboard;
    private PlugboardClient client;

    @BeforeAll
    void start(@TempDir Path work) throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", this::answer);
        upstream.createContext("/hooks/", exchange -> {
            hooks.add(new Received(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst(WebhookVerifier.HEADER),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        upstream.createContext("/crm/", this::answerAsTheCrm);
        upstream.start();
        Path connectors = Files.createDirectories(work.resolve("connectors"));
        Files.writeString(connectors.resolve("followupboss.yaml"),
                CONNECTOR.formatted("http://127.0.0.1:" + upstream.getAddress().getPort()));
        Files.writeString(connectors.resolve("crm-standin.yaml"),
                CRM_CONNECTOR.formatted("http://127.0.0.1:" + upstream.getAddress().getPort()));
        plugboard = RunningPlugboard.start(work, Map.of(
                "PLUGBOARD_UNIVERSAL_CONNECTOR_MAPPINGS", "crm-standin=followupboss",
                "PLUGBOARD_CONNECTORS_DIR", connectors.toString(),
                "PLUGBOARD_CONNECTORS_ALLOW_HTTP", "true",
                "PLUGBOARD_PROXY_ALLOW_PRIVATE_ADDRESSES", "true"));
        client = plugboard.client();
    }

    @AfterAll
    void stop() throws Exception {
        if (plugboard != null) {
            plugboard.close();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    /**
     * The stand-in CRM: a list of one person (with the documented {@code _metadata}, no {@code next}: the last
     * page), the person by id, and a created or updated person that echoes what it was sent over the record.
     */
    private void answerAsTheCrm(HttpExchange exchange) throws IOException {
        String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getPath();
        String body;
        if (exchange.getRequestMethod().equals("GET") && path.equals("/crm/v1/people")) {
            body = "{\"_metadata\": {\"collection\": \"people\", \"offset\": 0, \"limit\": 25, \"total\": 1},"
                    + " \"people\": [" + FUB_PERSON + "]}";
        } else if (path.equals("/crm/v1/notes") || path.equals("/crm/v1/tasks") || path.startsWith("/crm/v1/tasks/")
                || path.equals("/crm/v1/users")) {
            body = answerAsTheCrmActivity(exchange.getRequestMethod(), path, sent);
        } else if (path.equals("/crm/v1/people/950") || path.equals("/crm/v1/people")) {
            if (!exchange.getRequestMethod().equals("GET")) {
                crmBodies.add(exchange.getRequestMethod() + " " + sent);
            }
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var person = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(FUB_PERSON);
            if (!sent.isEmpty()) {
                person.setAll((com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(sent));
            }
            body = mapper.writeValueAsString(person);
        } else {
            body = "{\"errorMessage\": \"Not found\"}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(body.contains("errorMessage") ? 404
                : exchange.getRequestMethod().equals("POST") ? 201 : 200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Notes, tasks and users of the stand-in CRM: lists in Follow Up Boss's shape, writes answered as stored. */
    private String answerAsTheCrmActivity(String method, String path, String sent) throws IOException {
        String collection = path.substring("/crm/v1/".length()).replaceAll("/.*", "");
        String record = switch (collection) {
            case "notes" -> FUB_NOTE;
            case "tasks" -> FUB_TASK;
            default -> FUB_USER;
        };
        if (method.equals("GET")) {
            return "{\"_metadata\": {\"collection\": \"" + collection + "\", \"offset\": 0, \"limit\": 25, \"total\": 1,"
                    + " \"next\": null}, \"" + collection + "\": [" + record + "]}";
        }
        crmBodies.add(method + " " + sent);
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var stored = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(record);
        stored.setAll((com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(sent));
        return mapper.writeValueAsString(stored);
    }

    /**
     * The stand-in provider: {@code /v1/people} answers what it received (the API key from the Basic header, query,
     * body, a test header), {@code /v1/missing} a 404 of its own.
     */
    private void answer(HttpExchange exchange) throws IOException {
        byte[] received = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        int status = path.equals("/v1/people") ? 200 : 404;
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String user = authorization != null && authorization.startsWith("Basic ")
                ? new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8) : "";
        var echo = new LinkedHashMap<String, Object>();
        echo.put("method", exchange.getRequestMethod());
        echo.put("path", path);
        echo.put("query", exchange.getRequestURI().getRawQuery());
        echo.put("basic", user);
        echo.put("test", exchange.getRequestHeaders().getFirst("X-Test"));
        echo.put("credentialIdSeen", exchange.getRequestHeaders().containsKey("X-Credential-Id"));
        echo.put("body", new String(received, StandardCharsets.UTF_8));
        byte[] body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(echo);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Upstream", "stand-in");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void theApplicationAcceptsTheMintedToken() {
        List<Connector> connectors = client.connectors().list();

        assertThat(connectors).extracting(Connector::appKey).contains("followupboss", "roller", "stripe");
        Connector followUpBoss = connectors.stream().filter(c -> c.appKey().equals("followupboss")).findFirst().orElseThrow();
        assertThat(followUpBoss.enabled()).isTrue();
        assertThat(followUpBoss.source()).isEqualTo("OPERATOR");
        assertThat(followUpBoss.fields()).extracting(Connector.Field::key).containsExactly("apiKey");
        assertThat(followUpBoss.metadata()).extracting(Connector.MetadataField::key).containsExactly("office");
    }

    @Test
    void aTokenSignedWithAnotherSecretGetsThe401Problem() {
        var wrong = PlugboardClient.builder().baseUrl(plugboard.baseUrl).clientId(plugboard.clientId)
                .clientSecret(plugboard.clientSecret.replace('a', 'b') + "x").build();

        assertThatThrownBy(() -> wrong.connectors().list()).isInstanceOfSatisfying(PlugboardApiException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.type()).isEqualTo("https://plugboard.dev/problems/invalid-token");
            assertThat(e.problemType()).isEqualTo("invalid-token");
            assertThat(e.rule()).contains("signature");
            assertThat(e.detail()).isNotBlank();
        });
        var unknown = PlugboardClient.builder().baseUrl(plugboard.baseUrl).clientId("pb_nobody")
                .clientSecret(plugboard.clientSecret).build();
        assertThatThrownBy(() -> unknown.credentials().list(CredentialQuery.all()))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void aConnectSessionIsOpenedFollowedRefreshedAndCancelled() {
        String endUser = "agent-" + UUID.randomUUID();
        ConnectSession opened = client.connectSessions().create(NewConnectSession
                .forEndUser(new NewConnectSession.EndUser(endUser, "agent@example.com", "Agent Smith"))
                .withAllowedConnectors(List.of("followupboss"))
                .withMetadata(Map.of("followupboss", Map.of("office", "Berlin"))));

        assertThat(opened.sessionId()).startsWith("cs_");
        assertThat(opened.connectUrl()).contains(opened.token());
        assertThat(opened.expiresAt()).isAfter(Instant.now().plusSeconds(25 * 60));
        assertThat(opened.toString()).doesNotContain(opened.token());

        ConnectSessionStatus status = client.connectSessions().get(opened.sessionId());
        assertThat(status.status()).isEqualTo("PENDING");
        assertThat(status.endUserId()).isEqualTo(endUser);
        assertThat(status.credentialIds()).isEmpty();

        ConnectSession refreshed = client.connectSessions().refresh(opened.sessionId());
        assertThat(refreshed.sessionId()).isEqualTo(opened.sessionId());
        assertThat(refreshed.token()).isNotEqualTo(opened.token());

        client.connectSessions().cancel(opened.sessionId());
        assertThat(client.connectSessions().get(opened.sessionId()).status()).isEqualTo("CANCELLED");
        assertThatThrownBy(() -> client.connectSessions().get("cs_" + "0".repeat(32)))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void anImportedCredentialIsListedPatchedAndRevoked() {
        String endUser = "agent-" + UUID.randomUUID();
        Credential imported = client.credentials().importCredential(NewCredential.of("followupboss", endUser)
                .withEndUser("agent@example.com", "Agent Smith")
                .withLabel("Agent's Follow Up Boss")
                .withFields(Map.of("apiKey", "fka_it_" + UUID.randomUUID()))
                .withMetadata(Map.of("office", "Berlin")));

        assertThat(imported.id()).startsWith("cred_");
        assertThat(imported.status()).isEqualTo(CredentialStatus.ACTIVE);
        assertThat(imported.metadata()).containsEntry("office", "Berlin");
        assertThat(imported.createdAt()).isNotNull();

        CredentialPage page = client.credentials().list(CredentialQuery.all().endUserId(endUser));
        assertThat(page.items()).extracting(Credential::id).containsExactly(imported.id());
        assertThat(page.hasMore()).isFalse();
        assertThat(client.credentials().list(CredentialQuery.all().appKey("followupboss").metadata("office", "Berlin"))
                .items()).extracting(Credential::id).contains(imported.id());

        Credential patched = client.credentials().update(imported.id(),
                CredentialChange.label("Berlin desk").withMetadata(Map.of("office", "Hamburg")));
        assertThat(patched.label()).isEqualTo("Berlin desk");
        assertThat(patched.metadata()).containsEntry("office", "Hamburg");
        assertThat(client.credentials().get(imported.id()).label()).isEqualTo("Berlin desk");

        Credential revoked = client.credentials().revoke(imported.id());
        assertThat(revoked.status()).isEqualTo(CredentialStatus.REVOKED);
        assertThat(revoked.revokedAt()).isNotNull();
        assertThat(revoked.providerRevocation()).isNotNull();
        assertThat(revoked.providerRevocation().status()).isEqualTo("not_supported");
        assertThat(client.credentials().get(imported.id()).status()).isEqualTo(CredentialStatus.REVOKED);
    }

    @Test
    void streamingFollowsTheCursorAcrossPages() {
        List<String> paged = client.credentials().stream(CredentialQuery.all().limit(2)).map(Credential::id).toList();
        List<String> inOnePage = client.credentials().list(CredentialQuery.all().limit(200)).items().stream()
                .map(Credential::id).toList();

        // The demo tenant starts with five sample credentials, so two per page takes at least three pages.
        assertThat(paged).hasSizeGreaterThanOrEqualTo(5).doesNotHaveDuplicates();
        assertThat(paged).containsExactlyElementsOf(inOnePage);
        int count = 0;
        for (Credential ignored : client.credentials().all(CredentialQuery.all().appKey("roller").limit(1))) {
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anEndUsersClientSeesOnlyThatEndUsersCredentials() {
        String endUser = "agent-" + UUID.randomUUID();
        Credential own = client.credentials().importCredential(NewCredential.of("followupboss", endUser)
                .withFields(Map.of("apiKey", "fka_it_own")));
        String someoneElses = client.credentials().list(CredentialQuery.all().endUserId("agent-1001")).items().get(0).id();
        PlugboardClient scoped = client.forEndUser(endUser);

        assertThat(scoped.credentials().stream(CredentialQuery.all()).map(Credential::id)).containsExactly(own.id());
        assertThatThrownBy(() -> scoped.credentials().get(someoneElses))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void endUsersArePagedByTheirIds() {
        List<String> ids = client.endUsers().stream(2).map(EndUserSummary::id).toList();

        // The demo tenant's sample credentials belong to four end users.
        assertThat(ids).contains("agent-1001", "agent-1002", "venue-ops", "office-berlin").doesNotHaveDuplicates();
        EndUserSummary venueOps = client.endUsers().list("office-berlin", 200).items().stream()
                .filter(u -> u.id().equals("venue-ops")).findFirst().orElseThrow();
        assertThat(venueOps.displayName()).isEqualTo("Venue operations");
        assertThat(client.forEndUser("agent-1001").endUsers().stream(50).map(EndUserSummary::id))
                .containsExactly("agent-1001");
    }

    @Test
    void invalidInputComesBackAsAProblemNamingTheField() {
        String id = client.credentials().importCredential(NewCredential.of("followupboss", "agent-" + UUID.randomUUID())
                .withFields(Map.of("apiKey", "fka_it_fields"))).id();

        assertThatThrownBy(() -> client.credentials().update(id, CredentialChange.metadata(Map.of("venue", "x"))))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.problemType()).isEqualTo("invalid-request");
                    assertThat(e.field()).as(e.getMessage()).contains("metadata.venue");
                    assertThat(e.detail()).contains("venue");
                });
    }

    @Test
    void aProxiedCallReachesTheProviderWithTheCredentialsAuth() {
        String apiKey = "fka_it_" + UUID.randomUUID();
        Credential credential = client.credentials().importCredential(NewCredential.of("followupboss",
                "agent-" + UUID.randomUUID()).withFields(Map.of("apiKey", apiKey)));
        Proxy proxy = client.proxy(credential.id()).withHeader("X-Test", "yes");

        ProxyResponse people = proxy.get("/people?limit=5");
        assertThat(people.status()).isEqualTo(200);
        assertThat(people.requestId()).isNotBlank();
        assertThat(people.header("x-upstream")).contains("stand-in");
        JsonNode echo = people.json();
        assertThat(echo.path("path").asText()).isEqualTo("/v1/people");
        assertThat(echo.path("query").asText()).isEqualTo("limit=5");
        assertThat(echo.path("basic").asText()).isEqualTo(apiKey + ":");
        assertThat(echo.path("test").asText()).isEqualTo("yes");
        assertThat(echo.path("credentialIdSeen").asBoolean()).as("X-Credential-Id stays with Plugboard").isFalse();

        ProxyResponse posted = proxy.post("/people", Map.of("name", "Jane Cooper"));
        assertThat(posted.json().path("method").asText()).isEqualTo("POST");
        assertThat(posted.json().path("body").asText()).isEqualTo("{\"name\":\"Jane Cooper\"}");

        ProxyResponse missing = proxy.get("/missing");
        assertThat(missing.status()).as("the provider's own 404 is an answer, not an error").isEqualTo(404);
        assertThat(missing.isSuccess()).isFalse();
        assertThat(missing.json().path("path").asText()).isEqualTo("/v1/missing");
    }

    @Test
    void theUniversalCrmApiReadsAndWritesPeopleInOneModel() {
        client.integrations().setEnabled("crm-standin", true);
        String credentialId = client.credentials().importCredential(NewCredential.of("crm-standin",
                "agent-" + UUID.randomUUID()).withFields(Map.of("apiKey", "fka_crm"))).id();
        UniversalCrm crm = client.universalCrm(credentialId);

        UniversalCrm.PersonPage page = crm.people(UniversalCrm.PeopleQuery.all().email("mary@example.com").limit(10));
        assertThat(page.nextCursor()).isNull();
        assertThat(page.items()).singleElement().satisfies(mary -> {
            assertThat(mary.id()).isEqualTo("950");
            assertThat(mary.name()).isEqualTo("Mary Mcmillan");
            assertThat(mary.emails()).containsExactly(new UniversalCrm.ContactPoint("mary@example.com", "home", true));
            assertThat(mary.addresses().get(0).postalCode()).isEqualTo("85251");
            assertThat(mary.assignedUserId()).isEqualTo("7");
            assertThat(mary.createdAt()).isEqualTo(Instant.parse("2012-04-23T02:23:11Z"));
            assertThat(mary.original()).isNull();
        });
        assertThat(crm.streamPeople(UniversalCrm.PeopleQuery.all())).extracting(UniversalCrm.Person::id)
                .containsExactly("950");
        assertThat(crm.personWithOriginal("950").original().path("assignedUserId").asInt()).isEqualTo(7);

        UniversalCrm.Person created = crm.createPerson(UniversalCrm.PersonInput.named("Jane", "Cooper")
                .withEmail("jane@example.com"));
        assertThat(created.firstName()).isEqualTo("Jane");
        assertThat(crmBodies.poll()).startsWith("POST ").contains("\"firstName\":\"Jane\"",
                "\"value\":\"jane@example.com\"");
        crm.updatePerson("950", UniversalCrm.PersonInput.named(null, null).withStage("Active Client"));
        assertThat(crmBodies.poll()).as("only the changed field, as Follow Up Boss's PUT takes it")
                .isEqualTo("PUT {\"stage\":\"Active Client\"}");

        assertThatThrownBy(() -> crm.person("404")).isInstanceOfSatisfying(PlugboardApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        assertThatThrownBy(() -> client.universalCrm("cred_doesnotexist").people(UniversalCrm.PeopleQuery.all()))
                .isInstanceOf(PlugboardApiException.class);
    }

    @Test
    void theUniversalCrmApiReadsAndWritesNotesTasksAndUsers() {
        client.integrations().setEnabled("crm-standin", true);
        String credentialId = client.credentials().importCredential(NewCredential.of("crm-standin",
                "agent-" + UUID.randomUUID()).withFields(Map.of("apiKey", "fka_crm"))).id();
        UniversalCrm crm = client.universalCrm(credentialId);

        assertThat(crm.streamNotes("950")).singleElement().satisfies(note -> {
            assertThat(note.body()).isEqualTo("Called, wants a viewing on Saturday.");
            assertThat(note.personId()).isEqualTo("950");
            assertThat(note.createdByUserId()).isEqualTo("7");
        });
        crm.createNote("950", "Sent the brochure.");
        assertThat(crmBodies.poll()).isEqualTo("POST {\"personId\":950,\"body\":\"Sent the brochure.\"}");

        UniversalCrm.TaskPage tasks = crm.tasks("950", 10, null);
        assertThat(tasks.nextCursor()).isNull();
        assertThat(tasks.items()).singleElement().satisfies(task -> {
            assertThat(task.title()).isEqualTo("Call about the viewing");
            assertThat(task.dueAt()).isEqualTo(Instant.parse("2026-03-05T17:00:00Z"));
            assertThat(task.completed()).isFalse();
        });
        crm.createTask(UniversalCrm.TaskInput.about("950", "Send the contract")
                .due(Instant.parse("2026-03-06T09:00:00Z")).assignedTo("7"));
        assertThat(crmBodies.poll()).startsWith("POST ").contains("\"personId\":950", "\"name\":\"Send the contract\"",
                "\"dueDateTime\":\"2026-03-06T09:00:00Z\"", "\"assignedUserId\":7");
        assertThat(crm.completeTask("310").completed()).isTrue();
        assertThat(crmBodies.poll()).as("only the changed field, as Follow Up Boss's PUT takes it")
                .isEqualTo("PUT {\"isCompleted\":true}");

        assertThat(crm.streamUsers()).singleElement().satisfies(user -> {
            assertThat(user.id()).isEqualTo("7");
            assertThat(user.email()).isEqualTo("jane@example.com");
        });
        assertThatThrownBy(() -> crm.createNote("950", " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plugboardsOwnRefusalOfAProxiedCallIsAnApiException() {
        assertThatThrownBy(() -> client.proxy("cred_doesnotexist").get("/people"))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.requestId()).isPresent();
                });
        Credential revoked = client.credentials().revoke(client.credentials().importCredential(NewCredential.of(
                "followupboss", "agent-" + UUID.randomUUID()).withFields(Map.of("apiKey", "fka_it_gone"))).id());
        assertThatThrownBy(() -> client.proxy(revoked.id()).get("/people"))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void theReadmeExampleRunsAgainstTheApplication() {
        String endUser = "agent-" + UUID.randomUUID();
        Credential credential = client.credentials().importCredential(NewCredential.of("followupboss", endUser)
                .withLabel("Example desk").withFields(Map.of("apiKey", "fka_it_example")));
        var output = new ByteArrayOutputStream();

        Example.run(client, endUser, new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("Connect here: ", credential.id() + " followupboss Example desk", "HTTP 200 (");
    }

    /**
     * The verifier against the application's own signer ({@code io.plugboard.webhook.WebhookSignature}, loaded
     * from the jar under test), with one secret and with the two a rotation signs with.
     */
    @Test
    void theVerifierAcceptsWhatTheApplicationSigns() throws Exception {
        String body = "{\"id\":\"evt_it\",\"type\":\"credential.created\",\"createdAt\":\"2026-12-07T10:00:00Z\","
                + "\"tenant\":\"t\",\"data\":{\"endUserId\":\"Jürgen ✓\"}}";
        long now = Instant.now().getEpochSecond();
        URL classes = new URL("jar:" + plugboard.jar.toUri() + "!/BOOT-INF/classes/");
        try (var loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Method header = loader.loadClass("io.plugboard.webhook.WebhookSignature")
                    .getMethod("header", long.class, List.class, String.class);
            String single = (String) header.invoke(null, now, List.of("whsec_new"), body);
            String rotating = (String) header.invoke(null, now, List.of("whsec_new", "whsec_old"), body);
            String stale = (String) header.invoke(null, now - 600, List.of("whsec_new"), body);

            assertThat(new WebhookVerifier("whsec_new").verify(single, body).id()).isEqualTo("evt_it");
            assertThat(Example.onWebhook(rotating, body.getBytes(StandardCharsets.UTF_8), "whsec_new").data()
                    .path("endUserId").asText()).isEqualTo("Jürgen ✓");
            assertThat(new WebhookVerifier("whsec_old").isValid(rotating, body.getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(new WebhookVerifier("whsec_other").isValid(single, body.getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(new WebhookVerifier("whsec_new").isValid(stale, body.getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(new WebhookVerifier("whsec_new").isValid(single,
                    body.replace("created", "revoked").getBytes(StandardCharsets.UTF_8))).isFalse();
        }
    }

    @Test
    void aWebhookCreatedThroughTheClientReceivesSignedTestDeliveriesAcrossASecretRotation() throws Exception {
        String path = "/hooks/" + UUID.randomUUID();
        Webhooks.IssuedWebhook issued = client.webhooks().create(Webhooks.NewWebhook.to(upstream() + path)
                .withDescription("client IT").withEventTypes(List.of("credential.revoked")));
        String id = issued.endpoint().id();

        assertThat(issued.signingSecret()).startsWith("whsec_");
        assertThat(issued.toString()).doesNotContain(issued.signingSecret());
        assertThat(issued.endpoint().eventTypes()).containsExactly("credential.revoked");
        assertThat(client.webhooks().list()).extracting(Webhooks.WebhookEndpoint::id).contains(id);
        assertThat(client.webhooks().get(id).description()).isEqualTo("client IT");

        String first = client.webhooks().sendTest(id);
        Received delivered = awaitDelivery(path, first);
        WebhookVerifier.WebhookEvent event = new WebhookVerifier(issued.signingSecret()).verify(delivered.signature(), delivered.body());
        assertThat(event.type()).isEqualTo("webhook.test");

        Webhooks.IssuedWebhook rotated = client.webhooks().rotateSecret(id);
        assertThat(rotated.signingSecret()).startsWith("whsec_").isNotEqualTo(issued.signingSecret());
        assertThat(rotated.endpoint().previousSecretUntil()).isAfter(Instant.now());
        String second = client.webhooks().sendTest(id);
        Received afterRotation = awaitDelivery(path, second);
        assertThat(new WebhookVerifier(rotated.signingSecret()).verify(afterRotation.signature(), afterRotation.body())
                .id()).isEqualTo(second);

        Webhooks.WebhookDelivery logged = awaitDelivered(id, second);
        assertThat(client.webhooks().streamDeliveries(id, null, 1).map(Webhooks.WebhookDelivery::eventId))
                .containsExactly(second, first);
        client.webhooks().redeliver(id, logged.id());
        assertThat(awaitDelivery(path, second).signature()).isNotBlank();

        Webhooks.WebhookEndpoint disabled = client.webhooks().update(id,
                Webhooks.WebhookChange.none().enabled(false).description(""));
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.description()).isNull();
        assertThat(disabled.eventTypes()).as("absent fields stay").containsExactly("credential.revoked");
        assertThatThrownBy(() -> client.webhooks().sendTest(id))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(400));

        client.webhooks().delete(id);
        assertThatThrownBy(() -> client.webhooks().get(id))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void pollingTheAuditLogReturnsTheEventsOfTheCallsJustMadeWithoutRepeats() {
        String cursor = client.auditEvents().stream(null, null, 1000)
                .reduce((earlier, later) -> later).map(AuditEvents.AuditEvent::cursor).orElse(null);
        Webhooks.IssuedWebhook issued = client.webhooks().create(Webhooks.NewWebhook.to(upstream() + "/hooks/audit"));
        String id = issued.endpoint().id();
        client.webhooks().update(id, Webhooks.WebhookChange.none().description("audited"));
        client.webhooks().delete(id);

        AuditEvents.AuditPage poll = client.auditEvents().after(cursor, null, 1000);

        assertThat(poll.items()).filteredOn(e -> id.equals(e.targetId())).extracting(AuditEvents.AuditEvent::action)
                .containsExactly("webhook.endpoint.created", "webhook.endpoint.updated", "webhook.endpoint.deleted");
        assertThat(poll.items()).filteredOn(e -> id.equals(e.targetId()))
                .allSatisfy(e -> {
                    assertThat(e.actorType()).isEqualTo("API_CLIENT");
                    assertThat(e.actorId()).isEqualTo(plugboard.clientId);
                    assertThat(e.hash()).isNotBlank();
                });
        assertThat(poll.items()).extracting(AuditEvents.AuditEvent::seq).doesNotHaveDuplicates();
        assertThat(poll.nextCursor()).isEqualTo(poll.items().get(poll.items().size() - 1).cursor());
        AuditEvents.AuditPage next = client.auditEvents().after(poll.nextCursor(), null, 1000);
        assertThat(next.items()).extracting(AuditEvents.AuditEvent::seq)
                .doesNotContainAnyElementsOf(poll.items().stream().map(AuditEvents.AuditEvent::seq).toList());
        assertThat(next.nextCursor()).isNotNull();

        assertThat(client.auditEvents().stream(cursor, AuditEvents.AuditFilter.all().action("webhook.endpoint.")
                        .target(id), 1).map(AuditEvents.AuditEvent::action))
                .as("one per page, until caught up")
                .containsExactly("webhook.endpoint.created", "webhook.endpoint.updated", "webhook.endpoint.deleted");
    }

    @Test
    void anIntegrationsOAuthAppRoundTripsWithoutItsSecretAndItIsEnabledAndDisabled() throws Exception {
        Integrations.Integration integration = client.integrations().list().stream()
                .filter(i -> i.authMode().equals("OAUTH2_AUTHORIZATION_CODE") && !i.enabled())
                .findFirst().orElseThrow();
        String appKey = integration.appKey();
        String secret = "client-it-secret-" + UUID.randomUUID();

        Integrations.Integration configured = client.integrations().setOAuthApp(appKey,
                Integrations.OAuthAppChange.of("client-it-id", secret));
        assertThat(configured.oauthApp().configured()).isTrue();
        assertThat(configured.oauthApp().clientId()).isEqualTo("client-it-id");
        assertThat(configured.oauthApp().clientSecretSet()).isTrue();
        assertThat(configured.oauthApp().redirectUri()).startsWith(plugboard.baseUrl);
        assertThat(Integrations.OAuthAppChange.of("x", secret).toString()).doesNotContain(secret);

        Integrations.Integration keptSecret = client.integrations().setOAuthApp(appKey,
                new Integrations.OAuthAppChange("client-it-id-2", null, null));
        assertThat(keptSecret.oauthApp().clientSecretSet()).as("a PUT without a secret keeps it").isTrue();
        assertThat(client.integrations().setEnabled(appKey, true).enabled()).isTrue();
        assertThat(client.integrations().get(appKey).enabled()).isTrue();
        assertThatThrownBy(() -> client.integrations().removeOAuthApp(appKey))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThat(rawGet("/api/v1/integrations")).doesNotContain(secret);
        assertThat(rawGet("/api/v1/integrations/" + appKey)).doesNotContain(secret);

        assertThat(client.integrations().setEnabled(appKey, false).enabled()).isFalse();
        Integrations.Integration removed = client.integrations().removeOAuthApp(appKey);
        assertThat(removed.oauthApp().configured()).isFalse();
        assertThat(removed.oauthApp().clientSecretSet()).isFalse();
        assertThatThrownBy(() -> client.integrations().setEnabled(appKey, true)).as("no OAuth app, no enabling")
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void aCustomConnectorIsCreatedReadReplacedAndDeletedAndStrandingNeedsTheConfirmedCount() {
        String appKey = "client-it-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> definition = customConnector(appKey, "Client IT CRM", "https://api.client-it.example/v1");

        Map<String, Object> created = client.customConnectors().create(definition);
        assertThat(created).containsEntry("appKey", appKey);
        assertThat(client.customConnectors().list()).extracting(CustomConnectors.Summary::appKey).contains(appKey);
        assertThat(client.customConnectors().get(appKey)).containsEntry("name", "Client IT CRM");
        String yaml = client.customConnectors().getYaml(appKey);
        assertThat(yaml).contains("appKey: \"" + appKey + "\"");
        Map<String, Object> copy = client.customConnectors().createYaml(yaml.replace(appKey, appKey + "-copy"));
        assertThat(copy).containsEntry("appKey", appKey + "-copy").containsEntry("api", definition.get("api"));
        client.customConnectors().delete(appKey + "-copy");
        assertThatThrownBy(() -> client.customConnectors().create(definition))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.problemType()).isEqualTo("custom-connector-exists");
                });
        assertThat(client.customConnectors().replace(appKey,
                customConnector(appKey, "Client IT CRM renamed", "https://api.client-it.example/v1")))
                .as("a new name keeps the destination: no confirmation").containsEntry("name", "Client IT CRM renamed");

        client.integrations().setEnabled(appKey, true);
        Credential credential = client.credentials().importCredential(NewCredential.of(appKey,
                "agent-" + UUID.randomUUID()).withFields(Map.of("apiKey", "client-it-key")));
        Map<String, Object> moved = customConnector(appKey, "Client IT CRM", "https://api.elsewhere.example/v1");
        assertThatThrownBy(() -> client.customConnectors().replace(appKey, moved))
                .isInstanceOfSatisfying(SecretsWouldBeStrandedException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.credentialsNeedingReconnect()).isEqualTo(1);
                    assertThat(e.detail()).contains("strandCredentials=1");
                });
        assertThat(client.customConnectors().get(appKey)).as("nothing was changed")
                .containsEntry("name", "Client IT CRM renamed");
        assertThat(client.credentials().get(credential.id()).status()).isEqualTo(CredentialStatus.ACTIVE);

        assertThatThrownBy(() -> client.customConnectors().replace(appKey, moved, 5)).as("the count must be current")
                .isInstanceOf(SecretsWouldBeStrandedException.class);
        assertThat(client.customConnectors().replace(appKey, moved, 1)).containsEntry("name", "Client IT CRM");
        assertThat(client.credentials().get(credential.id()).status()).isEqualTo(CredentialStatus.NEEDS_RECONNECT);

        client.credentials().importCredential(NewCredential.of(appKey, "agent-" + UUID.randomUUID())
                .withFields(Map.of("apiKey", "client-it-key-2")));
        SecretsWouldBeStrandedException refused = catchStranded(() -> client.customConnectors().delete(appKey));
        client.customConnectors().delete(appKey, refused.credentialsNeedingReconnect());
        assertThatThrownBy(() -> client.customConnectors().get(appKey))
                .isInstanceOfSatisfying(PlugboardApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void connectorSettingsAreWrittenAndASecretOneShowsOnlyThatItIsSet() throws Exception {
        String appKey = "client-it-settings-" + UUID.randomUUID().toString().substring(0, 8);
        var definition = new LinkedHashMap<>(customConnector(appKey, "Client IT settings",
                "https://api.client-it.example/v1"));
        definition.put("tenantSettings", Map.of(
                "fields", List.of(Map.of("key", "systemName", "label", "System name"),
                        Map.of("key", "systemKey", "label", "System key", "secret", true)),
                "headers", Map.of("X-System", "{systemName}", "X-System-Key", "{systemKey}")));
        client.customConnectors().create(definition);
        String secret = "client-it-system-key-" + UUID.randomUUID();

        Integrations.Integration saved = client.integrations().setSettings(appKey,
                Map.of("systemName", "AcmeCRM"), Map.of("systemKey", secret));

        assertThat(saved.settings()).filteredOn(Integrations.Setting::secret).singleElement().satisfies(setting -> {
            assertThat(setting.key()).isEqualTo("systemKey");
            assertThat(setting.set()).isTrue();
            assertThat(setting.value()).isNull();
        });
        assertThat(saved.settings()).filteredOn(setting -> !setting.secret()).singleElement()
                .satisfies(setting -> assertThat(setting.value()).isEqualTo("AcmeCRM"));
        Integrations.Integration kept = client.integrations().setSettings(appKey, Map.of("systemName", "Acme 2"), null);
        assertThat(kept.settings()).filteredOn(Integrations.Setting::secret)
                .singleElement().satisfies(setting -> assertThat(setting.set()).as("a secret not sent is kept").isTrue());
        assertThat(rawGet("/api/v1/integrations/" + appKey)).doesNotContain(secret);
        client.customConnectors().delete(appKey);
    }

    @Test
    void anEndUsersClientGetsThe403ProblemFromTheManagementApi() {
        PlugboardClient endUser = client.forEndUser("agent-1001");

        List<Runnable> calls = List.of(
                () -> endUser.webhooks().list(),
                () -> endUser.webhooks().sendTest(UUID.randomUUID().toString()),
                () -> endUser.auditEvents().after(null, null, 10),
                () -> endUser.integrations().list(),
                () -> endUser.integrations().setEnabled("followupboss", false),
                () -> endUser.customConnectors().list(),
                () -> endUser.customConnectors().delete("anything"));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(PlugboardApiException.class, e -> {
                assertThat(e.status()).isEqualTo(403);
                assertThat(e.type()).startsWith("https://plugboard.dev/problems/");
            });
        }
        assertThat(client.integrations().get("followupboss").enabled()).isTrue();
    }

    private String upstream() {
        return "http://127.0.0.1:" + upstream.getAddress().getPort();
    }

    /** The delivery of {@code eventId} to {@code path}, skipping any other. */
    private Received awaitDelivery(String path, String eventId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Received received = hooks.poll(1, TimeUnit.SECONDS);
            if (received != null && received.path().equals(path)
                    && new String(received.body(), StandardCharsets.UTF_8).contains("\"" + eventId + "\"")) {
                return received;
            }
        }
        throw new AssertionError("no delivery of " + eventId + " to " + path);
    }

    /** The delivery log's entry for {@code eventId} once it is marked delivered. */
    private Webhooks.WebhookDelivery awaitDelivered(String endpointId, String eventId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var delivered = client.webhooks().deliveries(endpointId, Webhooks.DeliveryStatus.DELIVERED, null, 50)
                    .items().stream().filter(d -> d.eventId().equals(eventId)).findFirst();
            if (delivered.isPresent()) {
                return delivered.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(eventId + " was not marked delivered");
    }

    private String rawGet(String path) throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                        .newBuilder(java.net.URI.create(plugboard.baseUrl + path))
                        .header("Authorization", "Bearer " + client.token()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static SecretsWouldBeStrandedException catchStranded(Runnable call) {
        try {
            call.run();
        } catch (SecretsWouldBeStrandedException e) {
            assertThat(e.credentialsNeedingReconnect()).isEqualTo(1);
            return e;
        }
        throw new AssertionError("expected the 409 secrets-would-be-stranded");
    }

    /** An API-key connector as docs/api.md shows it: the key in a header. */
    private static Map<String, Object> customConnector(String appKey, String name, String baseUrl) {
        return Map.of("appKey", appKey, "name", name, "category", "CRM", "authMode", "API_KEY",
                "api", Map.of("baseUrl", baseUrl,
                        "auth", Map.of("type", "HEADER", "headerName", "X-Api-Key", "template", "{apiKey}")),
                "fields", List.of(Map.of("key", "apiKey", "label", "API key", "secret", true)));
    }
}
