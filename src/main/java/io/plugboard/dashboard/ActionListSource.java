package io.plugboard.dashboard;

import java.util.Optional;
import java.util.UUID;

/**
 * Adds a list that leads to action to one tenant's dashboard, from another feature (a Spring bean, asked in
 * {@code @Order}). Called only for a tenant the signed-in user works in; empty to add nothing.
 */
public interface ActionListSource {

    Optional<ActionList> list(UUID tenantId);
}
