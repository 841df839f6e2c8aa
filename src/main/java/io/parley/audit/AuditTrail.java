package io.parley.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import io.parley.store.Database;

/**
 * The append-only, hash-chained audit trail in table {@code audit_log}.
 *
 * <p>{@link #record} is atomic and durable when it returns: the record and its chain link are written in one
 * transaction. Two writers sharing one PostgreSQL race for the same {@code seq}; the loser's insert violates the
 * primary key and it tries again on the new head, so the chain never forks.
 */
public final class AuditTrail {
    private static final int ATTEMPTS = 20;

    private final Database db;
    private final Clock clock;

    public AuditTrail(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Appends {@code event} at the head of the chain and returns its record. */
    public AuditRecord record(AuditEvent event) {
        // the database keeps milliseconds; the hash must cover what a reader will load
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        for (int attempt = 1; ; attempt++) {
            try {
                return db.inTransaction(c -> append(c, event, at));
            } catch (RuntimeException e) {
                if (!db.isUniqueViolation(e) || attempt == ATTEMPTS) throw e;
            }
        }
    }

    private static AuditRecord append(Connection c, AuditEvent event, Instant at) throws SQLException {
        List<Object[]> head = Database.query(c, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                rs -> new Object[] {rs.getLong(1), rs.getString(2)});
        long seq = head.isEmpty() ? 1 : (long) head.get(0)[0] + 1;
        String prev = head.isEmpty() ? AuditRecord.GENESIS : (String) head.get(0)[1];
        AuditRecord r = AuditRecord.chain(seq, at, event, prev);
        Database.update(c, "INSERT INTO audit_log (seq, at, actor, action, target, from_addr, ok, detail, prev_hash, hash)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.seq(), r.at().toEpochMilli(), r.actor(), r.action(), r.target(),
                r.from(), r.ok() ? 1 : 0, r.detail(), r.prev(), r.hash());
        return r;
    }

    /** The latest record, if any. */
    public Optional<AuditRecord> head() {
        return db.queryOne(SELECT + " ORDER BY seq DESC LIMIT 1", AuditTrail::row);
    }

    /** Up to {@code limit} records with {@code seq > after}, oldest first. */
    public List<AuditRecord> after(long after, int limit) {
        return db.query(SELECT + " WHERE seq > ? ORDER BY seq LIMIT ?", AuditTrail::row, after, limit);
    }

    /**
     * Checks the whole chain as stored: every record's hash matches its fields, links to the one before and the
     * sequence has no gap. Returns the first fault, or empty when the chain is whole.
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

    private static final String SELECT = "SELECT seq, at, actor, action, target, from_addr, ok, detail, prev_hash, hash FROM audit_log";

    private static AuditRecord row(java.sql.ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getInt(7) != 0, rs.getString(8), rs.getString(9), rs.getString(10));
    }
}
