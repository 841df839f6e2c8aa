package io.parley.envelope;

/** What became of an envelope offered to {@link EnvelopeAcceptor}. */
public sealed interface Verdict {
    /** Newly stored. */
    record Accepted(Envelope envelope, String hash) implements Verdict {}

    /** Already stored byte for byte: a replay or a retry, harmless, nothing changes. */
    record Duplicate(Envelope envelope, String hash) implements Verdict {}

    record Rejected(Rejection reason) implements Verdict {}
}
