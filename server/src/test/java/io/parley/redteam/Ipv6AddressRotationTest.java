package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.parley.federation.PeerRateLimits;
import io.parley.testing.MutableClock;

/**
 * A sender that holds an IPv6 /64 (what one subscriber or one cloud host usually gets) floods the peer routes with
 * unsigned requests, taking a new source address for each. Loopback has a single IPv6 address, so this drives the
 * rate limiter with the addresses the HTTP layer would hand it. Before the fix every address had a bucket of its own
 * and the flood was never slowed; the sign-in throttle already counted the /64.
 */
class Ipv6AddressRotationTest {
    @Test
    void unsignedRequestsFromOneIpv6SubnetShareOneBucket() {
        var limits = new PeerRateLimits(new PeerRateLimits.Settings(1, 10, 1000), new MutableClock(Instant.parse("2026-11-30T09:00:00Z")));
        int refused = 0;
        for (int i = 1; i <= 50; i++) {
            String rotated = "2001:db8:0:7::" + Integer.toHexString(i);
            if (limits.charge(PeerRateLimits.address(rotated), 1).isPresent()) refused++;
        }
        assertEquals(40, refused, "after the burst of 10, every further request from the /64 waits, whatever its last 64 bits");
        assertTrue(limits.charge(PeerRateLimits.address("2001:db8:0:8::1"), 1).isEmpty(), "another /64 has its own bucket");
        assertEquals(PeerRateLimits.address("2001:db8:0:7::1"), PeerRateLimits.address("2001:0db8:0000:0007:ffff:0:0:1"), "one /64, however written");
        assertNotEquals(PeerRateLimits.address("192.0.2.1"), PeerRateLimits.address("192.0.2.2"), "IPv4 addresses are counted one by one");
    }
}
