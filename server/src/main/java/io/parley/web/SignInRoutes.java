package io.parley.web;

import java.util.Optional;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.parley.audit.AuditAction;
import io.parley.audit.AuditEvent;
import io.parley.auth.Authenticator;
import io.parley.auth.SecondFactor;
import io.parley.auth.Sessions;
import io.parley.node.Node;
import io.parley.store.UserStore;

/**
 * Signing people in and out of the web UI. {@code POST /login} checks the password and, for an account without a
 * second factor, starts a session; with one, it starts a short half-signed-in session that only {@code /login/code}
 * accepts, and the code (or a recovery code) replaces it with the real session. Every start makes a new session id
 * and ends whatever session the request brought, so a cookie planted before sign-in never becomes a signed-in one.
 * {@code POST /logout} (a page of {@link WebRoutes}, so CSRF-checked) ends the session on the server.
 *
 * <p>The sign-in forms are refused from another site ({@code Origin} or {@code Sec-Fetch-Site}), so a foreign page
 * cannot sign a visitor in under an account of its choosing. The {@code next} page after sign-in is a local path only.
 * Every outcome goes on the audit trail with the client's address; never the password or code. The password step is
 * {@link Authenticator#signIn}, throttled per account and per address like every other way in (429 with Retry-After);
 * the code step has its own per-account throttle ({@link SecondFactor#verify}), since it follows a correct password.
 */
final class SignInRoutes {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SignInRoutes.class);
    static final int MAX_NAME = 64, MAX_SECRET = 1024;

    private final Node node;
    private final WebRoutes web;
    private final SessionCookie cookie;

    SignInRoutes(Node node, WebRoutes web, SessionCookie cookie) {
        this.node = node;
        this.web = web;
        this.cookie = cookie;
    }

    void register(Javalin app) {
        app.get("/login", open(this::form));
        app.post("/login", open(this::signIn));
        app.get("/login/code", open(this::codeForm));
        app.post("/login/code", open(this::code));
        app.post("/logout", web.page(this::signOut));
    }

    @FunctionalInterface
    interface OpenHandler {
        void handle(Context ctx) throws Exception;
    }

    /** The pages for callers without a session: the same headers and error pages as every other page. */
    private Handler open(OpenHandler handler) {
        return ctx -> {
            WebRoutes.securityHeaders(ctx);
            try {
                handler.handle(ctx);
            } catch (io.parley.auth.SecretBox.Unreadable e) {
                // an instance started with another totp.key than the one that sealed the secrets: the operator's to fix
                LOG.error("cannot open a TOTP secret on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                web.fail(ctx, null, new WebRoutes.WebError(500, "signin.error.unavailable", "signin.error.unavailable.text"));
            } catch (Exception e) {
                web.fail(ctx, null, e);
            }
        };
    }

    // ---- step one: the password ----

    private void form(Context ctx) {
        String next = localPath(ctx.queryParam("next"));
        if (web.authenticate(ctx) != null) { // already signed in: nothing to do here
            WebRoutes.seeOther(ctx, next == null ? "/" : next);
            return;
        }
        showForm(ctx, 200, "", next, "out".equals(ctx.queryParam("done")) ? "signin.notice.out" : null, false);
    }

    /** The password form, with a notice (a key of the signin bundle, and its arguments) or none. */
    private void showForm(Context ctx, int status, String user, String next, String notice, boolean error, Object... args) {
        Pages pages = web.anonymousPages(ctx);
        var layout = pages.layout(pages.texts().t("signin.title"), null, null, "signin", 0, notice == null ? null : pages.texts().t(notice, args), error);
        web.render(ctx, status, "login.jte", new WebModel.SignIn(layout, user, next));
    }

    private void signIn(Context ctx) {
        refuseForeign(ctx);
        String user = bounded(ctx.formParam("username"), MAX_NAME), password = bounded(ctx.formParam("password"), MAX_SECRET);
        String next = localPath(ctx.formParam("next"));
        if (user.isEmpty() || password.isEmpty()) {
            showForm(ctx, 400, user, next, "signin.error.empty", true);
            return;
        }
        // throttled per account and per address, and failures put on the record, by the one sign-in of every way in
        UserStore.User account;
        String circumstances;
        switch (node.authenticator().signIn(user, password, ctx.ip(), "web")) {
            case Authenticator.SignIn.Throttled t -> {
                SignInRoutes.throttledHeaders(ctx, t.retryAfter());
                showForm(ctx, 429, user, next, "signin.error.throttled", true, wait(t.retryAfter()));
                return;
            }
            case Authenticator.SignIn.Refused r -> {
                showForm(ctx, 401, user, next, "signin.error.wrong", true);
                return;
            }
            case Authenticator.SignIn.Accepted a -> {
                account = a.user();
                circumstances = a.circumstances();
            }
        }
        node.sessions().end(cookie.read(ctx)); // whatever the browser brought is never carried over
        if (node.secondFactor().enrolled(account.username())) {
            cookie.set(ctx, node.sessions().start(account, Sessions.Stage.CODE));
            // on the record even if no code follows: a right password without the code may be a stolen one
            node.audit().record(AuditEvent.done(account.username(), AuditAction.SIGN_IN, account.username(), ctx.ip(),
                    "web: password right, second-factor code asked" + circumstances));
            WebRoutes.seeOther(ctx, "/login/code" + (next == null ? "" : "?next=" + Fmt.path(next)));
            return;
        }
        cookie.set(ctx, node.sessions().start(account, Sessions.Stage.FULL));
        node.audit().record(AuditEvent.done(account.username(), AuditAction.SIGN_IN, account.username(), ctx.ip(), "web: password" + circumstances));
        WebRoutes.seeOther(ctx, next == null ? "/" : next);
    }

    // ---- step two: the code ----

    private void codeForm(Context ctx) {
        Optional<Sessions.Active> half = node.sessions().resolve(cookie.read(ctx), Sessions.Stage.CODE);
        if (half.isEmpty()) {
            WebRoutes.seeOther(ctx, "/login");
            return;
        }
        showCodeForm(ctx, 200, localPath(ctx.queryParam("next")), null);
    }

    /** The code form, with an error (a key of the signin bundle, and its arguments) or none. */
    private void showCodeForm(Context ctx, int status, String next, String error, Object... args) {
        Pages pages = web.anonymousPages(ctx);
        var layout = pages.layout(pages.texts().t("signin.code.title"), null, null, "signin", 0, error == null ? null : pages.texts().t(error, args), error != null);
        web.render(ctx, status, "code.jte", new WebModel.SignIn(layout, null, next));
    }

    private void code(Context ctx) {
        refuseForeign(ctx);
        String next = localPath(ctx.formParam("next"));
        Optional<Sessions.Active> half = node.sessions().resolve(cookie.read(ctx), Sessions.Stage.CODE);
        if (half.isEmpty()) {
            cookie.clear(ctx);
            showForm(ctx, 401, "", next, "signin.error.expired", true);
            return;
        }
        String username = half.get().user().username();
        if (!node.sessions().countCodeAttempt(half.get())) {
            cookie.clear(ctx);
            node.audit().record(AuditEvent.refused(username, AuditAction.SIGN_IN, username, ctx.ip(), "web: too many wrong codes"));
            showForm(ctx, 401, username, next, "signin.error.codesExhausted", true);
            return;
        }
        SecondFactor.Passed how;
        switch (node.secondFactor().verify(username, bounded(ctx.formParam("code"), 64))) {
            case SecondFactor.Check.Wait w -> {
                node.audit().record(AuditEvent.refused(username, AuditAction.SIGN_IN, username, ctx.ip(), "web: second step closed after too many wrong codes"));
                tooMany(ctx, w.retryAfter(), next);
                return;
            }
            case SecondFactor.Check.Wrong wrong -> {
                node.audit().record(AuditEvent.refused(username, AuditAction.SIGN_IN, username, ctx.ip(), "web: wrong second-factor code"));
                showCodeForm(ctx, 401, next, "signin.error.wrongCode");
                return;
            }
            case SecondFactor.Check.Passed p -> how = p.how();
        }
        if (!node.sessions().end(half.get().id())) { // a concurrent request already used this half session
            showForm(ctx, 401, username, next, "signin.error.used", true);
            return;
        }
        cookie.set(ctx, node.sessions().start(half.get().user(), Sessions.Stage.FULL));
        if (how == SecondFactor.Passed.RECOVERY_CODE) {
            long left = node.secondFactor().unusedRecoveryCodes(username);
            node.audit().record(AuditEvent.done(username, AuditAction.SECOND_FACTOR, username, ctx.ip(), "recovery code used; " + left + " left"));
        }
        node.audit().record(AuditEvent.done(username, AuditAction.SIGN_IN, username, ctx.ip(),
                how == SecondFactor.Passed.CODE ? "web: password and TOTP code" : "web: password and recovery code"));
        WebRoutes.seeOther(ctx, next == null ? "/" : next);
    }

    /** A throttled attempt: 429, when to come back (whole seconds), and a page that says so. Nothing was checked. */
    static void throttledHeaders(Context ctx, java.time.Duration retryAfter) {
        ctx.header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
    }

    private void tooMany(Context ctx, java.time.Duration retryAfter, String next) {
        throttledHeaders(ctx, retryAfter);
        showCodeForm(ctx, 429, next, "signin.error.codeThrottled", wait(retryAfter));
    }

    /**
     * How long to wait, as a duration argument for the bundles' messages: whole seconds under two minutes, else whole
     * minutes rounded up (never "0 min" for a wait that is still on).
     */
    static java.time.Duration wait(java.time.Duration d) {
        long s = Math.max(1, d.toSeconds());
        return s < 120 ? java.time.Duration.ofSeconds(s) : java.time.Duration.ofMinutes((s + 59) / 60);
    }

    // ---- signing out ----

    private void signOut(Context ctx, WebRoutes.Session s) {
        node.sessions().end(s.id());
        cookie.clear(ctx);
        node.audit().record(AuditEvent.done(s.user(), AuditAction.SIGN_OUT, s.user(), ctx.ip(), "web"));
        WebRoutes.seeOther(ctx, "/login?done=out");
    }

    // ---- rules ----

    /**
     * A sign-in form posted from another site is refused: browsers name the page's origin ({@code Origin}) and say
     * whether it is ours ({@code Sec-Fetch-Site}) on every form post.
     */
    private void refuseForeign(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        boolean foreign = site != null && !site.equals("same-origin") && !site.equals("none");
        String origin = ctx.header("Origin");
        if (origin != null) {
            String own = node.card() != null ? node.card().baseUrl() : node.config().baseUrl();
            foreign |= !origin.equals(originOf(own)) && !origin.equals(ctx.scheme() + "://" + ctx.host());
        }
        if (foreign) throw new WebRoutes.WebError(403, "signin.error.refused", "signin.error.foreign");
    }

    private static String originOf(String url) {
        if (url == null) return "";
        try {
            java.net.URI u = java.net.URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /**
     * {@code next} if it is a path on this node ({@code /...}, not {@code //host} or {@code /\\host}, which browsers
     * read as another site), else null: the sign-in never sends anyone elsewhere.
     */
    static String localPath(String next) {
        if (next == null || next.length() > 2000) return null;
        if (!next.matches("/(?![/\\\\])[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*")) return null;
        if (next.startsWith("/login") || next.startsWith("/logout")) return null;
        return next;
    }

    private static String bounded(String v, int max) {
        if (v == null) return "";
        return v.length() > max ? v.substring(0, max) : v;
    }
}
