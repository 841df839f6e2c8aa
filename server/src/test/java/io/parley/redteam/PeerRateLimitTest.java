package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Tlp;
import io.parley.federation.PeerRateLimits;
import io.parley.federation.PeerRequestAuth;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.node.Throttling;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 11, per-peer rate limits: one noisy peer cannot starve the others. Real nodes on loopback: cert-a with a small
 * allowance per caller (burst 40 units, 4 per second), the honest cert-b and the hostile evil.example, whose key the
 * test holds. All callers share the address 127.0.0.1, so what keeps them apart is the signed peer identity. Before
 * the change the flood was answered 200 every time, and nothing asked a sender to wait.
 */
class PeerRateLimitTest {
    private static final HttpClient RAW = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CHANNEL = "rates";
    @TempDir static Path tmp;
    static NodeServer a, b, evil;

    @BeforeAll
    static void start() throws Exception {
        var small = new Throttling(io.parley.auth.SignInThrottle.Settings.DEFAULT, new PeerRateLimits.Settings(4, 40, 1000));
        a = TestNodes.start(tmp, "cert-a.example", null, Clock.systemUTC(), 0, cfg -> cfg.withThrottling(small));
        b = TestNodes.start(tmp, "cert-b.example");
        evil = TestNodes.start(tmp, HostileNetwork.EVIL);
        TestNodes.peerAll(a, b, evil);
        var charter = TestNodes.charter(CHANNEL, Tlp.AMBER, a, b, evil);
        var res = TestNodes.post(a, "/api/v1/channels", Json.write(charter.toJson()));
        assertEquals(201, res.statusCode(), res.body());
        for (NodeServer m : List.of(b, evil)) {
            assertTrue(TestNodes.eventually(20, () -> m.node().channels().charter(CHANNEL).isPresent()), "proposal at " + m.node().origin());
            assertEquals(200, TestNodes.post(m, "/api/v1/channels/" + CHANNEL + "/sign", TestNodes.signBody(charter)).statusCode());
        }
        for (NodeServer m : List.of(a, b, evil)) {
            assertTrue(TestNodes.eventually(30, () -> m.node().charters().active(CHANNEL)), "active at " + m.node().origin());
        }
    }

    @AfterAll
    static void stop() {
        for (NodeServer n : new NodeServer[] {evil, b, a}) if (n != null) n.close();
    }

    /** A batch of {@code n} worthless items: what a flood costs the receiver to parse and refuse. */
    private static byte[] garbage(int n) {
        return ("{\"envelopes\":[" + String.join(",", java.util.Collections.nCopies(n, "{}")) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> post(NodeServer to, byte[] body, SigningKey signer) throws Exception {
        URI target = URI.create(to.baseUrl() + "/federation/v1/inbox");
        HttpRequest.Builder req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signer != null) PeerRequestAuth.sign(req, "POST", target, body, signer, Instant.now());
        return RAW.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static boolean arrived(NodeServer at, List<String> hashes) {
        return hashes.stream().allMatch(h -> at.node().envelopes().byHash(h).isPresent());
    }

    @Test
    void aFloodingPeerAndAnAnonymousFloodAreHeldBackWhileAnHonestPeersMessagesStillArrive() throws Exception {
        SigningKey evilKey = HostileNetwork.keyOf(evil);
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) answers.add(post(a, garbage(40), evilKey));
        HttpResponse<String> limited = answers.stream().filter(r -> r.statusCode() == 429).findFirst()
                .orElseThrow(() -> new AssertionError("six batches of 40 from one peer within a burst of 40: " + answers.stream().map(HttpResponse::statusCode).toList()));
        long wait = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(wait >= 1 && wait <= 10, "Retry-After " + wait);
        assertTrue(limited.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(limited.body().contains("too-many-requests"), limited.body());
        for (int i = 0; i < 3; i++) post(a, garbage(40), null);
        assertEquals(429, post(a, garbage(40), null).statusCode(), "unsigned garbage is held back by its address");

        // The flood goes on (signed as evil, and unsigned) while cert-b, from the same address, sends three messages.
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger refused = new AtomicInteger(), served = new AtomicInteger();
        Thread flood = Thread.ofVirtual().start(() -> {
            long end = System.currentTimeMillis() + 30_000;
            while (flooding.get() && System.currentTimeMillis() < end) {
                try {
                    for (SigningKey k : new SigningKey[] {evilKey, null}) {
                        int status = post(a, garbage(40), k).statusCode();
                        (status == 429 ? refused : served).incrementAndGet();
                    }
                } catch (Exception e) {
                    return;
                }
            }
        });
        try {
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) sent.add(HostileNetwork.send(b, CHANNEL, Tlp.AMBER, "honest " + i));
            assertTrue(TestNodes.eventually(20, () -> arrived(a, sent)), "cert-b's messages reached cert-a during the flood");
            // on a quick machine the honest messages arrive before the flood has sent much: let it send enough to judge
            assertTrue(TestNodes.eventually(20, () -> refused.get() + served.get() >= 40), "the flood went on");
        } finally {
            flooding.set(false);
            flood.join();
        }
        assertTrue(refused.get() > 10 * Math.max(1, served.get()), "the flood was mostly refused: " + refused + " refused, " + served + " served");
    }

    /** Sends {@code method path} to cert-a, signed by {@code signer} (null: unsigned). */
    private static HttpResponse<String> call(String method, String path, byte[] body, SigningKey signer) throws Exception {
        URI target = URI.create(a.baseUrl() + path);
        HttpRequest.Builder req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body.length > 0) req.header("Content-Type", "text/plain; charset=utf-8");
        if (signer != null) PeerRequestAuth.sign(req, method, target, body, signer, Instant.now());
        return RAW.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Spends {@code signer}'s allowance (or the address's) on the inbox, then calls the route: 429 at least once in a few tries. */
    private static HttpResponse<String> overLimit(String method, String path, byte[] body, SigningKey signer) throws Exception {
        HttpResponse<String> last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            for (int i = 0; i < 200 && post(a, garbage(1), signer).statusCode() != 429; i++) {
                // spending
            }
            last = call(method, path, body, signer);
            if (last.statusCode() == 429) return last;
        }
        return last;
    }

    @Test
    void everyPeerRouteIsLimitedPerCaller() throws Exception {
        SigningKey evilKey = HostileNetwork.keyOf(evil);
        String hash = "0".repeat(64);
        var catchUp = overLimit("GET", "/federation/v1/channels/" + CHANNEL + "/envelopes?from=cert-a.example&after=0", new byte[0], evilKey);
        assertEquals(429, catchUp.statusCode(), "catch-up: " + catchUp.body());
        assertTrue(catchUp.headers().firstValue("Retry-After").isPresent());
        var evidence = overLimit("GET", "/federation/v1/evidence/" + hash + "?envelope=" + hash, new byte[0], evilKey);
        assertEquals(429, evidence.statusCode(), "evidence fetch: " + evidence.body());
        var witness = overLimit("POST", "/log/witness/add-checkpoint", "old 0\n\ngarbage\n".getBytes(StandardCharsets.UTF_8), null);
        assertEquals(429, witness.statusCode(), "witness, unsigned, by address: " + witness.body());
        var unsignedCatchUp = overLimit("GET", "/federation/v1/channels/" + CHANNEL + "/envelopes?from=cert-a.example&after=0", new byte[0], null);
        assertEquals(429, unsignedCatchUp.statusCode(), "an unsigned catch-up is charged to its address before its 401");
        // cert-b, from the same address and not over its own allowance, is still served
        var honest = call("GET", "/federation/v1/channels/" + CHANNEL + "/envelopes?from=cert-a.example&after=0", new byte[0], HostileNetwork.keyOf(b));
        assertEquals(200, honest.statusCode(), honest.body());
    }

    @Test
    void aSenderToldToWaitDeliversLaterAndLosesNothing() throws Exception {
        SigningKey bKey = HostileNetwork.keyOf(b);
        // Something spends cert-b's whole allowance at cert-a (here: requests signed with cert-b's key, as a burst of
        // its own traffic would) while cert-b has messages to deliver.
        // Four drainers at once: the allowance refills 4 items a second, and one drainer's requests slow down on a busy
        // machine, so a lone drainer could leave cert-b's delivery a token now and then.
        AtomicBoolean draining = new AtomicBoolean(true);
        List<Thread> drains = new ArrayList<>();
        for (int t = 0; t < 4; t++) drains.add(Thread.ofVirtual().start(() -> {
            long end = System.currentTimeMillis() + 30_000;
            while (draining.get() && System.currentTimeMillis() < end) {
                try {
                    post(a, garbage(1), bKey);
                } catch (Exception e) {
                    return;
                }
            }
        }));
        List<String> sent = new ArrayList<>();
        try {
            assertTrue(TestNodes.eventually(10, () -> {
                try {
                    return post(a, garbage(1), bKey).statusCode() == 429;
                } catch (Exception e) {
                    return false;
                }
            }), "cert-b's allowance is spent");
            for (int i = 0; i < 5; i++) sent.add(HostileNetwork.send(b, CHANNEL, Tlp.AMBER, "later " + i));
            assertTrue(TestNodes.eventually(15, () -> b.federation().outbox().forEnvelope(sent.get(0)).stream()
                    .anyMatch(s -> s.recipient().equals("cert-a.example") && s.lastError() != null && s.lastError().contains("rate limit"))),
                    "cert-b was asked to wait: " + b.federation().outbox().forEnvelope(sent.get(0)));
        } finally {
            draining.set(false);
            for (Thread drain : drains) drain.join();
        }
        assertTrue(TestNodes.eventually(60, () -> arrived(a, sent)), "every message arrives once cert-a takes them again");
        for (String h : sent) {
            var status = b.federation().outbox().forEnvelope(h).stream().filter(s -> s.recipient().equals("cert-a.example")).findFirst().orElseThrow();
            assertTrue(TestNodes.eventually(30, () -> b.federation().outbox().forEnvelope(h).stream()
                    .anyMatch(s -> s.recipient().equals("cert-a.example") && s.state().equals("delivered"))), "delivered, not failed: " + status);
        }
    }
}
