package io.parley.store;

/**
 * Which instance of a node does what only one instance at a time may do, for one database. Implementations guarantee
 * that at most one instance holds a {@link Role} at a time, and that a holder that died releases it (so another takes
 * over).
 */
public interface Leadership extends AutoCloseable {
    /**
     * What one instance at a time does, each held on its own lock so that the two may sit on different instances and
     * a slow duty never delays the log.
     */
    enum Role {
        /** Sequences the transparency log (the {@code transparency.Sequencer}). */
        SEQUENCER(0x5061726c65794cL, "parley-sequencer-lock", "sequences the log"), // "ParleyL"
        /**
         * Runs the node's outward duties: deliveries to peers, evidence fetches, cosignature requests, and the clocks
         * that sign escalations, pings and reminders. Two instances doing them at once would sign an escalation twice,
         * page the duty officer twice and send every queued envelope twice.
         */
        DUTIES(0x5061726c657944L, "parley-duties-lock", "runs the node's duties"); // "ParleyD"

        /** An arbitrary constant naming this role among the advisory locks of the database. */
        final long lockKey;
        /** What the lock's connection calls itself in {@code pg_stat_activity}. */
        public final String applicationName;
        /** For the log line when an instance takes the role. */
        final String doing;

        Role(long lockKey, String applicationName, String doing) {
            this.lockKey = lockKey;
            this.applicationName = applicationName;
            this.doing = doing;
        }
    }

    /** Tries to take (or keep) the role; returns whether this instance holds it now. Cheap enough to call per batch. */
    boolean acquire();

    @Override
    void close();

    /** {@code role} on {@code db}: an advisory lock on PostgreSQL, which instances share; a given on SQLite. */
    static Leadership of(Database db, Role role) {
        return db.dialect() == Dialect.POSTGRESQL ? new AdvisoryLockLeadership(db, role) : alwaysLeader();
    }

    /** SQLite: one process owns the database file, so every role is its own. */
    static Leadership alwaysLeader() {
        return new Leadership() {
            public boolean acquire() {
                return true;
            }

            public void close() {}
        };
    }
}
