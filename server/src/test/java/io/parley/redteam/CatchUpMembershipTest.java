package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Tlp;
import io.parley.federation.PeerRequestAuth;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 10 item 4: channel history goes, over signed peer requests, only to members of the charter in force; a party
 * that an amendment merely proposes to add (and that has not been agreed by every member) gets nothing.
 */
class CatchUpMembershipTest {
    static final String CHANNEL = "rt4-strict";
    static final String SECRET = "AMBER+STRICT: rt4 wiper sample hash 5f0c";

    @TempDir
    static Path tmp;
    static HostileNetwork net;
    static String evidenceSha;
    static String evidenceEnvelope;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter(CHANNEL, Tlp.AMBER_STRICT, net.a, net.b, net.c), net.a, net.b, net.c);
        HostileNetwork.send(net.a, CHANNEL, Tlp.AMBER_STRICT, SECRET);
        String bundle;
        try (InputStream in = CatchUpMembershipTest.class.getClassLoader().getResourceAsStream("evidence/examples/indicator-for-c2-ip-address.json")) {
            bundle = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var up = TestNodes.post(net.a, "/api/v1/evidence", bundle);
        assertTrue(up.statusCode() == 201 || up.statusCode() == 200, up.body());
        evidenceSha = Json.parse(up.body()).path("sha256").asText();
        ObjectNode msg = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", "amber+strict");
        ObjectNode body = msg.putObject("body").put("text", "see attached").put("lang", "en");
        body.putArray("evidence").addObject().put("sha256", evidenceSha).put("name", "c2.json");
        var sent = TestNodes.post(net.a, "/api/v1/channels/" + CHANNEL + "/messages", Json.write(msg));
        assertEquals(201, sent.statusCode(), sent.body());
        evidenceEnvelope = Json.parse(sent.body()).path("hash").asText();
        // mfa-c proposes to add evil.example; nobody else has agreed
        Charter withEvil = TestNodes.charter(CHANNEL, Tlp.AMBER_STRICT, net.a, net.b, net.c, net.evil);
        var amend = TestNodes.post(net.c, "/api/v1/channels/" + CHANNEL + "/amend", Json.write(withEvil.toJson()));
        assertEquals(200, amend.statusCode(), amend.body());
        assertTrue(TestNodes.eventually(10, () -> net.a.node().channels().pending(CHANNEL).flatMap(p -> p.member(HostileNetwork.EVIL)).isPresent()),
                "cert-a holds the amendment naming evil.example");
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) net.close();
    }

    /** A GET signed with {@code as}'s log key, as a peer's catch-up or evidence fetch is. */
    static HttpResponse<String> signedGet(NodeServer as, NodeServer to, String path) throws Exception {
        URI target = URI.create(to.baseUrl() + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(target).GET();
        return TestNodes.send(PeerRequestAuth.sign(b, "GET", target, new byte[0], HostileNetwork.keyOf(as), java.time.Instant.now()).build());
    }

    static void assertProblem(HttpResponse<String> res, int status) {
        assertEquals(status, res.statusCode(), res.body());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), res.body());
        assertFalse(res.body().contains(SECRET), "the answer carries the channel's text");
    }

    @Test
    void proposedMemberCannotCatchUpOnHistory() throws Exception {
        var res = signedGet(net.evil, net.a, "/federation/v1/channels/" + CHANNEL + "/envelopes?from=cert-a.example&after=0");
        assertProblem(res, 403);
    }

    @Test
    void proposedMemberCannotCatchUpOnAnotherMembersChain() throws Exception {
        var res = signedGet(net.evil, net.c, "/federation/v1/channels/" + CHANNEL + "/envelopes?from=cert-a.example&after=0");
        assertProblem(res, 403);
    }

    @Test
    void proposedMemberCannotFetchEvidence() throws Exception {
        var res = signedGet(net.evil, net.a, "/federation/v1/evidence/" + evidenceSha + "?envelope=" + evidenceEnvelope);
        assertProblem(res, 403);
    }

    @Test
    void proposedMemberCannotReplaceThePendingAmendment() throws Exception {
        String pending = net.a.node().channels().pending(CHANNEL).map(Charter::hash).orElseThrow();
        Charter swapped = TestNodes.charter(CHANNEL, Tlp.AMBER, net.a, net.b, net.c, net.evil);
        ObjectNode body = Json.object().put("action", "amend");
        body.set("charter", swapped.toJson());
        var answer = HostileChain.deliver(net.a, HostileChain.of(net.evil, CHANNEL).next(io.parley.envelope.Kind.CHARTER, null, Tlp.GREEN, body));
        assertTrue(answer.path("type").asText().endsWith("/not-member"), answer.toString());
        assertEquals(pending, net.a.node().channels().pending(CHANNEL).map(Charter::hash).orElseThrow(),
                "the amendment every member is reviewing was replaced by a party it merely proposes to add");
    }

    @Test
    void agreedMemberStillCatchesUp() throws Exception {
        var res = signedGet(net.b, net.a, "/federation/v1/channels/" + CHANNEL + "/envelopes?from=cert-a.example&after=0");
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(res.body().contains(SECRET));
    }

    @Test
    void anonymousCatchUpIsUnauthorized() throws Exception {
        var res = HostileNetwork.rawGet(net.a, "/federation/v1/channels/" + CHANNEL + "/envelopes?from=cert-a.example&after=0");
        assertEquals(401, res.statusCode());
        String body = new String(res.body(), StandardCharsets.UTF_8);
        assertFalse(body.contains(SECRET));
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), body);
    }

    @Test
    void anonymousEvidenceFetchIsUnauthorized() throws Exception {
        var res = HostileNetwork.rawGet(net.a, "/federation/v1/evidence/" + evidenceSha + "?envelope=" + evidenceEnvelope);
        assertEquals(401, res.statusCode());
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }
}
