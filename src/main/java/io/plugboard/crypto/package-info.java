/**
 * The secret vault: every secret Plugboard stores is sealed with AES-256-GCM under a Tink keyset (the
 * master key), with associated data that binds the ciphertext to the row it belongs to.
 */
@NullMarked
package io.plugboard.crypto;

import org.jspecify.annotations.NullMarked;
