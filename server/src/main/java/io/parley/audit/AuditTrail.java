package io.parley.audit;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The append-only, hash-chained audit trail, kept by {@link AuditStore}.
 *
 * <p>{@link #record} is atomic and durable when it returns: the record and its chain link are written in one
 * transaction, and appends are serialised so the chain never forks (see {@link AuditStore#append}).
 */
public final class AuditTrail {
    private final AuditStore store;
    private final Clock clock;

    public AuditTrail(AuditStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Appends {@code event} at the head of the chain and returns its record. */
    public AuditRecord record(AuditEvent event) {
        // the clock is read once the append holds its lock, so times never go backwards along the chain
        // (the database keeps milliseconds; the hash must cover what a reader will load)
        return store.append(head -> AuditRecord.chain(head.map(h -> h.seq() + 1).orElse(1L), clock.instant().truncatedTo(ChronoUnit.MILLIS),
                event, head.map(AuditStore.Head::hash).orElse(AuditRecord.GENESIS)));
    }

    /** The latest record, if any. */
    public Optional<AuditRecord> head() {
        return store.head();
    }

    /** Record {@code seq}, if the trail has it. */
    public Optional<AuditRecord> at(long seq) {
        return store.at(seq);
    }

    /** Up to {@code limit} records with {@code seq > after}, oldest first. */
    public List<AuditRecord> after(long after, int limit) {
        return store.after(after, limit);
    }

    /** The records {@code q} asks for. */
    public List<AuditRecord> list(AuditQuery q) {
        return store.list(q);
    }

    /** The newest record of {@code action}, if any. */
    public Optional<AuditRecord> latest(AuditAction action) {
        return store.latest(action.code());
    }

    /** The newest record whose action is not {@code action}, if any. */
    public Optional<AuditRecord> latestOtherThan(AuditAction action) {
        return store.latestOtherThan(action.code());
    }

    /**
     * Checks the whole chain as stored: every record's hash matches its fields, links to the one before and the
     * sequence has no gap. Returns the first fault, or empty when the chain is whole. Rewriting the tail and
     * recomputing every later hash passes this check; {@link AuditVerifier} adds the heads committed to the log.
     */
    public Optional<String> verify() {
        String prev = AuditRecord.GENESIS;
        long expected = 1;
        long after = 0;
        while (true) {
            List<AuditRecord> page = after(after, 1000);
            if (page.isEmpty()) return Optional.empty();
            for (AuditRecord r : page) {
                if (r.seq() != expected) return Optional.of("record " + expected + " is missing (next is " + r.seq() + ")");
                if (!r.prev().equals(prev)) return Optional.of("record " + r.seq() + " does not link to record " + (r.seq() - 1));
                if (!r.hash().equals(r.computedHash())) return Optional.of("record " + r.seq() + " was altered: its hash does not match its fields");
                prev = r.hash();
                expected++;
                after = r.seq();
            }
        }
    }
}
