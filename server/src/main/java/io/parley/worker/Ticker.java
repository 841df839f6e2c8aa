package io.parley.worker;

/**
 * Monotonic time for measuring how long something has been waited for: {@link System#nanoTime()} in a node, a
 * driven one in a test. Not the node's {@link java.time.Clock}, which says what time it is and which a test may stop.
 */
@FunctionalInterface
public interface Ticker {
    Ticker SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary origin: only differences mean anything. */
    long nanoTime();
}
