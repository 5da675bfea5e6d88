package io.plugboard.credential.ui;

import com.vaadin.flow.component.Component;
import io.plugboard.credential.CredentialView;
import java.util.Optional;
import java.util.UUID;

/**
 * Adds a section about one credential to its detail panel, from another feature (a Spring bean, asked in
 * {@code @Order}), so the credentials view need not know the features that build on credentials. Called in the
 * portal request of a user who may see {@code tenantId}; empty to add nothing.
 */
public interface CredentialDetailSection {

    Optional<Component> section(UUID tenantId, CredentialView credential);
}
