package io.plugboard.audit;

/** Published when a scheduled walk finds the chain broken: someone altered or removed audit events. */
public record AuditChainBroken(ChainVerification result) {
}
