package io.parley.api;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.Fixtures;
import io.parley.testing.TestNodes;

/** Every kind of bad input gets an RFC 9457 problem with a 4xx and a useful detail, never a 500 or a trace. */
class ApiProblemTest {
    @TempDir static Path tmp;
    static NodeServer node;
    static SigningKey peer = SigningKey.generate("cert-b.example");
    static io.parley.envelope.Envelope peerSigned;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start(tmp, "cert-a.example");
        var charter = Fixtures.charter("ch-1", Tlp.AMBER, node.node().key(), peer);
        peerSigned = TestNodes.activate(node, charter, peer);
        assertEquals("active", node.node().channels().state("ch-1").orElseThrow());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void malformedJson() throws Exception {
        assertProblem(TestNodes.post(node, "/api/v1/channels/ch-1/messages", "{\"kind\": "), 400, "malformed-json");
    }

    @Test
    void duplicateKeysInJson() throws Exception {
        assertProblem(TestNodes.post(node, "/api/v1/channels/ch-1/messages", "{\"kind\":\"notify\",\"kind\":\"ping\"}"), 400, "malformed-json");
    }

    @Test
    void emptyBody() throws Exception {
        assertProblem(TestNodes.post(node, "/api/v1/channels/ch-1/messages", ""), 400, "empty-body");
    }

    @Test
    void missingField() throws Exception {
        JsonNode p = assertProblem(TestNodes.post(node, "/api/v1/channels/ch-1/messages", "{\"priority\":\"flash\"}"), 400, "missing-field");
        assertEquals("/kind", p.path("errors").get(0).path("pointer").asText());
    }

    @Test
    void wrongType() throws Exception {
        JsonNode p = assertProblem(TestNodes.post(node, "/api/v1/channels/ch-1/messages", "{\"kind\":\"notify\",\"body\":[1,2]}"), 400, "wrong-type");
        assertEquals("/body", p.path("errors").get(0).path("pointer").asText());
        assertProblem(TestNodes.post(node, "/api/v1/channels/ch-1/messages", "{\"kind\":42}"), 400, "wrong-type");
        assertProblem(TestNodes.post(node, "/api/v1/channels/ch-1/messages", "[\"notify\"]"), 400, "wrong-type");
    }

    @Test
    void invalidEnumValue() throws Exception {
        JsonNode p = assertProblem(TestNodes.post(node, "/api/v1/channels/ch-1/messages", "{\"kind\":\"notify\",\"tlp\":\"white\"}"), 400, "invalid-field");
        assertEquals("/tlp", p.path("errors").get(0).path("pointer").asText());
    }

    @Test
    void bodyTooLarge() throws Exception {
        String big = "{\"kind\":\"notify\",\"body\":{\"text\":\"" + "x".repeat((int) HttpServer.MAX_REQUEST_BYTES + 10) + "\"}}";
        assertProblem(TestNodes.post(node, "/api/v1/channels/ch-1/messages", big), 413, "too-large");
    }

    @Test
    void unknownChannel() throws Exception {
        assertProblem(TestNodes.post(node, "/api/v1/channels/ch-nope/messages", "{\"kind\":\"notify\"}"), 404, "unknown-channel");
        assertProblem(TestNodes.get(node, "/api/v1/channels/ch-nope"), 404, "unknown-channel");
    }

    @Test
    void unknownRoute() throws Exception {
        assertProblem(TestNodes.get(node, "/api/v1/nothing-here"), 404, "not-found");
        assertProblem(TestNodes.get(node, "/no/such/page"), 404, "not-found");
    }

    @Test
    void wrongMethod() throws Exception {
        var req = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/node")).header("Authorization", TestNodes.basicAuth())
                .DELETE().build();
        assertProblem(TestNodes.send(req), 405, "method-not-allowed");
    }

    @Test
    void wrongContentType() throws Exception {
        var req = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/channels/ch-1/messages")).header("Authorization", TestNodes.basicAuth())
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"notify\"}")).build();
        assertProblem(TestNodes.send(req), 415, "unsupported-media-type");
    }

    @Test
    void missingOrWrongCredentials() throws Exception {
        var none = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/node")).GET().build());
        assertProblem(none, 401, "unauthorized");
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        var wrong = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/node"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("duty:nope".getBytes())).GET().build());
        assertProblem(wrong, 401, "unauthorized");
    }

    @Test
    void badQueryParameter() throws Exception {
        assertProblem(TestNodes.get(node, "/api/v1/channels/ch-1/envelopes?limit=lots"), 400, "bad-query-parameter");
        assertProblem(TestNodes.get(node, "/api/v1/channels/ch-1/envelopes?limit=100000"), 400, "bad-query-parameter");
    }

    @Test
    void reportTimesOutsideTheRfc3339YearsAreABadRequestNotA500() throws Exception {
        // Instant parses years far beyond 9999; thirty days before the smallest of them does not exist
        assertProblem(TestNodes.get(node, "/api/v1/reports/responsiveness?channel=ch-1&to=-1000000000-01-01T00:00:00Z"), 400, "bad-query-parameter");
        assertProblem(TestNodes.get(node, "/api/v1/reports/responsiveness?channel=ch-1&from=+1000000000-01-01T00:00:00Z"), 400, "bad-query-parameter");
        assertEquals(200, TestNodes.get(node, "/api/v1/reports/responsiveness?channel=ch-1&from=2026-01-01T00:00:00Z").statusCode());
    }

    @Test
    void invalidCharterNamesTheField() throws Exception {
        var charter = Fixtures.charter("ch-2", Tlp.AMBER, node.node().key(), peer).toJson();
        charter.put("level", "cosmic");
        JsonNode p = assertProblem(TestNodes.post(node, "/api/v1/channels", Json.write(charter)), 422, "invalid-charter");
        assertEquals("/level", p.path("errors").get(0).path("pointer").asText());
        var noSelf = Fixtures.charter("ch-3", Tlp.AMBER, peer, SigningKey.generate("x.example")).toJson();
        assertProblem(TestNodes.post(node, "/api/v1/channels", Json.write(noSelf)), 422, "invalid-charter");
    }

    @Test
    void duplicateChannel() throws Exception {
        var charter = Fixtures.charter("ch-1", Tlp.AMBER, node.node().key(), peer);
        assertProblem(TestNodes.post(node, "/api/v1/channels", Json.write(charter.toJson())), 409, "channel-exists");
    }

    @Test
    void messageAboveTheChannelTlpCeiling() throws Exception {
        assertProblem(TestNodes.post(node, "/api/v1/channels/ch-1/messages", "{\"kind\":\"notify\",\"tlp\":\"red\"}"), 422, "tlp-above-ceiling");
    }

    @Test
    void inboxRefusesForgedAndMalformedEnvelopes() throws Exception {
        var forged = Fixtures.envelope(SigningKey.generate("cert-b.example"), "ch-1", 1, null, Tlp.GREEN, "forged");
        assertProblem(TestNodes.post(node, "/federation/v1/inbox", Json.write(forged.toJson())), 403, "bad-signature");
        var malformed = forged.toJson().put("seq", -3);
        assertProblem(TestNodes.post(node, "/federation/v1/inbox", Json.write(malformed)), 400, "malformed");
        var outsider = Fixtures.envelope(SigningKey.generate("mallory.example"), "ch-1", 1, null, Tlp.GREEN, "hi");
        // a stranger is not told whether the channel exists or who is in it; the recorded rejection says why
        assertProblem(TestNodes.post(node, "/federation/v1/inbox", Json.write(outsider.toJson())), 403, "bad-signature");
        assertEquals("not-member", Json.parse(TestNodes.get(node, "/api/v1/rejections").body()).get(0).path("code").asText());
    }

    @Test
    void validRequestsStillWorkAndRoundTrip() throws Exception {
        var res = TestNodes.post(node, "/api/v1/channels/ch-1/messages", "{\"kind\":\"notify\",\"priority\":\"flash\",\"tlp\":\"amber\",\"body\":{\"text\":\"hi\",\"lang\":\"en\"}}");
        assertEquals(201, res.statusCode(), res.body());
        JsonNode stored = Json.parse(res.body());
        String hash = stored.path("hash").asText();
        var byHash = Json.parse(TestNodes.get(node, "/api/v1/envelopes/" + hash).body());
        assertEquals("flash", byHash.path("envelope").path("priority").asText());
        assertEquals("cert-a.example", byHash.path("envelope").path("from").asText());
        var peerEnvelope = Fixtures.envelope(peer, "ch-1", 2, peerSigned.hash(), Tlp.GREEN, "from the peer");
        var accepted = TestNodes.post(node, "/federation/v1/inbox", Json.write(peerEnvelope.toJson()));
        assertEquals(201, accepted.statusCode(), accepted.body());
        var again = TestNodes.post(node, "/federation/v1/inbox", Json.write(peerEnvelope.toJson()));
        assertEquals(200, again.statusCode());
        assertEquals("duplicate", Json.parse(again.body()).path("status").asText());
    }

    @Test
    void publicEndpointsAnswerWithoutCredentials() throws Exception {
        var card = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/.well-known/parley")).GET().build());
        assertEquals(200, card.statusCode());
        var parsed = io.parley.identity.PartyCard.fromJson(Json.parse(card.body()));
        assertTrue(parsed.verifies());
        assertEquals(node.baseUrl(), parsed.baseUrl());
        var health = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/healthz")).GET().build());
        assertEquals("ok", Json.parse(health.body()).path("status").asText());
        var metrics = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics")).GET().build());
        assertTrue(metrics.body().contains("parley_http_requests"), metrics.body());
    }

    @Test
    void everyRegisteredRouteIsInTheOpenApiDocument() throws Exception {
        var doc = Json.parse(TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/openapi.json")).GET().build()).body());
        for (String route : node.http().routes()) {
            String[] mp = route.split(" ", 2);
            if (mp[1].equals("/metrics") || mp[1].startsWith("/log/") || mp[1].startsWith("/taxii2")) continue;
            assertTrue(doc.path("paths").has(mp[1]), "undocumented path " + mp[1]);
            assertTrue(doc.path("paths").path(mp[1]).has(mp[0].toLowerCase()), "undocumented method " + route);
        }
    }

    private static JsonNode assertProblem(HttpResponse<String> res, int status, String code) {
        assertEquals(status, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), "content type of " + res.body());
        JsonNode p = Json.parse(res.body());
        assertEquals(status, p.path("status").asInt());
        assertTrue(p.path("type").asText().endsWith("/" + code), "type " + p.path("type").asText() + " for " + res.body());
        assertFalse(p.path("detail").asText().isBlank());
        assertFalse(res.body().contains("Exception"), "no exception names or traces leak: " + res.body());
        return p;
    }
}
