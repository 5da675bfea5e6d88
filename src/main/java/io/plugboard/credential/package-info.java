/**
 * Credentials (connected accounts) and the end users who own them: encrypted secret material,
 * metadata, revoke. {@link io.plugboard.credential.CredentialService} is the door.
 */
@NullMarked
package io.plugboard.credential;

import org.jspecify.annotations.NullMarked;
