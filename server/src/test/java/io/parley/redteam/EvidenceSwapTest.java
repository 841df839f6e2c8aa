package io.parley.redteam;

import static io.parley.redteam.EvidenceAttacks.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.auth.Passwords;
import io.parley.envelope.Tlp;
import io.parley.identity.Sha256;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.testing.TestNodes;

/**
 * Issue 10 item 11: a sender must not be able to show a recipient other evidence than the bundle its signed envelope
 * names. The hostile node's software is dishonest: its evidence store holds, under the hash it names, other bytes.
 */
class EvidenceSwapTest {
    @TempDir static Path tmp;
    static HostileNetwork net;

    @BeforeAll
    static void network() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter("quad", Tlp.AMBER, net.a, net.b, net.c, net.evil), net.a, net.b, net.c, net.evil);
        net.b.node().users().put("boss", Passwords.hash("boss-password-1"), "admin", java.time.Instant.now());
    }

    @AfterAll
    static void stop() throws Exception {
        net.close();
    }

    @Test
    void senderServingOtherBytesThanItSignedIsRecordedAsProofAndFlagged() throws Exception {
        ObjectNode named = bundle(ipIndicator(Tlp.GREEN, "192.0.2.70"));
        ObjectNode swapped = bundle(ipIndicator(Tlp.GREEN, "192.0.2.71"));
        var up = TestNodes.post(net.evil, "/api/v1/evidence", Json.write(named));
        assertEquals(201, up.statusCode(), up.body());
        String sha = Json.parse(up.body()).path("sha256").asText();
        assertEquals(Sha256.hex(Jcs.canonicalize(named)), sha);
        String swappedSha = Sha256.hex(Jcs.canonicalize(swapped));
        // the dishonest software: under the hash it names, its store holds (and so serves) other bytes
        net.evil.node().db().update("UPDATE evidence_bundles SET bundle = ? WHERE sha256 = ?",
                new String(Jcs.canonicalize(swapped), StandardCharsets.UTF_8), sha);
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "green");
        ObjectNode body = Json.object().put("text", "C2 list attached").put("lang", "en");
        body.putArray("evidence").addObject().put("sha256", sha).put("name", "c2.json");
        req.set("body", body);
        var sent = api(net.evil, "/api/v1/channels/quad/messages", req);
        assertEquals(201, sent.statusCode(), sent.body());
        String envelopeHash = Json.parse(sent.body()).path("hash").asText();

        String link = "SELECT state, detail FROM evidence_links WHERE envelope_hash = ? AND ref_sha256 = ?";
        assertTrue(TestNodes.eventually(30, () -> net.b.node().db().query(link, rs -> rs.getString(1), envelopeHash, sha).equals(java.util.List.of("failed"))),
                "b settled the fetch as failed: " + net.b.node().db().query(link, rs -> rs.getString(1) + " " + rs.getString(2), envelopeHash, sha));
        assertTrue(net.b.node().db().query(link, rs -> rs.getString(2), envelopeHash, sha).get(0).startsWith("mismatch"));
        // never accepted as the referenced evidence: not stored, not indexed, not in TAXII
        assertFalse(indexed(net.b, "192.0.2.71"));
        assertFalse(inTaxii(net.b, "192.0.2.71"));
        assertTrue(net.b.node().db().query("SELECT sha256 FROM evidence_bundles WHERE sha256 IN (?, ?)", rs -> rs.getString(1), sha, swappedSha).isEmpty());
        // the sender is flagged, as for an equivocation
        assertNotNull(net.b.node().parties().find(HostileNetwork.EVIL).orElseThrow().flaggedReason());

        // the proof, listed in the API: the signed envelope, the bytes served, and the sender's signed statement
        var listed = TestNodes.send(HttpRequest.newBuilder(URI.create(net.b.baseUrl() + "/api/v1/evidence-mismatches"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("boss:boss-password-1".getBytes(StandardCharsets.UTF_8))).GET().build());
        assertEquals(200, listed.statusCode(), listed.body());
        JsonNode m = Json.parse(listed.body()).get(0);
        assertEquals(HostileNetwork.EVIL, m.path("sender").asText());
        assertEquals(envelopeHash, m.path("envelope_hash").asText());
        assertEquals(sha, m.path("evidence").asText());
        assertEquals(swappedSha, m.path("served_bundle_sha256").asText());
        byte[] served = Base64.getDecoder().decode(m.path("served_base64").asText());
        assertEquals(swappedSha, Sha256.hex(Jcs.canonicalize(Json.parse(served))));
        assertEquals(envelopeHash, io.parley.envelope.Envelope.fromJson(m.path("envelope")).hash(), "the signed envelope itself");
        // anyone holding the sender's key can check the statement: it names both hashes and the bytes' hash
        String statement = m.path("statement").asText();
        assertTrue(statement.contains(sha) && statement.contains(Sha256.hex(served)) && statement.contains("cert-b.example"), statement);
        assertTrue(net.evil.node().key().verifierKey().verify(statement.getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(m.path("signature").asText())), "the sender's own signature on what it served");
        // an officer sees the record but not the served bytes
        var asOfficer = TestNodes.get(net.b, "/api/v1/evidence-mismatches");
        assertEquals(200, asOfficer.statusCode());
        assertFalse(Json.parse(asOfficer.body()).get(0).has("served_base64"));
    }
}
