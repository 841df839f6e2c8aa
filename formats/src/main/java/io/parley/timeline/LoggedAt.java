package io.parley.timeline;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/** When a recipient ({@code by}, a member other than the sender) logged an envelope, on its signed word. */
public record LoggedAt(String by, Instant at) {
    private static final Comparator<LoggedAt> EARLIEST = Comparator.comparing(LoggedAt::at).thenComparing(LoggedAt::by);

    /**
     * Records {@code l} for envelope {@code hash} in {@code into} unless an earlier log time is already there: the
     * first recipient to log an envelope shows when it was sent at the latest, and one recipient's late log (it was
     * offline) does not make its sender look backdated while another logged it in time. Ties go to the smaller
     * origin, so every node and the verifier pick the same one.
     */
    public static void keepEarliest(Map<String, LoggedAt> into, String hash, LoggedAt l) {
        into.merge(hash, l, (a, b) -> EARLIEST.compare(a, b) <= 0 ? a : b);
    }
}
