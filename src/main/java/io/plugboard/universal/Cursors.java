package io.plugboard.universal;

import io.plugboard.crypto.SecretVault;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opaque list cursors: the provider's paging state (an offset, its token, its next link) with the query it
 * belongs to, as base64url JSON sealed with an HMAC under a key derived from the master key. A client cannot
 * forge one (pointing the engine at another URL) nor reuse one with another credential or other filters.
 */
@Component
class Cursors {

    private static final String PURPOSE = "plugboard-universal-cursor";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * What a cursor holds.
     *
     * @param k     the master key id the HMAC key was derived from
     * @param cred  the credential it pages through
     * @param query the model, filters and page size of the first request, as {@link Query}
     * @param state the provider's paging state: an offset, a token or a next link's path and query
     */
    record State(int k, String cred, Query query, String state) {
    }

    /**
     * The list request a cursor continues.
     *
     * @param model   the model listed (people, notes...): a cursor pages through one model only
     * @param filters the universal filters sent with the first request
     */
    record Query(String model, int limit, Map<String, String> filters) {
    }

    private final SecretVault vault;
    /**
     * The HMAC key per master key id, derived once: deriving (HKDF) on every page was a tenth of a list's cost.
     * The vault's keyset never changes while it lives, so neither does a key derived from it.
     */
    private final Map<Integer, SecretKeySpec> keys = new ConcurrentHashMap<>();

    Cursors(SecretVault vault) {
        this.vault = vault;
    }

    String seal(String credentialId, Query query, String state) {
        int keyId = vault.primaryKeyId();
        byte[] payload = JSON.writeValueAsBytes(new State(keyId, credentialId, query, state));
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(keyId, payload));
    }

    /** The state a cursor holds, if this instance sealed it for this credential; otherwise a 400. */
    State open(String cursor, String credentialId) {
        int dot = cursor.indexOf('.');
        try {
            if (dot <= 0 || cursor.length() > 8_000) {
                throw invalid();
            }
            byte[] payload = DECODER.decode(cursor.substring(0, dot));
            byte[] signature = DECODER.decode(cursor.substring(dot + 1));
            State state = JSON.readValue(payload, State.class);
            if (!MessageDigest.isEqual(signature, mac(state.k(), payload)) || !state.cred().equals(credentialId)
                    || state.query().model() == null || state.query().filters() == null) {
                throw invalid();
            }
            return state;
        } catch (IllegalArgumentException | JacksonException | NullPointerException e) {
            throw invalid();
        }
    }

    private byte[] mac(int keyId, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keys.computeIfAbsent(keyId, id -> new SecretKeySpec(vault.derivedKey(id, PURPOSE), "HmacSHA256")));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static UniversalException invalid() {
        return new UniversalException(400, "invalid-cursor",
                "cursor: not a cursor this API returned for this credential; start again without one.");
    }
}
