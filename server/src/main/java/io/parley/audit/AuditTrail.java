package io.parley.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.parley.store.Database;
import io.parley.store.Dialect;

/**
 * The append-only, hash-chained audit trail in table {@code audit_log}.
 *
 * <p>{@link #record} is atomic and durable when it returns: the record and its chain link are written in one
 * transaction, and appends are serialised so the chain never forks. On SQLite the write lock taken at the start of the
 * transaction (IMMEDIATE) does that, across processes too (the CLI beside a running server). On PostgreSQL the
 * transaction first takes an advisory lock held until it ends: without it, writers under READ COMMITTED read the same
 * head and all but one fail on the primary key, and under load a writer could lose every retry. The primary key stays
 * as the last line of defence, with a bounded retry.
 */
public final class AuditTrail {
    private static final int ATTEMPTS = 5;
    /** Names "the Parley audit trail's appender" among this database's advisory locks ("ParlyAu"). */
    private static final long APPEND_LOCK = 0x5061726c794175L;

    private final Database db;
    private final Clock clock;

    public AuditTrail(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Appends {@code event} at the head of the chain and returns its record. */
    public AuditRecord record(AuditEvent event) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.inTransaction(c -> {
                    if (db.dialect() == Dialect.POSTGRESQL) {
                        Database.query(c, "SELECT pg_advisory_xact_lock(?)", rs -> null, APPEND_LOCK);
                    }
                    // read the clock once the lock is held, so times never go backwards along the chain
                    // (the database keeps milliseconds; the hash must cover what a reader will load)
                    return append(c, event, clock.instant().truncatedTo(ChronoUnit.MILLIS));
                });
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

    /** Record {@code seq}, if the trail has it. */
    public Optional<AuditRecord> at(long seq) {
        return db.queryOne(SELECT + " WHERE seq = ?", AuditTrail::row, seq);
    }

    /** Up to {@code limit} records with {@code seq > after}, oldest first. */
    public List<AuditRecord> after(long after, int limit) {
        return db.query(SELECT + " WHERE seq > ? ORDER BY seq LIMIT ?", AuditTrail::row, after, limit);
    }

    /** The records {@code q} asks for. */
    public List<AuditRecord> list(AuditQuery q) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(q.after());
        if (q.before() > 0) {
            sql.append(" AND seq < ?");
            args.add(q.before());
        }
        if (q.actor() != null) {
            sql.append(" AND actor = ?");
            args.add(q.actor());
        }
        if (q.action() != null) {
            sql.append(" AND action = ?");
            args.add(q.action());
        }
        sql.append(q.newestFirst() ? " ORDER BY seq DESC" : " ORDER BY seq").append(" LIMIT ?");
        args.add(q.limit());
        return db.query(sql.toString(), AuditTrail::row, args.toArray());
    }

    /** The newest record of {@code action}, if any. */
    public Optional<AuditRecord> latest(AuditAction action) {
        return db.queryOne(SELECT + " WHERE action = ? ORDER BY seq DESC LIMIT 1", AuditTrail::row, action.code());
    }

    /** The newest record whose action is not {@code action}, if any. */
    public Optional<AuditRecord> latestOtherThan(AuditAction action) {
        return db.queryOne(SELECT + " WHERE action <> ? ORDER BY seq DESC LIMIT 1", AuditTrail::row, action.code());
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

    private static final String SELECT = "SELECT seq, at, actor, action, target, from_addr, ok, detail, prev_hash, hash FROM audit_log";

    private static AuditRecord row(java.sql.ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getInt(7) != 0, rs.getString(8), rs.getString(9), rs.getString(10));
    }
}
