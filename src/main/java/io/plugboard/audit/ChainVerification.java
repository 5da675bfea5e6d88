package io.plugboard.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The result of walking the hash chain: intact, or the first event whose hash or link is wrong. */
public record ChainVerification(boolean intact, long eventsChecked, @Nullable Long firstBrokenSeq,
                                String message, Instant verifiedAt) {
}
