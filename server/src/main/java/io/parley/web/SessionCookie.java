package io.parley.web;

import io.javalin.http.Context;
import io.parley.node.Node;

/**
 * The one cookie of the web UI: the session id, {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (no
 * other site's page or link makes the browser send it), {@code Path=/}, and under TLS {@code Secure} with the
 * {@code __Host-} prefix (the browser then refuses a cookie of that name set over plain HTTP or for a parent domain,
 * so a neighbouring host cannot plant one). No Max-Age: it ends with the browser, and the server ends it sooner.
 */
final class SessionCookie {
    private final Node node;

    SessionCookie(Node node) {
        this.node = node;
    }

    /**
     * Named after the node: browsers keep cookies per host name, not per port, so nodes sharing a host (the demo's
     * three on 127.0.0.1) would otherwise overwrite each other's session.
     */
    String name() {
        return name(node.origin(), node.tls().isPresent());
    }

    static String name(String origin, boolean tls) {
        return (tls ? "__Host-" : "") + "parley_session-" + origin.replaceAll("[^A-Za-z0-9.-]", "_");
    }

    /** The value the request carries, or null. */
    String read(Context ctx) {
        return ctx.cookie(name());
    }

    void set(Context ctx, String value) {
        ctx.res().addHeader("Set-Cookie", name() + "=" + value + attributes());
    }

    void clear(Context ctx) {
        ctx.res().addHeader("Set-Cookie", name() + "=" + attributes() + "; Max-Age=0");
    }

    private String attributes() {
        return "; Path=/; HttpOnly; SameSite=Strict" + (node.tls().isPresent() ? "; Secure" : "");
    }
}
