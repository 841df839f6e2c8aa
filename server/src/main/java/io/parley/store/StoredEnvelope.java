package io.parley.store;

import java.time.Instant;

import io.parley.envelope.Envelope;

/** An envelope as this node stored it: local order {@code id}, envelope hash and when it arrived here. */
public record StoredEnvelope(long id, Envelope envelope, String hash, Instant receivedAt) {}
