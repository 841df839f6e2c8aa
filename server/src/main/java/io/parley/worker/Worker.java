package io.parley.worker;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One background loop of a node: a named thread that runs a step, then waits until {@link #wake()} is called or the
 * wait the step asked for (at most the period) is over, and again, until {@link #close()}.
 *
 * <p>A step that throws anything, even an {@link Error}, never ends the loop: the failure is logged once per distinct
 * failure ({@link FailureLog}) and the step runs again after a jittered exponential {@link Backoff} that wake-ups do
 * not cut short, so a failing database is not hammered by every append that pokes the loop. Within a step,
 * {@link #each} gives every item the same treatment, so one item that cannot be handled never holds up the rest.
 *
 * <p>Stopping: {@link #close()} asks the loop to stop, wakes it, and waits {@link Builder#stopGrace} for the round
 * under way to finish, because interrupting a thread in a database call breaks its connection (and on PostgreSQL
 * logs a cancelled query). Only a round still running after that is interrupted. What a step throws once stopping
 * has begun, an {@link InterruptedException} or a closed pool, is the stop itself and logged at debug.
 *
 * <p>Threading: {@link #stopping} is written by the closing thread and read by the loop; everything else but the
 * waiter (whose {@code wake} any thread may call) is owned by the loop thread.
 */
public final class Worker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    /** A step's answer when more work is waiting: run again at once. */
    public static final Duration AGAIN = Duration.ZERO;
    /** A step's answer when there is nothing more to do: wait for a wake-up or the period. */
    public static final Duration IDLE = ChronoUnit.FOREVER.getDuration();

    /** One round of work; returns the longest to wait before the next ({@link #AGAIN}, {@link #IDLE} or between). */
    @FunctionalInterface
    public interface Step {
        Duration run() throws Exception;
    }

    /** The handling of one item within a round. */
    @FunctionalInterface
    public interface Item<T> {
        void handle(T item) throws Exception;
    }

    private final String name;
    private final Duration period;
    private final Backoff backoff;
    private final RandomGenerator random;
    private final Waiter waiter;
    private final boolean firstRoundAfterPeriod;
    private final Duration stopGrace;
    private final Logger log;
    private final FailureLog failures;
    private final Step step;
    private final Thread thread;
    private volatile boolean stopping;

    private Worker(Builder b, Step step) {
        this.name = b.name;
        this.period = Objects.requireNonNull(b.period, () -> name + ": no period");
        this.random = Objects.requireNonNull(b.random, () -> name + ": no random source (the node's is wired in Node)");
        this.backoff = b.backoff != null ? b.backoff : defaultBackoff(period);
        this.waiter = b.waiter != null ? b.waiter : Waiter.system();
        this.firstRoundAfterPeriod = b.firstRoundAfterPeriod;
        this.stopGrace = b.stopGrace;
        this.log = b.log;
        this.failures = new FailureLog(b.log);
        this.step = step;
        this.thread = (b.platform ? Thread.ofPlatform().daemon() : Thread.ofVirtual()).name(name).unstarted(this::loop);
    }

    /** Failures are retried after the period at first, backing off to a minute (or the period, if longer). */
    private static Backoff defaultBackoff(Duration period) {
        Duration minute = Duration.ofMinutes(1);
        return new Backoff(period, period.compareTo(minute) > 0 ? period : minute);
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Starts the loop; does nothing if it was started or stopped before. Returns this worker. */
    public synchronized Worker start() {
        if (!stopping && thread.getState() == Thread.State.NEW) thread.start();
        return this;
    }

    /** Runs the step soon: at once if the loop is waiting, else right after the round under way. */
    public void wake() {
        waiter.wake();
    }

    /** True once {@link #stop()} or {@link #close()} was called: a long round should wind up. */
    public boolean stopping() {
        return stopping;
    }

    public String name() {
        return name;
    }

    /**
     * Handles each item in turn; one that throws is logged once per distinct failure (under {@code what} it is),
     * then given to {@code onFailure}, and the next is handled. Stops early when the worker is stopping.
     */
    public <T> void each(Iterable<T> items, Function<? super T, String> what, Item<? super T> action, BiConsumer<? super T, Throwable> onFailure) {
        for (T item : items) {
            if (stopping) return;
            String which = what.apply(item);
            try {
                action.handle(item);
                failures.succeeded(which);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                if (stopping) {
                    log.debug("{}: {} stopped: {}", name, which, e.toString());
                    return;
                }
                failures.failed(which, e);
                onFailure.accept(item, e);
            }
        }
    }

    /** {@link #each(Iterable, Function, Item, BiConsumer)} with nothing more to do about a failed item than log it. */
    public <T> void each(Iterable<T> items, Function<? super T, String> what, Item<? super T> action) {
        each(items, what, action, (item, e) -> {});
    }

    private void loop() {
        if (firstRoundAfterPeriod) pause(period, true);
        int failed = 0;
        while (!stopping) {
            Duration wait;
            try {
                wait = step.run();
                if (failed > 0) failures.succeeded(name);
                failed = 0;
            } catch (Throwable e) {
                if (stopping) {
                    log.debug("{} stopped during a round: {}", name, e.toString());
                    return;
                }
                failures.failed(name, e);
                pause(backoff.delay(failed++, random), false);
                continue;
            }
            pause(wait.compareTo(period) > 0 ? period : wait, true);
        }
    }

    /** Waits {@code d} by the waiter's clock, or less if stopping (or, when {@code wakeable}, when woken). */
    private void pause(Duration d, boolean wakeable) {
        long total = Waiter.saturatedNanos(d);
        long start = waiter.nanoTime();
        while (!stopping) {
            long left = total - (waiter.nanoTime() - start);
            if (left <= 0) return;
            try {
                if (waiter.await(Duration.ofNanos(left)) && wakeable) return;
            } catch (InterruptedException e) {
                // Only close() may end the loop; an interrupt from elsewhere just ends this wait early.
                if (stopping) return;
            }
        }
    }

    /** Asks the loop to stop without waiting for it (to stop several loops at once, then {@link #close()} each). */
    public synchronized void stop() {
        stopping = true;
        waiter.wake();
    }

    /** Stops the loop and waits for it: the grace for the round under way, then an interrupt. */
    @Override
    public void close() {
        stop();
        if (Thread.currentThread() == thread || thread.getState() == Thread.State.NEW) return;
        try {
            if (join(stopGrace)) return;
            log.debug("{} still busy after {}; interrupting it", name, stopGrace);
            thread.interrupt();
            if (!join(Duration.ofSeconds(5))) log.warn("{} did not stop within {} of being interrupted", name, Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean join(Duration d) throws InterruptedException {
        return thread.join(d);
    }

    /** How a worker is made: its name, period and randomness are required, the rest has defaults. */
    public static final class Builder {
        private final String name;
        private Duration period;
        private Backoff backoff;
        private RandomGenerator random;
        private Waiter waiter;
        private boolean platform;
        private boolean firstRoundAfterPeriod;
        private Duration stopGrace = Duration.ofSeconds(2);
        private Logger log = LOG;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name);
        }

        /** The longest the loop waits between rounds when not woken. */
        public Builder every(Duration period) {
            if (period.isNegative() || period.isZero()) throw new IllegalArgumentException(name + ": the period must be positive");
            this.period = period;
            return this;
        }

        /** The waits after a failed round (default: from the period up to a minute). */
        public Builder backoff(Backoff backoff) {
            this.backoff = backoff;
            return this;
        }

        /** The jitter of the backoff: the node's random source. */
        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        /** How the loop waits (default: real time); tests pass one they drive. */
        public Builder waiter(Waiter waiter) {
            this.waiter = waiter;
            return this;
        }

        /** A platform thread instead of a virtual one, for a loop that is busy most of the time. */
        public Builder platformThread() {
            this.platform = true;
            return this;
        }

        /** The first round after one period rather than at once. */
        public Builder firstRoundAfterPeriod() {
            this.firstRoundAfterPeriod = true;
            return this;
        }

        /** How long {@link #close()} lets a round under way finish before interrupting it (default 2 s). */
        public Builder stopGrace(Duration grace) {
            this.stopGrace = grace;
            return this;
        }

        /** Where failures are logged (default: this class's logger), so they read as the component's. */
        public Builder log(Logger log) {
            this.log = log;
            return this;
        }

        /** The worker, not yet started (so that the owner can hold it before its step first runs). */
        public Worker build(Step step) {
            return new Worker(this, step);
        }

        public Worker start(Step step) {
            return build(step).start();
        }
    }
}
