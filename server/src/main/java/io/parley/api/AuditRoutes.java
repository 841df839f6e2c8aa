package io.parley.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.audit.AuditAction;
import io.parley.audit.AuditEvent;
import io.parley.audit.AuditQuery;
import io.parley.json.Json;
import io.parley.node.Node;

/**
 * {@code GET /api/v1/audit}: the audit trail for admins (permission read-audit), records with their hashes, the head,
 * and whether the trail verifies against the heads committed to the log.
 */
final class AuditRoutes {
    private final Node node;

    AuditRoutes(Node node) {
        this.node = node;
    }

    void register(Javalin app) {
        app.get("/api/v1/audit", this::list);
    }

    private void list(Context ctx) {
        AuditQuery q = query(ctx);
        ArrayNode records = Json.MAPPER.createArrayNode();
        var page = node.audit().list(q);
        page.forEach(r -> records.add(r.toJson()));
        ObjectNode out = Json.object();
        out.set("records", records);
        if (page.size() == q.limit()) {
            long last = page.get(page.size() - 1).seq();
            out.put(q.newestFirst() ? "next_before" : "next_after", last);
        }
        node.audit().head().ifPresentOrElse(h -> out.set("head", Json.object().put("seq", h.seq()).put("hash", h.hash())),
                () -> out.putNull("head"));
        out.set("verification", node.verifyAudit().toJson());
        ApiRoutes.json(ctx, 200, out);
    }

    /** The query parameters: after, before, limit (1 to 1000, default 100), actor, action, order (oldest, newest). */
    static AuditQuery query(Context ctx) {
        long after = Requests.longQuery(ctx, "after", 0, 0, Long.MAX_VALUE);
        long before = Requests.longQuery(ctx, "before", 0, 0, Long.MAX_VALUE);
        int limit = (int) Requests.longQuery(ctx, "limit", 100, 1, AuditQuery.MAX_LIMIT);
        String actor = ctx.queryParam("actor");
        if (actor != null && actor.length() > AuditEvent.MAX_ACTOR) {
            throw ProblemException.badRequest("bad-query-parameter", "query parameter 'actor' is longer than any actor on record");
        }
        String action = ctx.queryParam("action");
        if (action != null && !action.isEmpty() && AuditAction.ofCode(action).isEmpty()) {
            throw ProblemException.badRequest("bad-query-parameter", "query parameter 'action' must be one of " + codes());
        }
        String order = ctx.queryParam("order");
        if (order != null && !order.equals("oldest") && !order.equals("newest")) {
            throw ProblemException.badRequest("bad-query-parameter", "query parameter 'order' must be oldest or newest");
        }
        return new AuditQuery(after, before, actor, action, limit, "newest".equals(order));
    }

    private static String codes() {
        StringBuilder b = new StringBuilder();
        for (AuditAction a : AuditAction.values()) b.append(b.isEmpty() ? "" : ", ").append(a.code());
        return b.toString();
    }
}
