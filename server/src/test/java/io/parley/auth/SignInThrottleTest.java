package io.parley.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.parley.testing.MutableClock;

/** The state machine alone, on an injected clock: what the real-node test {@code SignInThrottlingTest} relies on. */
class SignInThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final SignInThrottle throttle = new SignInThrottle(SignInThrottle.Settings.DEFAULT, clock);

    private SignInThrottle.Admission fail(String user, String address) {
        var a = throttle.admit(user, "guess-" + System.nanoTime(), address);
        if (a instanceof SignInThrottle.Admission.Go go) throttle.failed(go.attempt());
        return a;
    }

    private Duration waitOf(SignInThrottle.Admission a) {
        return a instanceof SignInThrottle.Admission.Wait w ? w.retryAfter() : Duration.ZERO;
    }

    @Test
    void fiveFreeThenTheWaitDoublesToItsCap() {
        for (int i = 0; i < 5; i++) assertInstanceOf(SignInThrottle.Admission.Go.class, fail("duty", "192.0.2.1"), "attempt " + (i + 1) + " is free");
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            Duration w = waitOf(throttle.admit("duty", "any", "192.0.2.1"));
            waits.add(w.toSeconds());
            clock.advance(w);
            assertInstanceOf(SignInThrottle.Admission.Go.class, fail("duty", "192.0.2.1"), "released once the wait is over");
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 900L, 900L, 900L, 900L), waits);
    }

    @Test
    void aSuccessClearsTheAccountAtThatAddressOnly() {
        for (int i = 0; i < 5; i++) fail("duty", "192.0.2.1");
        clock.advance(Duration.ofSeconds(1));
        var go = (SignInThrottle.Admission.Go) throttle.admit("duty", "right", "192.0.2.1");
        assertEquals(5, throttle.succeeded(go.attempt()).failuresHere());
        for (int i = 0; i < 5; i++) assertInstanceOf(SignInThrottle.Admission.Go.class, fail("duty", "192.0.2.1"), "the counter starts again");
    }

    @Test
    void parallelGuessesCountBeforeTheyAreSettledButOnePasswordRepeatedIsOneGuess() {
        List<SignInThrottle.Admission> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) inFlight.add(throttle.admit("duty", "guess-" + i, "192.0.2.9"));
        inFlight.forEach(a -> assertInstanceOf(SignInThrottle.Admission.Go.class, a));
        assertInstanceOf(SignInThrottle.Admission.Wait.class, throttle.admit("duty", "guess-5", "192.0.2.9"),
                "a sixth distinct guess while five are being verified");
        assertInstanceOf(SignInThrottle.Admission.Go.class, throttle.admit("duty", "guess-0", "192.0.2.9"),
                "the same password again is no new guess (a client repeating its credentials in parallel requests)");
    }

    @Test
    void inventedNamesFromAThrottledAddressAddNothingAndMemoryStaysBounded() {
        for (int i = 0; i < 20; i++) fail("name-" + i, "192.0.2.50");
        long held = throttle.tracked();
        for (int i = 0; i < 1000; i++) {
            assertInstanceOf(SignInThrottle.Admission.Wait.class, throttle.admit("invented-" + i, "x", "192.0.2.50"));
        }
        assertEquals(held, throttle.tracked(), "refused attempts create no counters");
        var small = new SignInThrottle(new SignInThrottle.Settings(5, 20, 10, Duration.ofSeconds(1), Duration.ofMinutes(15),
                Duration.ofMinutes(1), Duration.ofHours(24), 100), clock);
        for (int i = 0; i < 2000; i++) {
            var a = small.admit("user-" + i, "x", "198.51.100." + (i % 250));
            if (a instanceof SignInThrottle.Admission.Go go) small.failed(go.attempt());
        }
        assertTrue(small.tracked() <= 300, "at most 3 x max_tracked counters: " + small.tracked());
    }

    @Test
    void ipv6IsCountedBySlash64() {
        assertEquals(SignInThrottle.addressKey("2001:db8:1:2::1"), SignInThrottle.addressKey("2001:db8:1:2:ffff::7"));
        for (int i = 0; i < 5; i++) fail("duty", "2001:db8:1:2::" + Integer.toHexString(i + 1));
        assertInstanceOf(SignInThrottle.Admission.Wait.class, throttle.admit("duty", "x", "2001:db8:1:2::99"),
                "another address of the same /64 is the same client");
    }
}
