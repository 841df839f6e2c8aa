package io.parley.store;

import java.time.Instant;

/** A refused envelope, recorded so that an operator (and a later report) can see what was refused and why. */
public record RejectionRecord(long id, Instant receivedAt, String remote, String channel, String sender, Long seq,
                              String code, String detail, String envelope) {}
