package io.parley.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The transparency log's durable input queue. It lives in {@code store} so that any store can queue a log append
 * inside its own transaction; the sequencer in {@code io.parley.transparency} drains it.
 */
public final class LogQueue {
    private LogQueue() {}

    public static void enqueue(Connection c, byte[] data, String ref, Instant at) throws SQLException {
        Database.update(c, "INSERT INTO log_queue (data, ref, enqueued_at) VALUES (?, ?, ?)", data, ref, at.toEpochMilli());
    }
}
