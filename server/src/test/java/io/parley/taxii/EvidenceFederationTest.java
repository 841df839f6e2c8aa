package io.parley.taxii;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.auth.Passwords;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/** Evidence across three real nodes federating over loopback: correlation across parties and cases, RED by hash. */
class EvidenceFederationTest {
    static final String BOSS = Stix.basic("boss", "boss-password-1");
    @TempDir Path tmp;
    NodeServer a, b, c;

    @BeforeEach
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        c = TestNodes.start(tmp, "mfa-c.example");
        for (NodeServer x : List.of(a, b, c)) {
            x.node().users().put("boss", Passwords.hash("boss-password-1"), "admin", x.node().now());
        }
        TestNodes.peerAll(a, b, c);
    }

    @AfterEach
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b, c}) if (n != null) n.close();
    }

    static String send(NodeServer from, String channel, String caseId, String tlp, ObjectNode body) throws Exception {
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", tlp).put("case", caseId);
        req.set("body", body);
        var res = TestNodes.post(from, "/api/v1/channels/" + channel + "/messages", Json.write(req));
        assertEquals(201, res.statusCode(), res.body());
        return Json.parse(res.body()).path("hash").asText();
    }

    static JsonNode getJson(NodeServer n, String path) {
        try {
            var res = TestNodes.get(n, path);
            return res.statusCode() == 200 ? Json.parse(res.body()) : Json.object();
        } catch (Exception e) {
            return Json.object();
        }
    }

    @Test
    void aThirdPartySeesTwoCasesShareInfrastructure() throws Exception {
        TestNodes.establish(TestNodes.charter("tri", Tlp.AMBER, a, b, c), a, b, c);
        ObjectNode fromA = Json.object().put("text", "phishing wave, C2 attached");
        fromA.set("stix", Stix.bundle(Stix.indicator(Tlp.GREEN, "203.0.113.7"), Stix.indicator(Tlp.AMBER, "198.51.100.99")));
        String caseA = CaseIds.newId(a.node().origin(), java.time.Instant.now()), caseB = CaseIds.newId(b.node().origin(), java.time.Instant.now());
        send(a, "tri", caseA, "amber", fromA);
        ObjectNode fromB = Json.object().put("text", "DDoS bots talk to this");
        ObjectNode sco = Stix.ipv4("203.0.113.7", Tlp.GREEN);
        ObjectNode observed = Json.object().put("type", "observed-data").put("spec_version", "2.1").put("id", "observed-data--" + java.util.UUID.randomUUID())
                .put("created", "2025-03-01T00:00:00.000Z").put("modified", "2025-03-01T00:00:00.000Z")
                .put("first_observed", "2025-03-01T00:00:00Z").put("last_observed", "2025-03-01T01:00:00Z").put("number_observed", 40);
        observed.putArray("object_refs").add(sco.get("id").asText());
        observed.putArray("object_marking_refs").add(io.parley.evidence.WellKnownMarkings.TLP2_GREEN);
        fromB.set("stix", Stix.bundle(observed, sco));
        send(b, "tri", caseB, "green", fromB);

        String q = "/api/v1/correlations/indicator?type=ipv4&value=203.0.113.7";
        assertTrue(TestNodes.eventually(20, () -> getJson(c, q).path("sightings").size() == 2), () -> getJson(c, q).toString());
        JsonNode sightings = getJson(c, q).path("sightings");
        Set<String> parties = new HashSet<>(), casesSeen = new HashSet<>();
        for (JsonNode s : sightings) {
            assertEquals("tri", s.path("channel").asText());
            assertEquals("green", s.path("tlp").asText());
            assertFalse(s.path("seen_at").asText().isBlank());
            parties.add(s.path("party").asText());
            casesSeen.add(s.path("case").asText());
        }
        assertEquals(Set.of("cert-a.example", "cert-b.example"), parties);
        assertEquals(Set.of(caseA, caseB), casesSeen);

        JsonNode corr = getJson(c, "/api/v1/cases/" + caseA + "/correlations");
        assertEquals(1, corr.path("correlated_cases").size(), corr.toString());
        JsonNode other = corr.path("correlated_cases").get(0);
        assertEquals(caseB, other.path("case").asText());
        assertEquals("203.0.113.7", other.path("shared").get(0).path("value").asText());
        assertEquals("cert-b.example", other.path("sightings").get(0).path("party").asText());
        // the same on the TAXII side: c's collection for the channel holds both parties' objects
        String coll = "/taxii2/api/collections/" + CollectionIds.ofChannel("tri") + "/objects/?match[type]=indicator,ipv4-addr,observed-data";
        JsonNode objects = Json.parse(Stix.taxii(c, coll).body());
        assertEquals(4, objects.path("objects").size(), objects.toString());
    }

    @Test
    void redEvidenceNamedByHashReachesOnlyItsNamedRecipients() throws Exception {
        TestNodes.establish(TestNodes.charter("tri", Tlp.RED, a, b, c), a, b, c);
        ObjectNode red = Stix.indicator(Tlp.RED, "192.0.2.200"), green = Stix.indicator(Tlp.GREEN, "192.0.2.201");
        var up = Stix.postJson(a, "/api/v1/evidence", Json.write(Stix.bundle(red, green)), BOSS);
        assertEquals(201, up.statusCode(), up.body());
        String sha = Json.parse(up.body()).path("sha256").asText();
        ObjectNode body = Json.object().put("text", "the dropper's C2, for cert-b only");
        body.putArray("recipients").add("cert-b.example");
        body.putArray("evidence").addObject().put("sha256", sha).put("name", "c2.stix.json");
        // an officer may not share what they may not read; the admin may
        var refused = TestNodes.post(a, "/api/v1/channels/tri/messages", Json.write(Json.object().put("kind", "notify").put("tlp", "red")
                .set("body", body)));
        assertEquals(422, refused.statusCode(), refused.body());
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "flash").put("tlp", "red").put("case", CaseIds.newId(a.node().origin(), java.time.Instant.now()));
        req.set("body", body);
        var sent = Stix.postJson(a, "/api/v1/channels/tri/messages", Json.write(req), BOSS);
        assertEquals(201, sent.statusCode(), sent.body());

        String redQuery = "/taxii2/api/collections/" + CollectionIds.ofChannel("tri") + "/objects/?match[id]=" + red.get("id").asText();
        String greenQuery = "/taxii2/api/collections/" + CollectionIds.ofChannel("tri") + "/objects/?match[id]=" + green.get("id").asText();
        assertTrue(TestNodes.eventually(20, () -> taxiiCount(b, greenQuery, BOSS) == 1), "the named recipient fetched");
        assertEquals(1, taxiiCount(b, redQuery, BOSS), "the named recipient's admin reads RED");
        assertEquals(0, taxiiCount(b, redQuery, Stix.duty()), "an officer there does not");
        // a RED message carries RED, whatever its objects are marked: the GREEN one is not for the officer either
        assertEquals(0, taxiiCount(b, greenQuery, Stix.duty()), "nor the GREEN-marked object a RED message carried");
        // c is not named: it never gets the message (only cert-a's withheld notice), so it has nothing to fetch
        String hash = Json.parse(sent.body()).path("hash").asText();
        assertTrue(TestNodes.eventually(20, () -> c.node().envelopes().link("tri", "cert-a.example",
                a.node().envelopes().byHash(hash).orElseThrow().envelope().seq()).map(l -> l.withheld()).orElse(false)));
        assertEquals(0, taxiiCount(c, redQuery, BOSS), "not named: never received");
        assertEquals(0, taxiiCount(c, greenQuery, BOSS), "not named: nothing of the RED message");
        assertTrue(c.node().db().query("SELECT object FROM stix_objects WHERE object_id IN (?, ?)", rs -> rs.getString(1), red.get("id").asText(),
                green.get("id").asText()).isEmpty(), "nothing of the RED message reached the unnamed member's node");
        assertTrue(c.node().db().query("SELECT state FROM evidence_links WHERE ref_sha256 = ?", rs -> rs.getString(1), sha).isEmpty());
        // b holds exactly what a holds
        var linkB = b.node().db().query("SELECT state, stored_sha256, detail FROM evidence_links WHERE ref_sha256 = ?",
                rs -> List.of(rs.getString(1), rs.getString(2), rs.getString(3)), sha).get(0);
        assertEquals(List.of("stored", sha), linkB.subList(0, 2), linkB.toString());
        // GET by the hash the envelope names works at the recipient, redacted for the account; c has nothing
        assertEquals(2, Json.parse(Stix.get(b, "/api/v1/evidence/" + sha, "application/json", BOSS).body()).path("objects").size());
        assertEquals(404, Stix.get(c, "/api/v1/evidence/" + sha, "application/json", BOSS).statusCode());
        // c, asking cert-a directly with a signed request and the envelope's hash from the notice, gets nothing
        String path = "/federation/v1/evidence/" + sha + "?envelope=" + hash;
        java.net.URI target = java.net.URI.create(a.baseUrl() + path);
        var asC = TestNodes.send(io.parley.federation.PeerRequestAuth.sign(java.net.http.HttpRequest.newBuilder(target).GET(),
                "GET", target, new byte[0], c.node().key(), java.time.Instant.now()).build());
        assertEquals(404, asC.statusCode(), asC.body());
        // a bundle with nothing for c: c's fetch settles at once as withheld, b gets it
        ObjectNode onlyRed = Stix.indicator(Tlp.RED, "192.0.2.202");
        String sha2 = Json.parse(Stix.postJson(a, "/api/v1/evidence", Json.write(Stix.bundle(onlyRed)), BOSS).body()).path("sha256").asText();
        ObjectNode body2 = Json.object().put("text", "only for b");
        body2.putArray("recipients").add("cert-b.example");
        body2.putArray("evidence").addObject().put("sha256", sha2);
        ObjectNode req2 = Json.object().put("kind", "notify").put("tlp", "red");
        req2.set("body", body2);
        assertEquals(201, Stix.postJson(a, "/api/v1/channels/tri/messages", Json.write(req2), BOSS).statusCode());
        String state = "SELECT state, detail FROM evidence_links WHERE ref_sha256 = ?";
        assertTrue(TestNodes.eventually(20, () -> b.node().db().query(state, rs -> rs.getString(1), sha2).equals(List.of("stored"))));
        // c is not named: it either never gets the envelope or its fetch is withheld; it never holds the bundle
        assertTrue(TestNodes.eventually(20, () -> c.node().db().query(state, rs -> rs.getString(1), sha2).stream().noneMatch("pending"::equals)));
        assertTrue(c.node().db().query(state, rs -> rs.getString(2), sha2).stream().allMatch(d -> d.startsWith("withheld")));
        assertTrue(c.node().db().query("SELECT sha256 FROM evidence_bundles WHERE sha256 = ?", rs -> rs.getString(1), sha2).isEmpty());
        // a non-member cannot fetch, and an unsigned request is refused
        var unsigned = TestNodes.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(a.baseUrl() + "/federation/v1/evidence/" + sha
                + "?envelope=" + Json.parse(sent.body()).path("hash").asText())).GET().build());
        assertEquals(401, unsigned.statusCode());
    }

    static int taxiiCount(NodeServer n, String path, String auth) {
        try {
            return Json.parse(Stix.get(n, path, Stix.TAXII, auth).body()).path("objects").size();
        } catch (Exception e) {
            return -1;
        }
    }
}
