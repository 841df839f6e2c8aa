package io.parley.taxii;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.parley.api.Credentials;
import io.parley.api.HttpServer;
import io.parley.api.RequestBodies;
import io.parley.auth.Tokens;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.json.Json;
import io.parley.json.MalformedJsonException;
import io.parley.node.Node;
import io.parley.store.TokenStore;
import io.parley.store.UserStore;

/**
 * TAXII 2.1 (OASIS Standard, 10 June 2021) under {@code /taxii2/}: discovery, one API root {@code /taxii2/api/},
 * collections, objects (GET with {@code added_after}, {@code limit}, {@code next}, {@code match[id|type|version|
 * spec_version]}; POST to writable collections), object, object versions, manifest and status.
 *
 * <p>Authentication is HTTP Basic over this node's accounts or a bearer token ({@link io.parley.auth.Tokens}), the same as on the API;
 * failures are 401 with a {@code WWW-Authenticate} challenge for both. Every response is
 * {@code application/taxii+json;version=2.1}, and a client whose {@code Accept} does not admit it gets 406. That holds for
 * the objects endpoints too: TAXII 2.1 (§1.6.8, §5.4) answers them with an envelope, which is not a STIX bundle, so a
 * client that will take only {@code application/stix+json} is told so rather than handed an envelope mislabelled as
 * STIX (TAXII 2.0 served bundles there; a 2.0 client would misread the envelope). STIX bundles of evidence are served
 * by the API ({@code GET /api/v1/evidence/{sha256}}). Errors are TAXII error messages with the HTTP status.
 */
public final class TaxiiRoutes {
    static final String ROOT = "/taxii2/";
    static final String API_ROOT = "/taxii2/api/";
    /** The request attribute holding the TAXII caller (a {@code MarkingPolicy.LocalUser}), read by the permission check. */
    public static final String USER = "parley.taxii.user";
    private static final String ERROR = "parley.taxii.error";
    private static final String CHALLENGE = "Basic realm=\"parley-taxii\", charset=\"UTF-8\", Bearer realm=\"parley-taxii\"";

    private final Node node;
    private final Evidence evidence;
    private final TaxiiService taxii;

    TaxiiRoutes(Node node, Evidence evidence, TaxiiService taxii) {
        this.node = node;
        this.evidence = evidence;
        this.taxii = taxii;
    }

    void register(Javalin app) {
        app.before("/taxii2", this::authenticate);
        app.before("/taxii2/*", this::authenticate);
        app.exception(TaxiiException.class, (e, ctx) -> error(ctx, e.status(), e.title(), e.getMessage()));
        // HttpServer turns every 404/405 without a problem body into problem+json; TAXII clients get TAXII errors.
        app.error(404, this::restoreTaxiiError);
        app.error(405, this::restoreTaxiiError);
        app.get(ROOT, ctx -> respond(ctx, discovery(ctx)));
        app.get(API_ROOT, ctx -> respond(ctx, apiRoot()));
        app.get(API_ROOT + "collections/", this::collections);
        app.get(API_ROOT + "collections/{id}/", ctx -> respond(ctx, readable(ctx).toJson()));
        app.get(API_ROOT + "collections/{id}/objects/", this::objects);
        app.post(API_ROOT + "collections/{id}/objects/", this::addObjects);
        app.get(API_ROOT + "collections/{id}/objects/{object}/", this::object);
        app.get(API_ROOT + "collections/{id}/objects/{object}/versions/", this::versions);
        app.get(API_ROOT + "collections/{id}/manifest/", this::manifest);
        app.get(API_ROOT + "status/{status}/", this::status);
    }

    // --- authentication and negotiation -----------------------------------------------------------------------------

    private void authenticate(Context ctx) {
        if (ctx.attribute(USER) != null) return;
        Optional<UserStore.User> user = Optional.empty();
        String refusal = "unknown user or wrong password";
        switch (Credentials.parse(ctx.header("Authorization"))) {
            case Credentials.Bearer bearer -> {
                switch (node.tokens().authenticate(bearer.secret())) {
                    case Tokens.Verdict.Accepted ok -> {
                        user = Optional.of(ok.owner());
                        ctx.attribute(HttpServer.TOKEN_ATTRIBUTE, ok.token());
                    }
                    case Tokens.Verdict.Refused no -> refusal = no.reason();
                }
            }
            case Credentials.Basic basic -> {
                Optional<String> secondFactor = Optional.empty();
                switch (node.authenticator().signIn(basic.username(), basic.password(), ctx.ip(), "taxii")) {
                    case io.parley.auth.Authenticator.SignIn.Accepted a -> {
                        user = Optional.of(a.user());
                        secondFactor = node.config().signIn().basicRefusal(a.user(), node.secondFactor().enrolled(a.user().username()));
                        node.authenticator().settle(a, ctx.ip(), "taxii", secondFactor);
                    }
                    case io.parley.auth.Authenticator.SignIn.Refused r -> user = Optional.empty();
                    case io.parley.auth.Authenticator.SignIn.Throttled t -> {
                        // TAXII 2.1 §3.6.1: 429 with a TAXII error message; Retry-After in whole seconds
                        ctx.header("Retry-After", Long.toString(t.retryAfter().toSeconds()));
                        throw new TaxiiException(429, "Too Many Requests", "too many failed sign-ins for this account or from this"
                                + " address; nothing was checked, try again in " + t.retryAfter().toSeconds() + " s");
                    }
                }
                if (secondFactor.isPresent()) {
                    ctx.header("WWW-Authenticate", CHALLENGE);
                    throw new TaxiiException(401, "Unauthorized", secondFactor.get());
                }
            }
            case Credentials.None none -> refusal = "TAXII needs HTTP Basic credentials of a local account or a bearer token";
            case Credentials.Malformed bad -> refusal = bad.reason();
        }
        if (user.isEmpty()) {
            ctx.header("WWW-Authenticate", CHALLENGE);
            throw new TaxiiException(401, "Unauthorized", refusal);
        }
        ctx.attribute(USER, evidence.access().requester(user.get().username(), user.get().role()));
        if (ctx.method() != HandlerType.OPTIONS && !acceptsTaxii(ctx.header("Accept"))) {
            throw new TaxiiException(406, "Not Acceptable", "TAXII 2.1 answers every endpoint, objects included, with "
                    + TaxiiService.TAXII_MEDIA + " (objects come in an envelope, not a STIX bundle; a bundle of evidence is at"
                    + " /api/v1/evidence/{sha256}); the Accept header does not admit it: " + ctx.header("Accept"));
        }
    }

    /**
     * Whether {@code accept} admits the TAXII 2.1 media type: a missing header (as HTTP reads it), any type ({@code *}/{@code *}),
     * any application type, or {@code application/taxii+json} without a version or with version 2.1, unless given
     * {@code q=0}. {@code application/stix+json} alone does not: see the class comment.
     */
    static boolean acceptsTaxii(String accept) {
        if (accept == null || accept.isBlank()) return true;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            String version = null;
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                String k = kv[0].strip().toLowerCase(Locale.ROOT);
                String v = kv.length > 1 ? kv[1].strip().replace("\"", "") : "";
                if (k.equals("version")) version = v;
                if (k.equals("q") && v.matches("0(\\.0*)?")) refused = true;
            }
            if (refused) continue;
            if (type.equals("*/*") || type.equals("application/*")) return true;
            if (type.equals("application/taxii+json") && (version == null || version.equals("2.1"))) return true;
        }
        return false;
    }

    private static LocalUser user(Context ctx) {
        return ctx.attribute(USER);
    }

    // --- resources --------------------------------------------------------------------------------------------------

    private String base(Context ctx) {
        var card = node.card();
        String url = card != null && card.baseUrl() != null ? card.baseUrl() : ctx.scheme() + "://" + ctx.host();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private ObjectNode discovery(Context ctx) {
        ObjectNode o = Json.object();
        o.put("title", "Parley TAXII server of " + node.origin());
        o.put("description", "STIX 2.1 evidence exchanged in this node's Parley channels, filtered by TLP for the authenticated account");
        o.put("default", base(ctx) + API_ROOT);
        o.putArray("api_roots").add(base(ctx) + API_ROOT);
        return o;
    }

    private ObjectNode apiRoot() {
        ObjectNode o = Json.object();
        o.put("title", node.origin());
        o.put("description", "One collection per channel of this node, and the node's own-sharing collection");
        o.putArray("versions").add(TaxiiService.TAXII_MEDIA);
        o.put("max_content_length", EvidenceIngest.MAX_BUNDLE_BYTES);
        return o;
    }

    private void collections(Context ctx) {
        ObjectNode o = Json.object();
        ArrayNode cs = o.putArray("collections");
        taxii.collections(user(ctx)).stream().filter(c -> tokenReaches(ctx, c).isEmpty()).forEach(c -> cs.add(c.toJson()));
        respond(ctx, o);
    }

    private TaxiiService.CollectionInfo collection(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<TaxiiService.CollectionInfo> c = taxii.collection(user(ctx), id);
        if (c.isPresent()) {
            tokenReaches(ctx, c.get()).ifPresent(why -> { throw new TaxiiException(403, "Forbidden", why); });
            return c.get();
        }
        // A channel this node knows but is not a member of: the collection exists, the account may not read it.
        for (var charter : evidence.audiences().channels().all()) {
            if (CollectionIds.ofChannel(charter.channel()).equals(id)) {
                throw new TaxiiException(403, "Forbidden", "this node is not a member of the channel of collection " + id);
            }
        }
        throw new TaxiiException(404, "Not Found", "no collection " + id + " in this API root");
    }

    /**
     * Why the bearer token of this request (if any) may not reach collection {@code c}: a token limited to channels
     * reaches their collections only, not the own-sharing one (which belongs to no channel).
     */
    private static Optional<String> tokenReaches(Context ctx, TaxiiService.CollectionInfo c) {
        TokenStore.Token token = ctx.attribute(HttpServer.TOKEN_ATTRIBUTE);
        return token == null ? Optional.empty() : Tokens.channelRefusal(token, c.audience().channel());
    }

    private TaxiiService.CollectionInfo readable(Context ctx) {
        TaxiiService.CollectionInfo c = collection(ctx);
        if (!c.canRead()) throw new TaxiiException(403, "Forbidden", "this account may not read collection " + c.id());
        return c;
    }

    private void objects(Context ctx) {
        TaxiiService.CollectionInfo c = readable(ctx);
        TaxiiStore.Query q = query(ctx, true);
        TaxiiStore.Page page = taxii.objects(user(ctx), c, q);
        respondEnvelope(ctx, page, q);
    }

    private void object(Context ctx) {
        TaxiiService.CollectionInfo c = readable(ctx);
        TaxiiStore.Query base = query(ctx, true);
        TaxiiStore.Query q = new TaxiiStore.Query(base.addedAfter(), base.after(), base.limit(), List.of(ctx.pathParam("object")), null,
                base.specVersions(), base.versions());
        TaxiiStore.Page page = taxii.objects(user(ctx), c, q);
        if (page.rows().isEmpty() && q.after() == null) {
            throw new TaxiiException(404, "Not Found", "no object " + ctx.pathParam("object") + " in collection " + c.id());
        }
        respondEnvelope(ctx, page, q);
    }

    private void respondEnvelope(Context ctx, TaxiiStore.Page page, TaxiiStore.Query q) {
        StringBuilder sb = new StringBuilder(256 + page.rows().size() * 512);
        sb.append("{\"more\":").append(page.more());
        if (page.more()) sb.append(",\"next\":").append(Json.write(Cursors.encode(last(page))));
        if (!page.rows().isEmpty()) {
            sb.append(",\"objects\":[");
            for (int i = 0; i < page.rows().size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(page.rows().get(i).json());
            }
            sb.append(']');
        }
        sb.append('}');
        dateHeaders(ctx, page);
        ctx.status(200).contentType(TaxiiService.TAXII_MEDIA).result(sb.toString());
    }

    private static TaxiiStore.Cursor last(TaxiiStore.Page page) {
        TaxiiStore.StoredObject l = page.rows().get(page.rows().size() - 1);
        return new TaxiiStore.Cursor(l.dateAdded(), l.id());
    }

    private static void dateHeaders(Context ctx, TaxiiStore.Page page) {
        if (page.rows().isEmpty()) return;
        ctx.header("X-TAXII-Date-Added-First", TaxiiStore.format(page.rows().get(0).dateAdded()));
        ctx.header("X-TAXII-Date-Added-Last", TaxiiStore.format(page.rows().get(page.rows().size() - 1).dateAdded()));
    }

    private void manifest(Context ctx) {
        TaxiiService.CollectionInfo c = readable(ctx);
        TaxiiStore.Page page = taxii.objects(user(ctx), c, query(ctx, true));
        ObjectNode o = Json.object();
        o.put("more", page.more());
        if (page.more()) o.put("next", Cursors.encode(last(page)));
        if (!page.rows().isEmpty()) {
            ArrayNode objects = o.putArray("objects");
            for (TaxiiStore.StoredObject r : page.rows()) {
                objects.addObject().put("id", r.objectId()).put("date_added", TaxiiStore.format(r.dateAdded())).put("version", r.version())
                        .put("media_type", TaxiiService.STIX_MEDIA);
            }
        }
        dateHeaders(ctx, page);
        respond(ctx, o);
    }

    private void versions(Context ctx) {
        TaxiiService.CollectionInfo c = readable(ctx);
        TaxiiStore.Query q = query(ctx, false);
        TaxiiStore.Page page = taxii.versions(user(ctx), c, ctx.pathParam("object"), q);
        if (page.rows().isEmpty() && q.after() == null) {
            throw new TaxiiException(404, "Not Found", "no object " + ctx.pathParam("object") + " in collection " + c.id());
        }
        ObjectNode o = Json.object();
        o.put("more", page.more());
        if (page.more()) o.put("next", Cursors.encode(last(page)));
        ArrayNode vs = o.putArray("versions");
        page.rows().forEach(r -> vs.add(r.version()));
        dateHeaders(ctx, page);
        respond(ctx, o);
    }

    private void addObjects(Context ctx) {
        TaxiiService.CollectionInfo c = collection(ctx);
        if (!c.canWrite()) throw new TaxiiException(403, "Forbidden", "collection " + c.id() + " is read-only: objects reach it in channel envelopes");
        String type = ctx.contentType();
        if (type == null || !type.replace(" ", "").toLowerCase(Locale.ROOT).startsWith("application/taxii+json")
                || (type.contains("version=") && !type.replace(" ", "").contains("version=2.1"))) {
            throw new TaxiiException(415, "Unsupported Media Type", "send the envelope as " + TaxiiService.TAXII_MEDIA + " (got " + type + ")");
        }
        JsonNode envelope;
        try {
            envelope = Json.parse(RequestBodies.read(ctx));
        } catch (MalformedJsonException e) {
            throw new TaxiiException(400, "Bad Request", "the body is not valid JSON");
        }
        ObjectNode status = taxii.add(user(ctx), c, envelope);
        ctx.header("Location", base(ctx) + API_ROOT + "status/" + status.get("id").asText() + "/");
        ctx.status(202).contentType(TaxiiService.TAXII_MEDIA).result(Json.write(status));
    }

    private void status(Context ctx) {
        String body = taxii.status(user(ctx), ctx.pathParam("status"))
                .orElseThrow(() -> new TaxiiException(404, "Not Found", "no status " + ctx.pathParam("status") + " for this account"));
        ctx.status(200).contentType(TaxiiService.TAXII_MEDIA).result(body);
    }

    // --- query parameters -------------------------------------------------------------------------------------------

    private static TaxiiStore.Query query(Context ctx, boolean versionsAllowed) {
        return query(ctx::queryParams, versionsAllowed);
    }

    /**
     * The filters and paging of a TAXII GET from its query parameters ({@code params} gives every value of a name,
     * none when absent); throws {@link TaxiiException} (400) for a value it cannot read. Kept apart from the request so
     * the query fuzz target (TaxiiQueryFuzzTest) drives exactly this code.
     */
    static TaxiiStore.Query query(Function<String, List<String>> params, boolean versionsAllowed) {
        Long addedAfter = null;
        String aa = first(params, "added_after");
        if (aa != null && !aa.isBlank()) addedAfter = micros("added_after", aa);
        int limit = TaxiiService.DEFAULT_LIMIT;
        String l = first(params, "limit");
        if (l != null && !l.isBlank()) {
            try {
                limit = Integer.parseInt(l.strip());
            } catch (NumberFormatException e) {
                throw new TaxiiException(400, "Bad Request", "limit must be a positive integer");
            }
            if (limit < 1) throw new TaxiiException(400, "Bad Request", "limit must be a positive integer");
            limit = Math.min(limit, TaxiiService.MAX_LIMIT);
        }
        TaxiiStore.Cursor after = null;
        String next = first(params, "next");
        if (next != null && !next.isBlank()) {
            after = Cursors.decode(next).orElseThrow(() -> new TaxiiException(400, "Bad Request", "next is not a value this server handed out"));
        }
        TaxiiStore.Versions versions = TaxiiStore.Versions.LAST;
        List<String> vs = list(params, "match[version]");
        if (!vs.isEmpty()) {
            if (!versionsAllowed) throw new TaxiiException(400, "Bad Request", "match[version] is not supported on this resource");
            boolean all = false, last = false, first = false;
            List<Long> exact = new ArrayList<>();
            for (String v : vs) {
                switch (v) {
                    case "all" -> all = true;
                    case "last" -> last = true;
                    case "first" -> first = true;
                    default -> exact.add(micros("match[version]", v));
                }
            }
            versions = new TaxiiStore.Versions(all, last, first, exact);
        }
        return new TaxiiStore.Query(addedAfter, after, limit, list(params, "match[id]"), list(params, "match[type]"),
                list(params, "match[spec_version]"), versions);
    }

    private static String first(Function<String, List<String>> params, String name) {
        List<String> values = params.apply(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static List<String> list(Function<String, List<String>> params, String name) {
        List<String> out = new ArrayList<>();
        List<String> values = params.apply(name);
        if (values == null) return out;
        for (String v : values) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) out.add(part.strip());
            }
        }
        return out;
    }

    /** A timestamp parameter as TAXII's microsecond key; Instant reaches far beyond it (year 1000000000), so guard. */
    private static long micros(String name, String text) {
        try {
            return TaxiiStore.micros(timestamp(name, text));
        } catch (ArithmeticException e) {
            throw new TaxiiException(400, "Bad Request", name + " is outside the years this server can represent");
        }
    }

    private static Instant timestamp(String name, String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new TaxiiException(400, "Bad Request", name + " must be an RFC 3339 timestamp such as 2026-01-02T03:04:05.000Z");
        }
    }

    // --- output -----------------------------------------------------------------------------------------------------

    private static void respond(Context ctx, JsonNode body) {
        ctx.status(200).contentType(TaxiiService.TAXII_MEDIA).result(Json.write(body));
    }

    /** Writes a TAXII error message (TAXII 2.1 §3.6.1) and remembers it so that the 404/405 mapping cannot replace it. */
    public static void error(Context ctx, int status, String title, String description) {
        ObjectNode e = Json.object();
        e.put("title", title);
        e.put("description", description);
        e.put("http_status", Integer.toString(status));
        String body = Json.write(e);
        ctx.attribute(ERROR, body);
        ctx.status(status).contentType(TaxiiService.TAXII_MEDIA).result(body);
    }

    private void restoreTaxiiError(Context ctx) {
        if (!ctx.path().startsWith("/taxii2")) return;
        String body = ctx.attribute(ERROR);
        if (body == null) {
            int status = ctx.statusCode();
            error(ctx, status, status == 404 ? "Not Found" : "Method Not Allowed",
                    status == 404 ? "no TAXII resource at " + ctx.path() : ctx.method() + " is not allowed on " + ctx.path());
        } else {
            ctx.contentType(TaxiiService.TAXII_MEDIA).result(body);
        }
    }
}
