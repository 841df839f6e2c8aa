package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import io.parley.api.RequestBodies;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.testing.TestNodes;

/**
 * Property tests for the wire (issue 10, "Done means"): random re-encodings of genuine signatures, duplicate keys,
 * odd numbers and strings, oversized and deeply nested inputs, posted unauthenticated to the inbox and the witness
 * endpoint and (authenticated) to evidence upload. Never a 5xx, never an envelope or an equivocation stored that
 * should not be, and the node stays healthy. One network for the whole class; tries are modest.
 */
class HostileInputProperties {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    static Path dir;
    static HostileNetwork net;
    static final List<Envelope> GENUINE = new ArrayList<>();

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("parley-hostile-props");
        net = HostileNetwork.start(dir);
        TestNodes.establish(TestNodes.charter("props", Tlp.AMBER, net.a, net.b, net.evil), net.a, net.b, net.evil);
        for (int i = 0; i < 3; i++) {
            String hash = HostileNetwork.send(net.a, "props", Tlp.GREEN, "genuine " + i + " — ёжик 🦔");
            assertTrue(TestNodes.eventually(10, () -> net.b.node().envelopes().byHash(hash).isPresent()));
            GENUINE.add(net.b.node().envelopes().byHash(hash).orElseThrow().envelope());
        }
    }

    @AfterContainer
    static void stop() throws Exception {
        if (net != null) net.close();
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- re-encodings of genuine signatures ----------------------------------------------------------------------

    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** One way of spelling the same bytes differently (or nearly: a lenient decoder would take it). */
    static String mutate(String s, int kind, int position, int value) {
        int pos = Math.floorMod(position, s.length() + 1);
        return switch (kind) {
            case 0 -> { // non-zero trailing bits in the last digit before the padding
                if (s.isEmpty()) yield "A";
                int last = s.indexOf('=') > 0 ? s.indexOf('=') - 1 : s.length() - 1;
                int bits = 1 + Math.floorMod(value, 3);
                int digit = ALPHABET.indexOf(s.charAt(last));
                yield digit < 0 ? s + "A" : s.substring(0, last) + ALPHABET.charAt(digit ^ bits) + s.substring(last + 1);
            }
            case 1 -> s.replace("=", ""); // padding stripped
            case 2 -> s.endsWith("==") ? s.substring(0, s.length() - 1) : s + "="; // wrong padding
            case 3 -> s.replace('+', '-').replace('/', '_'); // URL-safe alphabet
            case 4 -> s.substring(0, pos) + List.of(" ", "\n", "\r\n", "\t", "\u00a0").get(Math.floorMod(value, 5)) + s.substring(pos); // whitespace
            case 5 -> s.substring(0, pos) + "=" + s.substring(pos); // stray padding
            default -> s.toUpperCase(); // case-folded (also: uppercase hex for prev)
        };
    }

    @Provide
    Arbitrary<ObjectNode> reEncodings() {
        Arbitrary<Integer> which = Arbitraries.integers().between(0, 2);
        Arbitrary<List<int[]>> steps = Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers(), Arbitraries.integers())
                .as((k, p, v) -> new int[] {k, p, v}).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<Boolean> onPrev = Arbitraries.of(false, false, false, true);
        return Combinators.combine(which, steps, onPrev).as((w, st, prev) -> {
            Envelope e = GENUINE.get(w);
            ObjectNode json = e.toJson();
            String field = prev && e.prev() != null ? "prev" : "sig";
            String original = json.path(field).asText();
            String s = original;
            for (int[] step : st) s = mutate(s, step[0], step[1], step[2]);
            if (s.equals(original)) s = mutate(original, 1, 0, 0).equals(original) ? original + " " : mutate(original, 1, 0, 0);
            json.put(field, s);
            return json;
        });
    }

    @Property(tries = 150)
    void aReEncodedGenuineEnvelopeNeverFramesItsSender(@ForAll("reEncodings") ObjectNode variant) throws Exception {
        long before = net.b.node().envelopes().count();
        var res = HostileNetwork.rawPost(net.b, "/federation/v1/inbox", "application/json", Json.write(variant).getBytes(StandardCharsets.UTF_8));
        assertTrue(res.statusCode() >= 400 && res.statusCode() < 500, res.statusCode() + " " + res.body());
        assertEquals(before, net.b.node().envelopes().count(), "a re-encoded copy was stored");
        assertTrue(net.b.node().envelopes().equivocations().isEmpty(), "a re-encoded copy was recorded as equivocation");
        assertTrue(net.b.node().parties().find(net.a.node().origin()).map(p -> p.flaggedReason() == null).orElse(true), "the sender was flagged");
        // the genuine one is still the one held
        for (Envelope g : GENUINE) assertEquals(g.hash(), net.b.node().envelopes().at("props", g.from(), g.seq()).orElseThrow().hash());
    }

    // ---- odd values, duplicate keys, nesting ---------------------------------------------------------------------

    @Provide
    Arbitrary<String> oddValues() {
        Arbitrary<String> fixed = Arbitraries.of("1e400", "-1e400", "1e-400", "-0", "-0.0", "0.0", "1.0", "1E2", "1e+2", "NaN", "-Infinity",
                "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud83d\"", "\"\\ud83d\\ude00\"", "\"\\u0000\"", "9007199254740993", "-9007199254740993",
                "18446744073709551616", "1" + "0".repeat(399), "1" + "0".repeat(401), "0." + "0".repeat(500) + "1", "01", "+1", ".5", "1.", "0x10",
                "true", "null", "[]", "{}");
        Arbitrary<String> bigInts = Arbitraries.bigIntegers().between(BigInteger.TWO.pow(53), BigInteger.TEN.pow(60)).map(b -> (Math.random() < 0.5 ? "-" : "") + b);
        Arbitrary<String> exponents = Arbitraries.integers().between(300, 100_000).map(e -> "1e" + e);
        Arbitrary<String> tiny = Arbitraries.integers().between(320, 100_000).map(e -> "1e-" + e);
        Arbitrary<String> nested = Arbitraries.integers().between(150, 20_000).map(d -> "[".repeat(d) + "]".repeat(d));
        Arbitrary<String> nestedObjects = Arbitraries.integers().between(150, 5_000).map(d -> "{\"a\":".repeat(d) + "1" + "}".repeat(d));
        Arbitrary<String> surrogates = Arbitraries.integers().between(0xD800, 0xDFFF).map(c -> "\"x\\u" + Integer.toHexString(c) + "y\"");
        Arbitrary<String> longStrings = Arbitraries.integers().between(1, 3_000_000).map(n -> "\"" + "é".repeat(n / 2) + "\"");
        return Arbitraries.oneOf(fixed, bigInts, exponents, tiny, nested, nestedObjects, surrogates, longStrings);
    }

    /** An envelope that evil signed, with {@code raw} put in its body (so its signature no longer covers it). */
    static String envelopeWith(String raw, boolean duplicateKey) throws Exception {
        ObjectNode body = Json.object().put("text", "PLACEHOLDER").put("lang", "en");
        Envelope e = HostileNetwork.craft(net.evil, "props", Kind.NOTIFY, null, Tlp.GREEN, body);
        String json = Json.write(e.toJson());
        return duplicateKey ? json.replace("\"text\":\"PLACEHOLDER\"", "\"text\":" + raw + ",\"text\":\"PLACEHOLDER\"")
                : json.replace("\"PLACEHOLDER\"", raw);
    }

    static void assertNo5xx(HttpResponse<String> res, String where) {
        assertTrue(res.statusCode() < 500, where + ": " + res.statusCode() + " " + res.body().substring(0, Math.min(500, res.body().length())));
        if (res.statusCode() >= 400) {
            assertFalse(res.body().contains("Exception") || res.body().contains("\tat "), where + " leaks a stack trace");
        }
    }

    @Property(tries = 120)
    void oddValuesNeverCauseA5xxOrAStoredEnvelope(@ForAll("oddValues") String raw, @ForAll boolean duplicateKey) throws Exception {
        long before = net.a.node().envelopes().count();
        String env = envelopeWith(raw, duplicateKey);
        assertNo5xx(HostileNetwork.rawPost(net.a, "/federation/v1/inbox", "application/json", env.getBytes(StandardCharsets.UTF_8)), "inbox");
        assertNo5xx(HostileNetwork.rawPost(net.a, "/federation/v1/inbox", "application/json",
                ("{\"envelopes\":[" + env + "," + env + "]}").getBytes(StandardCharsets.UTF_8)), "inbox batch");
        assertNo5xx(HostileNetwork.rawPost(net.a, "/federation/v1/inbox", "application/json", raw.getBytes(StandardCharsets.UTF_8)), "inbox bare value");
        assertEquals(before, net.a.node().envelopes().count(), "an envelope whose signature does not cover its content was stored");
        assertTrue(net.a.node().envelopes().equivocations().isEmpty());
        // the witness endpoint reads text: the same values where numbers and hashes go
        assertNo5xx(HostileNetwork.rawPost(net.a, "/log/witness/add-checkpoint", "text/plain",
                ("old " + raw + "\n\n" + net.b.baseUrl() + "\n" + raw + "\n" + raw + "\n\n— x " + raw + "\n").getBytes(StandardCharsets.UTF_8)), "witness");
        // evidence upload (authenticated): the value inside a STIX object, and with a duplicate key
        String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--6ba7b810-9dad-41d1-80b4-00c04fd430c8\",\"objects\":[{\"type\":\"indicator\","
                + "\"spec_version\":\"2.1\",\"id\":\"indicator--6ba7b810-9dad-41d1-80b4-00c04fd430c8\",\"created\":\"2026-01-01T00:00:00Z\","
                + "\"modified\":\"2026-01-01T00:00:00Z\",\"pattern\":\"[ipv4-addr:value = '203.0.113.1']\",\"pattern_type\":\"stix\","
                + "\"valid_from\":\"2026-01-01T00:00:00Z\",\"description\":" + raw + (duplicateKey ? ",\"description\":\"x\"" : "") + "}]}";
        assertNo5xx(TestNodes.post(net.a, "/api/v1/evidence", bundle), "evidence upload");
        assertNo5xx(TestNodes.post(net.a, "/api/v1/evidence/misp", "{\"Event\":{\"info\":" + raw + ",\"Attribute\":[]}}"), "MISP import");
        assertNo5xx(TestNodes.post(net.a, "/api/v1/channels/props/messages",
                "{\"kind\":\"notify\",\"tlp\":\"green\",\"body\":{\"text\":" + raw + (duplicateKey ? ",\"text\":\"x\"" : "") + "}}"), "API message");
        assertEquals(200, TestNodes.get(net.a, "/healthz").statusCode());
    }

    // ---- sizes around the limits, with and without Content-Length ------------------------------------------------

    @Provide
    Arbitrary<long[]> sizes() {
        Arbitrary<Long> near2 = Arbitraries.longs().between(RequestBodies.DEFAULT_MAX - 64, RequestBodies.DEFAULT_MAX + 64);
        Arbitrary<Long> near10 = Arbitraries.longs().between(RequestBodies.EVIDENCE_MAX - 64, RequestBodies.EVIDENCE_MAX + 64);
        Arbitrary<Long> huge = Arbitraries.longs().between(RequestBodies.EVIDENCE_MAX + 1, 3 * RequestBodies.EVIDENCE_MAX);
        return Combinators.combine(Arbitraries.oneOf(near2, near10, huge), Arbitraries.integers().between(0, 2), Arbitraries.of(0L, 1L))
                .as((size, target, chunked) -> new long[] {size, target, chunked});
    }

    static InputStream filler(long size) {
        byte[] head = "{\"type\":\"bundle\",\"x\":\"".getBytes(StandardCharsets.US_ASCII);
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos >= size) return -1;
                return pos < head.length ? head[(int) pos++] : (pos++ >= 0 ? 'x' : 'x');
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= size) return -1;
                int n = (int) Math.min(len, size - pos);
                for (int i = 0; i < n; i++, pos++) b[off + i] = pos < head.length ? head[(int) pos] : (byte) 'x';
                return n;
            }
        };
    }

    @Property(tries = 24)
    void bodiesAreBoundedWhateverTheFraming(@ForAll("sizes") long[] input) throws Exception {
        long size = input[0];
        String path = switch ((int) input[1]) {
            case 0 -> "/federation/v1/inbox";
            case 1 -> "/log/witness/add-checkpoint";
            default -> "/api/v1/evidence";
        };
        boolean chunked = input[2] == 1;
        long limit = RequestBodies.limitFor(path);
        HttpRequest.BodyPublisher body = chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> filler(size))
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> filler(size)), size);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(net.a.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", path.startsWith("/log/") ? "text/plain" : "application/json").POST(body);
        if (path.startsWith("/api/")) req.header("Authorization", TestNodes.basicAuth());
        long envelopes = net.a.node().envelopes().count();
        try {
            HttpResponse<String> res = CLIENT.send(req.build(), HttpResponse.BodyHandlers.ofString());
            assertNo5xx(res, path + " " + size + (chunked ? " chunked" : ""));
            if (size > limit) assertEquals(413, res.statusCode(), path + " " + size + " bytes over a limit of " + limit);
            else assertNotEquals(413, res.statusCode(), path + " refused " + size + " bytes under a limit of " + limit);
        } catch (IOException e) {
            // the node may hang up on a body it refused before we finished sending it; never on one within the limit
            assertTrue(size > limit, path + " dropped a body of " + size + " bytes within the limit " + limit + ": " + e);
        }
        assertEquals(envelopes, net.a.node().envelopes().count());
        assertEquals(200, TestNodes.get(net.a, "/healthz").statusCode());
    }
}
