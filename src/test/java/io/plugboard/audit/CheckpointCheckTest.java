package io.plugboard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.plugboard.crypto.MasterKeys;
import io.plugboard.crypto.SecretVault;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison of a chain with checkpoints, on a made-up chain of 30 events. */
class CheckpointCheckTest {

    private final SecretVault vault = new SecretVault(MasterKeys.generate());
    private final CheckpointKeys keys = new CheckpointKeys() {
        @Override
        public int currentKeyId() {
            return vault.primaryKeyId();
        }

        @Override
        public byte[] key(int keyId) {
            return vault.derivedKey(keyId, "test");
        }
    };
    private final Instant at = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void theSameCheckpointFromSeveralCopiesCountsOnce() {
        var check = new CheckpointCheck(List.of(at(10), at(10), at(20)), keys);
        chain(30, List.of()).forEach(check);
        assertThat(check.result(true)).isEqualTo(new CheckpointCheck.Result(true,
                "Checkpoints match: 2 of 2 checked against the chain"));
    }

    @Test
    void aFilteredExportLeavesCheckpointsInItsGapsUncheckedButAShorterWholeChainFails() {
        var filtered = new CheckpointCheck(List.of(at(10), at(15)), keys);
        chain(30, List.of(15L)).forEach(filtered);
        assertThat(filtered.result(false).matches()).isTrue();
        assertThat(filtered.result(false).message()).endsWith("1 of 2 checked against the chain, 1 fall in gaps of this "
                + "filtered export");
        assertThat(filtered.result(true).message()).contains("position missing from the chain");

        var beyond = new CheckpointCheck(List.of(at(31)), keys);
        chain(30, List.of()).forEach(beyond);
        assertThat(beyond.result(false).message()).contains("or this export does not reach that far");
    }

    @Test
    void aRewriteReportsTheFirstTenCheckpointsAfterItAndCountsTheRest() {
        List<AuditCheckpoint> checkpoints = new ArrayList<>();
        for (long position = 1; position <= 30; position++) {
            checkpoints.add(at(position));
        }
        var check = new CheckpointCheck(checkpoints, keys);
        chain(30, List.of()).stream().map(e -> e.chainIndex() >= 5 ? rehashed(e) : e).forEach(check);
        var result = check.result(true);
        assertThat(result.matches()).isFalse();
        assertThat(result.message()).startsWith("Checkpoints do not match (26 of 30):")
                .contains("(position 5): the event at that position (seq 5) has a different hash")
                .doesNotContain("(position 15)").endsWith("... and 16 more");
    }

    private AuditCheckpoint at(long position) {
        return AuditCheckpoint.sign(position, hash(position), at, keys);
    }

    private static String hash(long position) {
        return String.format("%064x", position);
    }

    private static AuditEvent rehashed(AuditEvent event) {
        return event.withChain(event.chainIndex(), event.prevHash(), "f" + event.hash().substring(1));
    }

    private static List<AuditEvent> chain(long length, List<Long> missing) {
        List<AuditEvent> events = new ArrayList<>();
        for (long i = 1; i <= length; i++) {
            if (!missing.contains(i)) {
                events.add(new AuditEvent(i, Instant.EPOCH, "SYSTEM", null, "system", null, null, "test", null, null,
                        null, "{}", null, null, i, hash(i - 1), hash(i)));
            }
        }
        return events;
    }
}
