package io.plugboard.api;

import io.plugboard.sync.SyncOverview;
import io.plugboard.sync.SyncService;
import io.plugboard.sync.SyncSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Sync to DB for a credential (docs/sync.md), for a tenant-wide token: an end user's token is refused like on the
 * other management paths. Each answer is the credential's sync as {@code GET} shows it.
 */
@RestController
@Tag(name = "Sync", description = "CRM records kept in PostgreSQL per credential and model")
class SyncApi {

    private static final String PATH = "/api/v1/credentials/{id}/sync";

    private final SyncService sync;
    private final ApiTenant tenant;

    SyncApi(SyncService sync, ApiTenant tenant) {
        this.sync = sync;
        this.tenant = tenant;
    }

    @PutMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Sync exactly these models of the credential's CRM, every frequencyMinutes",
            description = "A model turned on backfills at once, then runs incrementally. A model the CRM cannot list "
                    + "answers 400 naming it; a model left out stops syncing (its records stay).")
    SyncOverview configure(@Parameter(example = "cred_3f9a") @PathVariable String id,
                           @RequestBody SyncSettings settings) {
        return sync.configure(tenant.id(), id, settings);
    }

    @GetMapping(PATH)
    @Operation(summary = "Per model: state, phase, last and next run, records stored, last error")
    SyncOverview status(@Parameter(example = "cred_3f9a") @PathVariable String id) {
        return sync.status(tenant.id(), id);
    }

    @PostMapping(PATH + "/run")
    @Operation(summary = "Run every synced model now (a paused sync answers 400: resume it first)")
    SyncOverview run(@Parameter(example = "cred_3f9a") @PathVariable String id) {
        return sync.runNow(tenant.id(), id);
    }

    @PostMapping(PATH + "/pause")
    @Operation(summary = "Pause: nothing runs until resumed; checkpoints and records stay")
    SyncOverview pause(@Parameter(example = "cred_3f9a") @PathVariable String id) {
        return sync.pause(tenant.id(), id);
    }

    @PostMapping(PATH + "/resume")
    @Operation(summary = "Resume from the checkpoints; runs that came due while paused run at once")
    SyncOverview resume(@Parameter(example = "cred_3f9a") @PathVariable String id) {
        return sync.resume(tenant.id(), id);
    }
}
