package io.plugboard.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Compares the chain, fed to it in chain order, with checkpoints kept outside the database. A rewritten event
 * changes the hash at every later position, so a checkpoint at or after it no longer matches, however carefully
 * the rest was re-hashed; a chain that ends before a checkpoint's position has lost its newest events.
 */
final class CheckpointCheck implements Consumer<AuditEvent> {

    private static final int SHOWN = 10;

    private final List<AuditCheckpoint> genuine = new ArrayList<>();
    private final Map<Long, List<AuditCheckpoint>> byPosition = new HashMap<>();
    private final Set<AuditCheckpoint> matched = new HashSet<>();
    private final Set<AuditCheckpoint> refuted = new HashSet<>();
    private final List<String> problems = new ArrayList<>();
    private final int given;
    private long end;

    CheckpointCheck(List<AuditCheckpoint> checkpoints, CheckpointKeys keys) {
        // The same checkpoint may come from several copies (the file, a webhook receiver's log).
        var distinct = new LinkedHashSet<>(checkpoints);
        this.given = distinct.size();
        for (AuditCheckpoint checkpoint : distinct) {
            String forged = checkpoint.signatureProblem(keys);
            if (forged != null) {
                problems.add(checkpoint.describe() + ": " + forged);
                continue;
            }
            genuine.add(checkpoint);
            if (checkpoint.position() == 0 && checkpoint.headHash().equals(ChainHasher.GENESIS)) {
                matched.add(checkpoint);
            } else {
                byPosition.computeIfAbsent(checkpoint.position(), p -> new ArrayList<>()).add(checkpoint);
            }
        }
    }

    @Override
    public void accept(AuditEvent event) {
        if (event.chainIndex() == null || event.hash() == null) {
            return;
        }
        end = Math.max(end, event.chainIndex());
        for (AuditCheckpoint checkpoint : byPosition.getOrDefault(event.chainIndex(), List.of())) {
            if (checkpoint.headHash().equals(event.hash())) {
                matched.add(checkpoint);
            } else if (refuted.add(checkpoint)) {
                problems.add(checkpoint.describe() + ": the event at that position (seq " + event.seq()
                        + ") has a different hash: the chain up to there was rewritten");
            }
        }
    }

    /**
     * @param complete whether the whole chain was fed (the live database, or an unfiltered export); in a filtered
     *                 export a checkpoint position can fall in a gap, and is then reported as not checked
     */
    Result result(boolean complete) {
        var problems = new ArrayList<>(this.problems);
        long unchecked = 0;
        for (AuditCheckpoint checkpoint : genuine) {
            if (matched.contains(checkpoint) || refuted.contains(checkpoint)) {
                continue;
            }
            if (checkpoint.position() > end) {
                problems.add(checkpoint.describe() + ": the chain ends at position " + end
                        + (complete ? ": its newest events were removed"
                                : ": events were removed, or this export does not reach that far"));
            } else if (complete) {
                problems.add(checkpoint.describe() + ": position missing from the chain: events were removed");
            } else {
                unchecked++;
            }
        }
        if (!problems.isEmpty()) {
            // Every checkpoint after a rewrite fails; the first few say where, the count says how far.
            List<String> shown = problems.subList(0, Math.min(problems.size(), SHOWN));
            return new Result(false, "Checkpoints do not match (" + problems.size() + " of " + given + "):\n  "
                    + String.join("\n  ", shown)
                    + (problems.size() > SHOWN ? "\n  ... and " + (problems.size() - SHOWN) + " more" : ""));
        }
        return new Result(true, "Checkpoints match: " + matched.size() + " of " + given + " checked against the chain"
                + (unchecked == 0 ? "" : ", " + unchecked + " fall in gaps of this filtered export"));
    }

    record Result(boolean matches, String message) {
    }
}
