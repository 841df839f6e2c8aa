package io.parley.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

/** How a sender reads a peer's Retry-After: seconds or an HTTP-date, kept within 1 s .. 15 min, never "give up". */
class RetryAfterTest {
    static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    @Test
    void secondsDatesAndNonsense() {
        assertEquals(Duration.ofSeconds(7), PeerClient.RateLimited.parse("7", NOW));
        assertEquals(Duration.ofSeconds(1), PeerClient.RateLimited.parse("0", NOW), "at least a second: no busy loop");
        assertEquals(Duration.ofMinutes(15), PeerClient.RateLimited.parse("999999", NOW), "a peer cannot park our line for days");
        assertEquals(Duration.ofSeconds(1), PeerClient.RateLimited.parse(null, NOW));
        assertEquals(Duration.ofSeconds(1), PeerClient.RateLimited.parse("soon", NOW));
        assertEquals(Duration.ofSeconds(1), PeerClient.RateLimited.parse("-5", NOW));
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.atZone(ZoneOffset.UTC).plusSeconds(90));
        assertEquals(Duration.ofSeconds(90), PeerClient.RateLimited.parse(in90s, NOW), "an HTTP-date 90 s after the given now");
        assertEquals(Duration.ofSeconds(1), PeerClient.RateLimited.parse(in90s, NOW.plusSeconds(600)), "a date already past: a second");
    }
}
