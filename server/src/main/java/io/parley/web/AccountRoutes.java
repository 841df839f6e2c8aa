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
 * The signed-in user's own account page: the desk's language, the TOTP second factor and API tokens. The language is
 * saved to the account, so it holds in every later session, on every desk the user signs in at. Setting one up shows the secret as a QR code (drawn
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
        app.post("/account/language", web.page(this::language));
        app.post("/account/totp", web.page(this::begin));
        app.post("/account/totp/confirm", web.page(this::confirm));
        app.post("/account/totp/remove", web.page(this::remove));
        app.post("/account/tokens", web.page(this::issueToken));
        app.post("/account/tokens/{id}/revoke", web.page(this::revokeToken));
    }

    private void show(Context ctx, WebRoutes.Session s) {
        boolean mustEnrol = "required".equals(ctx.queryParam("enrol")) && !node.secondFactor().enrolled(s.user());
        String notice = switch (String.valueOf(ctx.queryParam("done"))) {
            case "removed" -> "account.notice.removed";
            case "revoked" -> "account.notice.revoked";
            case "language" -> "account.notice.language";
            default -> mustEnrol ? "account.notice.enrolRequired" : null;
        };
        render(ctx, 200, s, notice, mustEnrol && notice.equals("account.notice.enrolRequired"), null);
    }

    /**
     * Saves the desk's language to the account: one of the six, or refused. The next page, and every later session,
     * is in it ({@link io.parley.web.i18n.LanguageChoice} reads the account before the cookie and the browser).
     */
    private void language(Context ctx, WebRoutes.Session s) {
        var lang = io.parley.web.i18n.Lang.of(ctx.formParam("lang")).filter(l -> l.code().equals(ctx.formParam("lang")))
                .orElseThrow(() -> new WebRoutes.WebError(422, "account.error.notSaved", "account.error.language"));
        String before = node.users().language(s.user()).orElse("none");
        node.users().setLanguage(s.user(), lang.code());
        io.parley.web.i18n.LanguageChoice.remember(ctx, lang);
        node.audit().record(AuditEvent.done(s.user(), AuditAction.USER_CHANGED, s.user(), ctx.ip(), "web: desk language was " + before + "; now " + lang.code()));
        WebRoutes.seeOther(ctx, "/account?done=language");
    }

    private void render(Context ctx, int status, WebRoutes.Session s, String notice, boolean error, List<String> recoveryCodes) {
        render(ctx, status, s, notice, error, recoveryCodes, null);
    }

    /** The page, with a notice (a key of the account bundle, and its arguments) or none. */
    private void render(Context ctx, int status, WebRoutes.Session s, String notice, boolean error, List<String> recoveryCodes,
            WebModel.NewToken newToken, Object... args) {
        var texts = s.pages().texts();
        boolean enrolled = node.secondFactor().enrolled(s.user());
        Optional<SecondFactor.Enrolment> pending = enrolled ? Optional.empty() : node.secondFactor().pending(s.user());
        var model = new WebModel.Account(s.layout(texts.t("account.title"), "account", 0, notice == null ? null : texts.t(notice, args), error),
                texts.label("role", s.account().role()), enrolled,
                node.config().signIn().secondFactorRequired(s.account()), pending.map(SecondFactor.Enrolment::secretBase32).orElse(null),
                pending.map(e -> QrSvg.of(e.uri())).orElse(null), pending.map(SecondFactor.Enrolment::uri).orElse(null),
                enrolled ? node.secondFactor().unusedRecoveryCodes(s.user()) : 0, recoveryCodes,
                mayIssueTokens(s), tokenRows(s), newToken, languages(texts));
        web.render(ctx, status, "account.jte", model);
    }

    private void begin(Context ctx, WebRoutes.Session s) {
        if (node.secondFactor().begin(s.user()).isEmpty()) {
            throw new WebRoutes.WebError(409, "account.error.alreadySetUp", "account.error.alreadySetUp.text");
        }
        WebRoutes.seeOther(ctx, "/account");
    }

    private void confirm(Context ctx, WebRoutes.Session s) {
        Optional<List<String>> codes = node.secondFactor().confirm(s.user(), ctx.formParam("code"));
        if (codes.isEmpty()) {
            render(ctx, 422, s, "account.error.codeMismatch", true, null);
            return;
        }
        node.audit().record(AuditEvent.done(s.user(), AuditAction.SECOND_FACTOR, s.user(), ctx.ip(), "TOTP enrolled in the web UI; recovery codes issued"));
        render(ctx, 200, s, "account.notice.enrolled", false, codes.get());
    }

    private void remove(Context ctx, WebRoutes.Session s) {
        if (node.config().signIn().secondFactorRequired(s.account())) {
            throw new WebRoutes.WebError(403, "desk.error.secondFactor", "account.error.required", "parley user totp " + s.user() + " --reset");
        }
        switch (node.secondFactor().verify(s.user(), ctx.formParam("code"))) {
            case SecondFactor.Check.Wait w -> {
                SignInRoutes.throttledHeaders(ctx, w.retryAfter());
                render(ctx, 429, s, "account.error.codeThrottled", true, null, null, SignInRoutes.wait(w.retryAfter()));
                return;
            }
            case SecondFactor.Check.Wrong wrong -> {
                node.audit().record(AuditEvent.refused(s.user(), AuditAction.SECOND_FACTOR, s.user(), ctx.ip(), "removal refused: wrong code"));
                render(ctx, 422, s, "account.error.wrongCode", true, null);
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

    private List<WebModel.TokenRow> tokenRows(WebRoutes.Session s) {
        java.time.Instant now = node.now();
        var texts = s.pages().texts();
        return node.tokens().list(s.user()).stream().map(t -> new WebModel.TokenRow(t.id(), t.label(), texts.label("tokenScope", t.scope()),
                String.join(", ", t.channels()), texts.time(t.expires()), t.state(now), texts.label("tokenState", t.state(now)),
                t.lastUsed().map(texts::time).orElse(texts.t("account.tokens.never")))).toList();
    }

    /** The six languages in their own names, the account's current one marked. */
    private static List<WebModel.LanguageOption> languages(io.parley.web.i18n.Texts texts) {
        return io.parley.web.i18n.Lang.all().stream()
                .map(l -> new WebModel.LanguageOption(l.code(), l.nativeName(), l == texts.lang())).toList();
    }

    private void issueToken(Context ctx, WebRoutes.Session s) {
        String label = ctx.formParam("label") == null ? "" : ctx.formParam("label").strip();
        var scope = io.parley.auth.Tokens.Scope.parse(String.valueOf(ctx.formParam("scope")))
                .orElseThrow(() -> new WebRoutes.WebError(422, "account.error.tokenNotCreated", "account.error.tokenScope"));
        String channelText = ctx.formParam("channels") == null || ctx.formParam("channels").isBlank() ? "*" : ctx.formParam("channels");
        List<String> channels = java.util.Arrays.stream(channelText.split("[,\\s]+")).filter(c -> !c.isEmpty()).toList();
        long days;
        try {
            days = Long.parseLong(String.valueOf(ctx.formParam("days")).strip());
        } catch (NumberFormatException e) {
            throw new WebRoutes.WebError(422, "account.error.tokenNotCreated", "account.error.tokenDays");
        }
        io.parley.auth.Tokens.Issued issued = node.tokens().issue(s.user(), label, scope, channels, io.parley.auth.Tokens.lifetimeInDays(days));
        node.audit().record(AuditEvent.done(s.user(), AuditAction.TOKEN_CREATED, issued.token().id(), ctx.ip(), "web: " + issued.token().summary()));
        render(ctx, 201, s, "account.notice.tokenCreated", false, null,
                new WebModel.NewToken(issued.token().id(), issued.token().label(), issued.secret()));
    }

    /** Only the owner's own tokens here; another's id is as unknown as one that never existed. */
    private void revokeToken(Context ctx, WebRoutes.Session s) {
        String id = ctx.pathParam("id");
        var token = node.tokens().find(id).filter(t -> t.username().equals(s.user()));
        if (token.isEmpty()) throw new WebRoutes.WebError(404, "account.error.noToken", "account.error.noToken.text");
        if (node.tokens().revoke(id, s.user())) {
            node.audit().record(AuditEvent.done(s.user(), AuditAction.TOKEN_REVOKED, id, ctx.ip(), "web: " + token.get().summary()));
        }
        WebRoutes.seeOther(ctx, "/account?done=revoked");
    }
}
