package io.parley.transparency;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.random.RandomGenerator;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.parley.store.Database;
import io.parley.store.StoreException;
import io.parley.worker.Backoff;
import io.parley.worker.FailureLog;
import io.parley.worker.Worker;

/**
 * The log's bell on PostgreSQL: LISTEN on one dedicated connection (outside the pool: LISTEN is session state, and a
 * pooled connection would carry it to whoever borrows it next), NOTIFY on a pooled one.
 *
 * <p>Why a ring is sent after the writer's commit and not inside its transaction: a transaction that issued NOTIFY
 * holds a lock on PostgreSQL's notification queue from before its commit until after it (async.c, "serialize
 * writers"), and that lock is one for the whole server, not per database. Notifying inside every envelope's
 * transaction would therefore make every writer's commit, fsync included, wait for every other's, across all the
 * nodes whose databases share the server. A ring is instead its own tiny statement, sent once per sequencer round
 * (however many appends the round covers) with {@code synchronous_commit} off for that statement only: it carries
 * no data, so it need not wait for a flush, and it holds the lock for microseconds. What it announces was committed
 * before it was sent, so whoever it wakes finds it.
 *
 * <p>Channels are per database in PostgreSQL: nodes whose databases share one server hear only their own rings.
 *
 * <p>The listening connection is watched: every {@link #CHECK_AFTER} without a ring it is tested, and any failure
 * drops it; the worker reconnects with backoff, and {@link #listening()} is false meanwhile, so the sequencer polls
 * at its fast rate until the bell hears again. After each (re)connect the listener is told once of each channel,
 * because rings sent while nobody listened are lost.
 *
 * <p>Threading: the connection and the quiet time are owned by the listening worker's thread; {@link #listening} is
 * written by it and read by any thread; rings may be sent from any thread.
 */
final class PostgresLogBell implements LogBell {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresLogBell.class);
    static final String QUEUED = "parley_log_queued";
    static final String CHECKPOINTED = "parley_log_checkpointed";
    /** What the listening connection calls itself in pg_stat_activity, so operators and tests can find it. */
    static final String APPLICATION_NAME = "parley-log-bell";
    /** How long one wait for rings blocks; also the longest {@link #close()} waits for the worker's round. */
    private static final int WAIT_MILLIS = 250;
    private static final Duration CHECK_AFTER = Duration.ofSeconds(10);

    private final Database db;
    private final RandomGenerator random;
    private final FailureLog ringFailures = new FailureLog(LOG);
    private volatile boolean listening;
    private Worker worker;
    /** Owned by the worker's thread. */
    private Connection connection;
    /** Owned by the worker's thread: nanoTime of the last ring or test of the connection. */
    private long lastHeard;

    PostgresLogBell(Database db, RandomGenerator random) {
        this.db = db;
        this.random = random;
    }

    @Override
    public synchronized void listen(Listener listener) {
        if (worker != null) throw new IllegalStateException("already listening");
        worker = Worker.named("parley-log-bell").every(Duration.ofSeconds(1)).random(random).log(LOG)
                .backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)))
                .stopGrace(Duration.ofMillis(WAIT_MILLIS * 4L))
                .start(() -> round(listener));
    }

    @Override
    public boolean listening() {
        return listening;
    }

    @Override
    public void ringQueued() {
        ring(QUEUED);
    }

    @Override
    public void ringCheckpointed() {
        ring(CHECKPOINTED);
    }

    private void ring(String channel) {
        String what = "ringing " + channel;
        try {
            db.query("SELECT set_config('synchronous_commit', 'off', true), pg_notify(?, '')", rs -> null, channel);
            ringFailures.succeeded(what);
        } catch (StoreException e) {
            // a lost ring only delays: the receiving side polls too
            ringFailures.failed(what, e);
        }
    }

    private Duration round(Listener listener) throws SQLException {
        try {
            if (connection == null) connect(listener);
            PGNotification[] rings = connection.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
            long now = System.nanoTime();
            if (rings != null && rings.length > 0) {
                lastHeard = now;
                boolean queued = false, checkpointed = false;
                for (PGNotification n : rings) {
                    queued |= QUEUED.equals(n.getName());
                    checkpointed |= CHECKPOINTED.equals(n.getName());
                }
                if (queued) listener.queued();
                if (checkpointed) listener.checkpointed();
            } else if (now - lastHeard > CHECK_AFTER.toNanos()) {
                if (!connection.isValid(2)) throw new SQLException("the listening connection is gone");
                lastHeard = now;
            }
            return Worker.AGAIN;
        } catch (SQLException | RuntimeException e) {
            drop();
            throw e;
        }
    }

    private void connect(Listener listener) throws SQLException {
        connection = db.dedicatedConnection(APPLICATION_NAME);
        try (Statement s = connection.createStatement()) {
            s.execute("LISTEN " + QUEUED);
            s.execute("LISTEN " + CHECKPOINTED);
        }
        lastHeard = System.nanoTime();
        listening = true;
        LOG.debug("listening for the log's rings");
        // rings sent while nobody listened are lost: look once, as if each channel had rung
        listener.queued();
        listener.checkpointed();
    }

    /** Stops listening: LISTEN ends with the connection's session. */
    private void drop() {
        listening = false;
        Database.closeDedicated(connection);
        connection = null;
    }

    @Override
    public void close() {
        Worker w;
        synchronized (this) {
            w = worker;
        }
        if (w != null) w.close(); // the round under way ends within WAIT_MILLIS
        drop();
    }
}
