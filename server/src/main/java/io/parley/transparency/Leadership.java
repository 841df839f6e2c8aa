package io.parley.transparency;

/**
 * Who may sequence the log. Implementations must guarantee that at most one instance holds leadership at a time for
 * one database, and that a holder that died releases it (so another takes over).
 */
public interface Leadership extends AutoCloseable {
    /** Tries to become (or stay) the leader; returns whether this instance leads now. Cheap enough to call per batch. */
    boolean acquire();

    @Override
    void close();

    /** SQLite: one process owns the database file, so leadership is a given. */
    static Leadership alwaysLeader() {
        return new Leadership() {
            public boolean acquire() {
                return true;
            }

            public void close() {}
        };
    }
}
