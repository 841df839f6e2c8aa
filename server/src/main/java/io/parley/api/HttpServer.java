package io.parley.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Timer;
import io.parley.auth.Tokens;
import io.parley.federation.Federation;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.store.TokenStore;
import io.parley.store.UserStore;

/**
 * The node's HTTP server (Javalin on virtual threads). Owns the mapping of every failure to problem+json, request
 * size limits, authentication of {@code /api/v1/} and the route groups.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** The limit of buffered bodies; every body read is bounded on the stream by {@link RequestBodies}. */
    public static final long MAX_REQUEST_BYTES = RequestBodies.DEFAULT_MAX;
    static final String USER_ATTRIBUTE = "parley.user";
    /** The request attribute holding the {@link TokenStore.Token} a request was authenticated with, if any (API and TAXII). */
    public static final String TOKEN_ATTRIBUTE = "parley.token";

    private final Javalin app;
    /** Every route registered, "METHOD path", for the OpenAPI completeness check. Written during start only. */
    private final List<String> routes = new CopyOnWriteArrayList<>();

    private HttpServer(Javalin app) {
        this.app = app;
    }

    public static HttpServer start(Node node, Federation federation, io.parley.cases.CaseBook cases, String host, int port) {
        return start(node, federation, cases, host, port, ConnectionLimits.DEFAULT);
    }

    public static HttpServer start(Node node, Federation federation, io.parley.cases.CaseBook cases, String host, int port, ConnectionLimits limits) {
        Javalin app = Javalin.create(cfg -> {
            cfg.useVirtualThreads = true;
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
            cfg.http.prefer405over404 = true;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.jetty.defaultHost = host;
            // HTTPS only when parley.json has tls; the same limits either way
            cfg.jetty.addConnector((server, http) -> limits.connector(server, http, host, port, node.tls().orElse(null)));
            cfg.jetty.modifyServletContextHandler(handler -> {
                RequestBodies.install(handler);
                Utf8Responses.install(handler);
            });
            Timer.Builder timer = Timer.builder("parley_http_requests").description("HTTP requests served");
            cfg.requestLogger.http((ctx, ms) -> timer
                    .tags("method", ctx.method().name(), "status", Integer.toString(ctx.statusCode()),
                            "route", routeOf(ctx))
                    .register(node.metrics()).record(java.time.Duration.ofNanos((long) (ms * 1_000_000))));
        });
        HttpServer server = new HttpServer(app);
        new io.parley.web.WebRoutes(node, federation, cases).register(app); // the duty officer's HTML pages at /, before the route recorder: they are no part of the API document
        app.events(ev -> ev.handlerAdded(info -> {
            if (info.getHttpMethod().isHttpMethod()) {
                server.routes.add(info.getHttpMethod().name() + " " + info.getPath());
            }
        }));
        mapErrors(app);
        if (node.tls().isPresent()) {
            // browsers that once reached the node over HTTPS never try it in cleartext again (RFC 6797)
            app.before(ctx -> ctx.header("Strict-Transport-Security", "max-age=31536000"));
        }
        // runs before every matched API and TAXII handler: a refused call changes nothing
        new CrossSiteGuard(() -> node.card() != null ? node.card().baseUrl() : node.config().baseUrl()).register(app);
        app.before("/api/v1/*", ctx -> authenticate(node, ctx));
        app.beforeMatched(ctx -> authorize(node, ctx));
        if (node.tls().map(io.parley.tls.NodeTls::mutual).orElse(false)) {
            app.before("/federation/*", ctx -> TlsConnector.requirePinnedPeer(node, ctx));
            app.before("/log/witness/*", ctx -> TlsConnector.requirePinnedPeer(node, ctx));
        }
        new PublicRoutes(node).register(app);
        new ApiRoutes(node).register(app);
        new PeerRoutes(node, federation).register(app);
        new FederationRoutes(node, federation).register(app);
        new LogRoutes(node).register(app);
        new AuditRoutes(node).register(app);
        new ContactRoutes(node).register(app);
        new CaseRoutes(node, cases, federation).register(app);
        new NormsRoutes().register(app);
        new io.parley.taxii.EvidenceExchange(node).register(app);
        new TokenRoutes(node).register(app);
        app.start();
        return server;
    }

    /**
     * HTTP Basic over local accounts (throttled), or a bearer token ({@link io.parley.auth.Tokens}); the OpenAPI
     * document stays public so clients can discover the API. The web UI's session cookie is never looked at here: a
     * signed-in browser cannot drive the API (a page of another site could otherwise borrow its session). Under
     * {@code require_2fa_for_admin}, Basic is refused for admins, and always for an account with a second factor; a token is not a password and still works (an admin
     * gets one with {@code parley token create --dir}). Any header that does not authenticate, malformed ones
     * included, is a 401. A token is not throttled: its secret is 32 random bytes, beyond guessing at any rate.
     */
    private static void authenticate(Node node, Context ctx) {
        if (ctx.path().equals("/api/v1/openapi.json") || ctx.method() == HandlerType.OPTIONS) return;
        switch (Credentials.parse(ctx.header("Authorization"))) {
            case Credentials.Bearer bearer -> {
                switch (node.tokens().authenticate(bearer.secret())) {
                    case Tokens.Verdict.Accepted ok -> {
                        ctx.attribute(USER_ATTRIBUTE, ok.owner());
                        ctx.attribute(TOKEN_ATTRIBUTE, ok.token());
                    }
                    case Tokens.Verdict.Refused no -> {
                        ctx.header("WWW-Authenticate", "Bearer realm=\"parley\", error=\"invalid_token\"");
                        throw unauthorized(no.reason());
                    }
                }
            }
            case Credentials.Basic basic -> {
                switch (node.authenticator().signIn(basic.username(), basic.password(), ctx.ip(), "api")) {
                    case io.parley.auth.Authenticator.SignIn.Accepted a -> {
                        var refusal = node.config().signIn().basicRefusal(a.user(), node.secondFactor().enrolled(a.user().username()));
                        node.authenticator().settle(a, ctx.ip(), "api", refusal);
                        if (refusal.isPresent()) {
                            ctx.header("WWW-Authenticate", "Basic realm=\"parley\", charset=\"UTF-8\", Bearer realm=\"parley\"");
                            throw new ProblemException(Problem.of(401, "second-factor-required", "Unauthorized", refusal.get()));
                        }
                        ctx.attribute(USER_ATTRIBUTE, a.user());
                    }
                    case io.parley.auth.Authenticator.SignIn.Throttled t -> throw throttled(ctx, t.retryAfter(),
                            "too many failed sign-ins for this account or from this address; nothing was checked, try again in "
                                    + t.retryAfter().toSeconds() + " s");
                    case io.parley.auth.Authenticator.SignIn.Refused r -> throw unauthorized(ctx, "unknown user or wrong password");
                }
            }
            case Credentials.None none -> throw unauthorized(ctx, "this API needs HTTP Basic credentials of a local account or a bearer token");
            case Credentials.Malformed bad -> throw unauthorized(ctx, bad.reason());
        }
    }

    private static ProblemException unauthorized(Context ctx, String detail) {
        ctx.header("WWW-Authenticate", "Basic realm=\"parley\", charset=\"UTF-8\", Bearer realm=\"parley\"");
        return unauthorized(detail);
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", detail));
    }

    /**
     * A 429 {@code too-many-requests} problem with {@code Retry-After} in whole seconds: a throttled sign-in or a
     * peer over its rate limit. The caller throws it; nothing was done.
     */
    public static ProblemException throttled(Context ctx, java.time.Duration retryAfter, String detail) {
        ctx.header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        return new ProblemException(Problem.of(429, "too-many-requests", "Too many requests", detail));
    }

    /**
     * The one permission check of the API and TAXII, after authentication and before the handler: the route's entry in
     * {@link io.parley.auth.Permissions} against the account's role and channel grants. A route with no entry is
     * refused. Web pages are checked by {@link io.parley.web.WebRoutes} once it has signed the user in, so that a
     * refusal is an HTML page.
     */
    private static void authorize(Node node, Context ctx) {
        if (ctx.method() == HandlerType.OPTIONS) return;
        String template = ctx.endpointHandlerPath();
        String method = ctx.method() == HandlerType.HEAD ? "GET" : ctx.method().name();
        boolean taxii = template.startsWith("/taxii2");
        var permission = io.parley.auth.Permissions.required(method, template);
        if (permission.isEmpty()) {
            throw forbidden("no permission is declared for " + method + " " + template + ", so it is refused");
        }
        if (permission.get() instanceof io.parley.auth.Permission.Public) return;
        if (!template.startsWith("/api/") && !taxii) return;
        UserStore.User user = ctx.attribute(USER_ATTRIBUTE);
        if (user == null && taxii) {
            io.parley.evidence.MarkingPolicy.LocalUser requester = ctx.attribute(io.parley.taxii.TaxiiRoutes.USER);
            if (requester != null) user = node.users().find(requester.username()).orElse(null);
        }
        if (user == null) throw forbidden("this request needs a signed-in local account");
        UserStore.User caller = user;
        denial(node, user, permission.get(), ctx).ifPresent(why -> {
            RequestAudit.denied(node, ctx, caller.username(), method + " " + template, why);
            throw forbidden(why);
        });
        TokenStore.Token token = ctx.attribute(TOKEN_ATTRIBUTE);
        if (token != null) {
            tokenDenial(node, token, permission.get(), template, ctx).ifPresent(why -> {
                RequestAudit.denied(node, ctx, caller.username(), method + " " + template, why);
                throw forbidden(why);
            });
        }
    }

    /**
     * Why the bearer token of this request may not do what its owner may, or empty: its scope, then its channels. A
     * read on {@code /api/} reaches one channel only on the routes {@link io.parley.auth.Permissions#readChannel}
     * names; TAXII reads are limited collection by collection in {@link io.parley.taxii.TaxiiRoutes}.
     */
    private static Optional<String> tokenDenial(Node node, TokenStore.Token token, io.parley.auth.Permission p, String template, Context ctx) {
        Optional<String> scope = Tokens.scopeRefusal(token, p);
        if (scope.isPresent() || Tokens.everyChannel(token)) return scope;
        return switch (p) {
            case io.parley.auth.Permission.OnChannel on -> Tokens.channelRefusal(token, channelOf(node, on.from(), ctx));
            case io.parley.auth.Permission.Global g when template.startsWith("/taxii2") -> Optional.empty();
            case io.parley.auth.Permission.Global g -> Tokens.channelRefusal(token,
                    io.parley.auth.Permissions.readChannel(template).map(from -> channelOf(node, from, ctx)).orElse(null));
            case io.parley.auth.Permission.Public pub -> Optional.empty();
        };
    }

    /**
     * Why {@code user} may not do what {@code ctx} asks under {@code p}, or empty if it may. Public so the web UI
     * applies the very same rule.
     */
    public static Optional<String> denial(Node node, UserStore.User user, io.parley.auth.Permission p, Context ctx) {
        var role = io.parley.auth.Role.parse(user.role());
        if (role.isEmpty()) return Optional.of("account '" + user.username() + "' has the unknown role '" + user.role() + "'");
        String channel = p instanceof io.parley.auth.Permission.OnChannel on ? channelOf(node, on.from(), ctx) : null;
        var grants = node.users().channels(user.username());
        if (role.get().allows(grants, p, channel)) return Optional.empty();
        return Optional.of(io.parley.auth.Permissions.refusal(user.username(), role.get(), p, channel));
    }

    /** The channel a request names, as {@code from} says; null for a case no channel has. */
    private static String channelOf(Node node, io.parley.auth.Permission.ChannelFrom from, Context ctx) {
        if (from == io.parley.auth.Permission.ChannelFrom.CHANNEL_QUERY) return ctx.queryParam("channel");
        String id = ctx.pathParam("id");
        if (from == io.parley.auth.Permission.ChannelFrom.CHANNEL_PATH) return id;
        return io.parley.cases.CaseBook.channelOf(node.caseStore(), id, ctx.queryParam("channel")).orElse(null);
    }

    /** A refusal; under {@code /taxii2} the exception mapping words it as a TAXII error message. */
    private static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "forbidden", "Forbidden", detail));
    }

    /**
     * Every exception a route lets out is answered here, with the status and problem type {@link ProblemMapper}
     * decides: as problem+json, or as a TAXII error message under {@code /taxii2} (TaxiiRoutes answers its own
     * {@code TaxiiException}s). One registration for {@code Exception}, so no route needs to translate anything.
     */
    static void mapErrors(Javalin app) {
        app.exception(Exception.class, (e, ctx) -> {
            Problem p = ProblemMapper.of(e);
            // A bug or an infrastructure failure: log it here, tell the client only that it was ours.
            if (p == ProblemMapper.INTERNAL) LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            if (ctx.path().startsWith("/taxii2")) {
                io.parley.taxii.TaxiiRoutes.error(ctx, p.status(), p.title(), p.detail());
            } else {
                respond(ctx, p);
            }
        });
        app.error(404, ctx -> {
            if (!isProblem(ctx)) respond(ctx, Problem.of(404, "not-found", "Not found", "no resource at " + ctx.path()));
        });
        app.error(405, ctx -> {
            if (!isProblem(ctx)) respond(ctx, Problem.of(405, "method-not-allowed", "Method not allowed", ctx.method() + " is not allowed on " + ctx.path()));
        });
    }

    /**
     * The metrics label for a request: the route template for public and node-to-node routes, but only the group
     * ({@code /api/v1/*}, {@code /taxii2/*}, {@code web}) for authenticated ones. {@code /metrics} is public, and
     * per-route counts of users' actions (cases opened, acks, messages), timed against the public log's growth,
     * would tell what kind of message each new log entry is. Templates only, so cardinality stays bounded.
     */
    private static String routeOf(Context ctx) {
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            return "unmatched";
        }
        if (route.equals("/api/v1/openapi.json")) return route;
        if (route.startsWith("/api/")) return "/api/v1/*";
        if (route.startsWith("/taxii2")) return "/taxii2/*";
        if (route.startsWith("/log/") || route.startsWith("/federation/") || route.startsWith("/.well-known/")
                || route.equals("/healthz") || route.equals("/metrics")) {
            return route;
        }
        return "web";
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(Problem.CONTENT_TYPE);
    }

    static void respond(Context ctx, Problem p) {
        ctx.status(p.status());
        ctx.contentType(Problem.CONTENT_TYPE);
        ctx.result(Json.write(p.toJson(ctx.path())));
    }

    public int port() {
        return app.port();
    }

    public List<String> routes() {
        return List.copyOf(routes);
    }

    /**
     * Every HTTP endpoint the server answers, "METHOD path", web pages included (unlike {@link #routes()}, which
     * lists what the API document must describe): the surface a caller can reach, for the public-endpoint audit.
     */
    public List<String> endpoints() {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(e -> e.getEndpoint())
                .filter(e -> e.getMethod().isHttpMethod())
                .map(e -> e.getMethod().name() + " " + e.getPath())
                .toList();
    }

    @Override
    public void close() {
        app.stop();
    }
}
