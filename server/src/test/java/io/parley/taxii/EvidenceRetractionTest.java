package io.parley.taxii;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
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
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Retraction reaches the evidence, across three real nodes: a party withdrawing evidence it shared (one bundle, or
 * everything by retracting its case) makes every member's TAXII server serve the objects as revoked versions, takes
 * them out of correlation and the MISP/IODEF exports, and lists the signed retraction on the case; a dishonest
 * member cannot withdraw another party's evidence, and an anonymous client learns nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidenceRetractionTest {
    static final String BOSS = Stix.basic("boss", "boss-password-1");
    static final String VIEWER = Stix.basic("watcher", "boss-password-1");
    @TempDir static Path tmp;
    NodeServer a, b, c;

    @BeforeAll
    void start() throws Exception {
        a = TestNodes.start(tmp, "cert-a.example");
        b = TestNodes.start(tmp, "cert-b.example");
        c = TestNodes.start(tmp, "mfa-c.example");
        for (NodeServer x : List.of(a, b, c)) {
            x.node().users().put("boss", Passwords.hash("boss-password-1"), "admin", x.node().now());
            x.node().users().put("watcher", Passwords.hash("boss-password-1"), "viewer", x.node().now());
        }
        TestNodes.peerAll(a, b, c);
    }

    @AfterAll
    void stop() {
        for (NodeServer n : new NodeServer[] {a, b, c}) if (n != null) n.close();
    }

    static JsonNode getJson(NodeServer n, String path) {
        try {
            var res = TestNodes.get(n, path);
            return res.statusCode() == 200 ? Json.parse(res.body()) : Json.object();
        } catch (Exception e) {
            return Json.object();
        }
    }

    static JsonNode taxii(NodeServer n, String path) {
        try {
            var res = Stix.taxii(n, path);
            return res.statusCode() == 200 ? Json.parse(res.body()) : Json.object();
        } catch (Exception e) {
            return Json.object();
        }
    }

    /**
     * The parties correlation lists as having shared an IPv4 value in a channel, at {@code n} (a node's own uploads,
     * shared with no one, are its own business and stay).
     */
    static Set<String> reporters(NodeServer n, String ip) {
        Set<String> out = new HashSet<>();
        getJson(n, "/api/v1/correlations/indicator?type=ipv4&value=" + ip).path("sightings").forEach(s -> {
            if (!s.path("channel").isNull()) out.add(s.path("party").asText());
        });
        return out;
    }

    /** The latest version of {@code objectId} in {@code channel}'s collection at {@code n}, or a missing node. */
    static JsonNode latest(NodeServer n, String channel, String objectId) {
        JsonNode objs = taxii(n, "/taxii2/api/collections/" + CollectionIds.ofChannel(channel) + "/objects/" + objectId + "/");
        return objs.path("objects").path(0);
    }

    @Test
    void retractingABundleOrACaseRevokesItsSendersObjectsOnEveryNodeAndNoOneElses() throws Exception {
        String ch = "ret-" + UUID.randomUUID().toString().substring(0, 8);
        TestNodes.establish(TestNodes.charter(ch, Tlp.AMBER, a, b, c), a, b, c);
        String coll = CollectionIds.ofChannel(ch);

        // cert-a opens a case with an inline bundle: an indicator (revocable) and the address itself (a cyber observable)
        ObjectNode inlineIndicator = Stix.indicator(Tlp.GREEN, "203.0.113.7");
        ObjectNode sco = Stix.ipv4("203.0.113.7", Tlp.GREEN);
        ObjectNode open = Json.object().put("kind", "notify").put("tlp", "green");
        open.putObject("body").put("summary", "phishing C2").set("stix", Stix.bundle(inlineIndicator, sco));
        var opened = TestNodes.post(a, "/api/v1/channels/" + ch + "/cases", Json.write(open));
        assertEquals(201, opened.statusCode(), opened.body());
        String caseId = Json.parse(opened.body()).path("id").asText();
        // cert-a names a second bundle by hash in the case; cert-b reports the same address in its own update
        ObjectNode byHash = Stix.indicator(Tlp.GREEN, "192.0.2.44");
        var up = Stix.postJson(a, "/api/v1/evidence", Json.write(Stix.bundle(byHash)), BOSS);
        assertEquals(201, up.statusCode(), up.body());
        String sha = Json.parse(up.body()).path("sha256").asText();
        ObjectNode note = Json.object().put("kind", "notify").put("priority", "routine").put("tlp", "green").put("case", caseId);
        note.putObject("body").put("text", "second stage").putArray("evidence").addObject().put("sha256", sha);
        assertEquals(201, TestNodes.post(a, "/api/v1/channels/" + ch + "/messages", Json.write(note)).statusCode());
        assertTrue(TestNodes.eventually(15, () -> b.cases().timeline(caseId).isPresent()));
        ObjectNode bIndicator = Stix.indicator(Tlp.GREEN, "203.0.113.7");
        ObjectNode bUpdate = Json.object().put("text", "we see it too");
        bUpdate.set("stix", Stix.bundle(bIndicator));
        assertEquals(200, TestNodes.post(b, "/api/v1/cases/" + caseId + "/update", Json.write(bUpdate)).statusCode());

        assertTrue(TestNodes.eventually(20, () -> reporters(c, "203.0.113.7").equals(Set.of("cert-a.example", "cert-b.example"))
                && reporters(c, "192.0.2.44").equals(Set.of("cert-a.example"))), () -> reporters(c, "203.0.113.7") + " " + reporters(c, "192.0.2.44"));
        // every node holds the bundle named by hash (fetched from cert-a) before it is withdrawn
        for (NodeServer n : List.of(a, b, c)) {
            assertTrue(TestNodes.eventually(20, () -> !latest(n, ch, byHash.path("id").asText()).isMissingNode()), n.node().origin());
        }
        String beforeRetraction = TaxiiStore.format(TaxiiStore.micros(Instant.now()));

        // who may retract: not an anonymous caller, not a viewer, not a party that did not share it
        assertEquals(401, Stix.postJson(a, "/api/v1/evidence/" + sha + "/retract", "{}", null).statusCode());
        assertEquals(403, Stix.postJson(a, "/api/v1/evidence/" + sha + "/retract", "{}", VIEWER).statusCode());
        var notOurs = Stix.postJson(b, "/api/v1/evidence/" + sha + "/retract", "{}", BOSS);
        assertEquals(404, notOurs.statusCode(), notOurs.body());
        assertTrue(notOurs.body().contains("not-shared"), notOurs.body());

        // a dishonest member signs retracts naming cert-a's evidence, and "retracts" cert-a's case: nothing of cert-a's moves
        for (ObjectNode body : List.of(Json.object().<ObjectNode>set("evidence_retracted", Json.MAPPER.createArrayNode().add(sha)), Json.object())) {
            Verdict v = b.node().composer().compose(new Composer.Draft(ch, Kind.RETRACT, caseId, Priority.ROUTINE, Tlp.GREEN, body));
            assertInstanceOf(Verdict.Accepted.class, v);
            String h = ((Verdict.Accepted) v).hash();
            assertTrue(TestNodes.eventually(15, () -> c.node().envelopes().byHash(h).isPresent()));
        }

        // cert-a withdraws the bundle it named by hash
        var retracted = Stix.postJson(a, "/api/v1/evidence/" + sha + "/retract", "{\"reason\":\"false positive: our sinkhole\",\"lang\":\"en\"}", BOSS);
        assertEquals(200, retracted.statusCode(), retracted.body());
        String retractHash = Json.parse(retracted.body()).path("retracts").get(0).path("envelope").asText();
        assertEquals(409, Stix.postJson(a, "/api/v1/evidence/" + sha + "/retract", "{}", BOSS).statusCode(), "withdrawn once is enough");
        String byHashId = byHash.path("id").asText();
        for (NodeServer n : List.of(a, b, c)) {
            assertTrue(TestNodes.eventually(20, () -> latest(n, ch, byHashId).path("revoked").asBoolean(false)), () -> n.node().origin() + ": " + latest(n, ch, byHashId));
            assertTrue(TestNodes.eventually(20, () -> reporters(n, "192.0.2.44").isEmpty()), "out of correlation at " + n.node().origin());
        }
        JsonNode revoked = latest(c, ch, byHashId);
        assertTrue(Instant.parse(revoked.path("modified").asText()).isAfter(Instant.parse(byHash.path("modified").asText())), revoked.toString());
        assertEquals(byHash.path("pattern").asText(), revoked.path("pattern").asText(), "the same object, revoked");
        JsonNode versions = taxii(c, "/taxii2/api/collections/" + coll + "/objects/" + byHashId + "/versions/");
        assertEquals(2, versions.path("versions").size(), versions.toString());
        // a client that pulled before sees the revocation as a new addition
        JsonNode since = taxii(c, "/taxii2/api/collections/" + coll + "/objects/?added_after=" + beforeRetraction);
        assertTrue(since.path("objects").findValues("id").stream().anyMatch(x -> x.asText().equals(byHashId)), since.toString());
        // the case is not retracted by it; the record stays on the case
        JsonNode caseAtC = getJson(c, "/api/v1/cases/" + caseId);
        assertEquals("in_progress", caseAtC.path("state").asText(), "withdrawing evidence leaves the case as it was: " + caseAtC);
        JsonNode record = caseAtC.path("retracted_evidence");
        assertEquals(1, record.size(), "the dishonest member's retracts withdrew nothing: " + record);
        assertEquals("cert-a.example", record.get(0).path("by").asText());
        assertEquals(sha, record.get(0).path("evidence").asText());
        assertEquals(retractHash, record.get(0).path("retract").asText());
        // exports that feed other tools do not re-spread it; the bundle itself stays readable, marked
        assertEquals(410, Stix.get(c, "/api/v1/evidence/" + sha + "/misp", "application/json", BOSS).statusCode());
        assertEquals(410, Stix.get(c, "/api/v1/evidence/" + sha + "/iodef", null, BOSS).statusCode());
        var stixRead = Stix.get(c, "/api/v1/evidence/" + sha, null, BOSS);
        assertEquals(200, stixRead.statusCode());
        assertEquals(retractHash, stixRead.headers().firstValue("Parley-Retracted").orElse(""));
        // cert-a's inline evidence is still there: the dishonest retracts did not reach it
        assertFalse(latest(c, ch, inlineIndicator.path("id").asText()).path("revoked").asBoolean(false));
        assertEquals(Set.of("cert-a.example", "cert-b.example"), reporters(c, "203.0.113.7"));

        // an anonymous TAXII client learns nothing, revoked or not
        assertEquals(401, Stix.get(c, "/taxii2/api/collections/" + coll + "/objects/", Stix.TAXII, null).statusCode());

        // cert-a retracts its case: everything it shared in it is withdrawn, cert-b's report stays
        assertEquals(200, TestNodes.post(a, "/api/v1/cases/" + caseId + "/retract", "{}").statusCode());
        String inlineId = inlineIndicator.path("id").asText();
        for (NodeServer n : List.of(a, b, c)) {
            assertTrue(TestNodes.eventually(20, () -> latest(n, ch, inlineId).path("revoked").asBoolean(false)), n.node().origin());
            assertTrue(TestNodes.eventually(20, () -> reporters(n, "203.0.113.7").equals(Set.of("cert-b.example"))), () -> n.node().origin() + " " + reporters(n, "203.0.113.7"));
        }
        assertTrue(latest(c, ch, sco.path("id").asText()).isMissingNode(), "an observable STIX cannot revoke is no longer served");
        assertFalse(latest(c, ch, bIndicator.path("id").asText()).path("revoked").asBoolean(false), "cert-b's object is cert-b's");
        JsonNode after = getJson(c, "/api/v1/cases/" + caseId);
        assertEquals("retracted", after.path("state").asText());
        assertEquals(2, after.path("retracted_evidence").size(), after.path("retracted_evidence").toString());
        assertEquals("case", after.path("retracted_evidence").get(1).path("scope").asText());
    }
}
