package io.plugboard.api;

import io.plugboard.brand.Brand;
import io.plugboard.brand.BrandLogoController;
import io.plugboard.brand.BrandSettings;
import io.plugboard.brand.Branding;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The look of the tenant's hosted connect page (docs/connect.md), for a tenant-wide token. The tenant is the
 * token's: no path names one, so a tenant can neither read nor change another's brand or logo.
 */
@RestController
@Tag(name = "Brand", description = "Display name, logo, colour and support contact of the hosted connect page")
class BrandApi {

    static final String PATH = "/api/v1/brand";
    static final String LOGO = PATH + "/logo";

    private final Branding branding;
    private final ApiTenant tenant;

    BrandApi(Branding branding, ApiTenant tenant) {
        this.branding = branding;
        this.tenant = tenant;
    }

    @GetMapping(PATH)
    @Operation(summary = "The connect page's brand; null fields keep Plugboard's defaults")
    Brand get() {
        return branding.of(tenant.id());
    }

    @PutMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Replace the brand's settings (the logo has its own path)",
            description = "A primary colour on which white text reaches less than 4.5:1 (WCAG AA) answers 400 with "
                    + "the measured ratio.")
    Brand put(@RequestBody BrandSettings settings) {
        return branding.update(tenant.id(), settings);
    }

    @PutMapping(path = LOGO, consumes = {MediaType.IMAGE_PNG_VALUE, MediaType.IMAGE_JPEG_VALUE, "image/svg+xml",
            MediaType.APPLICATION_OCTET_STREAM_VALUE})
    @Operation(summary = "Upload the logo as the request body: PNG, JPEG or SVG, at most 256 KB",
            description = "The type is taken from the bytes, not the Content-Type; an SVG is stored sanitised "
                    + "(no scripts, event handlers, external references or foreignObject).")
    Brand putLogo(@RequestBody byte[] bytes) {
        return branding.uploadLogo(tenant.id(), bytes);
    }

    @GetMapping(LOGO)
    @Operation(summary = "The logo as stored (an SVG as sanitised)")
    ResponseEntity<byte[]> logo() {
        return BrandLogoController.answer(branding.ownLogo(tenant.id()));
    }

    @DeleteMapping(LOGO)
    @Operation(summary = "Remove the logo")
    Brand deleteLogo() {
        return branding.removeLogo(tenant.id());
    }
}
