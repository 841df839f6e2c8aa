package io.parley.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.parley.identity.Sha256;

/**
 * Failed sign-ins, counted three ways, and how long the next attempt must wait. The check runs before any password
 * is verified, so a throttled client learns nothing, not even when it sends the right password.
 *
 * <ul>
 *   <li><b>account at address</b>: a guesser working on one account from one address. {@code pair_free} failures
 *       are free, then the wait doubles from {@code first_delay} to {@code max_delay}. A success clears it.</li>
 *   <li><b>address</b>: one address spraying many names. A higher free count (people behind one NAT mistype too),
 *       the same doubling to {@code max_delay}. A success from the address takes back only the failures of its own
 *       account there, so an attacker with one valid account cannot wash away its guesses at the others.</li>
 *   <li><b>account</b> from addresses it has not signed in from: guessing one account from many addresses. Its cap
 *       ({@code account_max_delay}) is kept low, and it does not apply at an address where the account signed in
 *       successfully before, so an attacker who fails on purpose from many addresses cannot lock the officer out of
 *       their usual desk: it can only slow sign-ins from new places, and by at most the low cap.</li>
 * </ul>
 *
 * <p>Where an account has signed in successfully before (the pair is known), only the first counter applies to it:
 * guesses at that account from that address are still counted there, while failures of others (people or an attacker
 * sharing a NAT, or guessing the account from elsewhere) cannot lock the officer out of their usual desk.
 *
 * <p>User names are counted as given, whether or not the account exists, so throttling behaves the same for made-up
 * names. Counters live in memory only, in caches with a maximum size (names are kept as SHA-256 digests, addresses
 * IPv6 by their /64, which one subscriber usually holds whole) and forgotten {@code forget_after} after their last
 * use: memory stays bounded however many names and addresses an attacker invents (at most 3 × {@code max_tracked}
 * counters of a few hundred bytes each), at the price that a flood of invented keys can evict older counters; the
 * cache's frequency-based admission keeps the counters in use. Only an attempt that is let through creates
 * counters. A restart forgets them.
 *
 * <p>Attempts being verified count against the free allowance, by distinct password: a client cannot fire a thousand
 * guesses in parallel while the counter still reads zero, yet a legitimate client repeating one password in parallel
 * requests is one attempt. Once waits apply, one guess at a time is verified.
 */
public final class SignInThrottle {
    /** What counts: see the class comment. Keys in parley.json under {@code throttle.sign_in}. */
    public record Settings(int pairFree, int addressFree, int accountFree, Duration firstDelay, Duration maxDelay,
                           Duration accountMaxDelay, Duration forgetAfter, long maxTracked) {
        public static final Settings DEFAULT = new Settings(5, 20, 10, Duration.ofSeconds(1), Duration.ofMinutes(15),
                Duration.ofMinutes(1), Duration.ofHours(24), 20_000);

        public Settings {
            if (pairFree < 0 || addressFree < 0 || accountFree < 0) throw new IllegalArgumentException("throttle.sign_in: the free failure counts must be 0 or more");
            if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0 || accountMaxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("throttle.sign_in: delays must be positive, first_delay_seconds no longer than the caps");
            }
            if (forgetAfter.compareTo(maxDelay) < 0) throw new IllegalArgumentException("throttle.sign_in: forget_after_seconds must be at least max_delay_seconds");
            if (maxTracked < 100) throw new IllegalArgumentException("throttle.sign_in: max_tracked must be at least 100");
        }
    }

    /** What to do with one attempt. */
    public sealed interface Admission {
        /** Verify the password, then call {@link SignInThrottle#succeeded} or {@link SignInThrottle#failed} with this. */
        record Go(Attempt attempt) implements Admission {}

        /** Refuse without verifying anything; try again after {@code retryAfter} (whole seconds, at least one). */
        record Wait(Duration retryAfter) implements Admission {}
    }

    /** One admitted attempt, until it is settled. */
    public record Attempt(String pair, String address, String account, String guess) {}

    /** What a settled attempt means for the record. */
    public record Settled(int failuresHere, boolean newAddress, Optional<Duration> nowWaiting) {}

    private enum Kind { PAIR, ADDRESS, ACCOUNT }

    /** Mutable, touched only under the throttle's lock. */
    private static final class Counter {
        int failures;
        Instant last = Instant.EPOCH;
        /** guess digest → how many requests with it are being verified */
        final Map<String, Integer> inFlight = new HashMap<>(4);
    }

    private final Settings settings;
    private final Clock clock;
    private final Cache<String, Counter> counters;
    /** "account at address" keys where the account has signed in: exempt from the account-wide counter. */
    private final Cache<String, Boolean> known;

    public SignInThrottle(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.counters = Caffeine.newBuilder().maximumSize(settings.maxTracked() * 3).expireAfterAccess(settings.forgetAfter()).build();
        this.known = Caffeine.newBuilder().maximumSize(settings.maxTracked()).expireAfterAccess(Duration.ofDays(30)).build();
    }

    public Settings settings() {
        return settings;
    }

    /** Whether an attempt for {@code username} with {@code password} from {@code clientAddress} may be verified now. */
    public synchronized Admission admit(String username, String password, String clientAddress) {
        String account = "u:" + Sha256.hex(username.getBytes(StandardCharsets.UTF_8));
        String address = "a:" + addressKey(clientAddress);
        String pair = "p:" + account.substring(2) + "@" + address.substring(2);
        String guess = HexFormat.of().formatHex(Sha256.hash((username + "\u0000" + password).getBytes(StandardCharsets.UTF_8)));
        Instant now = clock.instant();
        boolean exempt = known.getIfPresent(pair) != null;
        // looked at, not created: a refused attempt adds nothing to the caches, however many names it invents
        Duration wait = Duration.ZERO;
        wait = max(wait, waitFor(peek(pair), Kind.PAIR, guess, now));
        if (!exempt) {
            wait = max(wait, waitFor(peek(address), Kind.ADDRESS, guess, now));
            wait = max(wait, waitFor(peek(account), Kind.ACCOUNT, guess, now));
        }
        if (!wait.isZero()) return new Admission.Wait(roundUp(wait));
        for (String key : new String[] {pair, address, account}) counter(key).inFlight.merge(guess, 1, Integer::sum);
        return new Admission.Go(new Attempt(pair, address, account, guess));
    }

    /** The password was right: the account's failures at this address are forgiven, everywhere they were counted. */
    public synchronized Settled succeeded(Attempt a) {
        Counter pair = counter(a.pair());
        int forgiven = pair.failures;
        release(pair, a.guess());
        pair.failures = 0;
        for (String key : new String[] {a.address(), a.account()}) {
            Counter c = counter(key);
            release(c, a.guess());
            c.failures = Math.max(0, c.failures - forgiven);
        }
        if (pair.inFlight.isEmpty()) counters.invalidate(a.pair());
        boolean newAddress = known.getIfPresent(a.pair()) == null;
        known.put(a.pair(), Boolean.TRUE);
        return new Settled(forgiven, newAddress, Optional.empty());
    }

    /** The password was wrong, or the account unknown: one more failure on each counter. */
    public synchronized Settled failed(Attempt a) {
        Instant now = clock.instant();
        for (String key : new String[] {a.pair(), a.address(), a.account()}) {
            Counter c = counter(key);
            release(c, a.guess());
            c.failures++;
            c.last = now;
        }
        boolean exempt = known.getIfPresent(a.pair()) != null;
        Duration wait = delay(counter(a.pair()), Kind.PAIR);
        if (!exempt) wait = max(wait, max(delay(counter(a.address()), Kind.ADDRESS), delay(counter(a.account()), Kind.ACCOUNT)));
        return new Settled(counter(a.pair()).failures, !exempt, wait.isZero() ? Optional.empty() : Optional.of(roundUp(wait)));
    }

    private Counter counter(String key) {
        return counters.get(key, k -> new Counter());
    }

    /** How many counters are held (for tests of the memory bound). */
    long tracked() {
        counters.cleanUp();
        return counters.estimatedSize();
    }

    /** The counter of {@code key}, or a fresh one that is not stored. */
    private Counter peek(String key) {
        Counter c = counters.getIfPresent(key);
        return c != null ? c : new Counter();
    }

    private static void release(Counter c, String guess) {
        c.inFlight.computeIfPresent(guess, (g, n) -> n > 1 ? n - 1 : null);
    }

    /**
     * How long {@code guess} must wait on {@code c}: none while the failures counted plus the distinct guesses being
     * verified stay within the free allowance; after that, the backoff since the last failure, and one guess at a time.
     */
    private Duration waitFor(Counter c, Kind kind, String guess, Instant now) {
        int others = c.inFlight.size() - (c.inFlight.containsKey(guess) ? 1 : 0);
        if (c.failures + others + 1 <= free(kind)) return Duration.ZERO;
        Duration left = Duration.between(now, c.last.plus(delay(c, kind)));
        if (others > 0) return max(left, settings.firstDelay());
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The wait after {@code c}'s last failure: none within the free allowance, then doubling up to the kind's cap. */
    private Duration delay(Counter c, Kind kind) {
        int over = c.failures - free(kind) + 1; // the failure that uses up the allowance brings the first wait
        if (over <= 0) return Duration.ZERO;
        Duration cap = kind == Kind.ACCOUNT ? settings.accountMaxDelay() : settings.maxDelay();
        long millis = settings.firstDelay().toMillis() << Math.min(over - 1, 30);
        return millis >= cap.toMillis() || millis <= 0 ? cap : Duration.ofMillis(millis);
    }

    private int free(Kind kind) {
        return switch (kind) {
            case PAIR -> settings.pairFree();
            case ADDRESS -> settings.addressFree();
            case ACCOUNT -> settings.accountFree();
        };
    }

    /**
     * The counted form of a client address: IPv4 as it is, IPv6 by its /64 (one subscriber or host usually holds a
     * whole /64, so counting single addresses there would count nothing). Public: the peer routes' rate limits count
     * unsigned callers the same way.
     */
    public static String addressKey(String clientAddress) {
        if (clientAddress == null || clientAddress.isEmpty()) return "unknown";
        if (clientAddress.indexOf(':') < 0) return clientAddress;
        try {
            String literal = clientAddress.startsWith("[") ? clientAddress.substring(1, clientAddress.length() - 1) : clientAddress;
            byte[] b = InetAddress.getByName(literal).getAddress(); // a literal: no name is looked up
            if (b.length != 16) return clientAddress;
            return HexFormat.of().formatHex(b, 0, 8) + "::/64";
        } catch (UnknownHostException | RuntimeException e) {
            return clientAddress;
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Whole seconds, at least one: what Retry-After can say, never telling a client to come back too early. */
    static Duration roundUp(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, s));
    }

}
