package io.parley.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.audit.AuditAction;
import io.parley.audit.AuditEvent;
import io.parley.audit.AuditQuery;
import io.parley.audit.AuditRecord;
import io.parley.node.Node;
import io.parley.store.TokenStore;
import io.parley.store.UserStore;
import io.parley.web.i18n.Texts;

/**
 * {@code /admin}: the admin's hub, one page for who may do what on this node: accounts and roles (edited on
 * {@code /users}), every account's API tokens with a revoke button, and the newest audit records (the whole trail on
 * {@code /audit}). Admins only ({@link io.parley.auth.Permissions}: manage-users); a revoke is a form post carrying
 * the session's CSRF token, as every other.
 */
final class AdminRoutes {
    /** Audit records shown on the hub; the rest are on /audit. */
    static final int AUDIT_LINES = 15;

    private final Node node;
    private final WebRoutes web;

    AdminRoutes(Node node, WebRoutes web) {
        this.node = node;
        this.web = web;
    }

    void register(Javalin app) {
        app.get("/admin", web.page(this::show));
        app.post("/admin/tokens/{id}/revoke", web.page(this::revoke));
    }

    private void show(Context ctx, WebRoutes.Session s) {
        Texts t = s.pages().texts();
        Instant now = s.pages().now();
        List<TokenStore.Token> tokens = node.tokens().list(null);
        List<AdminView.Account> accounts = new ArrayList<>();
        for (UserStore.Account a : node.users().accounts()) {
            long live = tokens.stream().filter(x -> x.username().equals(a.username()) && x.state(now).equals("active")).count();
            String channels = switch (a.role()) {
                case "officer" -> a.channels().contains(io.parley.auth.Role.ALL_CHANNELS) ? t.t("admin.channels.all") : String.join(", ", a.channels());
                default -> t.t("admin.channels.all");
            };
            accounts.add(new AdminView.Account(a.username(), t.t("admin.role." + role(a.role())), channels, a.disabled(), live));
        }
        List<AdminView.Token> rows = new ArrayList<>();
        for (TokenStore.Token x : tokens) {
            String state = x.state(now);
            rows.add(new AdminView.Token(x.id(), x.username(), x.label(), t.t("admin.scope." + (x.scope().equals("write") ? "write" : "read")),
                    x.channels().contains(io.parley.auth.Role.ALL_CHANNELS) ? t.t("admin.channels.all") : String.join(", ", x.channels()),
                    t.time(x.created()), t.time(x.expires()), state, t.t("admin.token." + state), x.lastUsed().map(t::time).orElse(t.t("admin.never")),
                    x.revokedBy().orElse(null)));
        }
        List<AdminView.AuditLine> audit = new ArrayList<>();
        for (AuditRecord r : node.audit().list(new AuditQuery(0, 0, "", "", AUDIT_LINES, true))) {
            audit.add(new AdminView.AuditLine(r.seq(), t.seconds(r.at()), r.actor(), r.action(), r.target(), r.ok()));
        }
        var verification = node.verifyAudit();
        String notice = "revoked".equals(ctx.queryParam("done")) ? t.t("admin.revoked") : null;
        web.render(ctx, 200, "admin.jte", new AdminView.Page(s.layout(t.t("admin.title"), "admin", 0, notice, false), accounts, rows, audit,
                verification.ok(), verification.fault(), verification.records()));
    }

    private static String role(String wire) {
        return wire.equals("admin") || wire.equals("officer") || wire.equals("viewer") ? wire : "unknown";
    }

    /**
     * Revokes any account's token (the API's rule: the owner, or an admin; this page is an admin's). Revoking twice
     * changes nothing and records nothing more; an unknown id is a 404 page.
     */
    private void revoke(Context ctx, WebRoutes.Session s) {
        Texts t = s.pages().texts();
        String id = ctx.pathParam("id");
        var token = node.tokens().find(id);
        if (token.isEmpty()) throw new WebRoutes.WebError(404, t.t("admin.error.token.heading"), t.t("admin.error.token"));
        if (node.tokens().revoke(id, s.user())) {
            node.audit().record(AuditEvent.done(s.user(), AuditAction.TOKEN_REVOKED, id, ctx.ip(),
                    "web admin: owner " + token.get().username() + ", label " + token.get().label()));
        }
        WebRoutes.seeOther(ctx, "/admin?done=revoked");
    }
}
