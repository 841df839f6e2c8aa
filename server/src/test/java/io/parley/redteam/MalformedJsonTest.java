package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Item 15: input with no canonical form (lone surrogates, numbers a double cannot hold, huge integers), duplicate
 * keys and absurd nesting or lengths are the sender's fault: a 4xx problem (the {@code malformed} rejection on the
 * inbox), never a 500 with a stack trace, and nothing stored.
 */
class MalformedJsonTest {
    @TempDir static Path tmp;
    static HostileNetwork net;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter("odd", Tlp.AMBER, net.a, net.evil), net.a, net.evil);
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) net.close();
    }

    /** JSON texts of values that parse but have no RFC 8785 form, or that the parser must refuse. */
    static Map<String, String> oddValues() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("lone high surrogate", "\"\\ud800\"");
        m.put("lone low surrogate", "\"a\\udc00b\"");
        m.put("1e400", "1e400");
        m.put("-1e400", "-1e400");
        m.put("1e-400", "1e-400");
        m.put("huge integer", "123456789012345678901234567890");
        m.put("2^53+1", "9007199254740993");
        m.put("NaN", "NaN");
        m.put("Infinity", "Infinity");
        m.put("thousand-digit number", "9".repeat(1000));
        return m;
    }

    /** A genuine evil envelope (signed, chain-extending) whose body's text member is replaced by {@code rawValue}. */
    static byte[] envelopeWith(String rawValue) throws Exception {
        var body = Json.object().put("text", "PLACEHOLDER").put("lang", "en");
        var e = HostileNetwork.craft(net.evil, "odd", Kind.NOTIFY, null, Tlp.GREEN, body);
        return Json.write(e.toJson()).replace("\"PLACEHOLDER\"", rawValue).getBytes(StandardCharsets.UTF_8);
    }

    static void assertClean4xx(HttpResponse<String> res, String what) {
        assertTrue(res.statusCode() >= 400 && res.statusCode() < 500, what + ": " + res.statusCode() + " " + res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), what + ": " + res.headers());
        assertFalse(res.body().contains("Exception") || res.body().contains("\tat "), what + " leaks a stack trace: " + res.body());
    }

    @Test
    void oddNumbersAndLoneSurrogatesAreMalformedOnTheInbox() throws Exception {
        long envelopes = net.a.node().envelopes().count();
        for (var v : oddValues().entrySet()) {
            var res = HostileNetwork.rawPost(net.a, "/federation/v1/inbox", "application/json", envelopeWith(v.getValue()));
            assertClean4xx(res, v.getKey());
            assertTrue(res.body().contains("malformed"), v.getKey() + ": " + res.body());
        }
        assertEquals(envelopes, net.a.node().envelopes().count());
        assertTrue(net.a.node().envelopes().equivocations().isEmpty());
        assertEquals(200, TestNodes.get(net.a, "/healthz").statusCode());
    }

    @Test
    void oddValuesInABatchAreMalformedResults() throws Exception {
        StringBuilder batch = new StringBuilder("{\"envelopes\":[");
        int n = 0;
        for (String v : oddValues().values()) {
            // Not JSON at all, or beyond the parser's limits: the whole batch is refused (another test).
            if (v.equals("NaN") || v.equals("Infinity") || v.length() > 400) continue;
            if (n++ > 0) batch.append(',');
            batch.append(new String(envelopeWith(v), StandardCharsets.UTF_8));
        }
        batch.append("]}");
        var res = HostileNetwork.rawPost(net.a, "/federation/v1/inbox", "application/json", batch.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals(200, res.statusCode(), res.body());
        for (var r : Json.parse(res.body()).path("results")) assertEquals("malformed", r.path("code").asText(), r.toString());
    }

    @Test
    void duplicateKeysDeepNestingAndHugeNamesAreRefused() throws Exception {
        String genuine = new String(envelopeWith("\"x\""), StandardCharsets.UTF_8);
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("duplicate top-level key", genuine.replaceFirst("\\{", "{\"seq\":99,"));
        bodies.put("duplicate body key", genuine.replace("\"text\":\"x\"", "\"text\":\"x\",\"text\":\"y\""));
        bodies.put("deep nesting", "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        bodies.put("deep objects", "{\"a\":{".repeat(5_000) + "}".repeat(10_000));
        bodies.put("huge name", "{\"" + "n".repeat(100_000) + "\":1}");
        for (var b : bodies.entrySet()) {
            for (NodeServer n : new NodeServer[] {net.a}) {
                var res = HostileNetwork.rawPost(n, "/federation/v1/inbox", "application/json", b.getValue().getBytes(StandardCharsets.UTF_8));
                assertClean4xx(res, "inbox " + b.getKey());
                var api = TestNodes.post(n, "/api/v1/channels/odd/messages", b.getValue());
                assertClean4xx(api, "API " + b.getKey());
            }
        }
        assertTrue(net.a.node().envelopes().equivocations().isEmpty());
    }

    @Test
    void oddValuesInApiBodiesAreA4xxProblem() throws Exception {
        for (var v : oddValues().entrySet()) {
            String msg = "{\"kind\":\"notify\",\"priority\":\"urgent\",\"tlp\":\"green\",\"body\":{\"text\":" + v.getValue() + ",\"lang\":\"en\"}}";
            assertClean4xx(TestNodes.post(net.a, "/api/v1/channels/odd/messages", msg), "message " + v.getKey());
            String kase = "{\"kind\":\"request\",\"type\":\"information\",\"priority\":\"urgent\",\"tlp\":\"green\",\"summary\":" + v.getValue()
                    + ",\"asked\":\"x\",\"body\":{\"text\":" + v.getValue() + "}}";
            assertClean4xx(TestNodes.post(net.a, "/api/v1/channels/odd/cases", kase), "case " + v.getKey());
            String bundle = "{\"type\":\"bundle\",\"id\":\"bundle--6ba7b810-9dad-41d1-80b4-00c04fd430c8\",\"objects\":[{\"type\":\"note\",\"spec_version\":\"2.1\","
                    + "\"id\":\"note--6ba7b810-9dad-41d1-80b4-00c04fd430c8\",\"created\":\"2026-01-01T00:00:00Z\",\"modified\":\"2026-01-01T00:00:00Z\","
                    + "\"content\":" + v.getValue() + ",\"object_refs\":[\"note--6ba7b810-9dad-41d1-80b4-00c04fd430c8\"],\"x_n\":" + v.getValue() + "}]}";
            assertClean4xx(TestNodes.post(net.a, "/api/v1/evidence", bundle), "evidence " + v.getKey());
            var taxii = TestNodes.send(HttpRequest.newBuilder(URI.create(net.a.baseUrl() + "/taxii2/api/collections/"
                            + io.parley.taxii.CollectionIds.own(net.a.node().origin()) + "/objects/"))
                    .header("Authorization", TestNodes.basicAuth()).header("Content-Type", "application/taxii+json;version=2.1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"objects\":[" + bundle.substring(bundle.indexOf("[{") + 1, bundle.lastIndexOf(']')) + "]}")).build());
            assertTrue(taxii.statusCode() >= 400 && taxii.statusCode() < 500 || taxii.statusCode() == 202, "taxii " + v.getKey() + ": " + taxii.statusCode() + " " + taxii.body());
        }
        assertEquals(200, TestNodes.get(net.a, "/healthz").statusCode());
    }
}
