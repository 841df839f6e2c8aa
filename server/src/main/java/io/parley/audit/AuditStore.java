package io.parley.audit;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.parley.store.Database;

/**
 * The {@code audit_log} table: the audit trail's records, appended at the head and never changed.
 *
 * <p>Contract, besides {@link io.parley.store}'s: {@link #append} reads the head, lets the caller make the next record
 * of it and inserts that record, in one transaction serialised with every other append: on SQLite by the write lock
 * the transaction takes when it begins (IMMEDIATE), across processes too (the CLI beside a running server); on
 * PostgreSQL by an advisory lock held until it ends. Without that, writers under READ COMMITTED read the same head and
 * all but one fail on the primary key, and under load a writer could lose every retry. So the chain never forks, and
 * a record is durable when {@code append} returns. The primary key on {@code seq} stays as the last line of defence,
 * with a bounded retry; a writer that still loses gets the {@link io.parley.store.StoreException}. Reads return
 * records as stored, in {@code seq} order unless they say otherwise.
 */
public final class AuditStore {
    private static final int ATTEMPTS = 5;
    /** Names "the Parley audit trail's appender" among this database's advisory locks ("ParlyAu"). */
    private static final long APPEND_LOCK = 0x5061726c794175L;
    private static final String SELECT = "SELECT seq, at, actor, action, target, from_addr, ok, detail, prev_hash, hash FROM audit_log";

    /** The chain's head as the next record links to it: its number and hash. */
    public record Head(long seq, String hash) {}

    private final Database db;

    public AuditStore(Database db) {
        this.db = db;
    }

    /** Appends the record {@code next} makes of the head (empty for the first record), and returns it. */
    public AuditRecord append(Function<Optional<Head>, AuditRecord> next) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.inTransaction(c -> {
                    db.serialise(c, APPEND_LOCK);
                    AuditRecord r = next.apply(head(c));
                    Database.update(c, "INSERT INTO audit_log (seq, at, actor, action, target, from_addr, ok, detail, prev_hash, hash)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", r.seq(), r.at().toEpochMilli(), r.actor(), r.action(), r.target(),
                            r.from(), r.ok() ? 1 : 0, r.detail(), r.prev(), r.hash());
                    return r;
                });
            } catch (RuntimeException e) {
                if (!db.isUniqueViolation(e) || attempt == ATTEMPTS) throw e;
            }
        }
    }

    private static Optional<Head> head(Connection c) throws SQLException {
        return Database.query(c, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", rs -> new Head(rs.getLong(1), rs.getString(2)))
                .stream().findFirst();
    }

    /** The latest record, if any. */
    public Optional<AuditRecord> head() {
        return db.queryOne(SELECT + " ORDER BY seq DESC LIMIT 1", AuditStore::row);
    }

    /** Record {@code seq}, if the trail has it. */
    public Optional<AuditRecord> at(long seq) {
        return db.queryOne(SELECT + " WHERE seq = ?", AuditStore::row, seq);
    }

    /** Up to {@code limit} records with {@code seq > after}, oldest first. */
    public List<AuditRecord> after(long after, int limit) {
        return db.query(SELECT + " WHERE seq > ? ORDER BY seq LIMIT ?", AuditStore::row, after, limit);
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
        return db.query(sql.toString(), AuditStore::row, args.toArray());
    }

    /** The newest record whose action is {@code action}, if any. */
    public Optional<AuditRecord> latest(String action) {
        return db.queryOne(SELECT + " WHERE action = ? ORDER BY seq DESC LIMIT 1", AuditStore::row, action);
    }

    /** The newest record whose action is not {@code action}, if any. */
    public Optional<AuditRecord> latestOtherThan(String action) {
        return db.queryOne(SELECT + " WHERE action <> ? ORDER BY seq DESC LIMIT 1", AuditStore::row, action);
    }

    private static AuditRecord row(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getInt(7) != 0, rs.getString(8), rs.getString(9), rs.getString(10));
    }
}
