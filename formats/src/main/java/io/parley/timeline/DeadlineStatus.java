package io.parley.timeline;

/** A deadline's standing at some moment. */
public enum DeadlineStatus {
    /** The response came in time. */
    MET,
    /** The response came late, or not at all and the deadline has passed. */
    MISSED,
    /** No response yet, deadline still ahead. */
    PENDING,
    /** The party declined the request in time (an {@code ack} with decision {@code decline}): it owes no answer. */
    DECLINED,
    /** This kind of case has no such deadline (a notification needs no answer), or it was withdrawn first. */
    NOT_APPLICABLE;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
