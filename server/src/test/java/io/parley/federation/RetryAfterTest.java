package io.parley.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

/** How a sender reads a peer's Retry-After: seconds or an HTTP-date, kept within 1 s .. 15 min, never "give up". */
class RetryAfterTest {
    @Test
    void secondsDatesAndNonsense() {
        assertEquals(Duration.ofSeconds(7), PeerClient.RateLimited.parse("7"));
        assertEquals(Duration.ofSeconds(1), PeerClient.RateLimited.parse("0"), "at least a second: no busy loop");
        assertEquals(Duration.ofMinutes(15), PeerClient.RateLimited.parse("999999"), "a peer cannot park our line for days");
        assertEquals(Duration.ofSeconds(1), PeerClient.RateLimited.parse(null));
        assertEquals(Duration.ofSeconds(1), PeerClient.RateLimited.parse("soon"));
        assertEquals(Duration.ofSeconds(1), PeerClient.RateLimited.parse("-5"));
        String in90s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(90));
        long s = PeerClient.RateLimited.parse(in90s).toSeconds();
        assertEquals(true, s >= 85 && s <= 90, "an HTTP-date 90 s ahead: " + s);
    }
}
