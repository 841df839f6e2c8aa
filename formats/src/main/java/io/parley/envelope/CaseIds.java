package io.parley.envelope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.regex.Pattern;

import io.parley.identity.Sha256;

/**
 * The one rule for case ids: an id commits to the party that opens the case, so no other member can open "the same"
 * case. Every envelope field is its sender's choice, including {@code case} and {@code created}; without this, a
 * member could send its own opening carrying another member's case id, dated earlier, and become that case's opener.
 *
 * <p>Shape: {@code case-<yyyy>-<10 hex random>-<8 hex tag>}, lowercase, where tag is the first 8 hex digits of
 * SHA-256(opener origin, 0x0A, the id up to its last dash). The tag is no secret and no signature (the opening
 * envelope's signature is what proves who opened): it only lets anyone check that an id belongs to the sender of an
 * opening that carries it. Another party would need its own origin to hash to the same 32-bit tag over the prefix the
 * opener picked at random, which it cannot steer (one chance in 2^32, and no second try: its origin is fixed by its
 * membership). The year keeps ids readable; 40 random bits keep one opener's ids apart (a collision needs about 2^20
 * cases of one opener in one year, and would only merge that opener's own cases). Origins are DNS names, so the 0x0A
 * separator cannot occur inside one.
 */
public final class CaseIds {
    private static final Pattern SHAPE = Pattern.compile("case-[0-9]{4}-[0-9a-f]{10}-[0-9a-f]{8}");
    private static final int RANDOM_BYTES = 5;
    private static final int TAG_BYTES = 4;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private CaseIds() {}

    /** A fresh id for a case {@code origin} opens at {@code now}. */
    public static String newId(String origin, Instant now) {
        byte[] r = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(r);
        String prefix = "case-" + String.format("%04d", now.atZone(ZoneOffset.UTC).getYear() % 10_000) + "-" + HEX.formatHex(r);
        return prefix + "-" + tag(origin, prefix);
    }

    /** Whether {@code id} has the case-id shape and was made for a case opened by {@code origin}. */
    public static boolean boundTo(String id, String origin) {
        if (id == null || origin == null || !SHAPE.matcher(id).matches()) return false;
        int dash = id.lastIndexOf('-');
        return MessageDigest.isEqual(tag(origin, id.substring(0, dash)).getBytes(StandardCharsets.US_ASCII),
                id.substring(dash + 1).getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether an envelope of this kind opens a case (and so must carry an id bound to its sender, if any). */
    public static boolean opens(Kind kind) {
        return kind == Kind.NOTIFY || kind == Kind.REQUEST || kind == Kind.PING;
    }

    private static String tag(String origin, String prefix) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(origin.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x0A);
        sha.update(prefix.getBytes(StandardCharsets.US_ASCII));
        return HEX.formatHex(sha.digest(), 0, TAG_BYTES);
    }
}
