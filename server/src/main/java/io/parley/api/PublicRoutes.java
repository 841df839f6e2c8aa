package io.parley.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.json.Json;
import io.parley.node.Node;

/** Unauthenticated endpoints: the party card, health, metrics and the API description. */
final class PublicRoutes {
    private final Node node;
    private final byte[] openApi;

    PublicRoutes(Node node) {
        this.node = node;
        try (InputStream in = PublicRoutes.class.getResourceAsStream("/openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(Javalin app) {
        app.get("/.well-known/parley", this::card);
        app.get("/healthz", this::health);
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(node.metrics().scrape()));
        app.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
    }

    private void card(Context ctx) {
        var card = node.card();
        if (card == null) throw new ProblemException(Problem.of(503, "starting", "Starting", "the node is still starting"));
        ctx.header("Cache-Control", "max-age=60");
        ctx.contentType("application/json").result(Json.write(card.toJson()));
    }

    private void health(Context ctx) {
        boolean db = node.db().healthy();
        var o = Json.object().put("status", db ? "ok" : "degraded").put("origin", node.origin()).put("database", db ? "ok" : "unreachable");
        ctx.status(db ? 200 : 503).contentType("application/json").result(Json.write(o));
    }
}
