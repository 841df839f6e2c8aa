package io.parley.transparency;

/**
 * How instances sharing one database tell each other that the log's queue or the log itself changed, so that the
 * leader sequences another instance's append at once and the others answer receipts at once, instead of finding
 * either by polling. A ring is a hint, never a record: what it announces is already committed when it is sent, a lost
 * ring only delays (the pollers stay as a safety net), and a spurious one costs a round.
 *
 * <p>One implementation per database, like {@link io.parley.store.Leadership}: PostgreSQL's LISTEN/NOTIFY
 * ({@link PostgresLogBell}), and {@link #none()} on SQLite, where one process owns the database and its own
 * in-process wake-ups are all there is.
 */
public interface LogBell extends AutoCloseable {

    /** What the bell tells this instance. Called on the bell's thread: each must return at once. */
    interface Listener {
        /** Another instance queued appends (or the bell just (re)connected and may have missed a ring). */
        void queued();

        /** Another instance committed a checkpoint (or the bell just (re)connected). */
        void checkpointed();
    }

    /** Starts delivering rings to {@code listener}; called once. */
    void listen(Listener listener);

    /** True while rings are being received, so that the pollers may slow down to a safety net. */
    boolean listening();

    /** Tells the leader, wherever it runs, that appends committed here are queued. */
    void ringQueued();

    /** Tells the other instances that this instance committed a checkpoint. */
    void ringCheckpointed();

    @Override
    void close();

    /** SQLite: nobody else to tell, nothing to hear. */
    static LogBell none() {
        return new LogBell() {
            public void listen(Listener listener) {}

            public boolean listening() {
                return false;
            }

            public void ringQueued() {}

            public void ringCheckpointed() {}

            public void close() {}
        };
    }
}
