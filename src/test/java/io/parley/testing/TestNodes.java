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

    public static NodeServer start(Path root, String origin, String jdbcUrl, Clock clock) throws IOException {
        Path dir = root.resolve(origin);
        var cfg = NodeInit.create(dir, new NodeInit.Options(origin, origin, "CERT", "XA", 1, jdbcUrl, List.of()), Instant.now());
        NodeServer server = NodeServer.start(dir, cfg.withPort(0), clock);
        server.node().users().put(USER, PASSWORD_HASH, "officer", clock.instant());
        return server;
    }

    public static NodeServer start(Path root, String origin) throws IOException {
        return start(root, origin, null, Clock.systemUTC());
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
