package io.parley.web;

import java.util.List;
import java.util.Optional;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.audit.AuditAction;
import io.parley.audit.AuditEvent;
import io.parley.auth.SecondFactor;
import io.parley.node.Node;

/**
 * The signed-in user's own account page: the TOTP second factor. Setting one up shows the secret as a QR code (drawn
 * here as inline SVG, so the strict CSP stays) and as base32 text; it takes effect only when a current code from the
 * app is entered, and then the recovery codes are shown once. Removing it needs a current code (a session left open
 * on a desk is not enough), and is refused when the node requires a factor for the account's role.
 */
final class AccountRoutes {
    private final Node node;
    private final WebRoutes web;

    AccountRoutes(Node node, WebRoutes web) {
        this.node = node;
        this.web = web;
    }

    void register(Javalin app) {
        app.get("/account", web.page(this::show));
        app.post("/account/totp", web.page(this::begin));
        app.post("/account/totp/confirm", web.page(this::confirm));
        app.post("/account/totp/remove", web.page(this::remove));
        app.post("/account/tokens", web.page(this::issueToken));
        app.post("/account/tokens/{id}/revoke", web.page(this::revokeToken));
    }

    private void show(Context ctx, WebRoutes.Session s) {
        String notice = switch (String.valueOf(ctx.queryParam("done"))) {
            case "removed" -> "Second factor removed: your password alone signs you in again.";
            case "revoked" -> "Token revoked: it stops working at its next request.";
            default -> "required".equals(ctx.queryParam("enrol")) && !node.secondFactor().enrolled(s.user())
                    ? "This node requires a second factor for admin accounts: set one up before anything else." : null;
        };
        render(ctx, 200, s, notice, notice != null && notice.startsWith("This node"), null);
    }

    private void render(Context ctx, int status, WebRoutes.Session s, String notice, boolean error, List<String> recoveryCodes) {
        render(ctx, status, s, notice, error, recoveryCodes, null);
    }

    private void render(Context ctx, int status, WebRoutes.Session s, String notice, boolean error, List<String> recoveryCodes,
            WebModel.NewToken newToken) {
        boolean enrolled = node.secondFactor().enrolled(s.user());
        Optional<SecondFactor.Enrolment> pending = enrolled ? Optional.empty() : node.secondFactor().pending(s.user());
        var model = new WebModel.Account(s.layout("Your account", "account", 0, notice, error), s.account().role(), enrolled,
                node.config().signIn().secondFactorRequired(s.account()), pending.map(SecondFactor.Enrolment::secretBase32).orElse(null),
                pending.map(e -> QrSvg.of(e.uri())).orElse(null), pending.map(SecondFactor.Enrolment::uri).orElse(null),
                enrolled ? node.secondFactor().unusedRecoveryCodes(s.user()) : 0, recoveryCodes,
                mayIssueTokens(s), tokenRows(s.user()), newToken);
        web.render(ctx, status, "account.jte", model);
    }

    private void begin(Context ctx, WebRoutes.Session s) {
        if (node.secondFactor().begin(s.user()).isEmpty()) {
            throw new WebRoutes.WebError(409, "Already set up", "Your account already has a second factor. Remove it first to set up another.");
        }
        WebRoutes.seeOther(ctx, "/account");
    }

    private void confirm(Context ctx, WebRoutes.Session s) {
        Optional<List<String>> codes = node.secondFactor().confirm(s.user(), ctx.formParam("code"));
        if (codes.isEmpty()) {
            render(ctx, 422, s, "That code does not match: enter the code your app shows now (it changes every 30 seconds).", true, null);
            return;
        }
        node.audit().record(AuditEvent.done(s.user(), AuditAction.SECOND_FACTOR, s.user(), ctx.ip(), "TOTP enrolled in the web UI; recovery codes issued"));
        render(ctx, 200, s, "Second factor set up: from now on, signing in asks for a code from your app.", false, codes.get());
    }

    private void remove(Context ctx, WebRoutes.Session s) {
        if (node.config().signIn().secondFactorRequired(s.account())) {
            throw new WebRoutes.WebError(403, "Second factor required", "This node requires a second factor for your account, so it cannot be removed."
                    + " An operator can reset it with 'parley user totp " + s.user() + " --reset'.");
        }
        switch (node.secondFactor().verify(s.user(), ctx.formParam("code"))) {
            case SecondFactor.Check.Wait w -> {
                SignInRoutes.throttledHeaders(ctx, w.retryAfter());
                render(ctx, 429, s, "Too many wrong codes for this account. Wait " + SignInRoutes.wait(w.retryAfter()) + "; the second factor was kept.", true, null);
                return;
            }
            case SecondFactor.Check.Wrong wrong -> {
                node.audit().record(AuditEvent.refused(s.user(), AuditAction.SECOND_FACTOR, s.user(), ctx.ip(), "removal refused: wrong code"));
                render(ctx, 422, s, "That code is not right: the second factor was kept.", true, null);
                return;
            }
            case SecondFactor.Check.Passed p -> { }
        }
        node.secondFactor().remove(s.user());
        node.audit().record(AuditEvent.done(s.user(), AuditAction.SECOND_FACTOR, s.user(), ctx.ip(), "TOTP removed in the web UI"));
        WebRoutes.seeOther(ctx, "/account?done=removed");
    }

    // ---- API tokens: created here, behind the session and its second factor, since a token may not mint tokens ----

    /** The same rule as the permission table's entry for POST /account/tokens, to show the form only to who may use it. */
    private boolean mayIssueTokens(WebRoutes.Session s) {
        return io.parley.auth.Role.parse(s.account().role())
                .map(r -> r.allows(node.users().channels(s.user()), io.parley.auth.Permission.Global.ISSUE_TOKENS, null)).orElse(false);
    }

    private List<WebModel.TokenRow> tokenRows(String user) {
        java.time.Instant now = node.now();
        return node.tokens().list(user).stream().map(t -> new WebModel.TokenRow(t.id(), t.label(), t.scope(),
                String.join(", ", t.channels()), Fmt.time(t.expires()), t.state(now),
                t.lastUsed().map(Fmt::time).orElse("never"))).toList();
    }

    private void issueToken(Context ctx, WebRoutes.Session s) {
        String label = ctx.formParam("label") == null ? "" : ctx.formParam("label").strip();
        var scope = io.parley.auth.Tokens.Scope.parse(String.valueOf(ctx.formParam("scope")))
                .orElseThrow(() -> new WebRoutes.WebError(422, "Token not created", "Choose the scope read or write."));
        String channelText = ctx.formParam("channels") == null || ctx.formParam("channels").isBlank() ? "*" : ctx.formParam("channels");
        List<String> channels = java.util.Arrays.stream(channelText.split("[,\\s]+")).filter(c -> !c.isEmpty()).toList();
        long days;
        try {
            days = Long.parseLong(String.valueOf(ctx.formParam("days")).strip());
        } catch (NumberFormatException e) {
            throw new WebRoutes.WebError(422, "Token not created", "Give the number of days until the token expires (1 to 365).");
        }
        io.parley.auth.Tokens.Issued issued = node.tokens().issue(s.user(), label, scope, channels, io.parley.auth.Tokens.lifetimeInDays(days));
        node.audit().record(AuditEvent.done(s.user(), AuditAction.TOKEN_CREATED, issued.token().id(), ctx.ip(), "web: " + issued.token().summary()));
        render(ctx, 201, s, "Token created. Copy it now: it is shown only on this page.", false, null,
                new WebModel.NewToken(issued.token().id(), issued.token().label(), issued.secret()));
    }

    /** Only the owner's own tokens here; another's id is as unknown as one that never existed. */
    private void revokeToken(Context ctx, WebRoutes.Session s) {
        String id = ctx.pathParam("id");
        var token = node.tokens().find(id).filter(t -> t.username().equals(s.user()));
        if (token.isEmpty()) throw new WebRoutes.WebError(404, "No such token", "You have no token with this id.");
        if (node.tokens().revoke(id, s.user())) {
            node.audit().record(AuditEvent.done(s.user(), AuditAction.TOKEN_REVOKED, id, ctx.ip(), "web: " + token.get().summary()));
        }
        WebRoutes.seeOther(ctx, "/account?done=revoked");
    }
}
