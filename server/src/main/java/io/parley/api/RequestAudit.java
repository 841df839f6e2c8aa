package io.parley.api;

import io.javalin.http.Context;
import io.parley.audit.AuditAction;
import io.parley.audit.AuditEvent;
import io.parley.node.Node;
import io.parley.store.UserStore;

/**
 * Puts what a request did on the audit trail, with who (the signed-in account) and from where (the client's address
 * as the server saw it). One place, so the API, TAXII and the web UI name actors and addresses the same way.
 */
public final class RequestAudit {
    private RequestAudit() {}

    /** Records {@code action} on {@code target} as done by the API caller of {@code ctx}. */
    public static void done(Node node, Context ctx, AuditAction action, String target, String detail) {
        done(node, ctx, caller(ctx), action, target, detail);
    }

    /** Records {@code action} on {@code target} as done by {@code actor}, from {@code ctx}'s client address. */
    public static void done(Node node, Context ctx, String actor, AuditAction action, String target, String detail) {
        node.audit().record(AuditEvent.done(actor, action, target, ctx.ip(), detail));
    }

    /**
     * Records that {@code actor}, signed in, asked for {@code route} and its role or grants refused it: a stolen or
     * curious account probing what it may do leaves a trace.
     */
    public static void denied(Node node, Context ctx, String actor, String route, String why) {
        node.audit().record(AuditEvent.refused(actor, AuditAction.ACCESS_DENIED, route, ctx.ip(), why));
    }

    /** The account HttpServer authenticated for this API request. */
    public static String caller(Context ctx) {
        UserStore.User u = ctx.attribute(HttpServer.USER_ATTRIBUTE);
        return u == null ? "" : u.username();
    }
}
