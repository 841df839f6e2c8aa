package io.parley.cases;

import java.time.Instant;
import java.util.List;

import io.parley.store.Database;

/**
 * The {@code notifications} table: every local notification the {@link Notifier} sent or tried to send, and how it
 * went.
 *
 * <p>Contract, the same on SQLite and PostgreSQL: {@link #record} is one insert in its own transaction, atomic and
 * durable when it returns; records are never changed or removed, and each gets the next id, so {@link #sent} returns
 * them in the order they were recorded. Database faults surface as {@link io.parley.store.StoreException}.
 * Thread-safe.
 */
public final class NotificationStore {
    private final Database db;

    public NotificationStore(Database db) {
        this.db = db;
    }

    /**
     * Records one attempt to tell someone about case {@code caseId} of {@code channel} (either may be null for a
     * notification about no case) by {@code method} to {@code target}; {@code status} says how it went and
     * {@code detail} why it failed.
     */
    public void record(String caseId, String channel, Instant at, String method, String target, String subject, String status, String detail) {
        db.update("INSERT INTO notifications (case_id, channel, at, method, target, subject, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                caseId, channel, at.toEpochMilli(), method, target, subject, status, detail);
    }

    /** The notifications recorded for case {@code caseId}, oldest first. */
    public List<Notifier.Sent> sent(String caseId) {
        return db.query("SELECT case_id, method, subject, status FROM notifications WHERE case_id = ? ORDER BY id",
                rs -> new Notifier.Sent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), caseId);
    }
}
