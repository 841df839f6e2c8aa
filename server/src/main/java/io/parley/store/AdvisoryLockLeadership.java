package io.parley.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL leadership of one {@link Leadership.Role} through a session-level advisory lock held on one dedicated
 * connection. When the holder dies, PostgreSQL ends its session and releases the lock, so a waiting instance takes
 * over on its next poll. Safe to call from several threads (the duties' workers share one).
 *
 * <p>The connection is outside the pool ({@link Database#dedicatedConnection}): closing a pooled connection only
 * returns it to the pool, session and lock included, so an instance that gave up leadership after an error could
 * leave the lock held by an idle pooled connection, and no instance would sequence until the pool retired it.
 */
public final class AdvisoryLockLeadership implements Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(AdvisoryLockLeadership.class);

    private final Database db;
    private final Role role;
    /** Non-null only while we hold (or try to hold) the lock; guarded by this. */
    private Connection connection;
    private boolean held;
    private boolean closed;

    AdvisoryLockLeadership(Database db, Role role) {
        this.db = db;
        this.role = role;
    }

    @Override
    public synchronized boolean acquire() {
        if (closed) return false; // a worker finishing its round after close must not open a connection again
        try {
            if (connection == null) connection = db.dedicatedConnection(role.applicationName);
            if (held) {
                if (connection.isValid(2)) return true;
                LOG.warn("lost the lock of the instance that {}: its database session is gone", role.doing);
                drop();
                return false;
            }
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, role.lockKey);
                try (ResultSet rs = ps.executeQuery()) {
                    held = rs.next() && rs.getBoolean(1);
                }
            }
            if (held) LOG.info("this instance now {}", role.doing);
            return held;
        } catch (SQLException e) {
            LOG.warn("check of the lock of the instance that {} failed: {}", role.doing, e.getMessage());
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
    public synchronized void close() {
        closed = true;
        if (held && connection != null) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, role.lockKey);
                ps.execute();
            } catch (SQLException ignored) {
                // closing the connection releases it anyway
            }
        }
        drop();
    }
}
