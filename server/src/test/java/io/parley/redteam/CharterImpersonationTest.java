package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 10 item 7: a member must not be able to put another party in a channel under a key it made up, nor get an
 * operator's signature on terms the operator did not review.
 */
class CharterImpersonationTest {
    @TempDir
    static Path tmp;
    static HostileNetwork net;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) net.close();
    }

    /** {@code honest} members with their real keys, plus mfa-c.example under a key the hostile node generated. */
    private static Charter withForgedC(String id, NodeServer... honest) {
        Charter base = TestNodes.charter(id, Tlp.AMBER, honest);
        List<Charter.Member> members = new ArrayList<>(base.members());
        SigningKey forged = SigningKey.generate(net.c.node().origin());
        members.add(new Charter.Member(net.c.node().origin(), forged.verifierKey(), net.evil.baseUrl()));
        members.sort(java.util.Comparator.comparing(Charter.Member::origin));
        return new Charter(id, base.title(), base.level(), members, base.deadlines(), base.tlpCeiling(), base.escalation());
    }

    private static ObjectNode charterBody(String action, Charter c) {
        ObjectNode body = Json.object().put("action", action);
        body.set("charter", c.toJson());
        return body;
    }

    private static boolean rejectedWith(NodeServer n, String code, String channel) {
        return n.node().envelopes().rejections(50).stream().anyMatch(r -> code.equals(r.code()) && channel.equals(r.channel()));
    }

    @Test
    void proposalNamingAnotherPartyUnderAForgedKeyIsRefused() throws Exception {
        String id = "rt7-forged-proposal";
        Charter forged = withForgedC(id, net.a, net.evil);
        Envelope proposal = HostileChain.of(net.evil, id).next(Kind.CHARTER, null, Tlp.GREEN, charterBody("propose", forged));
        JsonNode answer = HostileChain.deliver(net.a, proposal);
        assertFalse("accepted".equals(answer.path("status").asText()), answer.toString());
        assertTrue(answer.path("type").asText().endsWith("/key-mismatch"), answer.toString());
        assertTrue(net.a.node().channels().charter(id).isEmpty(), "cert-a adopted a channel naming mfa-c under a key mfa-c never had");
        assertTrue(rejectedWith(net.a, "key-mismatch", id), "the refusal is recorded like other rejections");
    }

    @Test
    void amendmentNamingAnotherPartyUnderAForgedKeyIsRefused() throws Exception {
        String id = "rt7-forged-amendment";
        Charter honest = TestNodes.charter(id, Tlp.AMBER, net.a, net.b, net.evil);
        TestNodes.establish(honest, net.a, net.b, net.evil);
        Envelope amend = HostileChain.of(net.evil, id).next(Kind.CHARTER, null, Tlp.GREEN, charterBody("amend", withForgedC(id, net.a, net.b, net.evil)));
        JsonNode answer = HostileChain.deliver(net.a, amend);
        assertTrue(answer.path("type").asText().endsWith("/key-mismatch"), answer.toString());
        assertTrue(net.a.node().channels().pending(id).isEmpty(), "the forged amendment was put up for signature");
        assertTrue(rejectedWith(net.a, "key-mismatch", id));
    }

    @Test
    void forgedMemberCannotActivateAChannelAndCarryAFlashRequest() throws Exception {
        // The attack as reported: the forged party signs with the key the proposer made, the victim signs, and a
        // flash request "from mfa-c" is accepted. Whatever cert-a's operator does, the channel never opens.
        String id = "rt7-forged-flash";
        Charter forged = withForgedC(id, net.a, net.evil);
        HostileChain.deliver(net.a, HostileChain.of(net.evil, id).next(Kind.CHARTER, null, Tlp.GREEN, charterBody("propose", forged)));
        var sign = TestNodes.post(net.a, "/api/v1/channels/" + id + "/sign",
                Json.write(Json.object().put("charter_hash", forged.hash())));
        assertTrue(sign.statusCode() >= 400 && sign.statusCode() < 500, sign.statusCode() + " " + sign.body());
        assertFalse(net.a.node().charters().active(id), "a charter with a forged member key went active");
    }

    @Test
    void proposalNamingAnUnpinnedPartyCannotBeSigned() throws Exception {
        String id = "rt7-unpinned";
        SigningKey ghost = SigningKey.generate("ghost.example");
        Charter base = TestNodes.charter(id, Tlp.AMBER, net.a, net.evil);
        List<Charter.Member> members = new ArrayList<>(base.members());
        members.add(new Charter.Member("ghost.example", ghost.verifierKey(), "http://127.0.0.1:9"));
        Charter terms = new Charter(id, base.title(), base.level(), members, base.deadlines(), base.tlpCeiling(), base.escalation());
        HostileChain.deliver(net.a, HostileChain.of(net.evil, id).next(Kind.CHARTER, null, Tlp.GREEN, charterBody("propose", terms)));
        var sign = TestNodes.post(net.a, "/api/v1/channels/" + id + "/sign", Json.write(Json.object().put("charter_hash", terms.hash())));
        assertEquals(409, sign.statusCode(), sign.body());
        assertTrue(sign.body().contains("ghost.example") && sign.body().contains("peer add"), sign.body());
        // the "ghost" signs with its own key: still nothing becomes active here
        HostileChain.deliver(net.a, HostileChain.fresh(ghost, id).next(Kind.CHARTER, null, Tlp.GREEN,
                Json.object().put("action", "sign").put("charter_hash", terms.hash())));
        assertFalse(net.a.node().charters().active(id));
    }

    @Test
    void pendingAmendmentSwappedUnderAReviewerIsNotSigned() throws Exception {
        String id = "rt7-swap";
        TestNodes.establish(TestNodes.charter(id, Tlp.AMBER, net.a, net.b, net.evil), net.a, net.b, net.evil);
        // evil proposes a harmless amendment through its own node; cert-b's operator reviews it
        Charter first = TestNodes.charter(id, Tlp.AMBER, net.a, net.b, net.evil);
        first = new Charter(id, "harmless title change", first.level(), first.members(), first.deadlines(), first.tlpCeiling(), first.escalation());
        assertEquals(200, TestNodes.post(net.evil, "/api/v1/channels/" + id + "/amend", Json.write(first.toJson())).statusCode());
        String reviewed = first.hash();
        assertTrue(TestNodes.eventually(10, () -> net.b.node().channels().pending(id).map(Charter::hash).filter(reviewed::equals).isPresent()));
        // ...and just before the operator clicks "sign", evil swaps in other terms
        Charter second = new Charter(id, "harmless title change", first.level(), first.members(), first.deadlines(), Tlp.AMBER_STRICT, first.escalation());
        assertEquals(200, TestNodes.post(net.evil, "/api/v1/channels/" + id + "/amend", Json.write(second.toJson())).statusCode());
        String swapped = second.hash();
        assertTrue(TestNodes.eventually(10, () -> net.b.node().channels().pending(id).map(Charter::hash).filter(swapped::equals).isPresent()));
        var sign = TestNodes.post(net.b, "/api/v1/channels/" + id + "/sign", Json.write(Json.object().put("charter_hash", reviewed)));
        assertEquals(409, sign.statusCode(), sign.body());
        assertFalse(net.b.node().channels().signers(id, swapped).contains(net.b.node().origin()), "cert-b signed terms its operator never saw");
        assertFalse(net.b.node().channels().signers(id, reviewed).contains(net.b.node().origin()), "nor the replaced ones");
    }

    @Test
    void signWithoutTheReviewedHashIsABadRequest() throws Exception {
        String id = "rt7-nohash";
        Charter terms = TestNodes.charter(id, Tlp.AMBER, net.a, net.evil);
        assertEquals(201, TestNodes.post(net.evil, "/api/v1/channels", Json.write(terms.toJson())).statusCode());
        assertTrue(TestNodes.eventually(10, () -> net.a.node().channels().charter(id).isPresent()));
        var missing = TestNodes.post(net.a, "/api/v1/channels/" + id + "/sign", "{}");
        assertEquals(400, missing.statusCode(), missing.body());
        assertTrue(missing.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertFalse(net.a.node().channels().signers(id, terms.hash()).contains(net.a.node().origin()));
    }

    @Test
    void webSignFormSignsOnlyTheTermsItShowed() throws Exception {
        String id = "rt7-web";
        Charter shown = TestNodes.charter(id, Tlp.AMBER, net.a, net.evil);
        assertEquals(201, TestNodes.post(net.evil, "/api/v1/channels", Json.write(shown.toJson())).statusCode());
        assertTrue(TestNodes.eventually(10, () -> net.a.node().channels().charter(id).isPresent()));
        String session = io.parley.testing.WebSessions.signIn(net.a);
        String html = io.parley.testing.WebSessions.get(net.a, session, "/channels/" + id).body();
        String hash = shown.hash();
        assertTrue(html.contains("name=\"charter_hash\" value=\"" + hash + "\""), "the form carries the hash the page shows: " + html);
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(csrf.find(), html);
        var stale = webForm(net.a, session, "/channels/" + id + "/sign", "csrf=" + csrf.group(1) + "&back=channel&charter_hash=" + "ab".repeat(32));
        assertEquals(409, stale.statusCode(), stale.body());
        var missing = webForm(net.a, session, "/channels/" + id + "/sign", "csrf=" + csrf.group(1) + "&back=channel");
        assertEquals(400, missing.statusCode(), missing.body());
        assertFalse(net.a.node().channels().signers(id, hash).contains(net.a.node().origin()));
        var signed = webForm(net.a, session, "/channels/" + id + "/sign", "csrf=" + csrf.group(1) + "&back=channel&charter_hash=" + hash);
        assertEquals(303, signed.statusCode(), signed.body());
        assertTrue(net.a.node().channels().signers(id, hash).contains(net.a.node().origin()));
    }

    private static java.net.http.HttpResponse<String> webForm(NodeServer n, String session, String path, String form) throws Exception {
        return io.parley.testing.WebSessions.form(n, path, session, form);
    }

    @Test
    void proposalDeliveredTwiceIsADuplicateAndAnotherProposalCannotReplaceIt() throws Exception {
        String id = "rt7-dup";
        HostileChain chain = HostileChain.of(net.evil, id);
        Envelope proposal = chain.next(Kind.CHARTER, null, Tlp.GREEN, charterBody("propose", TestNodes.charter(id, Tlp.AMBER, net.a, net.evil)));
        assertEquals("accepted", HostileChain.deliver(net.a, proposal).path("status").asText());
        assertEquals("duplicate", HostileChain.deliver(net.a, proposal).path("status").asText(), "a retried delivery is not a refusal");
        Charter other = TestNodes.charter(id, Tlp.RED, net.a, net.evil);
        JsonNode answer = HostileChain.deliver(net.a, chain.next(Kind.CHARTER, null, Tlp.GREEN, charterBody("propose", other)));
        assertTrue(answer.path("type").asText().endsWith("/kind-not-accepted"), answer.toString());
        assertEquals(Tlp.AMBER, net.a.node().channels().charter(id).orElseThrow().tlpCeiling(), "the terms awaiting review were replaced");
    }

    @Test
    void anonymousCallerCannotSign() throws Exception {
        String id = "rt7-anon";
        Charter terms = TestNodes.charter(id, Tlp.AMBER, net.a, net.evil);
        assertEquals(201, TestNodes.post(net.evil, "/api/v1/channels", Json.write(terms.toJson())).statusCode());
        assertTrue(TestNodes.eventually(10, () -> net.a.node().channels().charter(id).isPresent()));
        var res = HostileNetwork.rawPost(net.a, "/api/v1/channels/" + id + "/sign", "application/json",
                Json.write(Json.object().put("charter_hash", terms.hash())).getBytes(StandardCharsets.UTF_8));
        assertEquals(401, res.statusCode(), res.body());
        assertFalse(net.a.node().channels().signers(id, terms.hash()).contains(net.a.node().origin()));
    }
}
