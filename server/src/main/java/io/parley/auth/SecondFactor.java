package io.parley.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.util.encoders.Base32;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;

import io.parley.identity.Sha256;
import io.parley.store.SecondFactorStore;

/**
 * TOTP second factors (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, one step of drift either way) and their
 * single-use recovery codes.
 *
 * <p>A secret is 160 random bits, stored sealed by {@link SecretBox} (the key is the node directory's
 * {@code totp.key}). It takes effect only once a code made from it was entered ({@link #confirm}), so a mistyped or
 * unscanned QR code never locks anyone out. A code is accepted only for a time step later than the last accepted one,
 * checked and recorded in one compare-and-set in the database, so a code seen over a shoulder or in a log is
 * useless once used, on every instance. Recovery codes are 80 random bits each, stored as SHA-256 hashes (enough at that
 * entropy; Argon2 would make each attempt cost ten hashes) and marked used in another compare-and-set.
 */
public final class SecondFactor {
    public static final int DIGITS = 6;
    public static final Duration STEP = Duration.ofSeconds(30);
    public static final int RECOVERY_CODES = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecondFactorStore store;
    private final SecretBox box;
    private final Clock clock;
    private final String issuer;
    private final TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator(STEP, DIGITS,
            TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1);

    /** What an authenticator app needs: the otpauth:// URI (for the QR code) and the same secret in base32. */
    public record Enrolment(String username, String secretBase32, String uri) {}

    /** How a second step was passed, for the audit record. */
    public enum Passed { CODE, RECOVERY_CODE }

    /** Wrong codes (TOTP or recovery) an account may send before the code step closes for a while. */
    public static final int FREE_FAILURES = 5;
    /** The first closure; each further wrong code doubles it, up to {@link #MAX_LOCK}. */
    public static final Duration FIRST_LOCK = Duration.ofSeconds(30);
    public static final Duration MAX_LOCK = Duration.ofMinutes(15);

    /** The outcome of a second step. */
    public sealed interface Check {
        record Passed(SecondFactor.Passed how) implements Check {}

        /** Wrong, already used, or no factor. */
        record Wrong() implements Check {}

        /** Too many wrong codes for this account: nothing was checked; try again after {@code retryAfter}. */
        record Wait(Duration retryAfter) implements Check {}
    }

    public SecondFactor(SecondFactorStore store, SecretBox box, Clock clock, String issuer) {
        this.store = store;
        this.box = box;
        this.clock = clock;
        this.issuer = issuer;
    }

    /** Whether {@code username} has a confirmed factor: then a sign-in needs its code. */
    public boolean enrolled(String username) {
        return store.find(username).map(SecondFactorStore.Totp::confirmed).orElse(false);
    }

    /** A new secret awaiting confirmation, replacing an earlier unconfirmed one; empty if a factor is already confirmed. */
    public Optional<Enrolment> begin(String username) {
        byte[] secret = new byte[20];
        RANDOM.nextBytes(secret);
        if (!store.putPending(username, box.seal(secret, context(username)), clock.instant())) return Optional.empty();
        return Optional.of(enrolment(username, secret));
    }

    /** The secret awaiting confirmation, to show again. */
    public Optional<Enrolment> pending(String username) {
        return store.find(username).filter(t -> !t.confirmed()).map(t -> enrolment(username, box.open(t.sealedSecret(), context(username))));
    }

    /**
     * Confirms the pending secret with a current code from it. Returns the new recovery codes (shown once, stored
     * hashed), or empty if the code is wrong or nothing is pending.
     */
    public Optional<List<String>> confirm(String username, String code) {
        Optional<SecondFactorStore.Totp> t = store.find(username).filter(x -> !x.confirmed());
        if (t.isEmpty() || !acceptCode(t.get(), code)) return Optional.empty();
        return Optional.of(newRecoveryCodes(username));
    }

    /**
     * Sets a confirmed factor at once, for {@code parley user totp} (the operator hands over the secret), replacing any
     * earlier one; returns the enrolment and the recovery codes.
     */
    public Enrolled enrolNow(String username) {
        store.remove(username);
        Enrolment e = begin(username).orElseThrow();
        store.confirm(username);
        return new Enrolled(e, newRecoveryCodes(username));
    }

    public record Enrolled(Enrolment enrolment, List<String> recoveryCodes) {}

    /**
     * The second step of a sign-in (or of removing the factor): a current TOTP code, or else one unused recovery code.
     * Per account, after {@link #FREE_FAILURES} wrong ones the step closes for {@link #FIRST_LOCK}, doubling with each
     * further wrong one up to {@link #MAX_LOCK}, and opens again fully at the next right one. This holds however many
     * sessions or sign-ins the guesser starts (each needs the password, but a stolen password is the case this is for):
     * at most about a hundred guesses a day against a million codes. An attempt is counted before it is checked, so
     * guesses sent in parallel get no more than guesses sent one by one.
     */
    public Check verify(String username, String input) {
        Optional<SecondFactorStore.Totp> t = store.find(username).filter(SecondFactorStore.Totp::confirmed);
        if (t.isEmpty()) return new Check.Wrong();
        Instant now = clock.instant();
        // counted (and the lock set) before the check, in one transaction: parallel guesses cannot all see the step open
        if (store.reserveAttempt(username, now, n -> n < FREE_FAILURES ? null : now.plus(lockFor(n))) < 0) {
            Instant until = store.find(username).map(SecondFactorStore.Totp::lockedUntil).orElse(now);
            return new Check.Wait(Duration.ofSeconds(Math.max(1, Duration.between(now, until).toSeconds() + 1)));
        }
        Optional<Passed> passed = check(t.get(), input == null ? "" : input.strip());
        if (passed.isEmpty()) return new Check.Wrong();
        store.clearFailures(username);
        return new Check.Passed(passed.get());
    }

    private Optional<Passed> check(SecondFactorStore.Totp t, String s) {
        if (s.matches("\\d{" + DIGITS + "}")) return acceptCode(t, s) ? Optional.of(Passed.CODE) : Optional.empty();
        String normalized = normalizeRecovery(s);
        if (normalized == null) return Optional.empty();
        return store.useRecoveryCode(t.username(), recoveryHash(t.username(), normalized), clock.instant()) ? Optional.of(Passed.RECOVERY_CODE) : Optional.empty();
    }

    /** How long the code step stays closed after the {@code failures}-th wrong code in a row. */
    static Duration lockFor(int failures) {
        int doublings = Math.min(failures - FREE_FAILURES, 20);
        Duration d = FIRST_LOCK.multipliedBy(1L << doublings);
        return d.compareTo(MAX_LOCK) > 0 ? MAX_LOCK : d;
    }

    public long unusedRecoveryCodes(String username) {
        return store.unusedRecoveryCodes(username);
    }

    /** New recovery codes for {@code username}, replacing the old ones; returned once in clear, stored hashed. */
    public List<String> newRecoveryCodes(String username) {
        List<String> codes = new ArrayList<>(), hashes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            byte[] raw = new byte[10];
            RANDOM.nextBytes(raw);
            String plain = Base32.toBase32String(raw).toLowerCase(Locale.ROOT); // 16 characters
            codes.add(plain.substring(0, 4) + "-" + plain.substring(4, 8) + "-" + plain.substring(8, 12) + "-" + plain.substring(12));
            hashes.add(recoveryHash(username, plain));
        }
        store.replaceRecoveryCodes(username, hashes);
        return codes;
    }

    /** Removes the factor and its recovery codes; true if there was one. */
    public boolean remove(String username) {
        return store.remove(username);
    }

    /** The code the secret gives at {@code at}: for tests and for showing nothing else. */
    public static String codeAt(String secretBase32, Instant at) {
        return code(new TimeBasedOneTimePasswordGenerator(STEP, DIGITS, TimeBasedOneTimePasswordGenerator.TOTP_ALGORITHM_HMAC_SHA1),
                Base32.decode(secretBase32), at);
    }

    private boolean acceptCode(SecondFactorStore.Totp t, String code) {
        if (code == null || !code.strip().matches("\\d{" + DIGITS + "}")) return false;
        byte[] secret = box.open(t.sealedSecret(), context(t.username()));
        byte[] given = code.strip().getBytes(StandardCharsets.US_ASCII);
        long now = Math.floorDiv(clock.instant().getEpochSecond(), STEP.toSeconds());
        long matched = Long.MIN_VALUE;
        for (long step = now - 1; step <= now + 1; step++) {
            String expected = code(totp, secret, Instant.ofEpochSecond(step * STEP.toSeconds()));
            if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given)) matched = step;
        }
        // a step at or before the last accepted one is a replay (or an older code): refused in the same update that records it
        return matched != Long.MIN_VALUE && matched > t.lastStep() && store.acceptStep(t.username(), matched);
    }

    private static String code(TimeBasedOneTimePasswordGenerator generator, byte[] secret, Instant at) {
        try {
            return generator.generateOneTimePasswordString(new SecretKeySpec(secret, "HmacSHA1"), at, Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 refused a 20-byte key", e);
        }
    }

    private Enrolment enrolment(String username, byte[] secret) {
        String b32 = Base32.toBase32String(secret); // 160 bits: 32 characters, no padding
        String label = enc(issuer) + ":" + enc(username);
        String uri = "otpauth://totp/" + label + "?secret=" + b32 + "&issuer=" + enc(issuer) + "&algorithm=SHA1&digits=" + DIGITS
                + "&period=" + STEP.toSeconds();
        return new Enrolment(username, b32, uri);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String context(String username) {
        return "parley-totp\n" + username;
    }

    /** A recovery code as typed (any case, with or without dashes and spaces), or null if it cannot be one. */
    private static String normalizeRecovery(String s) {
        String n = s.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", "");
        return n.matches("[a-z2-7]{16}") ? n : null;
    }

    private static String recoveryHash(String username, String normalized) {
        return Sha256.hex(("parley-recovery\n" + username + "\n" + normalized).getBytes(StandardCharsets.UTF_8));
    }
}
