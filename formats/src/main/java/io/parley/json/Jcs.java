package io.parley.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON Canonicalization Scheme (JCS) of
 * <a href="https://www.rfc-editor.org/rfc/rfc8785">RFC 8785</a>: one exact byte sequence for every JSON value.
 *
 * <h2>Why our own</h2>
 * Every Parley signature and envelope id is computed over these bytes, and a peer written in another language
 * computes them independently. A single differing byte (a key order, an escape, one digit of a number) breaks
 * verification, so the rules below are ours to own and to test, rather than an emergent property of a serializer's
 * configuration that could drift with a dependency update.
 *
 * <h2>What it does (RFC 8785 §3.2)</h2>
 * <ul>
 *   <li>No whitespace between tokens (§3.2.1).
 *   <li>Literals {@code null}, {@code true}, {@code false} as is (§3.2.2.1).
 *   <li>Strings (§3.2.2.2): only {@code \"}, {@code \\}, {@code \b}, {@code \f}, {@code \n}, {@code \r}, {@code \t}
 *       and {@code \}{@code u00xx} (lowercase hex) for the other controls below U+0020 are escaped; every other
 *       character, U+007F, U+2028/U+2029 and characters outside the BMP included, is written literally in UTF-8.
 *       A lone surrogate has no UTF-8 form and is rejected.
 *   <li>Numbers (§3.2.2.3) are IEEE-754 doubles written as ECMAScript's {@code Number.prototype.toString} writes them:
 *       {@code -0} becomes {@code 0}; plain notation for 1e-6 &le; |x| &lt; 1e21, otherwise {@code 1e+21} or
 *       {@code 1.5e-7} style; always the shortest digits that read back as the same double. NaN and the infinities
 *       are rejected.
 *   <li>Object members are sorted by name, comparing names as arrays of UTF-16 code units (§3.2.3); array order is
 *       kept. Output is UTF-8 (§3.2.4).
 * </ul>
 *
 * <h2>Where the digits come from</h2>
 * On JDK 19 and later (JDK-4511638, Raffaello Giulietti's algorithm; this project targets 21) {@link Double#toString}
 * is specified to pick, among the decimals that round to the double, one of minimal length <i>p</i>, the closest to
 * the double, ties to the even significand; that is exactly ECMAScript's choice of <i>k</i> and <i>s</i> (ES2015
 * §7.1.12.1 step 5, with the closest-then-even tie-break of its Note 2, which RFC 8785 relies on). There is one
 * documented exception: when <i>p</i> = 1, the JDK considers decimals of length 1 <em>or 2</em> and may return a
 * two-digit one because it is closer ({@code 4.9E-324} for the smallest subnormal, where ECMAScript says
 * {@code 5e-324}). So whenever the JDK gives two digits we also try the two one-digit neighbours and take the closer
 * one that reads back as the same double. Only the digits are taken from the JDK; the layout (where the point goes,
 * when to switch to an exponent) is ECMAScript's and done here.
 *
 * <h2>Integers (our I-JSON decision)</h2>
 * I-JSON (RFC 7493 §2.2) and RFC 8785 §3.2.2.3 treat every number as a double, so an integer such as
 * {@code 9007199254740993} (2^53 + 1) would silently become {@code 9007199254740992}. A signer that thinks it signed
 * the first number but actually signed the second is a bug we refuse to hide: an integer (an integral JSON token,
 * or a Jackson int, long or BigInteger node) is accepted only if canonicalization reproduces it digit for digit. That
 * holds for every integer with |n| &le; 2^53 and, beyond that, only for integers that already are the canonical form
 * of a double (for example {@code 295147905179352830000}, which is what JCS itself writes for 2^68). Anything else
 * throws {@link IllegalArgumentException}. The second half keeps canonical output re-parseable by
 * {@link #canonicalize(String)}; without it a double such as 1e20 would canonicalize to text we then refuse.
 * Fractional or exponent tokens and {@link BigDecimal} nodes are floating point by nature and round to the nearest
 * double as RFC 8785 prescribes, except that a value whose magnitude a double cannot hold at all (it would become
 * infinite, or a non-zero value would become zero) is rejected.
 *
 * <p>All methods are thread-safe and throw {@link IllegalArgumentException} for input that has no canonical form.
 */
public final class Jcs {
    /** 2^53: every integer of at most this magnitude is exactly a double. */
    private static final long MAX_EXACT_INTEGER = 1L << 53;

    private static final char[] LOWER_HEX = "0123456789abcdef".toCharArray();

    /**
     * Reads JSON for canonicalization. Duplicate names are an error because "which one wins" differs between parsers
     * (RFC 8785 §3.1 requires I-JSON, which forbids them). Fractions and exponents are kept as BigDecimal so we, not
     * the parser, decide what happens on overflow and underflow; integers keep their exact value so the integer rule
     * in the class comment can be checked.
     */
    private static final ObjectMapper STRICT_READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION) // = JsonParser.Feature.STRICT_DUPLICATE_DETECTION
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        STRICT_READER.getFactory().setStreamReadConstraints(Json.CONSTRAINTS);
    }

    private Jcs() {}

    /** The canonical form of {@code node}, as the UTF-8 bytes that get hashed and signed. */
    public static byte[] canonicalize(JsonNode node) {
        // Safe: writeString has already rejected lone surrogates, the only thing UTF-8 cannot encode.
        return canonicalString(node).getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical form of {@code node} as a Java string (UTF-16; encode as UTF-8 before hashing). */
    public static String canonicalString(JsonNode node) {
        Objects.requireNonNull(node, "node");
        StringBuilder out = new StringBuilder(128);
        writeValue(node, out);
        return out.toString();
    }

    /** Parses {@code jsonText} strictly (see {@link #parse(String)}) and returns its canonical UTF-8 bytes. */
    public static byte[] canonicalize(String jsonText) {
        return canonicalize(parse(jsonText));
    }

    /**
     * Parses one JSON text the way {@link #canonicalize(String)} does: duplicate object names, trailing content and
     * empty input are rejected; fractional and exponent numbers become BigDecimal nodes, integers exact integer nodes.
     */
    public static JsonNode parse(String jsonText) {
        Objects.requireNonNull(jsonText, "jsonText");
        JsonNode node;
        try {
            node = STRICT_READER.readTree(jsonText);
        } catch (JsonProcessingException e) {
            throw new JcsException("not valid JSON for JCS: " + e.getOriginalMessage(), e);
        } catch (NumberFormatException e) {
            // Jackson reads a float token as BigDecimal only when asked, and then throws this unwrapped for a number
            // BigDecimal cannot hold (an exponent beyond an int, e.g. 1E16666666666661): malformed input all the same.
            throw new JcsException("not valid JSON for JCS: " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new JcsException("not valid JSON for JCS: no value");
        }
        return node;
    }

    // ---------------------------------------------------------------------------------------------- structure

    private static void writeValue(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> writeArray(node, out);
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> out.append(numberText(node));
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            // Binary, POJO and missing nodes are Jackson conveniences with no single JSON spelling.
            default -> throw new JcsException("no JSON form for a " + node.getNodeType() + " node");
        }
    }

    private static void writeArray(JsonNode array, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < array.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeValue(array.get(i), out);
        }
        out.append(']');
    }

    private static void writeObject(JsonNode object, StringBuilder out) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(object.properties());
        // String.compareTo compares char by char, and a Java char is a UTF-16 code unit: exactly the order
        // RFC 8785 §3.2.3 prescribes (not code point order, not UTF-8 byte order, not locale collation).
        members.sort(Map.Entry.comparingByKey());
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> member : members) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(member.getKey(), out);
            out.append(':');
            writeValue(member.getValue(), out);
        }
        out.append('}');
    }

    // ------------------------------------------------------------------------------------------------ strings

    /** RFC 8785 §3.2.2.2, which is ECMAScript's JSON.stringify string rule plus "no lone surrogates". */
    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                i = appendSurrogatePair(s, i, out);
            } else {
                appendChar(c, out);
            }
        }
        out.append('"');
    }

    private static void appendChar(char c, StringBuilder out) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\b' -> out.append("\\b");
            case '\f' -> out.append("\\f");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c < 0x20) {
                    out.append("\\u00").append(LOWER_HEX[c >> 4]).append(LOWER_HEX[c & 0xF]);
                } else {
                    out.append(c); // includes U+007F, U+2028 and U+2029: RFC 8785 escapes nothing else
                }
            }
        }
    }

    /** Appends the pair starting at {@code s[i]} and returns the index of its low half; rejects lone halves. */
    private static int appendSurrogatePair(String s, int i, StringBuilder out) {
        char high = s.charAt(i);
        if (Character.isHighSurrogate(high) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(high).append(s.charAt(i + 1));
            return i + 1;
        }
        // A lone surrogate cannot be encoded in UTF-8; String.getBytes would silently write '?' instead.
        throw new JcsException(String.format(
                "lone surrogate U+%04X at index %d has no UTF-8 form (RFC 8785 §3.2.2.2)", (int) high, i));
    }

    // ------------------------------------------------------------------------------------------------ numbers

    private static String numberText(JsonNode node) {
        return switch (node.numberType()) {
            case INT, LONG -> integerText(node.longValue());
            case BIG_INTEGER -> integerText(node.bigIntegerValue());
            case BIG_DECIMAL -> decimalText(node.decimalValue());
            case FLOAT, DOUBLE -> formatDouble(node.doubleValue());
        };
    }

    private static String integerText(long value) {
        if (-MAX_EXACT_INTEGER <= value && value <= MAX_EXACT_INTEGER) {
            // Exact as a double and below 1e21, so ECMAScript prints exactly these decimal digits.
            return Long.toString(value);
        }
        return integerText(BigInteger.valueOf(value));
    }

    /** See "Integers" in the class comment: accepted only if canonicalization reproduces it digit for digit. */
    private static String integerText(BigInteger value) {
        double nearest = value.doubleValue(); // correctly rounded (ties to even), or infinite
        if (Double.isInfinite(nearest)) {
            throw new JcsException("integer too large for an IEEE-754 double: " + abbreviate(value));
        }
        String canonical = formatDouble(nearest);
        if (!canonical.equals(value.toString())) {
            throw new JcsException("integer " + abbreviate(value)
                    + " is not exactly an IEEE-754 double (I-JSON allows |n| <= 2^53); JCS would change it to "
                    + canonical);
        }
        return canonical;
    }

    private static String decimalText(BigDecimal value) {
        // Double.parseDouble is specified to round correctly (to nearest, ties to even); BigDecimal.toString keeps
        // large exponents in E notation, so this stays cheap for 1E-999999999 too.
        double nearest = Double.parseDouble(value.toString());
        if (Double.isInfinite(nearest)) {
            throw new JcsException("number too large for an IEEE-754 double: " + abbreviate(value));
        }
        if (nearest == 0 && value.signum() != 0) {
            throw new JcsException("number too small for an IEEE-754 double: " + abbreviate(value));
        }
        return formatDouble(nearest);
    }

    private static String abbreviate(Number n) {
        String s = n.toString();
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /**
     * ECMAScript {@code Number.prototype.toString(x)} for finite {@code x} (ES2015 §7.1.12.1, RFC 8785 §3.2.2.3).
     *
     * @throws IllegalArgumentException for NaN and the infinities, which JSON cannot express
     */
    static String formatDouble(double x) {
        if (!Double.isFinite(x)) {
            throw new JcsException(x + " has no JSON form (RFC 8785 §3.2.2.3)");
        }
        if (x == 0) {
            return "0"; // both +0 and -0
        }
        if (x < 0) {
            return "-" + layout(shortestDecimal(-x));
        }
        return layout(shortestDecimal(x));
    }

    /**
     * A positive decimal 0.{@code digits} &times; 10^{@code point}: {@code digits} has no leading or trailing zero.
     * With k = digits.length() and n = point this is ECMAScript's "s, k, n" (value = s &times; 10^(n-k)).
     */
    record Decimal(String digits, int point) {}

    /** ECMAScript's choice of digits for positive finite {@code x}; see "Where the digits come from". */
    static Decimal shortestDecimal(double x) {
        Decimal jdk = parseJdkString(Double.toString(x));
        if (jdk.digits().length() == 2) {
            Decimal one = closestOneDigit(x, jdk);
            if (one != null) {
                return one;
            }
        }
        return jdk;
    }

    /** Reads {@link Double#toString} output for a positive double: "123.45", "0.001", "1.0E10", "4.9E-324". */
    private static Decimal parseJdkString(String s) {
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        int exponent = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
        int dot = mantissa.indexOf('.'); // always present in the JDK's output
        String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
        int first = 0;
        while (digits.charAt(first) == '0') { // "0.001" and "1.0E10" pad with zeros; x > 0 so a non-zero exists
            first++;
        }
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return new Decimal(digits.substring(first, end), dot + exponent - first);
    }

    /**
     * The one-digit decimal ECMAScript prefers over the JDK's two-digit {@code two}, or null if no one-digit decimal
     * reads back as {@code x}. Any such decimal is one of the two one-digit neighbours of {@code two}: one strictly
     * between {@code two} and {@code x} would be closer to {@code x} than {@code two} and the JDK would have chosen it.
     */
    private static Decimal closestOneDigit(double x, Decimal two) {
        int lead = two.digits().charAt(0) - '0';
        Decimal down = new Decimal(Integer.toString(lead), two.point());
        Decimal up = lead == 9
                ? new Decimal("1", two.point() + 1) // 9.x rounds up to 10, one decade higher
                : new Decimal(Integer.toString(lead + 1), two.point());
        boolean downOk = readsBackAs(down, x);
        boolean upOk = readsBackAs(up, x);
        if (downOk && upOk) {
            return closer(x, down, up);
        }
        return downOk ? down : upOk ? up : null;
    }

    private static boolean readsBackAs(Decimal d, double x) {
        return Double.parseDouble(toBigDecimal(d).toString()) == x;
    }

    /** The one closer to {@code x}; on a tie the even significand, as ECMAScript's note on step 5 asks. */
    private static Decimal closer(double x, Decimal a, Decimal b) {
        BigDecimal exact = new BigDecimal(x);
        int cmp = toBigDecimal(a).subtract(exact).abs().compareTo(toBigDecimal(b).subtract(exact).abs());
        if (cmp != 0) {
            return cmp < 0 ? a : b;
        }
        return (a.digits().charAt(a.digits().length() - 1) - '0') % 2 == 0 ? a : b;
    }

    private static BigDecimal toBigDecimal(Decimal d) {
        // 0.digits × 10^point = digits × 10^(point - k), i.e. unscaled digits with scale k - point.
        return new BigDecimal(new BigInteger(d.digits()), d.digits().length() - d.point());
    }

    /** ES2015 §7.1.12.1 steps 6-10: where the point goes and when to use an exponent. */
    private static String layout(Decimal d) {
        String s = d.digits();
        int k = s.length();
        int n = d.point();
        if (k <= n && n <= 21) {
            return s + "0".repeat(n - k); // integer, written out in full below 1e21
        }
        if (0 < n && n <= 21) {
            return s.substring(0, n) + "." + s.substring(n);
        }
        if (-6 < n && n <= 0) {
            return "0." + "0".repeat(-n) + s; // down to 0.000001
        }
        int exponent = n - 1;
        String mantissa = k == 1 ? s : s.charAt(0) + "." + s.substring(1);
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
    }
}
