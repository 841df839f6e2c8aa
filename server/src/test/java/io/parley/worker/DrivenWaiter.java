package io.parley.worker;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A waiter the test drives: every wait the loop asks for is recorded and lasts until the test lets it run its length
 * ({@link #elapse()}, which moves this waiter's clock by exactly that much) or the loop is woken. Nothing sleeps.
 */
final class DrivenWaiter implements Waiter {
    private final BlockingQueue<Duration> asked = new LinkedBlockingQueue<>();
    /** Guarded by this. */
    private long now;
    private boolean woken;
    private boolean elapsed;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized boolean await(Duration atMost) throws InterruptedException {
        if (!woken) {
            asked.add(atMost);
            while (!woken && !elapsed) wait();
        }
        boolean was = woken;
        if (!was) now += Waiter.saturatedNanos(atMost);
        woken = false;
        elapsed = false;
        return was;
    }

    @Override
    public synchronized void wake() {
        woken = true;
        notifyAll();
    }

    /** Lets the wait under way (or the next one) run its whole length. */
    synchronized void elapse() {
        elapsed = true;
        notifyAll();
    }

    /** The next wait the loop asks for (failing the test if it asks for none within seconds). */
    Duration nextWait() throws InterruptedException {
        Duration d = asked.poll(10, TimeUnit.SECONDS);
        if (d == null) throw new AssertionError("the loop asked for no wait");
        return d;
    }
}
