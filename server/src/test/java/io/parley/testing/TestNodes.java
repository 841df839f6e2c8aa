package io.parley.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import io.parley.auth.Passwords;
import io.parley.node.NodeInit;
import io.parley.server.NodeServer;

/** Real nodes on loopback for tests, each with its own directory, database and a user "duty". */
public final class TestNodes {
    public static final String USER = "duty";
    public static final String PASSWORD = "test-password-1";
    private static final String PASSWORD_HASH = Passwords.hash(PASSWORD);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final HttpClient HTTP_BYTES = HTTP;

    private TestNodes() {}

    /** Short retry and catch-up timings so that federation tests settle in seconds. */
    public static final io.parley.federation.Federation.Settings FAST = new io.parley.federation.Federation.Settings(
            new io.parley.worker.Backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(2)),
            java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(1));

    public static NodeServer start(Path root, String origin, String jdbcUrl, Clock clock) throws IOException {
        return start(root, origin, jdbcUrl, clock, 0);
    }

    /** Starts (or, if its directory exists, restarts) a node on {@code port} (0: any free port). */
    public static NodeServer start(Path root, String origin, String jdbcUrl, Clock clock, int port) throws IOException {
        return start(root, origin, jdbcUrl, clock, port, java.util.function.UnaryOperator.identity());
    }

    /** {@link #start(Path, String, String, Clock, int)} with the node's settings changed by {@code settings} first. */
    public static NodeServer start(Path root, String origin, String jdbcUrl, Clock clock, int port,
                                   java.util.function.UnaryOperator<io.parley.node.NodeConfig> settings) throws IOException {
        return start(root, origin, jdbcUrl, clock, port, settings, FAST);
    }

    /** {@link #start(Path, String, String, Clock, int, java.util.function.UnaryOperator)} with its own federation timings. */
    public static NodeServer start(Path root, String origin, String jdbcUrl, Clock clock, int port,
                                   java.util.function.UnaryOperator<io.parley.node.NodeConfig> settings,
                                   io.parley.federation.Federation.Settings federation) throws IOException {
        Path dir = root.resolve(origin);
        if (jdbcUrl == null && TestDatabases.POSTGRESQL.equals(System.getProperty("parley.test.db"))) {
            // The whole suite runs a second time with every test node on its own database in a real PostgreSQL server.
            jdbcUrl = TestDatabases.freshUrl(TestDatabases.POSTGRESQL, root);
        }
        var cfg = java.nio.file.Files.exists(dir.resolve(io.parley.node.NodeConfig.FILE)) ? io.parley.node.NodeConfig.load(dir)
                : NodeInit.create(dir, new NodeInit.Options(origin, origin, "CERT", "XA", 1, jdbcUrl, List.of()), Instant.now());
        NodeServer server = NodeServer.start(dir, settings.apply(cfg.withPort(port)), clock, federation);
        server.node().users().put(USER, PASSWORD_HASH, "officer", clock.instant());
        // The suite's duty officer handles every channel, as a node's only officer would (README: roles).
        server.node().users().setChannels(USER, List.of(io.parley.auth.Role.ALL_CHANNELS));
        return server;
    }

    /**
     * A second instance of {@code first}'s node on the same database (PostgreSQL), as an operator scaling out would
     * start it: the node's files copied into {@code dir} ({@code parley.json} and its keys), any free port.
     */
    public static NodeServer secondInstance(NodeServer first, Path dir, Clock clock) throws IOException {
        return secondInstance(first, dir, clock, FAST);
    }

    /** {@link #secondInstance(NodeServer, Path, Clock)} with its own federation timings. */
    public static NodeServer secondInstance(NodeServer first, Path dir, Clock clock, io.parley.federation.Federation.Settings federation)
            throws IOException {
        java.nio.file.Files.createDirectories(dir);
        for (String f : List.of(io.parley.node.NodeConfig.FILE, io.parley.node.NodeConfig.KEY_FILE, io.parley.node.NodeConfig.WITNESS_KEY_FILE,
                io.parley.node.NodeConfig.TOTP_KEY_FILE)) {
            Path from = first.node().dir().resolve(f);
            if (java.nio.file.Files.exists(from)) java.nio.file.Files.copy(from, dir.resolve(f), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return NodeServer.start(dir, io.parley.node.NodeConfig.load(dir).withPort(0), clock, federation);
    }

    /** Has {@code node} add {@code peer} through the API, pinning the fingerprint read from the peer's card. */
    public static void peer(NodeServer node, NodeServer peer) throws IOException, InterruptedException {
        String body = io.parley.json.Json.write(io.parley.json.Json.object().put("url", peer.baseUrl()).put("fingerprint", peer.node().card().fingerprint()));
        var res = post(node, "/api/v1/peers", body);
        if (res.statusCode() != 201) throw new IllegalStateException("peer add: " + res.body());
    }

    /** Makes every node a pinned peer of every other, as operators who compared fingerprints out of band would. */
    public static void peerAll(NodeServer... nodes) throws IOException, InterruptedException {
        peerAll(java.util.List.of(nodes));
    }

    public static void peerAll(java.util.List<NodeServer> nodes) throws IOException, InterruptedException {
        for (NodeServer x : nodes) for (NodeServer y : nodes) if (x != y) peer(x, y);
    }

    /** Waits up to {@code seconds} for {@code condition}; false if it never held. */
    public static boolean eventually(int seconds, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    public static NodeServer start(Path root, String origin) throws IOException {
        return start(root, origin, null, Clock.systemUTC());
    }

    /** Records a bare test key's card at {@code node}, as 'peer add' would. */
    public static void know(NodeServer node, io.parley.identity.SigningKey peer) {
        var card = Fixtures.card(peer, "http://127.0.0.1:9");
        node.node().parties().put(card.origin(), card.verifierKey().encoded(), card.fingerprint(), io.parley.json.Json.write(card.toJson()), node.node().now());
    }

    /**
     * Proposes {@code charter} at {@code node} through the API and has the bare test key {@code peer} sign it through
     * the inbox; returns the peer's signing envelope (seq 1 of its chain).
     */
    public static io.parley.envelope.Envelope activate(NodeServer node, io.parley.charter.Charter charter, io.parley.identity.SigningKey peer)
            throws IOException, InterruptedException {
        know(node, peer);
        var res = post(node, "/api/v1/channels", io.parley.json.Json.write(charter.toJson()));
        if (res.statusCode() != 201) throw new IllegalStateException("propose: " + res.body());
        var sign = Fixtures.signCharter(peer, charter, 1, null);
        var inbox = post(node, "/federation/v1/inbox", io.parley.json.Json.write(sign.toJson()));
        if (inbox.statusCode() != 201) throw new IllegalStateException("sign: " + inbox.body());
        return sign;
    }

    /** The body of {@code POST /api/v1/channels/{id}/sign}: the hash of the terms the signer reviewed. */
    /** A charter over {@code members}, each reached at its own base URL, with 15 min / 4 h deadlines for every priority. */
    public static io.parley.charter.Charter charter(String id, io.parley.envelope.Tlp ceiling, NodeServer... members) {
        java.util.Map<NodeServer, String> urls = new java.util.LinkedHashMap<>();
        for (NodeServer n : members) urls.put(n, n.baseUrl());
        return charter(id, ceiling, urls);
    }

    /** A charter over these members, each reached at the URL given (a proxy, say), with 15 min / 4 h deadlines for every priority. */
    public static io.parley.charter.Charter charter(String id, io.parley.envelope.Tlp ceiling, java.util.Map<NodeServer, String> urls) {
        var d = new java.util.EnumMap<io.parley.envelope.Priority, io.parley.charter.Charter.Deadlines>(io.parley.envelope.Priority.class);
        for (var p : io.parley.envelope.Priority.values()) d.put(p, new io.parley.charter.Charter.Deadlines(java.time.Duration.ofMinutes(15), java.time.Duration.ofHours(4)));
        var members = new java.util.ArrayList<io.parley.charter.Charter.Member>();
        urls.forEach((n, url) -> members.add(new io.parley.charter.Charter.Member(n.node().origin(), n.node().key().verifierKey(), url)));
        members.sort(java.util.Comparator.comparing(io.parley.charter.Charter.Member::origin));
        return new io.parley.charter.Charter(id, "test " + id, io.parley.charter.Level.OPERATIONAL, members, d, ceiling, List.of());
    }

    /** Proposes {@code charter} at {@code proposer} through the API, has every other member sign it, and waits until it is active everywhere. */
    public static void establish(io.parley.charter.Charter charter, NodeServer proposer, NodeServer... others) throws Exception {
        var res = post(proposer, "/api/v1/channels", io.parley.json.Json.write(charter.toJson()));
        if (res.statusCode() != 201) throw new IllegalStateException("propose: " + res.body());
        for (NodeServer m : others) {
            if (!eventually(10, () -> m.node().channels().charter(charter.channel()).isPresent()))
                throw new IllegalStateException(m.node().origin() + " never got the proposal of " + charter.channel());
            var signed = post(m, "/api/v1/channels/" + charter.channel() + "/sign", signBody(charter));
            if (signed.statusCode() != 200) throw new IllegalStateException("sign at " + m.node().origin() + ": " + signed.body());
        }
        List<NodeServer> members = new java.util.ArrayList<>(List.of(others));
        members.add(proposer);
        for (NodeServer m : members) {
            if (!eventually(15, () -> m.node().charters().active(charter.channel())))
                throw new IllegalStateException(charter.channel() + " never became active at " + m.node().origin());
        }
    }

    public static String signBody(io.parley.charter.Charter reviewed) {
        return "{\"charter_hash\":\"" + reviewed.hash() + "\"}";
    }

    public static String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    public static HttpResponse<String> get(NodeServer n, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).header("Authorization", basicAuth()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> post(NodeServer n, String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(n.baseUrl() + path)).header("Authorization", basicAuth())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
