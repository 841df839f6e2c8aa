package io.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes. New hashes are Argon2id (RFC 9106, Bouncy Castle) with the OWASP parameters m = 19 MiB, t = 2,
 * p = 1, a 16-byte random salt and a 32-byte tag, stored as a PHC string
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<tag>} (unpadded standard Base64). Hashes of earlier versions,
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, still verify; {@link #needsRehash} tells the caller to replace
 * them once the password is known to be right.
 */
public final class Passwords {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int TAG_BYTES = 32;
    private static final String PREFIX = "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$";
    private static final Pattern ARGON2ID = Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{16,88})\\$([A-Za-z0-9+/]{16,88})");
    /** Bounds on stored parameters: a tampered row must not make one sign-in allocate gigabytes or run for minutes. */
    private static final int MAX_MEMORY_KIB = 256 * 1024, MAX_ITERATIONS = 10, MAX_PARALLELISM = 8;
    /**
     * Each Argon2id run holds 19 MiB; requests run on virtual threads, so without a bound a burst of sign-in attempts
     * would allocate without limit. Attempts beyond the bound wait their turn.
     */
    private static final Semaphore CONCURRENT = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {}

    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return PREFIX + b64(salt) + "$" + b64(argon2id(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, TAG_BYTES));
    }

    /** Whether {@code password} is the one {@code stored} was made from; false for a malformed stored hash. */
    public static boolean verify(String password, String stored) {
        if (stored == null) return false;
        Matcher m = ARGON2ID.matcher(stored);
        if (m.matches()) {
            int memory = Integer.parseInt(m.group(1)), iterations = Integer.parseInt(m.group(2)), parallelism = Integer.parseInt(m.group(3));
            if (memory < 8 * parallelism || memory > MAX_MEMORY_KIB || iterations < 1 || iterations > MAX_ITERATIONS
                    || parallelism < 1 || parallelism > MAX_PARALLELISM) {
                return false;
            }
            byte[] salt = Base64.getDecoder().decode(m.group(4));
            byte[] expected = Base64.getDecoder().decode(m.group(5));
            return MessageDigest.isEqual(expected, argon2id(password, salt, memory, iterations, parallelism, expected.length));
        }
        return verifyPbkdf2(password, stored);
    }

    /** Whether {@code stored} should be replaced by a fresh {@link #hash}: it is not Argon2id with today's parameters. */
    public static boolean needsRehash(String stored) {
        return stored == null || !stored.startsWith(PREFIX);
    }

    private static byte[] argon2id(String password, byte[] salt, int memoryKib, int iterations, int parallelism, int tagBytes) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memoryKib).withIterations(iterations)
                .withParallelism(parallelism).withSalt(salt).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] tag = new byte[tagBytes];
        CONCURRENT.acquireUninterruptibly();
        try {
            generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), tag);
        } finally {
            CONCURRENT.release();
        }
        return tag;
    }

    /** The hashes written before Argon2id: verified so existing accounts keep working until their next sign-in. */
    private static boolean verifyPbkdf2(String password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) return false;
        try {
            int iterations = Integer.parseInt(parts[1]);
            if (iterations < 1 || iterations > 10_000_000) return false;
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), Base64.getDecoder().decode(parts[2]), iterations, 256);
            return MessageDigest.isEqual(expected, SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded());
        } catch (IllegalArgumentException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is required on every Java platform", e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().withoutPadding().encodeToString(b);
    }
}
