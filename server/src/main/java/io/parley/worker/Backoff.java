package io.parley.worker;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter between 50% and 150% of the nominal delay, so that peers recovering from one
 * outage are not hit by every sender at the same instant. The randomness is the caller's, injected where the node is
 * built, so that a test can fix it.
 */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 < initial <= max, not " + initial + " and " + max);
        }
    }

    /** How long to wait after {@code attempts} failed attempts (0 for the first retry): doubling, capped, jittered. */
    public Duration delay(int attempts, RandomGenerator random) {
        double nominal = initial.toMillis() * Math.pow(2, Math.min(Math.max(attempts, 0), 30));
        double capped = Math.min(nominal, max.toMillis());
        return Duration.ofMillis((long) (capped * (0.5 + random.nextDouble())));
    }
}
