package io.parley.api;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * The one rule that keeps a browser from being turned against the API: a browser that was given HTTP Basic credentials
 * for this node attaches them to any request for it (the web UI's session cookie is never accepted here), so a page on another site could otherwise submit a form to
 * {@code /api/v1/...} and sign, open or close things in the officer's name. Every state-changing call
 * (POST, PUT, PATCH, DELETE) under {@code /api/v1/} and {@code /taxii2/}
 * <ul>
 *   <li>is refused with 403 when it carries an {@code Origin} header other than this node's own base URL origin
 *       (browsers send Origin on every cross-site POST, and {@code Origin: null} from sandboxed or privacy-stripped
 *       contexts counts as foreign), and</li>
 *   <li>is refused with 415 unless its {@code Content-Type} is JSON ({@code application/json} or an
 *       {@code application/*+json} type; under TAXII, {@code application/taxii+json}). No HTML form can send such
 *       a type, and a script on another site cannot either without a CORS preflight this node never approves.</li>
 * </ul>
 * Both checks run before the route's handler (after authentication, which changes nothing), so a refused call changes nothing. The web UI's own
 * forms live outside these paths and carry their own CSRF tokens ({@link io.parley.web.Csrf}).
 */
final class CrossSiteGuard {
    private static final Set<HandlerType> STATE_CHANGING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);
    private static final String TAXII_MEDIA = "application/taxii+json";

    /** Our own base URL, read per request: the card is published only after the server has bound its port. */
    private final Supplier<String> ownBaseUrl;

    CrossSiteGuard(Supplier<String> ownBaseUrl) {
        this.ownBaseUrl = ownBaseUrl;
    }

    /**
     * Checks every request that matched a route (so a wrong method still gets its 405), before its handler runs.
     * Refusals are problems, answered in the caller's protocol by the one exception mapping (HttpServer): problem+json
     * under {@code /api/v1}, a TAXII error message under TAXII.
     */
    void register(Javalin app) {
        app.beforeMatched("/api/v1/*", this::check);
        app.beforeMatched("/taxii2/*", this::check);
    }

    void check(Context ctx) {
        if (!STATE_CHANGING.contains(ctx.method())) return;
        String origin = ctx.header("Origin");
        String own = originOf(ownBaseUrl.get());
        if (origin != null && (own.isEmpty() || !origin.equals(own))) {
            throw new ProblemException(Problem.of(403, "foreign-origin", "Forbidden",
                    "state-changing API calls are accepted only from this node's own origin or from clients that send no Origin (got "
                            + abbreviate(origin) + ")"));
        }
        boolean taxii = ctx.path().startsWith("/taxii2");
        String type = ctx.contentType() == null ? "" : ctx.contentType().trim().toLowerCase(Locale.ROOT);
        String media = type.contains(";") ? type.substring(0, type.indexOf(';')).trim() : type;
        boolean ok = taxii ? media.equals(TAXII_MEDIA) : media.equals("application/json") || media.matches("application/[a-z0-9.-]+\\+json");
        if (!ok) {
            throw new ProblemException(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "state-changing calls need a body of type " + (taxii ? TAXII_MEDIA : "application/json") + " (got "
                            + (type.isEmpty() ? "no Content-Type" : abbreviate(type)) + ")"));
        }
    }

    /** {@code scheme://host[:port]} as a browser serialises it (RFC 6454): lower case, default port left out. */
    static String originOf(String baseUrl) {
        try {
            URI u = URI.create(baseUrl);
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (RuntimeException e) {
            return "";  // no usable base URL: no browser origin can match it, so every Origin-bearing call is refused
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}
