package io.plugboard.audit;

/** One recorded walk of the chain: its result, what started it ({@code scheduled} or {@code manual}), and how long it took. */
public record VerificationRun(ChainVerification result, String trigger, long durationMillis) {
}
