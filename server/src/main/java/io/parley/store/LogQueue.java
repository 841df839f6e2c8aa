package io.parley.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

import io.parley.log.LogEntry;

/**
 * The transparency log's durable input queue. It lives in {@code store} so that any store can queue a log append
 * inside its own transaction; the sequencer in {@code io.parley.transparency} drains it.
 *
 * <p>What is queued is the item's commitment ({@link LogEntry#of}), never the item: the log is public, and the only
 * way in is here, so no caller can put content into it by mistake.
 *
 * <p>Contract: each method writes one row on the caller's connection and neither commits nor rolls back: the entry is
 * durable exactly when the caller's transaction commits, and gone with it if it rolls back. That is how an envelope,
 * a charter or a card is never stored without its log entry, nor its entry logged without it.
 */
public final class LogQueue {
    private LogQueue() {}

    /** Queues the log entry for an item (envelope, charter, card) given by its canonical bytes. */
    public static void enqueue(Connection c, byte[] itemCanonicalBytes, String ref, Instant at) throws SQLException {
        Database.update(c, "INSERT INTO log_queue (data, ref, enqueued_at) VALUES (?, ?, ?)", LogEntry.of(itemCanonicalBytes), ref, at.toEpochMilli());
    }

    /**
     * Queues a 32-byte commitment as the entry itself: a member that is not a named recipient of a TLP:RED envelope
     * holds only its hash (from the sender's signed withheld notice) and commits to exactly that: the same entry
     * ({@link LogEntry#of} of the envelope) a recipient's log holds for it.
     */
    public static void enqueueCommitment(Connection c, byte[] sha256, String ref, Instant at) throws SQLException {
        if (sha256.length != 32) throw new IllegalArgumentException("a commitment is a 32-byte SHA-256");
        Database.update(c, "INSERT INTO log_queue (data, ref, enqueued_at) VALUES (?, ?, ?)", sha256, ref, at.toEpochMilli());
    }
}
