package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Tlp;
import io.parley.evidence.WellKnownMarkings;
import io.parley.identity.Sha256;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Item 5: every text response is UTF-8 and says so. Russian, CJK, emoji, "é" and typographic quotes survive every
 * output path byte for byte, and evidence crosses federation under the hash its sender gave it.
 */
class Utf8OutputTest {
    static final String TEXT = "Фишинг против МИД — 钓鱼攻击 🎣🌍 café “quoted” ‘single’";
    @TempDir static Path tmp;
    static HostileNetwork net;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter("utf", Tlp.AMBER, net.a, net.b), net.a, net.b);
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) net.close();
    }

    static ObjectNode indicator(String text) {
        ObjectNode o = Json.object().put("type", "indicator").put("spec_version", "2.1").put("id", "indicator--" + UUID.randomUUID())
                .put("created", "2026-01-01T00:00:00.000Z").put("modified", "2026-01-01T00:00:00.000Z").put("name", text)
                .put("description", text).put("pattern", "[ipv4-addr:value = '203.0.113.9']").put("pattern_type", "stix")
                .put("valid_from", "2026-01-01T00:00:00Z");
        o.putArray("indicator_types").add("malicious-activity");
        o.putArray("object_marking_refs").add(WellKnownMarkings.tlp2Id(Tlp.GREEN));
        return o;
    }

    static ObjectNode bundle(ObjectNode... objects) {
        ObjectNode b = Json.object().put("type", "bundle").put("id", "bundle--" + UUID.randomUUID());
        var arr = b.putArray("objects");
        for (ObjectNode o : objects) arr.add(o);
        return b;
    }

    static HttpResponse<byte[]> get(NodeServer n, String path, String accept) throws Exception {
        String[] auth = io.parley.testing.WebSessions.authHeader(n, path, TestNodes.USER, TestNodes.PASSWORD);
        return TestNodes.HTTP_BYTES.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).header(auth[0], auth[1])
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> post(NodeServer n, String path, String contentType, String body) throws Exception {
        return TestNodes.HTTP_BYTES.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).header("Authorization", TestNodes.basicAuth())
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The body decodes as UTF-8, carries {@code expected} unaltered, and the Content-Type names charset=utf-8. */
    static String assertUtf8(HttpResponse<byte[]> res, String expected, String what) {
        assertTrue(res.statusCode() < 300 || expected == null || what.startsWith("problem"), what + ": HTTP " + res.statusCode() + " " + new String(res.body(), StandardCharsets.UTF_8));
        String type = res.headers().firstValue("Content-Type").orElse("");
        assertTrue(type.toLowerCase(java.util.Locale.ROOT).replace(" ", "").contains("charset=utf-8"), what + ": Content-Type " + type);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(res.body())).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new AssertionError(what + ": the body is not valid UTF-8");
        }
        if (expected != null) assertTrue(text.contains(expected) || text.contains(Json.write(expected).replaceAll("^\"|\"$", "")),
                what + ": the text was altered: " + text.substring(Math.max(0, text.length() - 1500)));
        return text;
    }

    @Test
    void nonAsciiTextSurvivesEveryOutputPath() throws Exception {
        NodeServer a = net.a;
        // API JSON: a message and its envelope
        String hash = HostileNetwork.send(a, "utf", Tlp.GREEN, TEXT);
        assertUtf8(get(a, "/api/v1/envelopes/" + hash, "application/json"), TEXT, "API envelope");
        assertUtf8(get(a, "/api/v1/channels/utf/envelopes", "application/json"), TEXT, "API channel envelopes");
        // problem details echoing the caller's input
        String bad = "канал-🎣";
        assertUtf8(get(a, "/api/v1/channels/" + URLEncoder.encode(bad, StandardCharsets.UTF_8), "application/json"), null, "problem");
        var problem = post(a, "/api/v1/channels/" + URLEncoder.encode(bad, StandardCharsets.UTF_8) + "/messages", "application/json", "{}");
        assertTrue(problem.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertUtf8(problem, bad, "problem detail");
        // STIX: upload, read back, MISP and IODEF exports
        ObjectNode b = bundle(indicator(TEXT));
        var up = post(a, "/api/v1/evidence", "application/json", Json.write(b));
        assertTrue(up.statusCode() == 201 || up.statusCode() == 200, new String(up.body(), StandardCharsets.UTF_8));
        String sha = Json.parse(up.body()).path("sha256").asText();
        assertEquals(Sha256.hex(Jcs.canonicalize(b)), sha, "the node hashed other bytes than we sent");
        var read = get(a, "/api/v1/evidence/" + sha, "application/stix+json");
        assertUtf8(read, TEXT, "STIX bundle");
        assertEquals(sha, Sha256.hex(Jcs.canonicalize(Json.parse(read.body()))), "the bundle read back hashes differently");
        assertUtf8(get(a, "/api/v1/evidence/" + sha + "/misp", "application/json"), TEXT, "MISP export");
        // XML may spell characters as references (the JDK serialiser does so for emoji): compare the parsed text.
        var iodef = get(a, "/api/v1/evidence/" + sha + "/iodef", "application/xml");
        assertUtf8(iodef, null, "IODEF export");
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new java.io.ByteArrayInputStream(iodef.body()));
        assertTrue(doc.getDocumentElement().getTextContent().contains(TEXT), "IODEF export altered the text");
        // TAXII: add to the own collection, read objects back
        String coll = "/taxii2/api/collections/" + io.parley.taxii.CollectionIds.own(a.node().origin()) + "/objects/";
        ObjectNode envelope = Json.object();
        envelope.putArray("objects").add(indicator(TEXT));
        var added = post(a, coll, "application/taxii+json;version=2.1", Json.write(envelope));
        assertUtf8(added, null, "TAXII status");
        assertTrue(TestNodes.eventually(10, () -> {
            try {
                return new String(get(a, coll, "application/taxii+json;version=2.1").body(), StandardCharsets.UTF_8).contains(TEXT);
            } catch (Exception e) {
                return false;
            }
        }), "TAXII objects never showed the text");
        assertUtf8(get(a, coll, "application/taxii+json;version=2.1"), TEXT, "TAXII objects");
        assertUtf8(get(a, "/taxii2/", "application/taxii+json;version=2.1"), null, "TAXII discovery");
        // a case: API view, evidence bundle, CSV report and the web page
        ObjectNode kase = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "green");
        kase.putObject("body").put("summary", TEXT).put("text", TEXT).put("lang", "ru");
        var opened = post(a, "/api/v1/channels/utf/cases", "application/json", Json.write(kase));
        String caseId = Json.parse(assertUtf8(opened, TEXT, "case open")).path("case").asText(Json.parse(opened.body()).path("id").asText());
        assertFalse(caseId.isBlank(), new String(opened.body(), StandardCharsets.UTF_8));
        assertUtf8(get(a, "/api/v1/cases/" + caseId, "application/json"), TEXT, "case view");
        assertUtf8(get(a, "/api/v1/cases/" + caseId + "/evidence", "application/json"), TEXT, "case evidence bundle");
        assertUtf8(get(a, "/api/v1/reports/responsiveness?channel=utf&format=csv", "text/csv"), null, "CSV report");
        assertUtf8(get(a, "/cases/" + caseId, "text/html"), TEXT, "web case page");
        assertUtf8(get(a, "/", "text/html"), null, "web dashboard");
        assertUtf8(get(a, "/channels/utf", "text/html"), null, "web channel page");
    }

    @Test
    void nonAsciiEvidenceCrossesFederationUnaltered() throws Exception {
        // by hash: b fetches the bundle from a and must store it under the same hash, not as "redacted"
        ObjectNode byHash = bundle(indicator("по ссылке " + TEXT));
        var up = post(net.a, "/api/v1/evidence", "application/json", Json.write(byHash));
        String sha = Json.parse(up.body()).path("sha256").asText();
        ObjectNode body = Json.object().put("text", TEXT).put("lang", "ru");
        body.putArray("evidence").addObject().put("sha256", sha).put("name", "улики.json");
        // inline: the envelope carries the bundle itself
        body.set("stix", bundle(indicator("встроенный " + TEXT)));
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "green");
        req.set("body", body);
        var sent = TestNodes.post(net.a, "/api/v1/channels/utf/messages", Json.write(req));
        assertEquals(201, sent.statusCode(), sent.body());
        String hash = Json.parse(sent.body()).path("hash").asText();
        assertTrue(TestNodes.eventually(15, () -> net.b.node().envelopes().byHash(hash).isPresent()), "the envelope never reached b under its hash");
        assertTrue(TestNodes.eventually(20, () -> {
            List<List<String>> link = net.b.node().db().query("SELECT state, stored_sha256, detail FROM evidence_links WHERE ref_sha256 = ?",
                    rs -> List.of(String.valueOf(rs.getString(1)), String.valueOf(rs.getString(2)), String.valueOf(rs.getString(3))), sha);
            return !link.isEmpty() && link.get(0).get(0).equals("stored");
        }), "b never stored the evidence");
        var link = net.b.node().db().query("SELECT state, stored_sha256, detail FROM evidence_links WHERE ref_sha256 = ?",
                rs -> new ArrayList<>(java.util.Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3))), sha).get(0);
        assertEquals(sha, link.get(1), "stored under another hash: " + link);
        assertFalse(String.valueOf(link.get(2)).contains("redacted"), "labelled redacted: " + link);
        assertUtf8(get(net.b, "/api/v1/evidence/" + sha, "application/stix+json"), "по ссылке " + TEXT, "evidence at the peer");
        assertUtf8(get(net.b, "/api/v1/envelopes/" + hash, "application/json"), "встроенный " + TEXT, "inline bundle at the peer");
    }

    @Test
    void everyRouteAnswersTextWithCharsetUtf8() throws Exception {
        NodeServer a = net.a;
        List<String> failures = new ArrayList<>();
        for (String route : a.http().routes()) {
            String[] parts = route.split(" ", 2);
            String path = parts[1].replaceAll("\\{[^}]*}", "x").replace("*", "x").replace("<", "").replace(">", "");
            HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(a.baseUrl() + path)).header("Authorization", TestNodes.basicAuth());
            switch (parts[0]) {
                case "GET" -> r.GET();
                case "POST" -> r.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
                case "PUT" -> r.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{}"));
                case "DELETE" -> r.DELETE();
                default -> { continue; }
            }
            var res = TestNodes.HTTP_BYTES.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = res.headers().firstValue("Content-Type").orElse(null);
            if (res.body().length == 0 || type == null || !io.parley.api.Utf8Responses.isText(type)) continue;
            if (!type.toLowerCase(java.util.Locale.ROOT).replace(" ", "").contains("charset=utf-8")) failures.add(route + " -> " + res.statusCode() + " " + type);
        }
        for (String web : List.of("/", "/channels/utf", "/ui/parley.css", "/nope", "/taxii2/", "/healthz", "/metrics", "/.well-known/parley", "/log/checkpoint")) {
            var res = get(a, web, "*/*");
            String type = res.headers().firstValue("Content-Type").orElse("");
            if (io.parley.api.Utf8Responses.isText(type) && !type.toLowerCase(java.util.Locale.ROOT).replace(" ", "").contains("charset=utf-8")) failures.add(web + " -> " + type);
        }
        assertTrue(failures.isEmpty(), "text responses without charset=utf-8:\n" + String.join("\n", failures));
        assertTrue(a.http().routes().size() > 30, "the route list is incomplete: " + a.http().routes());
    }
}
