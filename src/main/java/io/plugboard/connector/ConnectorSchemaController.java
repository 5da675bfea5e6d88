package io.plugboard.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The JSON Schema of connector files, for editors ({@code # yaml-language-server: $schema=<url>}) and operators.
 * Public: it describes the format, nothing of any tenant. Served from the same file the built-in connectors name.
 */
@RestController
class ConnectorSchemaController {

    static final String PATH = "/connectors/schema.json";
    private static final String RESOURCE = "connectors/schema.json";

    private final byte[] schema;
    private final String etag;

    ConnectorSchemaController() {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            this.schema = in.readAllBytes();
            this.etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(schema), 0, 16) + "\"";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cacheable for an hour; the ETag lets a client confirm it still has this release's schema. */
    @GetMapping(value = PATH, produces = "application/schema+json")
    ResponseEntity<byte[]> schema() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
                .eTag(etag).body(schema);
    }
}
