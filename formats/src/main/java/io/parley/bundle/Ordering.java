package io.parley.bundle;

import java.util.function.Function;

/** The bundle format fixes one order for every list, so a reordering is tampering; these say what the order is. */
final class Ordering {
    private Ordering() {}

    /** True if the items are strictly increasing by {@code key}: in order, and none repeated. */
    static <T> boolean strictlyIncreasing(Iterable<T> items, Function<T, String> key) {
        String previous = null;
        for (T item : items) {
            String k = key.apply(item);
            if (previous != null && k.compareTo(previous) <= 0) return false;
            previous = k;
        }
        return true;
    }

    /** The sort key of a sender's chain position: by sender, then by seq as a number. */
    static String bySenderAndSeq(String from, long seq) {
        return from + "\u0000" + String.format("%020d", seq);
    }
}
