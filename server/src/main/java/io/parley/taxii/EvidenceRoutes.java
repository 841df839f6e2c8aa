package io.parley.taxii;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.api.Problem;
import io.parley.api.ProblemException;
import io.parley.api.RequestAudit;
import io.parley.api.RequestBodies;
import io.parley.api.Requests;
import io.parley.cases.CaseBook;
import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.MispImport;
import io.parley.evidence.ObservableType;
import io.parley.identity.Sha256;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.store.UserStore;

/**
 * Evidence under {@code /api/v1/} (authenticated by HttpServer): upload and read STIX bundles, MISP import, MISP and
 * IODEF export, correlation and RED grants (the retired TAXII token route answers 410); and the federation endpoint peers fetch named bundles from.
 * (The evidence in outgoing envelopes is checked by {@link OutgoingEvidence}, inside the Composer, for every route.)
 *
 * <p>Bodies are read by {@link RequestBodies}, bounded on the stream: evidence uploads and MISP imports up to
 * {@link RequestBodies#EVIDENCE_MAX} (10 MiB), everything else up to 2 MiB.
 */
final class EvidenceRoutes {
    /** HttpServer's attribute holding the authenticated {@link UserStore.User}. */
    static final String API_USER = "parley.user";

    private final Node node;
    private final Evidence evidence;
    private final EvidenceExports exports;

    EvidenceRoutes(Node node, Evidence evidence) {
        this.node = node;
        this.evidence = evidence;
        this.exports = new EvidenceExports(node, evidence);
    }

    void register(Javalin app) {
        app.post("/api/v1/evidence", this::upload);
        app.post("/api/v1/evidence/misp", this::importMisp);
        app.get("/api/v1/evidence/{sha256}", this::read);
        app.get("/api/v1/evidence/{sha256}/misp", this::exportMisp);
        app.get("/api/v1/evidence/{sha256}/iodef", this::exportIodef);
        app.post("/api/v1/evidence/{sha256}/retract", this::retract);
        app.get("/api/v1/correlations/indicator", this::indicator);
        app.get("/api/v1/cases/{id}/correlations", this::caseCorrelations);
        app.post("/api/v1/taxii/tokens", this::token);
        app.get("/api/v1/red-grants", this::grants);
        app.put("/api/v1/red-grants/{username}", this::setGrants);
        app.get("/api/v1/evidence-mismatches", this::mismatches);
        app.get("/federation/v1/evidence/{sha256}", this::forPeer);
    }

    /**
     * The case is (channel, id), named as on the other case routes: {@code ?channel=}, or the one channel holding a
     * case with this id (409 when several do); an id no case here has names only evidence filed under it by hand.
     */
    private void caseCorrelations(Context ctx) {
        String id = ctx.pathParam("id");
        String channel = CaseBook.channelOf(node.caseStore(), id, ctx.queryParam("channel")).orElse(null);
        LocalUser reader = user(ctx);
        json(ctx, 200, new CorrelationCategories(node).addTo(evidence.correlation().caseCorrelations(reader, channel, id), reader));
    }

    private LocalUser user(Context ctx) {
        return requester(evidence, ctx);
    }

    /** The authenticated account of an API request as the marking policy's reader; 401 when there is none. */
    static LocalUser requester(Evidence evidence, Context ctx) {
        UserStore.User u = ctx.attribute(API_USER);
        if (u == null) throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "no authenticated account"));
        return evidence.access().requester(u.username(), u.role());
    }

    // --- evidence ---------------------------------------------------------------------------------------------------

    private void upload(Context ctx) {
        LocalUser u = user(ctx);
        JsonNode bundle = Requests.jsonBody(ctx);
        EvidenceIngest.Stored s = evidence.ingest().upload(bundle, u.username(), unmarked(ctx), caseParam(ctx), "upload");
        ctx.header("Location", "/api/v1/evidence/" + s.sha256());
        json(ctx, s.created() ? 201 : 200, storedJson(s));
    }

    private void importMisp(Context ctx) {
        LocalUser u = user(ctx);
        JsonNode misp = Requests.jsonBody(ctx);
        MispImport.Result r = MispImport.convert(misp);
        EvidenceIngest.Stored s = evidence.ingest().upload(r.bundle(), u.username(), unmarked(ctx), caseParam(ctx), "misp");
        ObjectNode out = storedJson(s);
        ArrayNode skipped = out.putArray("skipped");
        r.skipped().forEach(skipped::add);
        ctx.header("Location", "/api/v1/evidence/" + s.sha256());
        json(ctx, s.created() ? 201 : 200, out);
    }

    private static ObjectNode storedJson(EvidenceIngest.Stored s) {
        return Json.object().put("sha256", s.sha256()).put("objects", s.objects()).put("bytes", s.bytes())
                .put("location", "/api/v1/evidence/" + s.sha256());
    }

    private static Tlp unmarked(Context ctx) {
        String t = ctx.queryParam("tlp");
        if (t == null || t.isBlank()) return EvidenceIngest.DEFAULT_UNMARKED;
        return Tlp.fromWire(t.toLowerCase(Locale.ROOT)).orElseThrow(() -> ProblemException.badRequest("bad-query-parameter",
                "query parameter 'tlp' (the TLP of unmarked objects) must be clear, green, amber, amber+strict or red"));
    }

    private static String caseParam(Context ctx) {
        String c = ctx.queryParam("case");
        return c == null || c.isBlank() ? null : c;
    }

    /**
     * Withdraws evidence this node shared: JSON {@code {"channel"?, "case"?, "reason"?, "lang"?}} (all optional); one
     * signed retract envelope per channel and case it was shared in ({@link EvidenceWithdrawal}).
     */
    private void retract(Context ctx) {
        UserStore.User u = ctx.attribute(API_USER);
        if (u == null) throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "no authenticated account"));
        JsonNode req = RequestBodies.read(ctx).length == 0 ? Json.object() : Requests.jsonBody(ctx);
        if (!req.isObject()) throw new ProblemException(Problem.of(400, "wrong-type", "Bad request", "the body must be a JSON object"));
        for (String f : new String[] {"channel", "case", "reason", "lang"}) {
            if (req.has(f) && !req.get(f).isTextual()) throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "/" + f, f + " must be a string"));
        }
        String sha = ctx.pathParam("sha256");
        ArrayNode envelopes = new EvidenceWithdrawal(node, evidence).withdraw(sha, req.path("channel").asText(null), req.path("case").asText(null),
                req.path("reason").asText(null), req.path("lang").asText(null), u.username());
        ObjectNode out = Json.object().put("evidence", sha);
        out.set("retracts", envelopes);
        json(ctx, 200, out);
    }

    private void read(Context ctx) {
        EvidenceExports.Stix stix = exports.stix(user(ctx), ctx.pathParam("sha256"));
        if (!stix.retractedBy().isEmpty()) ctx.header("Parley-Retracted", stix.retractedBy());
        ctx.header("Parley-Withheld-Objects", Integer.toString(stix.withheld()));
        ctx.status(200).contentType(TaxiiService.STIX_MEDIA).result(Json.write(stix.bundle()));
    }

    private void exportMisp(Context ctx) {
        ObjectNode misp = exports.misp(user(ctx), ctx.pathParam("sha256"));
        RequestAudit.done(node, ctx, io.parley.audit.AuditAction.EXPORT, "evidence " + ctx.pathParam("sha256"), "MISP");
        json(ctx, 200, misp);
    }

    private void exportIodef(Context ctx) {
        String sha = ctx.pathParam("sha256");
        String xml = exports.iodef(user(ctx), sha);
        RequestAudit.done(node, ctx, io.parley.audit.AuditAction.EXPORT, "evidence " + sha, "IODEF");
        ctx.status(200).contentType("application/xml; charset=utf-8").result(xml);
    }

    // --- correlation ------------------------------------------------------------------------------------------------

    private void indicator(Context ctx) {
        String type = ctx.queryParam("type");
        String value = ctx.queryParam("value");
        if (type == null || value == null || value.isBlank()) {
            throw ProblemException.badRequest("bad-query-parameter", "query parameters 'type' and 'value' are required");
        }
        ObservableType t = observableType(type).orElseThrow(() -> ProblemException.badRequest("bad-query-parameter",
                "type must be one of ipv4, ipv6, domain, url, email, md5, sha1, sha256, asn"));
        var normalised = io.parley.evidence.Observable.of(t, value).orElseThrow(() -> ProblemException.badRequest("bad-query-parameter",
                "'" + value + "' is not a valid " + t.wire()));
        ObjectNode out = Json.object().put("type", t.wire()).put("value", normalised.value());
        out.set("sightings", evidence.correlation().sightings(user(ctx), t, value));
        json(ctx, 200, out);
    }

    static Optional<ObservableType> observableType(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        for (ObservableType t : ObservableType.values()) {
            if (t.wire().equals(l)) return Optional.of(t);
        }
        return switch (l) {
            case "ipv4-addr" -> Optional.of(ObservableType.IPV4);
            case "ipv6-addr" -> Optional.of(ObservableType.IPV6);
            case "domain-name" -> Optional.of(ObservableType.DOMAIN);
            case "email-addr" -> Optional.of(ObservableType.EMAIL);
            case "autonomous-system" -> Optional.of(ObservableType.ASN);
            default -> Optional.empty();
        };
    }

    // --- TAXII tokens and RED grants --------------------------------------------------------------------------------

    /** Retired: its tokens never expired and could not be scoped. The answer says where tokens come from now. */
    private void token(Context ctx) {
        throw new ProblemException(Problem.of(410, "gone", "Gone", "POST /api/v1/taxii/tokens is retired: create a token with "
                + "POST /api/v1/tokens {\"label\": \"...\", \"scope\": \"read\"} (or 'parley token create'); it works on /taxii2/ and /api/v1/"));
    }

    private void requireAdmin(Context ctx) {
        if (!user(ctx).admin()) throw new ProblemException(Problem.of(403, "forbidden", "Forbidden", "only an admin account may manage RED grants"));
    }

    private void grants(Context ctx) {
        requireAdmin(ctx);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (var g : evidence.store().grants()) {
            out.addObject().put("username", g.username()).put("scope", g.scope()).put("granted_by", g.grantedBy())
                    .put("granted_at", g.grantedAt().toString());
        }
        json(ctx, 200, out);
    }

    private void setGrants(Context ctx) {
        requireAdmin(ctx);
        String username = ctx.pathParam("username");
        if (node.users().find(username).isEmpty()) throw ProblemException.notFound("no account '" + username + "'");
        JsonNode body = Requests.jsonBody(ctx);
        JsonNode scopes = body.get("scopes");
        if (scopes == null || !scopes.isArray()) {
            throw new ProblemException(Problem.field(400, "missing-field", "Bad request", "/scopes", "scopes must be an array of channel ids or \"*\""));
        }
        Set<String> set = new TreeSet<>();
        for (int i = 0; i < scopes.size(); i++) {
            JsonNode s = scopes.get(i);
            if (!s.isTextual() || s.textValue().isBlank()) {
                throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "/scopes/" + i, "a scope is a channel id or \"*\""));
            }
            set.add(s.textValue());
        }
        evidence.store().setRedScopes(username, set, user(ctx).username(), node.now());
        RequestAudit.done(node, ctx, io.parley.audit.AuditAction.RED_GRANT, username,
                set.isEmpty() ? "every TLP:RED grant revoked" : "may read TLP:RED in: " + String.join(", ", set));
        ArrayNode arr = Json.MAPPER.createArrayNode();
        set.forEach(arr::add);
        ObjectNode out = Json.object().put("username", username);
        out.set("scopes", arr);
        json(ctx, 200, out);
    }

    /**
     * Proofs that a sender served other bytes than the bundle its signed envelope names (issue 10 item 11), newest
     * first. Every account sees who, when and the hashes; only an admin gets the proof itself (the envelope and the
     * bytes served, which may carry marked content).
     */
    private void mismatches(Context ctx) {
        boolean admin = user(ctx).admin();
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (EvidenceStore.Mismatch m : evidence.store().mismatches(1000)) {
            ObjectNode o = out.addObject().put("sender", m.sender()).put("envelope_hash", m.envelopeHash()).put("evidence", m.refSha256())
                    .put("served_sha256", m.servedSha256()).put("served_bytes", m.served().length).put("served_at", m.servedAt())
                    .put("detected_at", m.detectedAt().toString()).put("statement", m.statement()).put("signature", m.signature());
            if (m.bundleSha256() == null) o.putNull("served_bundle_sha256");
            else o.put("served_bundle_sha256", m.bundleSha256());
            if (admin) {
                o.put("served_base64", Base64.getEncoder().encodeToString(m.served()));
                if (!m.envelope().isEmpty()) o.set("envelope", Json.parse(m.envelope()));
            }
        }
        json(ctx, 200, out);
    }

    // --- federation -------------------------------------------------------------------------------------------------

    /**
     * A peer fetches a bundle this node named by hash in one of its envelopes; the request is signed with the peer's
     * log key (as catch-up is) and the answer holds only what that peer may see ({@link EvidenceAccess#forPeer}).
     */
    private void forPeer(Context ctx) {
        String peer = io.parley.api.PeerThrottle.authenticated(node, ctx, 1);
        String envelope = ctx.queryParam("envelope");
        if (envelope == null || envelope.isBlank()) {
            throw ProblemException.badRequest("bad-query-parameter", "query parameter 'envelope' (the hash of the envelope naming the evidence) is required");
        }
        String sha = ctx.pathParam("sha256");
        ObjectNode bundle = evidence.access().forPeer(peer, sha, envelope);
        byte[] body = Json.write(bundle).getBytes(StandardCharsets.UTF_8);
        // Signed, so that bytes other than the ones our envelope names would be proof against us (never happens
        // with honest software), and the recipient can tell our answer from a tampered one.
        ServedEvidence served = new ServedEvidence(node.origin(), peer, envelope, sha, Sha256.hex(body), node.now().toString());
        ctx.header(ServedEvidence.AT, served.at()).header(ServedEvidence.SIGNATURE, served.sign(node.key()));
        ctx.status(200).contentType(TaxiiService.STIX_MEDIA + "; charset=utf-8").result(body);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }
}
