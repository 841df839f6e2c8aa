package io.parley.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 8785 conformance for {@link Jcs}. Expected outputs are the RFC's own where it has them (the §3.2.2 sample,
 * the §3.2.3 sort example, the Appendix B number table); the properties at the end check every other double against
 * an independent, deliberately slow reference implementation of ECMAScript's Number::toString.
 */
class JcsTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // ------------------------------------------------------------------------------------------ RFC 8785 samples

    /** The sample input of RFC 8785 §3.2.2, as JSON text (Java needs every JSON backslash doubled). */
    private static final String RFC_SAMPLE_INPUT = "{\n"
            + "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
            + "              2e-3, 0.000000000000000000000000001],\n"
            + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
            + "  \"literals\": [null, true, false]\n"
            + "}";

    /** Its canonical form, RFC 8785 §3.2.3 (the euro sign is a literal character, the rest JSON escapes). */
    private static final String RFC_SAMPLE_OUTPUT = "{\"literals\":[null,true,false],"
            + "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

    /** The same as UTF-8 bytes, RFC 8785 §3.2.4. */
    private static final String RFC_SAMPLE_UTF8_HEX = "7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c"
            + "226e756d62657273223a5b3333333333333333332e333333333333332c31652b33302c342e352c302e3030322c31652d32375d2c"
            + "22737472696e67223a22e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d";

    @Test
    void rfcSampleCanonicalizesToTheRfcString() {
        assertEquals(RFC_SAMPLE_OUTPUT, Jcs.canonicalString(Jcs.parse(RFC_SAMPLE_INPUT)));
    }

    @Test
    void rfcSampleCanonicalizesToTheRfcBytes() {
        assertEquals(RFC_SAMPLE_UTF8_HEX, HexFormat.of().formatHex(Jcs.canonicalize(RFC_SAMPLE_INPUT)));
    }

    @Test
    void rfcSampleGivesTheSameBytesWhenJacksonReadsNumbersAsDoubles() throws Exception {
        // A plain ObjectMapper makes DoubleNodes where our reader makes DecimalNodes; the bytes must not care.
        JsonNode viaDoubles = new ObjectMapper().readTree(RFC_SAMPLE_INPUT);
        assertArrayEquals(Jcs.canonicalize(RFC_SAMPLE_INPUT), Jcs.canonicalize(viaDoubles));
    }

    /** RFC 8785 §3.2.3: property names sort by UTF-16 code units. */
    @Test
    void rfcSortingExample() {
        String input = "{\n"
                + "  \"\\u20ac\": \"Euro Sign\",\n"
                + "  \"\\r\": \"Carriage Return\",\n"
                + "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
                + "  \"1\": \"One\",\n"
                + "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
                + "  \"\\u0080\": \"Control\",\n"
                + "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
                + "}";
        String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        assertEquals(expected, new String(Jcs.canonicalize(input), StandardCharsets.UTF_8));
    }

    @Test
    void sortsByUtf16CodeUnitsNotByCodePoints() {
        // Not from the RFC: U+0443 (CYRILLIC SMALL LETTER U) and U+E000 (private use) added to the RFC's keys.
        // U+1F600 is the pair D83D DE00, so it sorts before U+E000 and U+FB33 although its code point is larger.
        ObjectNode node = NODES.objectNode();
        for (String key : List.of("\ufb33", "\ue000", "\ud83d\ude00", "\u20ac", "\u0443", "\u00f6", "\u0080", "1",
                "\r")) {
            node.put(key, 0);
        }
        List<String> expectedOrder =
                List.of("\r", "1", "\u0080", "\u00f6", "\u0443", "\u20ac", "\ud83d\ude00", "\ue000", "\ufb33");
        assertEquals(expectedOrder, namesInOrder(Jcs.canonicalString(node)));
    }

    @Test
    void sortingIgnoresLocaleAndPrefixesComeFirst() {
        // canon-json's "french" test data: locale collation would put péché before pêche and both after peach.
        String input = "{\"peach\":1,\"p\\u00e9ch\\u00e9\":2,\"p\\u00eache\":3,\"sin\":4,\"pe\":5,\"\":6}";
        assertEquals(List.of("", "pe", "peach", "p\u00e9ch\u00e9", "p\u00eache", "sin"),
                namesInOrder(new String(Jcs.canonicalize(input), StandardCharsets.UTF_8)));
    }

    /** RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2",
    })
    void appendixBNumbers(String bits, String expected) {
        double x = fromBits(bits);
        assertEquals(expected, Jcs.canonicalString(DoubleNode.valueOf(x)));
        // Canonical text reads back to the same canonical text, integers beyond 2^53 included.
        assertEquals(expected, new String(Jcs.canonicalize(expected), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7fffffffffffffff", "7ff8000000000000", "7ff0000000000000", "fff0000000000000"})
    void appendixBNaNAndInfinityAreRejected(String bits) {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(DoubleNode.valueOf(fromBits(bits))));
    }

    @Test
    void floatNaNAndInfinityAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(FloatNode.valueOf(Float.NaN)));
        assertThrows(IllegalArgumentException.class,
                () -> Jcs.canonicalize(FloatNode.valueOf(Float.NEGATIVE_INFINITY)));
    }

    // ------------------------------------------------------------------------------------------------- numbers

    /** ECMAScript layout around each switch-over point, checked against node's String(x). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1, 1",
        "-1, -1",
        "1.5, 1.5",
        "100, 100",
        "0.1, 0.1",
        "123456789012, 123456789012",
        "1e20, 100000000000000000000",
        "1.2e21, 1.2e+21",
        "1e21, 1e+21",
        "0.000001, 0.000001",
        "0.0000012345, 0.0000012345",
        "1e-7, 1e-7",
        "1.2345e-7, 1.2345e-7",
        "123e-20, 1.23e-18",
        "1e308, 1e+308",
        "-0.0, 0",
        "5e-324, 5e-324",
    })
    void ecmascriptLayout(String javaLiteral, String expected) {
        assertEquals(expected, Jcs.formatDouble(Double.parseDouble(javaLiteral)));
    }

    /**
     * Where Double.toString gives two digits but one suffices (its "length 1 or 2" rule); all in the lowest
     * subnormals. Expected values are node's String(x) for these bit patterns.
     */
    @ParameterizedTest(name = "{0} -> {1} (JDK: {2})")
    @CsvSource({
        "0000000000000001, 5e-324, 4.9E-324",
        "0000000000000002, 1e-323, 9.9E-324",
        "000000000000000a, 5e-323, 4.9E-323",
        "000000000000000c, 6e-323, 5.9E-323",
        "000000000000000e, 7e-323, 6.9E-323",
        "0000000000000010, 8e-323, 7.9E-323",
        "0000000000000012, 9e-323, 8.9E-323",
        "0000000000000014, 1e-322, 9.9E-323",
        "0000000000000003, 1.5e-323, 1.5E-323",
    })
    void jdkTwoDigitOutputIsShortenedWhereEcmascriptUsesOne(String bits, String expected, String jdk) {
        double x = fromBits(bits);
        assertEquals(jdk, Double.toString(x)); // documents the JDK behaviour this code compensates for
        assertEquals(expected, Jcs.formatDouble(x));
    }

    @Test
    void lowestSubnormalsMatchTheReference() {
        for (long bits = 1; bits <= 20_000; bits++) {
            double x = Double.longBitsToDouble(bits);
            assertEquals(referenceNumberToString(x), Jcs.formatDouble(x), () -> Double.toString(x));
        }
    }

    @Test
    void floatNodesAreWidenedToDouble() {
        // 1.1f is not 1.1: JCS only knows doubles, and this is the double the float holds.
        assertEquals("1.100000023841858", Jcs.canonicalString(FloatNode.valueOf(1.1f)));
        assertEquals("0.5", Jcs.canonicalString(FloatNode.valueOf(0.5f)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "-0, 0",
        "-0.0, 0",
        "0e10, 0",
        "1.0, 1",
        "1E2, 100",
        "4.50, 4.5",
        "0.1e1, 1",
        "9007199254740993.0, 9007199254740992", // a fraction token is a double, rounding included (RFC 8785)
        "1e-7, 1e-7",
    })
    void numberTokensCanonicalize(String token, String expected) {
        assertEquals(expected, new String(Jcs.canonicalize(token), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "9007199254740992", "-9007199254740992", "9007199254740991", "0", "-1",
        "295147905179352830000", "999999999999999900000", "100000000000000000000", "9007199254740994",
    })
    void integerTokensThatJcsReproducesAreAccepted(String token) {
        assertEquals(token, new String(Jcs.canonicalize(token), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "9007199254740993", // 2^53 + 1: a double would silently make it ...992
        "-9007199254740993",
        "9223372036854775807", // Long.MAX_VALUE
        "295147905179352825856", // 2^68 exactly; JCS would write 295147905179352830000
        "1000000000000000000000", // 1e21: JCS would write 1e+21
    })
    void integerTokensThatJcsWouldChangeAreRejected(String token) {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(token));
    }

    @Test
    void integerTooLargeForAnyDoubleIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize("1" + "0".repeat(400)));
    }

    @Test
    void integerNodesFollowTheSameRuleAsTokens() {
        assertEquals("9007199254740992", Jcs.canonicalString(LongNode.valueOf(1L << 53)));
        assertEquals("-9007199254740992", Jcs.canonicalString(LongNode.valueOf(-(1L << 53))));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(LongNode.valueOf((1L << 53) + 1)));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(LongNode.valueOf(Long.MIN_VALUE)));
        // 2^60 is a double, but JCS writes it as 1152921504606847000, so the exact integer is refused.
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(LongNode.valueOf(1L << 60)));
        BigInteger twoTo68 = BigInteger.TWO.pow(68);
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(BigIntegerNode.valueOf(twoTo68)));
        assertEquals("295147905179352830000",
                Jcs.canonicalString(BigIntegerNode.valueOf(new BigInteger("295147905179352830000"))));
    }

    @Test
    void decimalNodesAreDoubles() {
        assertEquals("0.1", Jcs.canonicalString(DecimalNode.valueOf(new BigDecimal("0.10"))));
        assertEquals("9007199254740992", Jcs.canonicalString(DecimalNode.valueOf(new BigDecimal("9007199254740993"))));
        assertEquals("1.7976931348623157e+308",
                Jcs.canonicalString(DecimalNode.valueOf(new BigDecimal("1.7976931348623157e308"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1e-400", "-2.5e-330", "1E999999999", "1.8e308"})
    void numbersOutsideTheDoubleRangeAreRejected(String token) {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(token));
        assertThrows(IllegalArgumentException.class,
                () -> Jcs.canonicalize(DecimalNode.valueOf(new BigDecimal(token))));
    }

    // ------------------------------------------------------------------------------------------------- strings

    @Test
    void controlCharactersUseShortEscapesOrLowercaseHex() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        String expected = "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
                + "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a"
                + "\\u001b\\u001c\\u001d\\u001e\\u001f\"";
        assertEquals(expected, Jcs.canonicalString(TextNode.valueOf(all.toString())));
    }

    @Test
    void onlyQuoteAndBackslashAreEscapedAmongPrintables() {
        assertEquals("\"a\\\"b\\\\c/d<e>f&g'h\"", Jcs.canonicalString(TextNode.valueOf("a\"b\\c/d<e>f&g'h")));
    }

    @Test
    void deleteAndLineSeparatorsStayLiteral() {
        String s = "\u007f\u2028\u2029\u00a0\ufeff";
        assertEquals("\"" + s + "\"", Jcs.canonicalString(TextNode.valueOf(s)));
        assertEquals("22" + "7f" + "e280a8" + "e280a9" + "c2a0" + "efbbbf" + "22",
                HexFormat.of().formatHex(Jcs.canonicalize(TextNode.valueOf(s))));
    }

    @Test
    void nonBmpCharactersAreLiteralUtf8() {
        byte[] bytes = Jcs.canonicalize("\"\\ud83d\\ude00\"");
        assertEquals("22f09f988022", HexFormat.of().formatHex(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ud800", "\udc00", "a\ud83db", "\ude00\ud83d", "x\ud83d"})
    void loneSurrogatesAreRejected(String s) {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(TextNode.valueOf(s)));
        ObjectNode asKey = NODES.objectNode();
        asKey.put(s, 1);
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(asKey));
    }

    @Test
    void loneSurrogateEscapesInJsonTextAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize("\"\\ud800\""));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize("{\"\\udfff\":1}"));
    }

    // ----------------------------------------------------------------------------------------------- structure

    @Test
    void whitespaceIsRemovedAndNestingKeepsArrayOrder() {
        String input = " {\n\t\"b\" : [ 3 , 1 , { \"z\" : null , \"a\" : [ ] } , [ [ ] , { } ] ] ,\r\n \"a\" : { } } ";
        assertEquals("{\"a\":{},\"b\":[3,1,{\"a\":[],\"z\":null},[[],{}]]}",
                new String(Jcs.canonicalize(input), StandardCharsets.UTF_8));
    }

    @Test
    void rfcArraysTestData() {
        // The "arrays" case of the RFC 8785 reference test data.
        String input = "[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]";
        assertEquals("[56,{\"1\":[],\"10\":null,\"d\":true}]",
                new String(Jcs.canonicalize(input), StandardCharsets.UTF_8));
    }

    @Test
    void topLevelScalarsAreValues() {
        assertEquals("null", Jcs.canonicalString(Jcs.parse(" null ")));
        assertEquals("true", Jcs.canonicalString(Jcs.parse("true")));
        assertEquals("\"x\"", Jcs.canonicalString(Jcs.parse("\"x\"")));
        assertEquals("-12", Jcs.canonicalString(Jcs.parse("-12")));
    }

    @Test
    void deepNestingIsSortedAtEveryLevel() {
        String input = "{\"z\":{\"y\":{\"b\":[{\"d\":1,\"c\":2}],\"a\":0}},\"a\":[{\"k\":{\"j\":1,\"i\":2}}]}";
        assertEquals("{\"a\":[{\"k\":{\"i\":2,\"j\":1}}],\"z\":{\"y\":{\"a\":0,\"b\":[{\"c\":2,\"d\":1}]}}}",
                new String(Jcs.canonicalize(input), StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------- parsing

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"\\u0061\":2}", // the same name once decoded
        "{\"x\":{\"a\":1,\"b\":2,\"a\":1}}",
        "[{\"a\":1},{\"b\":1,\"b\":1}]",
    })
    void duplicateNamesAreRejected(String input) {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(input));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "{", "{} {}", "[1,]", "{'a':1}", "NaN", "Infinity", "01", "[1] x",
        "\"tab\there\"", "// c\n1", "+1", ".5"})
    void malformedJsonIsRejected(String input) {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(input));
    }

    @Test
    void nodesWithoutAJsonSpellingAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(BinaryNode.valueOf(new byte[] {1})));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(new POJONode(new Object())));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(MissingNode.getInstance()));
        ArrayNode nested = NODES.arrayNode().add(NODES.objectNode().set("b", BinaryNode.valueOf(new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> Jcs.canonicalize(nested));
    }

    // ---------------------------------------------------------------------------------------------- properties

    /** Every finite double, uniformly over bit patterns: all exponents and subnormals get their share. */
    @Provide
    Arbitrary<Double> anyFiniteDouble() {
        return Arbitraries.longs()
                .withDistribution(RandomDistribution.uniform())
                .map(Double::longBitsToDouble)
                .filter(Double::isFinite);
    }

    /** jqwik's own doubles lean towards short decimals such as 0.1 and 12.5, which the bit patterns rarely hit. */
    @Provide
    Arbitrary<Double> shortDecimalDouble() {
        return Arbitraries.doubles().ofScale(6).between(-1e12, 1e12);
    }

    @Property(tries = 5000)
    void numberTextReadsBackAsTheSameDouble(@ForAll("anyFiniteDouble") double x) {
        String text = Jcs.formatDouble(x);
        assertEquals(x == 0 ? 0.0 : x, Double.parseDouble(text), text);
    }

    @Property(tries = 3000)
    void canonicalNumberTextIsAFixedPoint(@ForAll("anyFiniteDouble") double x) {
        // canonicalize(parse(canonicalString(x))) == canonicalString(x), bare and inside containers.
        assertFixedPoint(DoubleNode.valueOf(x));
        assertFixedPoint(NODES.arrayNode().add(x).add(NODES.objectNode().put("n", -x)));
    }

    @Property(tries = 2000)
    void shortDecimalsAreAFixedPoint(@ForAll("shortDecimalDouble") double x) {
        assertFixedPoint(DoubleNode.valueOf(x));
    }

    @Property(tries = 3000)
    void numberTextMatchesTheReference(@ForAll("anyFiniteDouble") double x) {
        assertEquals(referenceNumberToString(x), Jcs.formatDouble(x));
    }

    @Property(tries = 2000)
    void shortDecimalsMatchTheReference(@ForAll("shortDecimalDouble") double x) {
        assertEquals(referenceNumberToString(x), Jcs.formatDouble(x));
    }

    /** Strings of valid Unicode (no lone surrogates) from all planes. */
    @Provide
    Arbitrary<String> unicodeText() {
        Arbitrary<Integer> ascii = Arbitraries.integers().between(0, 0x7f);
        Arbitrary<Integer> bmp =
                Arbitraries.integers().between(0x80, 0xffff).filter(c -> !Character.isSurrogate((char) (int) c));
        Arbitrary<Integer> astral = Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT);
        return Arbitraries.oneOf(ascii, bmp, astral).list().ofMaxSize(12).map(JcsTest::fromCodePoints);
    }

    @Property(tries = 2000)
    void stringsSurviveCanonicalizationAndAreAFixedPoint(@ForAll("unicodeText") String s) {
        String canonical = Jcs.canonicalString(TextNode.valueOf(s));
        assertEquals(s, Jcs.parse(canonical).textValue());
        assertFixedPoint(TextNode.valueOf(s));
    }

    @Property(tries = 1000)
    void membersComeOutInUtf16CodeUnitOrder(@ForAll List<@From("unicodeText") String> names) {
        ObjectNode node = NODES.objectNode();
        for (String name : names) {
            node.put(name, name.length());
        }
        List<String> expected = new ArrayList<>(node.properties().stream().map(Map.Entry::getKey).toList());
        expected.sort(JcsTest::compareCodeUnits);
        assertEquals(expected, namesInOrder(Jcs.canonicalString(node)));
        assertFixedPoint(node);
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private static void assertFixedPoint(JsonNode node) {
        String canonical = Jcs.canonicalString(node);
        assertEquals(canonical, new String(Jcs.canonicalize(canonical), StandardCharsets.UTF_8));
    }

    private static double fromBits(String hex) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(hex, 16));
    }

    private static List<String> namesInOrder(String canonicalObject) {
        List<String> names = new ArrayList<>();
        Jcs.parse(canonicalObject).properties().forEach(e -> names.add(e.getKey()));
        return names;
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder sb = new StringBuilder();
        codePoints.forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /** RFC 8785 §3.2.3 spelled out, independently of String.compareTo. */
    private static int compareCodeUnits(String a, String b) {
        char[] x = a.toCharArray();
        char[] y = b.toCharArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /**
     * ECMAScript Number::toString by brute force, sharing no code with {@link Jcs}: for k = 1, 2, ... take the two
     * k-digit decimals around x, keep those that Double.parseDouble reads back as x, and pick the closer (ties to
     * the even digit). Then plain notation when -6 &lt; n &lt;= 21, else d.ddd e&plusmn;x.
     */
    static String referenceNumberToString(double x) {
        if (x == 0) {
            return "0";
        }
        if (x < 0) {
            return "-" + referenceNumberToString(-x);
        }
        BigDecimal exact = new BigDecimal(x);
        for (int k = 1; k <= 17; k++) {
            BigDecimal below = exact.round(new MathContext(k, RoundingMode.FLOOR)).stripTrailingZeros();
            BigDecimal above = exact.round(new MathContext(k, RoundingMode.CEILING)).stripTrailingZeros();
            boolean belowOk = Double.parseDouble(below.toString()) == x;
            boolean aboveOk = Double.parseDouble(above.toString()) == x;
            if (belowOk && aboveOk) {
                return referenceLayout(closerOrEven(exact, below, above));
            }
            if (belowOk || aboveOk) {
                return referenceLayout(belowOk ? below : above);
            }
        }
        throw new AssertionError("17 digits always suffice for " + x);
    }

    private static BigDecimal closerOrEven(BigDecimal exact, BigDecimal a, BigDecimal b) {
        int cmp = a.subtract(exact).abs().compareTo(b.subtract(exact).abs());
        if (cmp != 0) {
            return cmp < 0 ? a : b;
        }
        return a.unscaledValue().testBit(0) ? b : a;
    }

    private static String referenceLayout(BigDecimal d) {
        int n = d.precision() - d.scale(); // d = 0.digits x 10^n
        if (-6 < n && n <= 21) {
            return d.toPlainString();
        }
        String digits = d.unscaledValue().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        int e = n - 1;
        return mantissa + "e" + (e < 0 ? "-" : "+") + Math.abs(e);
    }
}
