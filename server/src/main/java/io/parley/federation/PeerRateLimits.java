package io.parley.federation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Rate limits on the routes peers call (inbox, catch-up, evidence fetch, witness), one token bucket per caller so one
 * noisy peer cannot starve the others. A caller is the peer origin that signed the request (RFC 9421, checked before
 * anything is charged), or, for a request without a valid peer signature, its client address.
 *
 * <p>A unit is one envelope judged or one request: an inbox batch costs its envelopes (paid before it is judged), a
 * catch-up page one unit up front and then one per {@value #SERVED_PER_UNIT} envelopes it served (which may leave the
 * bucket owing, so the next request waits), anything else one. Serving is priced lower because it is a read of stored
 * rows sent as they are, while every envelope posted to the inbox costs a signature check and a durable write; at
 * the defaults a peer back from an outage pulls 100,000 envelopes at once and then 2,000 a second, and pushes 10,000
 * at once and then 200 a second. The bucket holds {@code burst} units and refills at {@code per_second}; a sender
 * that is told to wait (429 with Retry-After) waits and sends again, nothing is lost. Buckets live in memory, in a
 * cache with a maximum size, and a bucket is forgotten once idle long enough to be full again.
 */
public final class PeerRateLimits {
    /** Keys in parley.json under {@code throttle.peers}. */
    public record Settings(long perSecond, long burst, long maxTracked) {
        public static final Settings DEFAULT = new Settings(200, 10_000, 10_000);

        public Settings {
            if (perSecond < 1 || burst < 1) throw new IllegalArgumentException("throttle.peers: per_second and burst must be at least 1");
            if (maxTracked < 100) throw new IllegalArgumentException("throttle.peers: max_tracked must be at least 100");
        }
    }

    /** A bucket: tokens as of {@code at}; touched only under its own lock. */
    private static final class Bucket {
        double tokens;
        Instant at;

        Bucket(double tokens, Instant at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;

    public PeerRateLimits(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        // an idle bucket refills completely in burst / per_second; forgetting it then changes nothing
        Duration refill = Duration.ofMillis(Math.max(1000, settings.burst() * 1000 / settings.perSecond()));
        this.buckets = Caffeine.newBuilder().maximumSize(settings.maxTracked()).expireAfterAccess(refill).build();
    }

    public Settings settings() {
        return settings;
    }

    /** Envelopes a catch-up page serves per unit charged. */
    public static final int SERVED_PER_UNIT = 10;

    /** The units that serving {@code envelopes} envelopes costs: one per {@link #SERVED_PER_UNIT}, rounded up. */
    public static long servedUnits(int envelopes) {
        return (envelopes + SERVED_PER_UNIT - 1) / SERVED_PER_UNIT;
    }

    /** The caller key of an authenticated peer. */
    public static String peer(String origin) {
        return "peer:" + origin;
    }

    /**
     * The caller key of a request without a valid peer signature: its address as the sign-in throttle counts it (IPv6
     * by its /64), else a sender holding a /64 would get a fresh bucket for each of its 2^64 addresses.
     */
    public static String address(String clientAddress) {
        return "address:" + io.parley.auth.SignInThrottle.addressKey(clientAddress);
    }

    /**
     * Takes {@code cost} units from {@code caller}'s bucket; empty if they were there, else how long until they will
     * be (whole seconds, at least one), and nothing is taken. A cost above the burst is charged as the burst, so a
     * large batch is slow, never impossible.
     */
    public Optional<Duration> charge(String caller, long cost) {
        double need = Math.min(Math.max(1, cost), settings.burst());
        Instant now = clock.instant();
        Bucket b = buckets.get(caller, k -> new Bucket(settings.burst(), now));
        synchronized (b) {
            long elapsedMs = Math.max(0, Duration.between(b.at, now).toMillis());
            b.tokens = Math.min(settings.burst(), b.tokens + elapsedMs * settings.perSecond() / 1000.0);
            if (now.isAfter(b.at)) b.at = now;
            if (b.tokens >= need) {
                b.tokens -= need;
                return Optional.empty();
            }
            double seconds = (need - b.tokens) / settings.perSecond();
            return Optional.of(Duration.ofSeconds(Math.max(1, (long) Math.ceil(seconds))));
        }
    }

    /**
     * Takes {@code units} already spent (e.g. envelopes served) from {@code caller}'s bucket, which may then owe up to
     * one burst; the caller's next request waits until the debt is repaid.
     */
    public void debit(String caller, long units) {
        if (units <= 0) return;
        Instant now = clock.instant();
        Bucket b = buckets.get(caller, k -> new Bucket(settings.burst(), now));
        synchronized (b) {
            b.tokens = Math.max(-settings.burst(), b.tokens - units);
        }
    }
}
