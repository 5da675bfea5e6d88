package io.plugboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifiers docs/webhooks.md shows receivers, taken from the page itself and run: they accept what Plugboard
 * signs (one secret, or two during a rotation) and refuse a tampered body, a wrong secret and an old timestamp.
 */
class DocumentedVerifiersTest {

    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"credential.created\",\"data\":{\"venue\":\"Hällö ✓\"}}";
    private static final String SECRET = SigningSecrets.generate();
    private static final String OLD_SECRET = SigningSecrets.generate();

    @TempDir
    Path work;

    @Test
    void theJavaVerifierInTheReadmeAcceptsRealSignaturesOnly() throws Exception {
        String snippet = snippet("java");
        String imports = snippet.lines().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
        String body = snippet.lines().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n"));
        Path source = work.resolve("ReadmeJava.java");
        Files.writeString(source, imports + "\npublic class ReadmeJava {\n" + body.replace("static boolean",
                "public static boolean") + "\n}\n");
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", work.toString(), source.toString()))
                .as("the documented Java compiles").isZero();
        try (var loader = new URLClassLoader(new java.net.URL[] {work.toUri().toURL()}, getClass().getClassLoader())) {
            Method verify = loader.loadClass("ReadmeJava").getMethod("verifyPlugboard", String.class, String.class,
                    String.class);
            for (Case c : cases()) {
                assertThat(verify.invoke(null, c.header(), c.body(), c.secret())).as(c.name()).isEqualTo(c.accepted());
            }
        }
    }

    @Test
    void theJavaScriptVerifierInTheReadmeAcceptsRealSignaturesOnly() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")), "Node.js is not installed");
        String snippet = snippet("js");
        String function = snippet.substring(0, snippet.indexOf("// Express"));
        var script = new StringBuilder(function).append("\nconst results = [];\n");
        for (Case c : cases()) {
            script.append("results.push(verifyPlugboard(").append(js(c.header())).append(", ").append(js(c.body()))
                    .append(", ").append(js(c.secret())).append("));\n");
        }
        script.append("console.log(JSON.stringify(results));\n");
        Path file = work.resolve("readme.js");
        Files.writeString(file, script.toString());
        Process node = new ProcessBuilder("/usr/bin/node", file.toString()).redirectErrorStream(true).start();
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(output).isEqualTo(cases().stream().map(c -> Boolean.toString(c.accepted()))
                .collect(Collectors.joining(",", "[", "]")));
    }

    private record Case(String name, String header, String body, String secret, boolean accepted) {
    }

    private static List<Case> cases() {
        long now = Instant.now().getEpochSecond();
        String signed = WebhookSignature.header(now, List.of(SECRET), BODY);
        String overlap = WebhookSignature.header(now, List.of(SECRET, OLD_SECRET), BODY);
        String old = WebhookSignature.header(now - 600, List.of(SECRET), BODY);
        return List.of(
                new Case("genuine", signed, BODY, SECRET, true),
                new Case("overlap, new secret", overlap, BODY, SECRET, true),
                new Case("overlap, previous secret", overlap, BODY, OLD_SECRET, true),
                new Case("tampered body", signed, BODY.replace("created", "revoked"), SECRET, false),
                new Case("wrong secret", signed, BODY, SigningSecrets.generate(), false),
                new Case("10 minutes old", old, BODY, SECRET, false),
                new Case("timestamp swapped", signed.replace("t=" + now, "t=" + (now + 1)), BODY, SECRET, false),
                new Case("no signature", "t=" + now, BODY, SECRET, false));
    }

    /** The first fenced block of that language in the webhooks documentation. */
    private static String snippet(String language) throws Exception {
        String section = Files.readString(Path.of("docs/webhooks.md"));
        Matcher m = Pattern.compile("```" + language + "\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertThat(m.find()).as("a ```" + language + " block in docs/webhooks.md").isTrue();
        return m.group(1);
    }

    private static String js(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
