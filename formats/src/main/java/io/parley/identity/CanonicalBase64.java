package io.parley.identity;

import java.util.Base64;

/**
 * Standard padded base64 (RFC 4648 §4) in its one canonical spelling. Java's decoder alone also accepts missing
 * padding and non-zero trailing bits, so one value would have several spellings; where the spelling of signed
 * material is hashed, logged or compared (envelope signatures, notes, keys, cards), a second spelling is a second
 * identity for the same signature, which lets anyone who re-encodes a genuine signature frame its signer. Every
 * decode of signed material goes through here: decode, re-encode, and accept only if the text is unchanged.
 */
public final class CanonicalBase64 {
    private static final Base64.Encoder ENCODER = Base64.getEncoder();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private CanonicalBase64() {}

    /** The bytes {@code text} canonically encodes, or null if it is not canonical standard base64 (or is empty). */
    public static byte[] decode(String text) {
        if (text == null || text.isEmpty()) return null;
        byte[] out;
        try {
            out = DECODER.decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return ENCODER.encodeToString(out).equals(text) ? out : null;
    }

    /** Like {@link #decode} but throws {@link IllegalArgumentException} naming {@code what}. */
    public static byte[] decodeOrThrow(String text, String what) {
        byte[] out = decode(text);
        if (out == null) throw new IllegalArgumentException(what + " is not canonical base64 (standard alphabet, padded, zero trailing bits, no whitespace)");
        return out;
    }

    /** The 64 bytes of an Ed25519 signature {@code text} canonically encodes, or null for anything else. */
    public static byte[] signature(String text) {
        byte[] out = decode(text);
        return out != null && out.length == 64 ? out : null;
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }
}
