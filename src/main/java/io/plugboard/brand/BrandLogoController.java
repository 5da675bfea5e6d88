package io.plugboard.brand;

import java.time.Duration;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves logos to the connect pages that show them, without sign-in. A logo is answered with the type its bytes were
 * checked to be and headers that keep it an image even if opened on its own: no sniffing, and a policy under which an
 * SVG can run nothing and load nothing. Its id changes with every upload, so it may be cached for long.
 */
@RestController
public class BrandLogoController {

    public static final String PREFIX = "/brand-logos/";
    /** Opened directly, an SVG is a document: this keeps it one that runs no script and fetches nothing. */
    static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

    private final Branding branding;

    BrandLogoController(Branding branding) {
        this.branding = branding;
    }

    @GetMapping(PREFIX + "{logoId}")
    ResponseEntity<byte[]> logo(@PathVariable String logoId) {
        UUID id;
        try {
            id = UUID.fromString(logoId);
        } catch (IllegalArgumentException e) {
            return ResponseEntity.notFound().build();
        }
        return branding.logo(id).map(BrandLogoController::answer).orElseGet(() -> ResponseEntity.notFound().build());
    }

    /** Shared with the API, which serves the tenant's own logo the same way. */
    public static ResponseEntity<byte[]> answer(Logo logo) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(logo.format().contentType()))
                .cacheControl(CacheControl.maxAge(Duration.ofDays(30)).cachePublic().immutable())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", POLICY)
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline")
                .body(logo.bytes());
    }
}
