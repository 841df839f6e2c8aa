package io.parley.store;

import java.time.Instant;

/** Proof that {@code sender} signed two envelopes with one seq: the kept one by hash, the other in full. */
public record EquivocationRecord(String channel, String sender, long seq, String keptHash, String conflictingHash,
                                 String conflictingEnvelope, Instant detectedAt) {}
