package io.parley.worker;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How a {@link Worker} passes time between rounds: a wake-up signal with a timeout, and the monotonic clock
 * ({@link Ticker}) that measures it. A node uses {@link #system()}; a test passes one it drives, so that it can see
 * every wait the loop asks for (backoff growth, say) without sleeping.
 */
public interface Waiter extends Ticker {
    /**
     * Returns when {@link #wake()} was called since the previous return (at once if it was called before this call),
     * or when {@code atMost} has passed, whichever is first; true if woken.
     */
    boolean await(Duration atMost) throws InterruptedException;

    /** Ends the current or next {@link #await}; any thread may call it. */
    void wake();

    /** Real time, for a node. */
    static Waiter system() {
        return new Signal();
    }

    /** A wake-up flag under a lock: a wake between two waits is kept, not lost. */
    final class Signal implements Waiter {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        /** Guarded by lock: wake() was called since the last await returned. */
        private boolean woken;

        private Signal() {}

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public boolean await(Duration atMost) throws InterruptedException {
            long left = saturatedNanos(atMost);
            lock.lock();
            try {
                while (!woken && left > 0) left = changed.awaitNanos(left);
                boolean was = woken;
                woken = false;
                return was;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void wake() {
            lock.lock();
            try {
                woken = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** {@code d} in nanoseconds, or Long.MAX_VALUE for a longer duration than that can hold (about 292 years). */
    static long saturatedNanos(Duration d) {
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : Math.max(0, d.toNanos());
    }
}
