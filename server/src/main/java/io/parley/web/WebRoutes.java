package io.parley.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.parley.api.Problem;
import io.parley.api.ProblemMapper;
import io.parley.cases.CaseBook;
import io.parley.cases.CaseException;
import io.parley.charter.Charter;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.federation.Federation;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.store.UserStore;
import io.parley.timeline.CaseTimeline;
import io.parley.web.WebModel.CaseForm;
import io.parley.web.WebModel.Layout;

/**
 * The duty officer's web UI at {@code /}: server-rendered HTML (jte, escaped by default), no inline script. Every page needs
 * a signed-in session ({@link SignInRoutes}: {@code /login}, a server-side session in an HttpOnly SameSite=Strict
 * cookie); HTTP Basic is not accepted here, and the session is not accepted by the API. A request without a session is
 * sent to the sign-in form. Every form posts a CSRF token bound to the session, and a POST without a valid one is
 * refused with 403. An admin without a second factor on a node with {@code require_2fa_for_admin} reaches nothing but
 * the account page (to enrol) and sign-out. Pages read the node's services directly, the same the API uses, so they
 * show the same data. Failures are HTML pages with a message, never a trace.
 */
public final class WebRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(WebRoutes.class);
    static final String HTML = "text/html; charset=utf-8";
    /** An error page's status and HTML, put back after Javalin's status mappers (which answer 404/405 as problem+json). */
    private static final String ERROR_PAGE = "parley.web.error-page";
    /**
     * The pages' policy: styles, images and scripts from the node itself only ({@link UiAssets}), no inline script or
     * style, and the desk's script may fetch from the node only (its in-place refresh).
     */
    static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";
    private static final Map<String, Kind> ACTIONS = Map.of("ack", Kind.ACK, "update", Kind.UPDATE, "answer", Kind.ANSWER,
            "close", Kind.CLOSE, "retract", Kind.RETRACT);
    /** The notices a page shows after {@code ?done=}: the value, and its key in the bundles (desk: {@code notice.*}). */
    private static final Map<String, String> DONE = Map.ofEntries(
            Map.entry("contacts", "desk.notice.contacts"),
            Map.entry("ack", "desk.notice.ack"),
            Map.entry("update", "desk.notice.update"),
            Map.entry("answer", "desk.notice.answer"),
            Map.entry("close", "desk.notice.close"),
            Map.entry("retract", "desk.notice.retract"),
            Map.entry("opened", "desk.notice.opened"),
            Map.entry("ping", "desk.notice.ping"),
            Map.entry("signed", "desk.notice.signed"),
            Map.entry("saved", "desk.notice.saved"),
            Map.entry("disabled", "desk.notice.disabled"));

    private static final Map<String, String> STATEMENT_DONE = Map.of(
            "statement", "desk.notice.statement",
            "cosigned", "desk.notice.cosigned",
            "withdrawn", "desk.notice.withdrawn");

    private final Node node;
    private final Federation federation;
    private final CaseBook cases;
    private final io.parley.cases.JointStatements statements;
    private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
    private final SessionCookie cookie;
    private final UiAssets assets = new UiAssets();

    public WebRoutes(Node node, Federation federation, CaseBook cases) {
        this.node = node;
        this.federation = federation;
        this.cases = cases;
        this.statements = new io.parley.cases.JointStatements(node, cases);
        this.cookie = new SessionCookie(node);
    }

    public void register(Javalin app) {
        app.get("/", page(this::dashboard));
        app.get("/cases/{id}", page(this::showCase));
        new EvidencePages(node, federation, cases, this).register(app); // before /cases/{id}/{action}, which would otherwise match
        new VerifyPage(this).register(app);
        app.post("/cases/{id}/statement", page(this::proposeStatement)); // before /cases/{id}/{action}
        app.post("/cases/{id}/statement/{hash}/cosign", page(this::cosignStatement));
        app.post("/cases/{id}/evidence/retract", page(this::retractEvidence));
        new CourtesyTranslationRoutes(node, cases).register(app, this); // before /cases/{id}/{action}
        app.post("/cases/{id}/{action}", page(this::caseAction));
        app.get("/cases/{id}/{action}", page((ctx, s) -> seeOther(ctx, "/cases/" + segment(ctx.pathParam("id"))
                + (ctx.queryParam("channel") == null ? "" : "?channel=" + segment(ctx.queryParam("channel"))))));
        app.get("/channels/{id}", page(this::showChannel));
        app.get("/channels/{id}/cases/new", page(this::newCaseForm));
        app.get("/channels/{id}/report.csv", page(this::reportCsv));
        app.post("/channels/{id}/cases", page(this::openCase));
        app.post("/channels/{id}/sign", page(this::sign));
        app.post("/channels/{id}/ping", page(this::ping));
        app.get("/channels/{id}/{action}", page((ctx, s) -> seeOther(ctx, "/channels/" + segment(ctx.pathParam("id")))));
        app.get("/users", page(this::users));
        app.post("/users", page(this::saveUser));
        app.post("/users/{name}/disable", page(this::disableUser));
        new SignInRoutes(node, this, cookie).register(app);
        new AccountRoutes(node, this).register(app);
        new ReportRoutes(node, federation, cases, this).register(app); new PeerRoutes(node, federation, this).register(app); new AdminRoutes(node, this).register(app);
        app.get("/audit", page(this::audit));
        app.post("/account/contacts/confirm", page(this::confirmContacts));
        assets.register(app);
        app.after(WebRoutes::restoreErrorPage);
    }

    /** The signed-in user of a request, its session id, the token its forms carry, and the page builder as of this request. */
    record Session(String user, UserStore.User account, String id, String csrf, Pages pages) {
        Layout layout(String title, String section, int refresh, String notice, boolean error) {
            return pages.layout(title, user, csrf, section, refresh, notice, error);
        }
    }

    @FunctionalInterface
    interface PageHandler {
        void handle(Context ctx, Session session) throws Exception;
    }

    /**
     * A refusal to show as an HTML page, worded in the reader's language: a heading key, a message key and the
     * message's arguments (wire values, or a sentence of the node's core, which stays as written). A key the bundles do
     * not have is shown as written, so a sentence passed instead of a key still reads. The exception's own message is
     * the English text, for logs.
     */
    static final class WebError extends RuntimeException {
        final int status;
        private final String heading;
        private final String text;
        private final Object[] args;

        WebError(int status, String heading, String text, Object... args) {
            super(io.parley.web.i18n.Texts.english().t(text, args), null, false, false);
            this.status = status;
            this.heading = heading;
            this.text = text;
            this.args = args;
        }

        String heading(io.parley.web.i18n.Texts t) {
            return t.t(heading);
        }

        String message(io.parley.web.i18n.Texts t) {
            return t.t(text, args);
        }
    }

    /** The headers of every page, the sign-in pages included. */
    static void securityHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "same-origin").header("Cache-Control", "no-store");
    }

    Handler page(PageHandler handler) {
        return ctx -> {
            securityHeaders(ctx);
            Session session = null;
            try {
                session = authenticate(ctx);
                if (session == null) {
                    signInFirst(ctx);
                    return;
                }
                if (ctx.method() == HandlerType.POST && !Csrf.valid(session.id(), ctx.formParam(Csrf.FIELD))) {
                    throw new WebError(403, "desk.error.forged", "desk.error.forged.text");
                }
                if (mustEnrolFirst(ctx, session)) return;
                authorize(ctx, session);
                handler.handle(ctx, session);
            } catch (Exception e) {
                fail(ctx, session, e);
            }
        };
    }

    /** The permission table's entry for this page or action, as the API checks it; a refusal is a 403 page. */
    private void authorize(Context ctx, Session session) {
        String method = ctx.method() == HandlerType.HEAD ? "GET" : ctx.method().name();
        var permission = io.parley.auth.Permissions.required(method, ctx.endpointHandlerPath());
        if (permission.isEmpty()) throw new WebError(403, "desk.error.notPermitted", "desk.error.notPermitted.undeclared");
        if (permission.get() instanceof io.parley.auth.Permission.Public) return;
        UserStore.User user = node.users().find(session.user())
                .orElseThrow(() -> new WebError(403, "desk.error.notPermitted", "desk.error.notPermitted.disabled"));
        var why = io.parley.api.HttpServer.denial(node, user, permission.get(), ctx);
        if (why.isPresent()) {
            io.parley.api.RequestAudit.denied(node, ctx, user.username(), method + " " + ctx.endpointHandlerPath(), why.get());
            throw new WebError(403, "desk.error.notPermitted", "desk.error.notPermitted.why", why.get());
        }
    }

    /**
     * The request's signed-in session, or null. HTTP Basic credentials are ignored here: the browser signs in at /login.
     * The desk's own refresh ({@code ?refresh=auto}, fetched by its script, {@code /ui/desk.js}) is not activity: an
     * open, unattended dashboard times out like any other page.
     */
    Session authenticate(Context ctx) {
        boolean activity = !(ctx.method() == HandlerType.GET && "auto".equals(ctx.queryParam("refresh")));
        Optional<io.parley.auth.Sessions.Active> active = node.sessions().resolve(cookie.read(ctx), io.parley.auth.Sessions.Stage.FULL, activity);
        if (active.isEmpty()) return null;
        UserStore.User user = active.get().user();
        var lang = io.parley.web.i18n.LanguageChoice.resolve(ctx, node.users(), user.username());
        return new Session(user.username(), user, active.get().id(), Csrf.token(active.get().id()),
                new Pages(node, federation, cases, node.messageAccess().reader(user), io.parley.web.i18n.Texts.of(lang),
                        io.parley.web.i18n.LanguageChoice.links(ctx, lang), "admin".equals(user.role())));
    }

    /**
     * No session: a page is answered with the sign-in form's address and the page to come back to; a form post (whose
     * content a redirect would lose, and which may come from another site) with a 401 page and nothing done.
     */
    private void signInFirst(Context ctx) {
        if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD) {
            String back = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
            seeOther(ctx, "/login" + (SignInRoutes.localPath(back) != null && !back.equals("/") ? "?next=" + Fmt.path(back) : ""));
            return;
        }
        throw new WebError(401, "desk.error.signIn", "desk.error.signIn.text");
    }

    /**
     * Under {@code require_2fa_for_admin}, an admin without a second factor is sent to enrol before anything else: only
     * the account page and sign-out answer. True if this request was answered so.
     */
    private boolean mustEnrolFirst(Context ctx, Session s) {
        if (!node.config().signIn().secondFactorRequired(s.account()) || node.secondFactor().enrolled(s.user())) return false;
        String route = ctx.endpointHandlerPath();
        if (route.equals("/account") || route.startsWith("/account/") || route.equals("/logout")) return false;
        if (ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD) {
            seeOther(ctx, "/account?enrol=required");
            return true;
        }
        throw new WebError(403, "desk.error.secondFactor", "desk.error.secondFactor.enrol");
    }

    // ---- pages ----

    private void dashboard(Context ctx, Session s) {
        var model = s.pages().dashboard(s.layout(s.pages().texts().t("desk.title.dashboard"), "dashboard", 60, done(ctx, s), false));
        render(ctx, 200, "dashboard.jte", model);
    }

    private void showCase(Context ctx, Session s) {
        String id = ctx.pathParam("id");
        var model = s.pages().casePage(s.layout(s.pages().texts().t("case.title", id), "cases", 0, done(ctx, s), false), ctx.queryParam("channel"), id)
                .orElseThrow(() -> new WebError(404, "desk.error.noCase", "desk.error.noCase.text", id));
        render(ctx, 200, "case.jte", model);
    }

    private void showChannel(Context ctx, Session s) {
        String id = ctx.pathParam("id");
        var model = s.pages().channelPage(s.layout(s.pages().texts().t("channel.title", id), "channels", 0, done(ctx, s), false), id)
                .orElseThrow(() -> unknownChannel(id));
        render(ctx, 200, "channel.jte", model);
    }

    private void reportCsv(Context ctx, Session s) {
        String id = ctx.pathParam("id");
        String csv = s.pages().reportCsv(id).orElseThrow(() -> unknownChannel(id));
        ctx.header("Content-Disposition", "attachment; filename=\"" + id.replaceAll("[^A-Za-z0-9._-]", "_") + "-responsiveness.csv\"")
                .contentType("text/csv; charset=utf-8").result(csv);
    }

    private void newCaseForm(Context ctx, Session s) {
        Charter c = charter(ctx.pathParam("id"));
        Tlp defaultTlp = Tlp.AMBER.exceeds(c.tlpCeiling()) ? c.tlpCeiling() : Tlp.AMBER;
        render(ctx, 200, "newcase.jte", s.pages().newCase(s.layout(s.pages().texts().t("newcase.title"), "channels", 0, null, false), c,
                CaseForm.blank(defaultTlp, s.pages().texts().lang().code()), null, null));
    }

    private void users(Context ctx, Session s) {
        render(ctx, 200, "users.jte", new WebModel.Users(s.layout(s.pages().texts().t("desk.title.users"), "admin", 0, done(ctx, s), false), node.users().accounts()));
    }

    /** The audit trail, newest first, {@value #AUDIT_PAGE} a page; {@code ?before=SEQ} pages back, actor and action filter. */
    private void audit(Context ctx, Session s) {
        long before = auditNumber(ctx.queryParam("before"));
        String actor = form(ctx.queryParam("actor"), io.parley.audit.AuditEvent.MAX_ACTOR);
        String action = ctx.queryParam("action") == null ? "" : ctx.queryParam("action");
        if (!action.isEmpty() && io.parley.audit.AuditAction.ofCode(action).isEmpty()) {
            throw new WebError(400, "desk.error.notShown", "desk.error.audit.action", action);
        }
        var records = node.audit().list(new io.parley.audit.AuditQuery(0, before, actor, action, AUDIT_PAGE, true));
        String older = null;
        if (records.size() == AUDIT_PAGE) {
            older = "/audit?before=" + records.get(records.size() - 1).seq()
                    + (actor.isEmpty() ? "" : "&actor=" + Fmt.path(actor)) + (action.isEmpty() ? "" : "&action=" + Fmt.path(action));
        }
        List<String> actions = java.util.Arrays.stream(io.parley.audit.AuditAction.values()).map(io.parley.audit.AuditAction::code).toList();
        render(ctx, 200, "audit.jte", new WebModel.Audit(s.layout(s.pages().texts().t("desk.title.audit"), "admin", 0, null, false), records, node.verifyAudit(),
                actor, action, actions, older, before > 0));
    }

    private static final int AUDIT_PAGE = 50;

    private static long auditNumber(String v) {
        if (v == null || v.isEmpty()) return 0;
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new WebError(400, "desk.error.notShown", "desk.error.audit.before");
        }
    }

    private static String form(String v, int max) {
        String s = v == null ? "" : v.strip();
        if (s.length() > max) throw new WebError(400, "desk.error.notShown", "desk.error.audit.filter");
        return s;
    }

    // ---- actions (POST, CSRF-checked by page()) ----

    /** Creates or resets an account, with the rules of {@code parley user add}. */
    private void saveUser(Context ctx, Session s) {
        String name = form(ctx, "username"), password = ctx.formParam("password"), roleText = form(ctx, "role");
        io.parley.auth.UserNames.refusal(name).ifPresent(why -> { throw new WebError(422, "desk.error.notSaved", "desk.error.user.name", why); });
        if (password == null || password.length() < 8) throw new WebError(422, "desk.error.notSaved", "desk.error.user.password");
        io.parley.auth.Role role = io.parley.auth.Role.parse(roleText)
                .orElseThrow(() -> new WebError(422, "desk.error.notSaved", "desk.error.user.role"));
        List<String> channels = list(form(ctx, "channels"));
        for (String c : channels) {
            if (!c.equals(io.parley.auth.Role.ALL_CHANNELS) && !c.matches("[A-Za-z0-9._-]{1,64}")) throw new WebError(422, "desk.error.notSaved", "desk.error.user.channel", c);
        }
        if (role == io.parley.auth.Role.OFFICER && channels.isEmpty()) throw new WebError(422, "desk.error.notSaved", "desk.error.user.officerChannels");
        if (role != io.parley.auth.Role.OFFICER && !channels.isEmpty()) throw new WebError(422, "desk.error.notSaved", "desk.error.user.channelsOfficersOnly");
        var before = io.parley.audit.AccountEvents.current(node.users(), name);
        node.users().put(name, io.parley.auth.Passwords.hash(password), role.wire(), node.now());
        node.users().setChannels(name, channels);
        node.users().setDisabled(name, false);
        node.audit().record(io.parley.audit.AccountEvents.saved(s.user(), ctx.ip(), before, name, role.wire(), channels));
        seeOther(ctx, "/users?done=saved");
    }

    private void disableUser(Context ctx, Session s) {
        String name = ctx.pathParam("name");
        if (name.equals(s.user())) throw new WebError(422, "desk.error.notDisabled", "desk.error.user.disableSelf");
        if (!node.users().disable(name, node.now())) throw new WebError(404, "desk.error.noAccount", "desk.error.noAccount.text", name);
        node.audit().record(io.parley.audit.AccountEvents.disabled(s.user(), ctx.ip(), name));
        seeOther(ctx, "/users?done=disabled");
    }

    private static String form(Context ctx, String field) {
        String v = ctx.formParam(field);
        return v == null ? "" : v.strip();
    }

    private void caseAction(Context ctx, Session s) {
        String id = ctx.pathParam("id"), action = ctx.pathParam("action");
        Kind kind = ACTIONS.get(action);
        if (kind == null) throw new WebError(404, "desk.error.noAction", "desk.error.noAction.text");
        // the case page's form names the channel in a field; a hand-made link may use the query
        String channel = ctx.formParam("channel") != null ? ctx.formParam("channel") : ctx.queryParam("channel");
        CaseTimeline t = cases.find(id, channel)
                .orElseThrow(() -> new WebError(404, "desk.error.noCase", "desk.error.noCase.text", id));
        String text = trimmed(ctx.formParam("text"));
        if (text.isEmpty() && (kind == Kind.UPDATE || kind == Kind.ANSWER)) {
            var model = s.pages().casePage(s.layout(s.pages().texts().t("case.title", id), "cases", 0,
                    s.pages().texts().t(kind == Kind.UPDATE ? "case.notice.emptyUpdate" : "case.notice.emptyAnswer"), true), t.channel(), id).orElseThrow();
            render(ctx, 422, "case.jte", model);
            return;
        }
        ObjectNode body = Json.object();
        if (!text.isEmpty()) body.put("text", text).put("lang", lang(ctx.formParam("lang")));
        if (kind == Kind.ACK) decision(ctx, body);
        Verdict v;
        try {
            v = cases.respond(t.channel(), id, kind, body, s.user());
        } catch (EnvelopeFormatException e) {
            // a decision the rules refuse (a defer without a time, a decline without a reason): said on the case page
            var model = s.pages().casePage(s.layout(s.pages().texts().t("case.title", id), "cases", 0, s.pages().texts().t("case.notice.notSent", e.getMessage()), true), t.channel(), id).orElseThrow();
            render(ctx, 422, "case.jte", model);
            return;
        }
        refuseRejected(v);
        seeOther(ctx, Fmt.caseHref(id, t.channel(), null) + "&done=" + action);
    }

    private void proposeStatement(Context ctx, Session s) {
        CaseTimeline t = formCase(ctx);
        List<io.parley.timeline.JointStatement.Translation> translations = new ArrayList<>();
        String tr = trimmed(ctx.formParam("translation"));
        if (!tr.isEmpty()) translations.add(new io.parley.timeline.JointStatement.Translation(lang(ctx.formParam("translation_lang")), tr));
        statements.propose(t.channel(), t.caseId(), new io.parley.cases.JointStatements.Draft(trimmed(ctx.formParam("text")), lang(ctx.formParam("lang")),
                translations), s.user());
        seeOther(ctx, Fmt.caseHref(t.caseId(), t.channel(), null) + "&done=statement");
    }

    private void cosignStatement(Context ctx, Session s) {
        CaseTimeline t = formCase(ctx);
        statements.cosign(t.channel(), t.caseId(), ctx.pathParam("hash"), s.user());
        seeOther(ctx, Fmt.caseHref(t.caseId(), t.channel(), null) + "&done=cosigned");
    }

    private void retractEvidence(Context ctx, Session s) {
        CaseTimeline t = formCase(ctx);
        String sha = trimmed(ctx.formParam("sha256")).toLowerCase(Locale.ROOT);
        String reason = trimmed(ctx.formParam("reason"));
        new io.parley.taxii.EvidenceWithdrawal(node, node.evidence()).withdraw(sha, t.channel(), t.caseId(), reason.isEmpty() ? null : reason,
                lang(ctx.formParam("lang")), s.user());
        seeOther(ctx, Fmt.caseHref(t.caseId(), t.channel(), null) + "&done=withdrawn");
    }

    /** The case a case page's form names: {id}, in the channel its hidden field (or a hand-made link's query) gives. */
    private CaseTimeline formCase(Context ctx) {
        String id = ctx.pathParam("id");
        String channel = ctx.formParam("channel") != null ? ctx.formParam("channel") : ctx.queryParam("channel");
        return cases.find(id, channel).orElseThrow(() -> new WebError(404, "desk.error.noCase", "desk.error.noCase.text", id));
    }

    private void sign(Context ctx, Session s) {
        String id = ctx.pathParam("id");
        charter(id);
        String reviewed = ctx.formParam("charter_hash");
        if (reviewed == null || !reviewed.matches("[0-9a-f]{64}")) {
            throw new WebError(400, "desk.error.notAccepted", "desk.error.sign.hash");
        }
        Verdict signed = node.channelActions().sign(id, reviewed);
        refuseRejected(signed);
        io.parley.api.RequestAudit.done(node, ctx, s.user(), io.parley.audit.AuditAction.CHARTER_SIGNED, id, "terms " + reviewed);
        String back = "channel".equals(ctx.formParam("back")) ? "/channels/" + segment(id) : "/";
        seeOther(ctx, back + "?done=signed");
    }

    /** Re-confirms our points of contact to every channel (admin only, by {@link io.parley.auth.Permissions}). */
    private void confirmContacts(Context ctx, Session s) {
        var done = new io.parley.practice.ContactConfirmations(node, new io.parley.practice.PracticeStore(node.db())).confirm(s.user());
        if (done.isEmpty()) throw new WebError(409, "desk.error.noContacts", "desk.error.noContacts.text");
        node.audit().record(io.parley.audit.AuditEvent.done(s.user(), io.parley.audit.AuditAction.CONTACTS_CONFIRMED,
                String.join(",", done.stream().map(io.parley.practice.ContactConfirmations.Confirmed::channel).toList()), ctx.ip(), done.size() + " channel(s)"));
        seeOther(ctx, "/?done=contacts");
    }

    private void ping(Context ctx, Session s) {
        String id = ctx.pathParam("id");
        charter(id);
        String mode = "human".equals(ctx.formParam("mode")) ? "human" : "auto";
        Priority priority = Priority.fromWire(Optional.ofNullable(ctx.formParam("priority")).orElse("routine"))
                .orElseThrow(() -> new WebError(400, "desk.error.notAccepted", "desk.error.ping.priority"));
        CaseTimeline t = cases.open(id, Kind.PING, priority, Tlp.GREEN, Json.object().put("mode", mode)
                .put("summary", mode.equals("human") ? "Line test: please acknowledge" : "Line test"), s.user());
        seeOther(ctx, Fmt.caseHref(t.caseId(), t.channel(), null) + "&done=ping");
    }

    private void openCase(Context ctx, Session s) {
        Charter c = charter(ctx.pathParam("id"));
        CaseForm f = new CaseForm(value(ctx, "kind"), value(ctx, "priority"), value(ctx, "tlp"), value(ctx, "type"), value(ctx, "summary"),
                value(ctx, "asked"), value(ctx, "sectors"), value(ctx, "systems"), value(ctx, "window_from"), value(ctx, "window_to"),
                value(ctx, "indicators"), value(ctx, "legal_basis"), value(ctx, "text"), value(ctx, "lang"), value(ctx, "recipients"),
                value(ctx, "category"), value(ctx, "disarm_technique"), ctx.formParams("commitments"), value(ctx, "hold_days"), value(ctx, "data"),
                value(ctx, "identifiers"));
        try {
            Kind kind = switch (f.kind()) {
                case "request" -> Kind.REQUEST;
                case "notify" -> Kind.NOTIFY;
                default -> throw new FormError("kind", s.pages().texts().t("newcase.error.kind"));
            };
            Priority priority = Priority.fromWire(f.priority()).orElseThrow(() -> new FormError("priority", s.pages().texts().t("newcase.error.priority")));
            Tlp tlp = Tlp.fromWire(f.tlp()).orElseThrow(() -> new FormError("tlp", s.pages().texts().t("newcase.error.tlp")));
            if (tlp.exceeds(c.tlpCeiling())) {
                throw new FormError("tlp", s.pages().texts().t("newcase.error.ceiling", Fmt.tlpLabel(tlp), Fmt.tlpLabel(c.tlpCeiling())));
            }
            ObjectNode body = Json.object();
            if (kind == Kind.REQUEST) {
                if (!CaseBook.REQUEST_TYPES.contains(f.type())) throw new FormError("type", s.pages().texts().t("newcase.error.type"));
                body.put("type", f.type());
            }
            if (f.summary().isEmpty()) throw new FormError("summary", s.pages().texts().t("newcase.error.summary"));
            body.put("summary", f.summary());
            if (kind == Kind.REQUEST && f.asked().isEmpty()) throw new FormError("asked", s.pages().texts().t("newcase.error.asked"));
            if (!f.asked().isEmpty()) body.put("asked", f.asked());
            List<String> systems = list(f.systems()), sectors = list(f.sectors());
            if (!systems.isEmpty() || !sectors.isEmpty()) {
                ObjectNode affected = body.putObject("affected");
                if (!systems.isEmpty()) strings(affected.putArray("systems"), systems);
                if (!sectors.isEmpty()) strings(affected.putArray("sectors"), sectors);
            }
            String badTime = s.pages().texts().t("newcase.error.time");
            Instant from = windowTime(f.windowFrom(), "window_from", badTime), to = windowTime(f.windowTo(), "window_to", badTime);
            if (from != null && to != null && !from.isBefore(to)) throw new FormError("window_to", s.pages().texts().t("newcase.error.window"));
            if (from != null || to != null) {
                ObjectNode w = body.putObject("window");
                if (from != null) w.put("from", from.toString());
                if (to != null) w.put("to", to.toString());
            }
            List<String> indicators = list(f.indicators());
            if (!indicators.isEmpty()) strings(body.putArray("indicators"), indicators);
            if (!f.legalBasis().isEmpty()) body.put("legal_basis", f.legalBasis());
            if (!f.text().isEmpty()) body.put("text", f.text());
            if (!f.text().isEmpty() || !f.lang().isEmpty()) body.put("lang", lang(f.lang()));
            List<String> recipients = list(f.recipients());
            if (!recipients.isEmpty()) strings(body.putArray("recipients"), recipients);
            if (tlp == Tlp.RED && recipients.isEmpty()) {
                throw new FormError("recipients", s.pages().texts().t("newcase.error.recipients"));
            }
            if (!f.category().isEmpty()) body.put("category", f.category());
            if (!f.disarmTechnique().isEmpty()) body.put("disarm_technique", f.disarmTechnique());
            if (!f.commitments().isEmpty()) strings(body.putArray("commitments"), f.commitments());
            if (kind == Kind.REQUEST && "preservation".equals(f.type())) {
                if (!f.holdDays().isEmpty()) {
                    try {
                        body.put("hold_days", Integer.parseInt(f.holdDays()));
                    } catch (NumberFormatException e) {
                        throw new FormError("hold_days", s.pages().texts().t("newcase.error.holdDays"));
                    }
                }
                if (!f.data().isEmpty()) body.put("data", f.data());
                var ids = body.putArray("identifiers");
                for (String line : list(f.identifiers())) {
                    int colon = line.indexOf(':');
                    if (colon <= 0) throw new FormError("identifiers", s.pages().texts().t("newcase.error.identifiers"));
                    ids.addObject().put("type", line.substring(0, colon).strip()).put("value", line.substring(colon + 1).strip());
                }
                if (ids.isEmpty()) body.remove("identifiers");
            }
            CaseTimeline t;
            try {
                t = cases.open(c.channel(), kind, priority, tlp, body, s.user());
            } catch (EnvelopeFormatException | io.parley.node.Refusal e) {
                // shown beside the form, which keeps what was typed, with the status every edge gives this refusal
                String pointer = e instanceof EnvelopeFormatException fe ? fe.field() : ((io.parley.node.Refusal) e).field();
                String field = pointer != null ? pointer.replaceFirst("^/body/", "").replaceFirst("/[0-9]+$", "").replace('/', '_') : null;
                throw new FormError(field, e.getMessage(), status(ProblemMapper.of(e)));
            }
            seeOther(ctx, Fmt.caseHref(t.caseId(), t.channel(), null) + "&done=opened");
        } catch (FormError e) {
            render(ctx, e.status, "newcase.jte", s.pages().newCase(s.layout(s.pages().texts().t("newcase.title"), "channels", 0, null, false), c, f, e.getMessage(), e.field));
        }
    }

    /** A fault in the new-case form, shown beside the form with the values kept. */
    private static final class FormError extends RuntimeException {
        final String field;
        final int status;

        FormError(String field, String message) {
            this(field, message, 422);
        }

        FormError(String field, String message, int status) {
            super(message, null, false, false);
            this.field = field;
            this.status = status;
        }
    }

    private static Instant windowTime(String v, String field, String badTime) {
        if (v.isEmpty()) return null;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC); // a datetime-local input, in UTC as labelled
            } catch (DateTimeParseException e2) {
                throw new FormError(field, badTime);
            }
        }
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split("[,\\n]")) if (!s.isBlank()) out.add(s.strip());
        return out;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static String value(Context ctx, String name) {
        return trimmed(ctx.formParam(name));
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.replace("\r\n", "\n").strip();
    }

    /** A BCP 47-ish language tag, "en" when none or something odd was given. */
    /**
     * The case form's decision fields into an ack body: the choice, the reason code, the reason in the form's
     * language, and a defer's time, which the form's date-time field gives without a zone and the page says is UTC.
     */
    private static void decision(Context ctx, ObjectNode body) {
        String decision = trimmed(ctx.formParam("decision"));
        body.put("decision", decision.isEmpty() ? "accept" : decision);
        String code = trimmed(ctx.formParam("reason_code"));
        if (!code.isEmpty()) body.put("reason_code", code);
        String reason = trimmed(ctx.formParam("reason"));
        if (!reason.isEmpty()) body.put("reason", reason).put("lang", lang(ctx.formParam("lang")));
        String until = trimmed(ctx.formParam("until"));
        if (!until.isEmpty()) {
            // datetime-local: "2026-12-01T10:00" or with seconds; anything else goes to the rules as typed, and is refused there
            body.put("until", until.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}") ? until + ":00Z"
                    : until.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}") ? until + "Z" : until);
        }
    }

    private static String lang(String v) {
        String s = trimmed(v).toLowerCase(Locale.ROOT);
        return s.matches("[a-z]{2,3}(-[a-z0-9]{2,8})*") ? s : "en";
    }

    private static void refuseRejected(Verdict v) {
        if (v instanceof Verdict.Rejected r) throw new WebError(r.reason().httpStatus(), "desk.error.refused", "desk.error.asWritten", r.reason().detail());
    }

    private Charter charter(String id) {
        return node.channels().charter(id).orElseThrow(() -> unknownChannel(id));
    }

    private static WebError unknownChannel(String id) {
        return new WebError(404, "desk.error.noChannel", "desk.error.noChannel.text", id);
    }

    /** The notice of {@code ?done=} in the reader's language, or null (none, or a value no page sends). */
    static String done(Context ctx, Session s) {
        String d = ctx.queryParam("done");
        String key = d == null ? null : DONE.getOrDefault(d, STATEMENT_DONE.get(d));
        return key == null ? null : s.pages().texts().t(key);
    }

    static void seeOther(Context ctx, String location) {
        ctx.redirect(location, HttpStatus.SEE_OTHER);
    }

    static String segment(String s) {
        return Fmt.path(s);
    }

    // ---- rendering ----

    void render(Context ctx, int status, String template, Object model) {
        StringOutput out = new StringOutput();
        templates.render(template, model, out);
        String html = out.toString();
        ctx.status(status).contentType(HTML).result(html);
        if (status >= 400) ctx.attribute(ERROR_PAGE, new ErrorPage(status, html));
    }

    /** A page builder for someone not signed in: the sign-in pages, errors before sign-in. */
    Pages anonymousPages(Context ctx) {
        var lang = io.parley.web.i18n.LanguageChoice.resolve(ctx, node.users(), null);
        return new Pages(node, federation, cases, node.messageAccess().nobody(), io.parley.web.i18n.Texts.of(lang),
                io.parley.web.i18n.LanguageChoice.links(ctx.path(), signInQuery(ctx), lang), false);
    }

    /**
     * What the language switch of a page for someone not signed in carries of its query: the page to go to after
     * sign-in, only if sign-in would go there; nothing else a link from another site put in the address is echoed back.
     */
    private static String signInQuery(Context ctx) {
        String next = SignInRoutes.localPath(ctx.queryParam("next"));
        return next == null ? null : "next=" + Fmt.path(next);
    }

    /**
     * The HTML page for an exception a page let out: a {@link WebError} as its thrower worded it; anything else with
     * the status and title {@link ProblemMapper} decides for the API and TAXII too (a 400 shown as 422, see
     * {@link #status}); an exception the mapper does not know is a 500 that shows nothing of it and is logged.
     */
    void fail(Context ctx, Session session, Exception e) {
        if (e instanceof WebError w) {
            var texts = (session != null ? session.pages() : anonymousPages(ctx)).texts();
            error(ctx, session, w.status, w.heading(texts), w.message(texts));
            return;
        }
        Optional<Problem> known = ProblemMapper.known(e);
        if (known.isEmpty()) {
            LOG.error("web UI failed on {} {}", ctx.method(), ctx.path(), e);
            fail(ctx, session, new WebError(500, "desk.error.internal", "desk.error.internal.text"));
            return;
        }
        if (e instanceof InterruptedException) Thread.currentThread().interrupt();
        Problem p = known.get();
        StringBuilder text = new StringBuilder(p.detail());
        for (Problem.FieldError f : p.errors()) {
            String line = f.pointer() + ": " + f.detail();
            if (!p.detail().contains(line)) text.append("\n").append(line);
        }
        // the heading in the reader's language; the problem's detail as the node's core wrote it (English, like the API's)
        var texts = (session != null ? session.pages() : anonymousPages(ctx)).texts();
        String heading = texts.has("desk.error.status." + status(p)) ? texts.t("desk.error.status." + status(p)) : p.title();
        error(ctx, session, status(p), heading, text.toString());
    }

    /** The status of a page showing {@code p}: its own, but 422 for a 400, since a browser's form is always well-formed HTTP. */
    private static int status(Problem p) {
        return p.status() == 400 ? 422 : p.status();
    }

    void error(Context ctx, Session session, int status, String heading, String message) {
        Pages pages = session != null ? session.pages() : anonymousPages(ctx);
        Layout layout = pages.layout(heading, session == null ? null : session.user(), session == null ? null : session.csrf(), "", 0, null, false);
        String back = session == null ? (status == 401 ? "/login" : null) : "/";
        render(ctx, status, "error.jte", new WebModel.Error(layout, status, heading, message, back));
    }

    private record ErrorPage(int status, String html) {}

    private static void restoreErrorPage(Context ctx) {
        ErrorPage page = ctx.attribute(ERROR_PAGE);
        if (page != null) ctx.status(page.status()).contentType(HTML).result(page.html());
    }
}
