package io.parley.worker;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class WorkerTest {
    /** nextDouble() is 0.5: the jitter factor is exactly 1, so every wait is the nominal backoff. */
    static final RandomGenerator MIDDLE = () -> Long.MIN_VALUE;
    /** nextDouble() is 0: the jitter factor is 0.5, the shortest wait. */
    static final RandomGenerator LOWEST = () -> 0L;
    static final Duration HOUR = Duration.ofHours(1);

    final RecordingLogger log = new RecordingLogger();

    @Test
    void wakeRunsTheStepWithoutWaitingForThePeriod() throws Exception {
        BlockingQueue<Integer> rounds = new LinkedBlockingQueue<>();
        AtomicInteger n = new AtomicInteger();
        try (Worker w = Worker.named("test-wake").every(HOUR).random(MIDDLE).log(log).start(() -> {
            rounds.add(n.incrementAndGet());
            return Worker.IDLE;
        })) {
            assertEquals(1, rounds.poll(10, TimeUnit.SECONDS), "the first round runs at start");
            assertNull(rounds.poll(200, TimeUnit.MILLISECONDS), "idle: nothing runs until the hour is over or a wake-up");
            w.wake();
            assertEquals(2, rounds.poll(10, TimeUnit.SECONDS), "a wake-up runs the step at once");
        }
    }

    @Test
    void aWakeUpDuringARoundIsNotLost() throws Exception {
        CountDownLatch inRound = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<Integer> rounds = new LinkedBlockingQueue<>();
        AtomicInteger n = new AtomicInteger();
        try (Worker w = Worker.named("test-lost-wake").every(HOUR).random(MIDDLE).log(log).start(() -> {
            int i = n.incrementAndGet();
            if (i == 1) {
                inRound.countDown();
                release.await();
            }
            rounds.add(i);
            return Worker.IDLE;
        })) {
            assertTrue(inRound.await(10, TimeUnit.SECONDS));
            w.wake(); // while the first round is still under way
            release.countDown();
            assertEquals(1, rounds.poll(10, TimeUnit.SECONDS));
            assertEquals(2, rounds.poll(10, TimeUnit.SECONDS), "the wake-up given during round 1 runs round 2");
        }
    }

    @Test
    void theStepChoosesItsWaitUpToThePeriod() throws Exception {
        DrivenWaiter waiter = new DrivenWaiter();
        List<Duration> answers = List.of(Worker.AGAIN, Duration.ofMillis(300), Duration.ofHours(5), Worker.IDLE);
        AtomicInteger n = new AtomicInteger();
        try (Worker w = Worker.named("test-waits").every(Duration.ofSeconds(10)).random(MIDDLE).waiter(waiter).log(log)
                .start(() -> answers.get(Math.min(n.getAndIncrement(), answers.size() - 1)))) {
            // AGAIN asks for no wait at all: the next wait asked for is the second round's
            assertEquals(Duration.ofMillis(300), waiter.nextWait());
            waiter.elapse();
            assertEquals(Duration.ofSeconds(10), waiter.nextWait(), "five hours is capped at the period");
            waiter.elapse();
            assertEquals(Duration.ofSeconds(10), waiter.nextWait(), "IDLE is the period");
        }
    }

    @Test
    void aFailingStepBacksOffWithGrowingJitteredDelaysAndRecovers() throws Exception {
        DrivenWaiter waiter = new DrivenWaiter();
        AtomicInteger n = new AtomicInteger();
        try (Worker w = Worker.named("test-backoff").every(HOUR).backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .random(MIDDLE).waiter(waiter).log(log).start(() -> {
                    if (n.incrementAndGet() <= 6) throw new IOException("database away");
                    return Worker.IDLE;
                })) {
            List<Duration> waits = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                waits.add(waiter.nextWait());
                waiter.elapse();
            }
            assertEquals(List.of(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000)), waits, "doubling from 100 ms, capped at 1 s");
            assertEquals(HOUR, waiter.nextWait(), "recovered: back to waiting for the period");
        }
        assertEquals(1, log.alarms().size(), "the same failure six times is one warning: " + log.alarms());
        assertTrue(log.alarms().get(0).contains("database away"));
        assertEquals(1, log.at(Level.INFO).stream().filter(l -> l.contains("works again after 6 failed attempts")).count(), log.lines.toString());
    }

    @Test
    void theJitterComesFromTheInjectedRandomSource() throws Exception {
        DrivenWaiter waiter = new DrivenWaiter();
        try (Worker w = Worker.named("test-jitter").every(HOUR).backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .random(LOWEST).waiter(waiter).log(log).start(() -> {
                    throw new IOException("down");
                })) {
            assertEquals(ms(50), waiter.nextWait(), "half the nominal 100 ms");
            waiter.elapse();
            assertEquals(ms(100), waiter.nextWait(), "half the nominal 200 ms");
        }
    }

    @Test
    void aWakeUpDoesNotCutABackoffShort() throws Exception {
        DrivenWaiter waiter = new DrivenWaiter();
        AtomicInteger n = new AtomicInteger();
        try (Worker w = Worker.named("test-backoff-wake").every(HOUR).backoff(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1)))
                .random(MIDDLE).waiter(waiter).log(log).start(() -> {
                    n.incrementAndGet();
                    throw new IOException("down");
                })) {
            assertEquals(ms(100), waiter.nextWait());
            w.wake();
            assertEquals(ms(100), waiter.nextWait(), "woken with the whole backoff still to go: it waits on");
            assertEquals(1, n.get(), "the step did not run again on the wake-up");
            waiter.elapse();
            assertEquals(ms(200), waiter.nextWait());
            assertEquals(2, n.get());
        }
    }

    @Test
    void errorsAndDifferentFailuresDoNotKillTheLoopAndEachIsLoggedOnce() throws Exception {
        DrivenWaiter waiter = new DrivenWaiter();
        List<Throwable> failures = List.of(new StackOverflowError("deep"), new StackOverflowError("deep"), new IllegalStateException("odd"),
                new OutOfMemoryError("simulated"));
        BlockingQueue<Integer> ok = new LinkedBlockingQueue<>();
        AtomicInteger n = new AtomicInteger();
        try (Worker w = Worker.named("test-errors").every(HOUR).random(MIDDLE).waiter(waiter).log(log).start(() -> {
            int i = n.getAndIncrement();
            if (i < failures.size()) {
                Throwable t = failures.get(i);
                if (t instanceof Error e) throw e;
                throw (RuntimeException) t;
            }
            ok.add(i);
            return Worker.IDLE;
        })) {
            for (int i = 0; i < failures.size(); i++) {
                waiter.nextWait();
                waiter.elapse();
            }
            assertEquals(4, ok.poll(10, TimeUnit.SECONDS), "the loop outlived two Errors and an exception");
        }
        assertEquals(3, log.alarms().size(), "three distinct failures, each warned once: " + log.alarms());
    }

    @Test
    void closeStopsALoopBlockedInAWaitPromptlyWithoutInterruptingIt() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        Worker w = Worker.named("test-close").every(HOUR).random(MIDDLE).stopGrace(Duration.ofMinutes(10)).log(log).start(() -> {
            ran.countDown();
            return Worker.IDLE;
        });
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        // the grace is ten minutes: returning within seconds means the wait ended on the stop itself
        assertTimeoutPreemptively(Duration.ofSeconds(5), w::close);
        assertTrue(w.stopping());
        assertTrue(log.alarms().isEmpty(), log.alarms().toString());
    }

    @Test
    void closeInterruptsARoundThatOutlastsTheGraceAndDoesNotCallThatAnError() throws Exception {
        CountDownLatch inRound = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger rounds = new AtomicInteger();
        Worker w = Worker.named("test-interrupt").every(HOUR).random(MIDDLE).stopGrace(Duration.ofMillis(50)).log(log).start(() -> {
            rounds.incrementAndGet();
            inRound.countDown();
            never.await(); // e.g. a request to a peer that does not answer
            return Worker.IDLE;
        });
        assertTrue(inRound.await(10, TimeUnit.SECONDS));
        assertTimeoutPreemptively(Duration.ofSeconds(5), w::close);
        assertEquals(1, rounds.get(), "no round after the stop");
        assertTrue(log.alarms().isEmpty(), "an interrupt during the stop is no error: " + log.alarms());
        assertTrue(log.at(Level.DEBUG).stream().anyMatch(l -> l.contains("InterruptedException")), log.lines.toString());
    }

    @Test
    void theFirstRoundCanWaitAPeriod() throws Exception {
        DrivenWaiter waiter = new DrivenWaiter();
        AtomicInteger n = new AtomicInteger();
        try (Worker w = Worker.named("test-first").every(Duration.ofMinutes(15)).random(MIDDLE).waiter(waiter).firstRoundAfterPeriod().log(log)
                .start(() -> {
                    n.incrementAndGet();
                    return Worker.IDLE;
                })) {
            assertEquals(Duration.ofMinutes(15), waiter.nextWait());
            assertEquals(0, n.get(), "nothing ran before the first period was over");
            waiter.elapse();
            assertEquals(Duration.ofMinutes(15), waiter.nextWait());
            assertEquals(1, n.get());
        }
    }

    @Test
    void anItemThatThrowsDoesNotStopTheNextAndRepeatsAreWarnedOnce() throws Exception {
        DrivenWaiter waiter = new DrivenWaiter();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        Worker[] self = new Worker[1];
        self[0] = Worker.named("test-items").every(HOUR).random(MIDDLE).waiter(waiter).log(log).build(() -> {
            self[0].each(List.of("a", "bomb", "c"), item -> "item " + item, item -> {
                if (item.equals("bomb")) throw new StackOverflowError("hostile input");
                handled.add(item);
            }, (item, e) -> failed.add(item + ": " + e.getMessage()));
            return Worker.IDLE;
        });
        try (Worker w = self[0].start()) {
            assertEquals(HOUR, waiter.nextWait(), "the round itself succeeded");
            waiter.elapse();
            assertEquals(HOUR, waiter.nextWait());
        }
        assertEquals(List.of("a", "c", "a", "c"), List.copyOf(handled), "the item after the failing one was handled, in both rounds");
        assertEquals(List.of("bomb: hostile input", "bomb: hostile input"), failed);
        assertEquals(List.of("item bomb failed: java.lang.StackOverflowError: hostile input"), log.alarms(), "warned once, not every round");
    }

    @Test
    void backoffDoublesFromInitialToMaxWithJitterBetweenHalfAndOneAndAHalf() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60));
        assertEquals(ms(500), b.delay(0, MIDDLE));
        assertEquals(ms(4000), b.delay(3, MIDDLE));
        assertEquals(ms(60_000), b.delay(40, MIDDLE), "capped, and no overflow for a large count");
        assertEquals(ms(250), b.delay(0, LOWEST));
        assertTrue(b.delay(0, () -> -1L).compareTo(ms(750)) <= 0, "at most 150%");
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    private static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }
}
