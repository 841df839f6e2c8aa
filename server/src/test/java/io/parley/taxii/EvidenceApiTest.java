package io.parley.taxii;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.auth.Passwords;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Tlp;
import io.parley.identity.Sha256;
import io.parley.identity.SigningKey;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.Fixtures;
import io.parley.testing.TestNodes;

/** The evidence API of one real node over HTTP: uploads, validation problems, redacted reads, exports, sending. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceApiTest {
    @TempDir static Path tmp;
    NodeServer node;
    Evidence evidence;
    final SigningKey peer = SigningKey.generate("cert-p.example");
    final SigningKey peer2 = SigningKey.generate("cert-q.example");
    static final String BOSS = Stix.basic("boss", "boss-password-1");

    @BeforeAll
    void start() throws Exception {
        node = TestNodes.start(tmp, "cert-e.example");
        node.node().users().put("boss", Passwords.hash("boss-password-1"), "admin", node.node().now());
        TestNodes.activate(node, Fixtures.charter("ch-api", Tlp.AMBER, node.node().key(), peer), peer);
        TestNodes.activate(node, Fixtures.charter("ch-two", Tlp.RED, node.node().key(), peer2), peer2);
        SigningKey peer3 = SigningKey.generate("cert-r.example");
        TestNodes.activate(node, Fixtures.charter("ch-three", Tlp.RED, node.node().key(), peer3), peer3);
        evidence = Evidence.of(new EvidenceStore(node.node().db()), new TaxiiStore(node.node().db()),
                ChannelDirectory.of(node.node().channels()), node.node().origin(), node.node().clock());
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    static String resource(String path) throws IOException {
        try (InputStream in = EvidenceApiTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static JsonNode problem(HttpResponse<String> res, int status) {
        assertEquals(status, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), res.body());
        return Json.parse(res.body());
    }

    static List<String> pointers(JsonNode problem) {
        List<String> out = new ArrayList<>();
        problem.path("errors").forEach(e -> out.add(e.path("pointer").asText()));
        return out;
    }

    HttpResponse<String> upload(String body, String auth) throws Exception {
        return Stix.postJson(node, "/api/v1/evidence", body, auth);
    }

    // --- upload and validation ----------------------------------------------------------------------------------------

    @Test
    void everyHandMadeInvalidBundleIsRefusedWithEachViolationsPointer() throws Exception {
        JsonNode index = Json.parse(resource("evidence/invalid/index.json"));
        int checked = 0;
        for (Map.Entry<String, JsonNode> e : index.properties()) {
            JsonNode p = problem(upload(resource("evidence/invalid/" + e.getKey()), Stix.duty()), 422);
            assertTrue(p.path("type").asText().endsWith("/invalid-stix"), p.toString());
            List<String> got = pointers(p);
            for (JsonNode expected : e.getValue()) assertTrue(got.contains(expected.asText()), e.getKey() + ": " + expected + " not in " + got);
            p.path("errors").forEach(err -> assertFalse(err.path("detail").asText().isBlank()));
            checked++;
        }
        assertTrue(checked >= 20, "at least 20 hand-made invalid bundles: " + checked);
        problem(upload("[1,2]", Stix.duty()), 422);
        problem(upload("{not json", Stix.duty()), 400);
        problem(Stix.post(node, "/api/v1/evidence", "text/plain", "{}", Stix.duty()), 415);
    }

    @Test
    void officialExamplesAreAcceptedAndStoredByTheHashOfTheirCanonicalForm() throws Exception {
        for (String name : List.of("indicator-for-c2-ip-address.json", "infrastructure.json", "malicious-email-indicator-with-attachment.json")) {
            String text = resource("evidence/examples/" + name);
            var res = upload(text, Stix.duty());
            assertTrue(res.statusCode() == 201 || res.statusCode() == 200, res.body());
            String sha = Json.parse(res.body()).path("sha256").asText();
            assertEquals(Sha256.hex(Jcs.canonicalize(Json.parse(text))), sha);
            assertEquals("/api/v1/evidence/" + sha, res.headers().firstValue("Location").orElseThrow());
            assertEquals(200, upload(text, Stix.duty()).statusCode(), "the same bundle again: already held");
        }
    }

    @Test
    void readsAreRedactedToWhatTheAccountMaySee() throws Exception {
        ObjectNode green = Stix.indicator(Tlp.GREEN, "203.0.113.70"), strict = Stix.indicator(Tlp.AMBER_STRICT, "203.0.113.71"),
                red = Stix.indicator(Tlp.RED, "203.0.113.72");
        ObjectNode bundle = Stix.bundle(green, strict, red);
        var up = upload(Json.write(bundle), Stix.duty());
        assertEquals(201, up.statusCode(), up.body());
        String sha = Json.parse(up.body()).path("sha256").asText();

        var officer = TestNodes.get(node, "/api/v1/evidence/" + sha);
        assertEquals(200, officer.statusCode(), officer.body());
        assertEquals("application/stix+json;version=2.1; charset=utf-8", officer.headers().firstValue("Content-Type").orElse(""));
        assertEquals(Set.of(green.get("id").asText(), strict.get("id").asText()), TaxiiConformanceTest.ids(Json.parse(officer.body())));
        assertEquals("1", officer.headers().firstValue("Parley-Withheld-Objects").orElse(""));
        var admin = Stix.get(node, "/api/v1/evidence/" + sha, "application/json", BOSS);
        assertEquals(3, Json.parse(admin.body()).path("objects").size());

        String misp = TestNodes.get(node, "/api/v1/evidence/" + sha + "/misp").body();
        assertTrue(misp.contains("203.0.113.70") && !misp.contains("203.0.113.72"), misp);
        assertTrue(Stix.get(node, "/api/v1/evidence/" + sha + "/misp", "application/json", BOSS).body().contains("203.0.113.72"));
        var iodef = TestNodes.get(node, "/api/v1/evidence/" + sha + "/iodef");
        assertEquals(200, iodef.statusCode(), iodef.body());
        assertTrue(iodef.headers().firstValue("Content-Type").orElse("").startsWith("application/xml"));
        assertTrue(iodef.body().contains("203.0.113.71") && !iodef.body().contains("203.0.113.72"), iodef.body());
        assertTrue(Stix.get(node, "/api/v1/evidence/" + sha + "/iodef", "application/xml", BOSS).body().contains("203.0.113.72"));

        // only RED: invisible to an officer as if it did not exist
        String onlyRed = Json.parse(upload(Json.write(Stix.bundle(Stix.indicator(Tlp.RED, "203.0.113.73"))), Stix.duty()).body()).path("sha256").asText();
        problem(TestNodes.get(node, "/api/v1/evidence/" + onlyRed), 404);
        problem(TestNodes.get(node, "/api/v1/evidence/" + onlyRed + "/misp"), 404);
        problem(TestNodes.get(node, "/api/v1/evidence/" + "0".repeat(64)), 404);
        // unmarked objects take the TLP given at upload
        String unmarked = Json.parse(Stix.postJson(node, "/api/v1/evidence?tlp=red", Json.write(Stix.bundle(Stix.indicator(null, "203.0.113.74"))),
                Stix.duty()).body()).path("sha256").asText();
        problem(TestNodes.get(node, "/api/v1/evidence/" + unmarked), 404);
        problem(Stix.postJson(node, "/api/v1/evidence?tlp=purple", Json.write(bundle), Stix.duty()), 400);
    }

    @Test
    void bundlesAboveTheBufferedBodyLimitUpTo10MiBAreAccepted() throws Exception {
        List<ObjectNode> objects = new ArrayList<>();
        String filler = "x".repeat(1000);
        for (int i = 0; i < 3000; i++) {
            ObjectNode o = Stix.indicator(Tlp.GREEN, "198.18." + (i / 250) + "." + (i % 250 + 1));
            o.put("description", filler);
            objects.add(o);
        }
        String big = Json.write(Stix.bundle(objects));
        assertTrue(big.length() > 2 * 1024 * 1024, "above HttpServer's 2 MiB: " + big.length());
        var res = upload(big, Stix.duty());
        assertEquals(201, res.statusCode(), res.body().length() > 500 ? res.body().substring(0, 500) : res.body());
        assertEquals(3000, Json.parse(res.body()).path("objects").asInt());
        byte[] tooBig = new byte[(int) EvidenceIngest.MAX_BUNDLE_BYTES + 10];
        java.util.Arrays.fill(tooBig, (byte) ' ');
        var res2 = TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/evidence")).header("Authorization", Stix.duty())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(tooBig)).build());
        problem(res2, 413);
    }

    @Test
    void mispEventsImportAsBundlesAndExportBack() throws Exception {
        var res = Stix.postJson(node, "/api/v1/evidence/misp?case=case-misp", resource("evidence/misp/event.json"), BOSS);
        assertEquals(201, res.statusCode(), res.body());
        JsonNode r = Json.parse(res.body());
        assertTrue(r.path("skipped").isEmpty(), r.toString()); // the text attribute travels as a note now
        String sha = r.path("sha256").asText();
        JsonNode event = Json.parse(Stix.get(node, "/api/v1/evidence/" + sha + "/misp", "application/json", BOSS).body());
        assertTrue(Json.write(event).contains("203.0.113.7"), event.toString());
        assertTrue(Json.write(event).contains("free text is not an observable"), event.toString());
        assertTrue(event.path("Event").path("Attribute").size() + event.path("Event").path("Object").size() > 5, event.toString());
        problem(Stix.postJson(node, "/api/v1/evidence/misp", "{\"nothing\": 1}", BOSS), 422);
        // the import is filed under its case for correlation
        JsonNode sightings = Json.parse(TestNodes.get(node, "/api/v1/correlations/indicator?type=domain&value=LOGIN-MFA.example.net.").body());
        assertEquals("login-mfa.example.net", sightings.path("value").asText());
        assertTrue(sightings.path("sightings").findValuesAsText("case").contains("case-misp"), sightings.toString());
    }

    // --- sending evidence in messages -------------------------------------------------------------------------------

    /** The case the messages of one test belong to: an id made for this node, as any case it opens. */
    String sendCase;

    HttpResponse<String> send(String channel, String tlp, ObjectNode body) throws Exception {
        if (sendCase == null) sendCase = CaseIds.newId(node.node().origin(), java.time.Instant.now());
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "routine").put("tlp", tlp).put("case", sendCase);
        req.set("body", body);
        return TestNodes.post(node, "/api/v1/channels/" + channel + "/messages", Json.write(req));
    }

    @Test
    void evidenceInOutgoingMessagesIsCheckedBeforeSigning() throws Exception {
        long before = node.node().envelopes().count();
        // invalid inline STIX: pointers into the request body
        ObjectNode broken = Stix.indicator(Tlp.GREEN, "192.0.2.80");
        broken.remove("pattern");
        ObjectNode body = Json.object().put("text", "see attached");
        body.set("stix", Stix.bundle(Stix.indicator(Tlp.GREEN, "192.0.2.81"), broken));
        JsonNode p = problem(send("ch-api", "green", body), 422);
        assertTrue(pointers(p).contains("/body/stix/objects/1/pattern"), p.toString());
        // above the channel's ceiling (AMBER)
        body.set("stix", Stix.bundle(Stix.indicator(Tlp.RED, "192.0.2.82")));
        assertEquals(List.of("/body/stix/objects/0"), pointers(problem(send("ch-api", "green", body), 422)));
        // unmarked objects take the message's label: amber+strict is above AMBER too
        body.set("stix", Stix.bundle(Stix.indicator(null, "192.0.2.83")));
        problem(send("ch-api", "amber+strict", body), 422);
        // named recipients must be members; evidence named by hash must be held here
        ObjectNode refs = Json.object().put("text", "by hash");
        refs.putArray("recipients").add("nobody.example");
        refs.putArray("evidence").addObject().put("sha256", "ab".repeat(32)).put("name", "pcap");
        assertEquals(Set.of("/body/recipients/0", "/body/evidence/0/sha256"), Set.copyOf(pointers(problem(send("ch-api", "green", refs), 422))));
        // inline RED on a channel whose ceiling allows it, but not every member named: would reach them all
        ObjectNode redInline = Json.object();
        redInline.putArray("recipients").add(node.node().origin());
        redInline.set("stix", Stix.bundle(Stix.indicator(Tlp.RED, "192.0.2.84")));
        assertTrue(problem(send("ch-two", "red", redInline), 422).toString().contains("attach the bundle by hash"));
        assertEquals(before, node.node().envelopes().count(), "nothing was signed");

        // a good inline bundle goes out and is indexed into the channel's collection and the correlation index
        ObjectNode ok = Json.object().put("text", "C2 seen");
        ObjectNode ind = Stix.indicator(Tlp.GREEN, "192.0.2.85");
        ok.set("stix", Stix.bundle(ind));
        var sent = send("ch-api", "amber", ok);
        assertEquals(201, sent.statusCode(), sent.body());
        String objects = "/taxii2/api/collections/" + CollectionIds.ofChannel("ch-api") + "/objects/?match[id]=" + ind.get("id").asText();
        assertTrue(TestNodes.eventually(10, () -> ok(objects)), "indexed into the channel collection");
        JsonNode s = Json.parse(TestNodes.get(node, "/api/v1/correlations/indicator?type=ipv4-addr&value=192.0.2.85").body());
        assertEquals("ch-api", s.path("sightings").get(0).path("channel").asText(), s.toString());
        assertEquals(node.node().origin(), s.path("sightings").get(0).path("party").asText());
        assertEquals(sendCase, s.path("sightings").get(0).path("case").asText());
        assertEquals("green", s.path("sightings").get(0).path("tlp").asText());

        // by hash: an uploaded bundle, then named in a message
        ObjectNode byRef = Stix.indicator(Tlp.GREEN, "192.0.2.86");
        String sha = Json.parse(upload(Json.write(Stix.bundle(byRef)), Stix.duty()).body()).path("sha256").asText();
        ObjectNode named = Json.object().put("text", "attached");
        named.putArray("evidence").addObject().put("sha256", sha).put("name", "c2.json");
        assertEquals(201, send("ch-api", "green", named).statusCode());
        String refObjects = "/taxii2/api/collections/" + CollectionIds.ofChannel("ch-api") + "/objects/?match[id]=" + byRef.get("id").asText();
        assertTrue(TestNodes.eventually(10, () -> ok(refObjects)));
        // an officer may not share a bundle holding what they may not read
        String redSha = Json.parse(upload(Json.write(Stix.bundle(Stix.indicator(Tlp.RED, "192.0.2.87"), Stix.indicator(Tlp.GREEN, "192.0.2.88"))),
                Stix.duty()).body()).path("sha256").asText();
        ObjectNode redRef = Json.object();
        redRef.putArray("evidence").addObject().put("sha256", redSha);
        assertTrue(problem(send("ch-two", "green", redRef), 422).toString().contains("may not read"));
    }

    boolean ok(String taxiiPath) {
        try {
            return Json.parse(Stix.taxii(node, taxiiPath).body()).path("objects").size() == 1;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void othersStrictObjectsAreNeverSharedOnToAnotherChannel() throws Exception {
        ObjectNode strict = Stix.indicator(Tlp.AMBER_STRICT, "192.0.2.90"), amber = Stix.indicator(Tlp.AMBER, "192.0.2.91"),
                green = Stix.indicator(Tlp.GREEN, "192.0.2.92");
        evidence.ingest().index(Stix.bundle(strict, amber, green), "rx-" + UUID.randomUUID(),
                new EvidenceContext(evidence.audiences().of("ch-two", peer2.name(), null), Tlp.GREEN, "env-" + UUID.randomUUID(), null));
        ObjectNode body = Json.object().put("text", "forwarding");
        body.set("stix", Stix.bundle(strict, amber, green));
        JsonNode p = problem(send("ch-three", "amber+strict", body), 422);
        assertEquals(List.of("/body/stix/objects/0", "/body/stix/objects/1"), pointers(p), p.toString());
        assertTrue(p.path("errors").get(0).path("detail").asText().contains("AMBER+STRICT"), p.toString());
        // back into the channel it came from is fine
        ObjectNode same = Json.object().put("text", "replying");
        same.set("stix", Stix.bundle(strict, amber, green));
        assertEquals(201, send("ch-two", "amber+strict", same).statusCode());
        // an inline object above the message's own label would reach whoever may read the message
        JsonNode above = problem(send("ch-two", "amber", same), 422);
        assertEquals(List.of("/body/stix/objects/0"), pointers(above), above.toString());
        assertTrue(above.path("errors").get(0).path("detail").asText().contains("above the message's own label"), above.toString());
    }

    // --- tokens, grants, correlation parameters ----------------------------------------------------------------------

    @Test
    void onlyAdminsManageRedGrants() throws Exception {
        var put = HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/red-grants/" + TestNodes.USER)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"scopes\":[\"*\"]}"));
        problem(TestNodes.send(put.copy().header("Authorization", Stix.duty()).build()), 403);
        assertEquals(200, TestNodes.send(put.copy().header("Authorization", BOSS).build()).statusCode());
        JsonNode grants = Json.parse(Stix.get(node, "/api/v1/red-grants", "application/json", BOSS).body());
        assertEquals("*", grants.get(0).path("scope").asText());
        assertEquals(200, TestNodes.send(HttpRequest.newBuilder(URI.create(node.baseUrl() + "/api/v1/red-grants/" + TestNodes.USER))
                .header("Content-Type", "application/json").header("Authorization", BOSS).PUT(HttpRequest.BodyPublishers.ofString("{\"scopes\":[]}"))
                .build()).statusCode());
        problem(TestNodes.get(node, "/api/v1/red-grants"), 403);
    }

    @Test
    void correlationQueriesCheckTheirParameters() throws Exception {
        problem(TestNodes.get(node, "/api/v1/correlations/indicator?type=ipv4"), 400);
        problem(TestNodes.get(node, "/api/v1/correlations/indicator?type=colour&value=red"), 400);
        problem(TestNodes.get(node, "/api/v1/correlations/indicator?type=ipv4&value=not-an-ip"), 400);
        JsonNode none = Json.parse(TestNodes.get(node, "/api/v1/correlations/indicator?type=ipv4&value=100.64.0.1").body());
        assertEquals(0, none.path("sightings").size());
        JsonNode cases = Json.parse(TestNodes.get(node, "/api/v1/cases/no-such-case/correlations").body());
        assertEquals(0, cases.path("correlated_cases").size());
    }

    @Test
    void everyEvidenceRouteIsDocumented() throws Exception {
        JsonNode doc = Json.parse(Stix.get(node, "/api/v1/openapi.json", "application/json", null).body());
        for (String route : node.http().routes()) {
            String[] mp = route.split(" ", 2);
            if (!(mp[1].contains("evidence") || mp[1].contains("correlations") || mp[1].contains("taxii/tokens") || mp[1].contains("red-grants"))) continue;
            assertTrue(doc.path("paths").path(mp[1]).has(mp[0].toLowerCase()), "undocumented " + route);
        }
    }
}
