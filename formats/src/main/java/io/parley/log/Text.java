package io.parley.log;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Strict lexical rules shared by the C2SP text formats: canonical base64 and decimals, UTF-8, names. */
final class Text {
    private Text() {}

    private static final Base64.Encoder B64 = Base64.getEncoder();

    static String base64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    /**
     * Standard padded base64 (RFC 4648 §4) in its one canonical spelling, or null. Java's decoder alone would also
     * accept missing padding and non-zero trailing bits, giving one value several encodings.
     */
    static byte[] decodeBase64(String s) {
        return io.parley.identity.CanonicalBase64.decode(s);
    }

    /** A canonical base64 SHA-256 hash, or a {@link FormatException} naming {@code what}. */
    static byte[] decodeHash(String s, String what) throws FormatException {
        byte[] h = decodeBase64(s);
        if (h == null || h.length != Rfc6962.HASH_SIZE) {
            throw new FormatException(what + " is not a base64-encoded 32-byte hash: '" + abbreviate(s) + "'");
        }
        return h;
    }

    /** A non-negative ASCII decimal with no leading zeros (except "0") that fits a long, or -1. */
    static long parseDecimal(String s) {
        if (s.isEmpty() || s.length() > 19 || (s.length() > 1 && s.charAt(0) == '0')) return -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Strict UTF-8 decoding: malformed or overlong sequences and encoded surrogates are errors. */
    static String utf8(byte[] bytes, String what) throws FormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(what + " is not valid UTF-8");
        }
    }

    /** Whether the string is well-formed UTF-16 (no lone surrogates), so it survives a UTF-8 round trip unchanged. */
    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) return false;
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** signed-note: no ASCII control characters (below U+0020) other than newline. */
    static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n') return i;
        }
        return -1;
    }

    /** A line of a text format: well-formed, no control characters and no newline. */
    static boolean isLine(String s) {
        return s != null && firstControl(s) < 0 && s.indexOf('\n') < 0 && wellFormed(s);
    }

    /**
     * signed-note key names: non-empty, no Unicode spaces, no '+'. Control characters are excluded too (a name is
     * part of a note, which may not contain them). Stricter than {@code identity.KeyNames}, which lets no-break
     * spaces such as U+00A0 through.
     */
    static boolean isKeyName(String name) {
        if (name == null || name.isEmpty() || !wellFormed(name)) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
