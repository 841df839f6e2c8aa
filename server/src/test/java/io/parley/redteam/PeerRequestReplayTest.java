package io.parley.redteam;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Tlp;
import io.parley.federation.PeerRequestAuth;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * Issue 10 item 10: a signed peer request (catch-up, evidence fetch) is good for one request, to one node, for the
 * exact method, path, query and body it was signed for, for a short time. The hostile member signs its own catch-up
 * requests (it is entitled to each one once) and then replays or alters them as an eavesdropper or a dishonest peer
 * would. Every refusal is the same problem+json 401, so the answer tells an attacker nothing about why.
 */
class PeerRequestReplayTest {
    private static final HttpClient RAW = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CHANNEL = "replay";
    @TempDir static Path tmp;
    static HostileNetwork net;

    @BeforeAll
    static void start() throws Exception {
        net = HostileNetwork.start(tmp);
        TestNodes.establish(TestNodes.charter(CHANNEL, Tlp.AMBER, net.a, net.b, net.evil), net.a, net.b, net.evil);
        HostileNetwork.send(net.a, CHANNEL, Tlp.AMBER, "amber text for members only");
    }

    @AfterAll
    static void stop() throws Exception {
        net.close();
    }

    private static String catchUpPath(NodeServer from) {
        return "/federation/v1/channels/" + CHANNEL + "/envelopes?from=" + from.node().origin() + "&after=0";
    }

    /** A request the hostile member signed for {@code target}: what an eavesdropper on that line captures. */
    record Captured(String method, String pathAndQuery, byte[] body, Map<String, String> headers) {}

    private static Captured sign(NodeServer target, String method, String pathAndQuery, byte[] body, Instant at) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.baseUrl() + pathAndQuery));
        PeerRequestAuth.sign(b, method, URI.create(target.baseUrl() + pathAndQuery), body, HostileNetwork.keyOf(net.evil), at);
        Map<String, String> headers = new LinkedHashMap<>();
        b.build().headers().map().forEach((k, v) -> headers.put(k, v.getFirst()));
        return new Captured(method, pathAndQuery, body, headers);
    }

    private static HttpResponse<String> send(NodeServer to, String method, String pathAndQuery, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(to.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(30))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return RAW.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(NodeServer to, Captured c) throws Exception {
        return send(to, c.method(), c.pathAndQuery(), c.body(), c.headers());
    }

    /** The one answer every refused peer request gets: a 401 problem that names no reason, key, peer or channel. */
    private static void assertRefused(HttpResponse<String> res, String what) {
        assertEquals(401, res.statusCode(), what + ": " + res.body().substring(0, Math.min(200, res.body().length())));
        assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), what);
        JsonNode p = Json.parse(res.body());
        assertTrue(p.path("type").asText().endsWith("/unauthenticated-peer"), what + ": " + res.body());
        String detail = p.path("detail").asText();
        for (String leak : List.of(HostileNetwork.EVIL, CHANNEL, "expired", "replay", "nonce", "digest", "authority", "known"))
            assertFalse(detail.toLowerCase().contains(leak), what + " leaks '" + leak + "': " + detail);
    }

    @Test
    void capturedRequestReplayedToTheSameNodeIsRefused() throws Exception {
        Captured c = sign(net.a, "GET", catchUpPath(net.a), new byte[0], Instant.now());
        var first = send(net.a, c);
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().contains("amber text for members only"), "the genuine request is served");
        assertRefused(send(net.a, c), "replayed to the node it was signed for");
    }

    @Test
    void capturedRequestReplayedToAnotherNodeIsRefused() throws Exception {
        Captured forA = sign(net.a, "GET", catchUpPath(net.a), new byte[0], Instant.now());
        // b is in the channel and holds the same envelopes, so only the target binding stands in the way.
        assertRefused(send(net.b, forA), "signed for cert-a, replayed to cert-b");
        assertEquals(200, send(net.a, forA).statusCode(), "and it was a genuine request for cert-a");
    }

    @Test
    void alteredPathQueryOrBodyIsRefused() throws Exception {
        String path = catchUpPath(net.a);
        Captured c = sign(net.a, "GET", path, new byte[0], Instant.now());
        assertRefused(send(net.a, "GET", path.replace("after=0", "after=1"), new byte[0], c.headers()), "altered query");
        assertRefused(send(net.a, "GET", path.replace("/" + CHANNEL + "/", "/other/"), new byte[0], c.headers()), "altered path");
        assertRefused(send(net.a, "GET", path + "&limit=1", new byte[0], c.headers()), "query added");
        assertRefused(send(net.a, "GET", path, "{}".getBytes(StandardCharsets.UTF_8), c.headers()), "body added to a request signed without one");

        Captured withBody = sign(net.a, "GET", path, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Instant.now());
        assertRefused(send(net.a, "GET", path, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), withBody.headers()), "altered body");
        Captured asPost = sign(net.a, "POST", path, new byte[0], Instant.now());
        assertRefused(send(net.a, "GET", path, new byte[0], asPost.headers()), "signed as POST, sent as GET");
    }

    @Test
    void expiredRequestIsRefused() throws Exception {
        Captured old = sign(net.a, "GET", catchUpPath(net.a), new byte[0], Instant.now().minus(Duration.ofMinutes(2)));
        assertRefused(send(net.a, old), "signed two minutes ago");
        Captured future = sign(net.a, "GET", catchUpPath(net.a), new byte[0], Instant.now().plus(Duration.ofMinutes(2)));
        assertRefused(send(net.a, future), "signed for two minutes from now");
    }

    @Test
    void unsignedOrForeignSignedRequestIsRefused() throws Exception {
        assertRefused(send(net.a, "GET", catchUpPath(net.a), new byte[0], Map.of()), "unsigned");
        Captured c = sign(net.a, "GET", catchUpPath(net.a), new byte[0], Instant.now());
        Map<String, String> noSignature = new LinkedHashMap<>(c.headers());
        noSignature.keySet().removeIf(k -> k.equalsIgnoreCase("signature"));
        assertRefused(send(net.a, "GET", catchUpPath(net.a), new byte[0], noSignature), "signature header stripped");
        Map<String, String> garbled = new LinkedHashMap<>();
        c.headers().forEach((k, v) -> garbled.put(k, v.replace('A', 'B').replace('a', 'b')));
        assertRefused(send(net.a, "GET", catchUpPath(net.a), new byte[0], garbled), "garbled headers");
    }
}
