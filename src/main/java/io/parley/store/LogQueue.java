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
 */
public final class LogQueue {
    private LogQueue() {}

    /** Queues the log entry for an item (envelope, charter, card) given by its canonical bytes. */
    public static void enqueue(Connection c, byte[] itemCanonicalBytes, String ref, Instant at) throws SQLException {
        Database.update(c, "INSERT INTO log_queue (data, ref, enqueued_at) VALUES (?, ?, ?)", LogEntry.of(itemCanonicalBytes), ref, at.toEpochMilli());
    }
}
