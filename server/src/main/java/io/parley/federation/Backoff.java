package io.parley.federation;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter between 50% and 150% of the nominal delay, so that peers recovering from one
 * outage are not hit by every sender at the same instant.
 */
public record Backoff(Duration initial, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60));

    public Duration delay(int attempts) {
        double nominal = initial.toMillis() * Math.pow(2, Math.min(attempts, 30));
        double capped = Math.min(nominal, max.toMillis());
        return Duration.ofMillis((long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble())));
    }
}
