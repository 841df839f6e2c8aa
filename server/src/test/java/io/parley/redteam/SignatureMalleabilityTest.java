package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Item 6: one signature has exactly one accepted spelling, so an anonymous client that re-encodes a genuine
 * signature can neither frame its sender as an equivocator nor poison the sender's chain at a peer.
 */
class SignatureMalleabilityTest {
    @TempDir static Path tmp;
    static HostileNetwork net;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter("malleable", Tlp.AMBER, net.a, net.b), net.a, net.b);
        TestNodes.establish(TestNodes.charter("poison", Tlp.AMBER, net.a, net.c), net.a, net.c);
    }

    @AfterAll
    static void stop() throws Exception {
        if (net != null) net.close();
    }

    /** Every other spelling of {@code e}'s signature (and of its prev) that a lenient decoder would take for the same bytes. */
    static Map<String, ObjectNode> variants(Envelope e) {
        String sig = e.sig();
        Map<String, String> sigs = new LinkedHashMap<>();
        // 64 bytes take 86 base64 digits, the last carrying 2 unused bits, then "==".
        char last = sig.charAt(85);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        int v = alphabet.indexOf(last);
        for (int bits = 1; bits < 4; bits++) sigs.put("trailing bits " + bits, sig.substring(0, 85) + alphabet.charAt(v ^ bits) + "==");
        sigs.put("missing padding", sig.substring(0, 86));
        sigs.put("one pad", sig.substring(0, 87));
        sigs.put("url-safe alphabet", sig.replace('+', '-').replace('/', '_'));
        sigs.put("url-safe, no padding", sig.replace('+', '-').replace('/', '_').substring(0, 86));
        sigs.put("trailing newline", sig + "\n");
        sigs.put("mime line break", sig.substring(0, 76) + "\r\n" + sig.substring(76));
        sigs.put("inner space", sig.substring(0, 40) + " " + sig.substring(40));
        sigs.put("leading space", " " + sig);
        Map<String, ObjectNode> out = new LinkedHashMap<>();
        sigs.forEach((name, s) -> {
            if (s.equals(sig)) return;
            ObjectNode json = e.toJson();
            json.put("sig", s);
            out.put(name, json);
        });
        if (e.prev() != null) {
            ObjectNode json = e.toJson();
            json.put("prev", e.prev().toUpperCase());
            out.put("uppercase prev", json);
        }
        return out;
    }

    static String flag(NodeServer at, String origin) {
        return at.node().parties().find(origin).map(p -> p.flaggedReason()).orElse(null);
    }

    @Test
    void reEncodedSignatureCannotFrameAnHonestSender() throws Exception {
        String hash = HostileNetwork.send(net.a, "malleable", Tlp.GREEN, "genuine");
        assertTrue(TestNodes.eventually(10, () -> net.b.node().envelopes().byHash(hash).isPresent()));
        Envelope genuine = net.b.node().envelopes().byHash(hash).orElseThrow().envelope();
        assertFalse(variants(genuine).isEmpty());
        for (var v : variants(genuine).entrySet()) {
            var res = HostileNetwork.rawPost(net.b, "/federation/v1/inbox", "application/json", Json.write(v.getValue()).getBytes(StandardCharsets.UTF_8));
            assertTrue(res.statusCode() >= 400 && res.statusCode() < 500, v.getKey() + ": " + res.statusCode() + " " + res.body());
            assertTrue(res.body().contains("malformed"), v.getKey() + ": " + res.body());
        }
        // The same signature with S + L (a second byte form RFC 8032 forbids): canonical text, refused by verify.
        byte[] sig = genuine.signatureBytes();
        java.math.BigInteger l = java.math.BigInteger.TWO.pow(252).add(new java.math.BigInteger("27742317777372353535851937790883648493"));
        byte[] sLe = java.util.Arrays.copyOfRange(sig, 32, 64);
        byte[] sBe = new byte[33];
        for (int i = 0; i < 32; i++) sBe[32 - i] = sLe[i];
        byte[] sum = new java.math.BigInteger(sBe).add(l).toByteArray();
        for (int i = 0; i < 32; i++) sig[32 + i] = i < sum.length ? sum[sum.length - 1 - i] : 0;
        ObjectNode malleated = genuine.toJson();
        malleated.put("sig", Base64.getEncoder().encodeToString(sig));
        var sl = HostileNetwork.rawPost(net.b, "/federation/v1/inbox", "application/json", Json.write(malleated).getBytes(StandardCharsets.UTF_8));
        assertTrue(sl.statusCode() >= 400 && sl.statusCode() < 500, "S + L: " + sl.statusCode() + " " + sl.body());
        assertEquals(0, net.b.node().envelopes().equivocations().size(), "a re-encoded signature was recorded as equivocation");
        assertNull(flag(net.b, net.a.node().origin()), "the honest sender was flagged");
        assertEquals(hash, net.b.node().envelopes().at("malleable", net.a.node().origin(), genuine.seq()).orElseThrow().hash());
        // The genuine one is still a duplicate, and the chain continues.
        var again = HostileNetwork.rawPost(net.b, "/federation/v1/inbox", "application/json", genuine.canonicalBytes());
        assertEquals(200, again.statusCode(), again.body());
        String next = HostileNetwork.send(net.a, "malleable", Tlp.GREEN, "next");
        assertTrue(TestNodes.eventually(10, () -> net.b.node().envelopes().byHash(next).isPresent()));
    }

    @Test
    void nonCanonicalCopyPushedFirstCannotPoisonTheChain() throws Exception {
        String hash = HostileNetwork.send(net.a, "poison", Tlp.GREEN, "first");
        assertTrue(TestNodes.eventually(10, () -> net.c.node().envelopes().byHash(hash).isPresent()));
        String a = net.a.node().origin();
        var key = HostileNetwork.keyOf(net.a);
        // Envelopes a signed but whose delivery the attacker got to first: each variant is pushed before the genuine one.
        int tried = 0;
        for (int round = 0; round < 20 && tried < 14; round++) {
            var head = net.c.node().envelopes().head("poison", a).orElseThrow();
            ObjectNode body = Json.object().put("text", "genuine " + round).put("lang", "en");
            Envelope genuine = EnvelopeSigner.sign(new Envelope(1, "poison", a, head.seq() + 1, head.hash(), Kind.NOTIFY, null,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), Priority.ROUTINE, Tlp.GREEN, body, null), key);
            var vs = new ArrayList<>(variants(genuine).entrySet());
            var v = vs.get(tried % vs.size());
            tried++;
            var first = HostileNetwork.rawPost(net.c, "/federation/v1/inbox", "application/json", Json.write(v.getValue()).getBytes(StandardCharsets.UTF_8));
            assertTrue(first.statusCode() >= 400 && first.statusCode() < 500, v.getKey() + " pushed first: " + first.statusCode() + " " + first.body());
            var real = HostileNetwork.rawPost(net.c, "/federation/v1/inbox", "application/json", genuine.canonicalBytes());
            assertEquals(201, real.statusCode(), v.getKey() + " pushed first poisoned the chain: " + real.body());
            assertEquals(genuine.hash(), net.c.node().envelopes().at("poison", a, genuine.seq()).orElseThrow().hash());
        }
        assertEquals(0, net.c.node().envelopes().equivocations().size());
        assertNull(flag(net.c, a));
    }
}
