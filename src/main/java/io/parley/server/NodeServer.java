package io.parley.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

import io.parley.api.HttpServer;
import io.parley.node.Node;
import io.parley.node.NodeConfig;

/** A running node: opened, listening, with its card published for the address it actually listens on. */
public final class NodeServer implements AutoCloseable {
    private final Node node;
    private final HttpServer http;

    private NodeServer(Node node, HttpServer http) {
        this.node = node;
        this.http = http;
    }

    public static NodeServer start(Path dir, Clock clock) throws IOException {
        return start(dir, NodeConfig.load(dir), clock);
    }

    /** Starts with {@code config} (port 0 picks a free port; the card then names the real one). */
    public static NodeServer start(Path dir, NodeConfig config, Clock clock) throws IOException {
        Node node = Node.open(dir, config, clock);
        HttpServer http;
        try {
            http = HttpServer.start(node, config.bind(), config.port());
        } catch (RuntimeException e) {
            node.close();
            throw new IOException("cannot listen on " + config.bind() + ":" + config.port() + ": " + rootMessage(e), e);
        }
        String base = config.port() == 0 ? "http://" + config.bind() + ":" + http.port() : config.baseUrl();
        node.publishCard(base);
        return new NodeServer(node, http);
    }

    public Node node() {
        return node;
    }

    public HttpServer http() {
        return http;
    }

    public int port() {
        return http.port();
    }

    public String baseUrl() {
        return node.card().baseUrl();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }

    @Override
    public void close() {
        http.close();
        node.close();
    }
}
