package io.parley.redteam;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.KeyFiles;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.testing.TestNodes;

/**
 * The red team's playground: three honest nodes (cert-a, cert-b, mfa-c) and one node the test controls
 * (evil.example), all real servers on loopback, fully peered. The hostile node is a genuine, pinned peer: the tests
 * use its private key to craft whatever a dishonest member could send, and raw unauthenticated HTTP for what an
 * anonymous client could. Under the surefire "postgresql" execution every node runs on a real PostgreSQL.
 */
public final class HostileNetwork implements AutoCloseable {
    public static final String EVIL = "evil.example";
    private static final HttpClient RAW = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final NodeServer a, b, c, evil;
    private final List<AutoCloseable> closing = new ArrayList<>();

    private HostileNetwork(NodeServer a, NodeServer b, NodeServer c, NodeServer evil) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.evil = evil;
    }

    /** Starts all four nodes under {@code tmp} and peers every pair, pinning fingerprints as operators would. */
    public static HostileNetwork start(Path tmp) throws Exception {
        NodeServer a = TestNodes.start(tmp, "cert-a.example");
        NodeServer b = TestNodes.start(tmp, "cert-b.example");
        NodeServer c = TestNodes.start(tmp, "mfa-c.example");
        NodeServer evil = TestNodes.start(tmp, EVIL);
        HostileNetwork net = new HostileNetwork(a, b, c, evil);
        TestNodes.peerAll(net.all());
        return net;
    }

    public List<NodeServer> all() {
        return List.of(a, b, c, evil);
    }

    public List<NodeServer> honest() {
        return List.of(a, b, c);
    }

    /** Registers something to close with the network (a proxy, an extra node). */
    public <T extends AutoCloseable> T closeLater(T resource) {
        closing.add(resource);
        return resource;
    }

    /** A new TLP:RED channel of all four parties (a proposes), active everywhere; its id is {@code name} and a random suffix. */
    public String redChannel(String name) throws Exception {
        String id = name + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        TestNodes.establish(TestNodes.charter(id, Tlp.RED, a, b, c, evil), a, b, c, evil);
        return id;
    }

    /** Sends a notify through {@code from}'s API; returns the envelope hash. */
    public static String send(NodeServer from, String channel, Tlp tlp, String text) throws Exception {
        ObjectNode req = Json.object().put("kind", "notify").put("priority", "urgent").put("tlp", tlp.wire());
        req.putObject("body").put("text", text).put("lang", "en");
        var res = TestNodes.post(from, "/api/v1/channels/" + channel + "/messages", Json.write(req));
        if (res.statusCode() != 201) throw new IllegalStateException("send: " + res.body());
        return Json.parse(res.body()).path("hash").asText();
    }

    /** The private log key of {@code node}, read from its directory: what a party that runs the node holds. */
    public static SigningKey keyOf(NodeServer node) throws IOException {
        return KeyFiles.read(node.node().dir().resolve("log.key"));
    }

    /**
     * An envelope signed with {@code node}'s key that extends its chain in {@code channel} as {@code node} itself
     * stored it (the hostile node crafts by hand what its software would not send).
     */
    public static Envelope craft(NodeServer node, String channel, Kind kind, String caseId, Tlp tlp, ObjectNode body) throws IOException {
        var head = node.node().envelopes().head(channel, node.node().origin());
        long seq = head.map(h -> h.seq() + 1).orElse(1L);
        String prev = head.map(h -> h.hash()).orElse(null);
        Envelope draft = new Envelope(1, channel, node.node().origin(), seq, prev, kind, caseId,
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), Priority.URGENT, tlp, body, null);
        return EnvelopeSigner.sign(draft, keyOf(node));
    }

    /** An unauthenticated request with any body: what anyone who can reach the node can send. */
    public static HttpResponse<String> rawPost(NodeServer to, String path, String contentType, byte[] body) throws Exception {
        return RAW.send(HttpRequest.newBuilder(URI.create(to.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** An unauthenticated GET, as bytes (so tests can check what exactly is served). */
    public static HttpResponse<byte[]> rawGet(NodeServer to, String path) throws Exception {
        return RAW.send(HttpRequest.newBuilder(URI.create(to.baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable x : closing) x.close();
        for (NodeServer n : List.of(evil, c, b, a)) n.close();
    }
}
