package io.parley.transparency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.parley.store.Database;

/**
 * PostgreSQL leadership through a session-level advisory lock held on one dedicated connection. When the holder
 * dies, PostgreSQL ends its session and releases the lock, so a waiting instance takes over on its next poll.
 * Used only by the sequencer thread.
 *
 * <p>The connection is outside the pool ({@link Database#dedicatedConnection}): closing a pooled connection only
 * returns it to the pool, session and lock included, so an instance that gave up leadership after an error could
 * leave the lock held by an idle pooled connection, and no instance would sequence until the pool retired it.
 */
public final class AdvisoryLockLeadership implements Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLockLeadership.class);
    /** An arbitrary constant naming "the Parley log sequencer" among advisory locks of this database. */
    private static final long LOCK_KEY = 0x5061726c65794cL; // "ParleyL"

    /** What the lock's connection calls itself in pg_stat_activity. */
    static final String APPLICATION_NAME = "parley-sequencer-lock";

    private final Database db;
    /** Owned by the sequencer thread; non-null only while we hold (or try to hold) the lock. */
    private Connection connection;
    private boolean held;

    public AdvisoryLockLeadership(Database db) {
        this.db = db;
    }

    @Override
    public boolean acquire() {
        try {
            if (connection == null) connection = db.dedicatedConnection(APPLICATION_NAME);
            if (held) {
                if (connection.isValid(2)) return true;
                LOG.warn("lost the sequencer lock: its database session is gone");
                drop();
                return false;
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, LOCK_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    held = rs.next() && rs.getBoolean(1);
                }
            }
            if (held) LOG.info("this instance now sequences the log");
            return held;
        } catch (SQLException e) {
            LOG.warn("sequencer lock check failed: {}", e.getMessage());
            drop();
            return false;
        }
    }

    /** Gives up the connection, and with its session the lock. */
    private void drop() {
        held = false;
        Database.closeDedicated(connection);
        connection = null;
    }

    @Override
    public void close() {
        if (held && connection != null) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, LOCK_KEY);
                ps.execute();
            } catch (SQLException ignored) {
                // closing the connection releases it anyway
            }
        }
        drop();
    }
}
