package io.parley.audit;

/**
 * Which records to list: those with {@code after < seq < before} (0 for "no bound"), of one actor and one action when
 * given, at most {@code limit}, oldest first or newest first.
 */
public record AuditQuery(long after, long before, String actor, String action, int limit, boolean newestFirst) {
    /** The most records one query returns. */
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (after < 0 || before < 0) throw new IllegalArgumentException("after and before are sequence numbers, not negative");
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        actor = actor == null || actor.isEmpty() ? null : actor;
        action = action == null || action.isEmpty() ? null : action;
    }

    public static AuditQuery oldestFirst(long after, int limit) {
        return new AuditQuery(after, 0, null, null, limit, false);
    }
}
