package io.parley.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** A webhook receiver on loopback for notification tests: keeps every body posted to {@link #url()}, answers 204. */
public final class WebhookSink implements AutoCloseable {
    private final HttpServer server;
    private final List<String> posted = new CopyOnWriteArrayList<>();

    private WebhookSink(HttpServer server) {
        this.server = server;
    }

    public static WebhookSink start() throws IOException {
        WebhookSink sink = new WebhookSink(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        sink.server.createContext("/hook", ex -> {
            sink.posted.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        sink.server.start();
        return sink;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The bodies received so far, in order. */
    public List<String> posted() {
        return posted;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
