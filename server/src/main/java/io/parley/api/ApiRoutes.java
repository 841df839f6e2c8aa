package io.parley.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.charter.Charter;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.Node;

/** The client API under {@code /api/v1/} (authenticated by {@link HttpServer}). */
final class ApiRoutes {
    private static final int MAX_PAGE = 1000;
    private final Node node;

    ApiRoutes(Node node) {
        this.node = node;
    }

    void register(Javalin app) {
        app.get("/api/v1/node", this::self);
        app.get("/api/v1/parties", ctx -> {
            ArrayNode out = Json.MAPPER.createArrayNode();
            node.knownParties().forEach(p -> out.add(Views.party(p)));
            json(ctx, 200, out);
        });
        app.get("/api/v1/channels", ctx -> {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (Charter c : node.channels().all()) out.add(channelView(c));
            json(ctx, 200, out);
        });
        app.post("/api/v1/channels", this::createChannel);
        app.post("/api/v1/channels/{id}/sign", this::signChannel);
        app.post("/api/v1/channels/{id}/amend", this::amendChannel);
        app.get("/api/v1/channels/{id}", ctx -> {
            Charter c = charter(ctx.pathParam("id"));
            json(ctx, 200, channelView(c));
        });
        app.get("/api/v1/channels/{id}/envelopes", this::listEnvelopes);
        app.post("/api/v1/channels/{id}/messages", this::send);
        app.get("/api/v1/envelopes/{hash}", ctx -> {
            var stored = node.envelopes().byHash(ctx.pathParam("hash"))
                    .orElseThrow(() -> ProblemException.notFound("no envelope with hash " + ctx.pathParam("hash")));
            json(ctx, 200, Views.envelope(node.messageAccess().view(reader(node, ctx), stored)));
        });
        app.get("/api/v1/rejections", ctx -> {
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (var r : node.envelopes().rejections((int) Requests.longQuery(ctx, "limit", 100, 1, MAX_PAGE))) {
                ObjectNode o = out.addObject().put("id", r.id()).put("received_at", r.receivedAt().toString()).put("code", r.code()).put("detail", r.detail());
                if (r.remote() != null) o.put("remote", r.remote());
                if (r.channel() != null) o.put("channel", r.channel());
                if (r.sender() != null) o.put("from", r.sender());
                if (r.seq() != null) o.put("seq", r.seq());
                o.put("signature_verified", r.verified());
                if (r.envelopeSha256() != null) o.put("sha256", r.envelopeSha256()).put("bytes", r.envelopeBytes());
            }
            json(ctx, 200, out);
        });
        app.get("/api/v1/equivocations", ctx -> {
            ArrayNode out = Json.MAPPER.createArrayNode();
            var reader = reader(node, ctx);
            for (var e : node.envelopes().equivocations()) {
                out.addObject().put("channel", e.channel()).put("from", e.sender()).put("seq", e.seq()).put("kept_hash", e.keptHash())
                        .put("conflicting_hash", e.conflictingHash()).put("detected_at", e.detectedAt().toString())
                        .set("conflicting_envelope", conflicting(reader, e.conflictingEnvelope()));
            }
            json(ctx, 200, out);
        });
    }

    private void self(Context ctx) {
        var card = node.card();
        ObjectNode o = Json.object();
        o.put("origin", node.origin());
        o.put("verifier_key", node.key().verifierKey().encoded());
        o.put("fingerprint", node.key().verifierKey().fingerprint());
        o.put("envelopes", node.envelopes().count());
        if (card != null) o.set("card", card.toJson());
        json(ctx, 200, o);
    }

    /** Proposes a channel: the charter is stored as proposed and sent, signed, to the other members. */
    private void createChannel(Context ctx) {
        Charter charter = charterBody(ctx);
        Verdict v = act(() -> node.channelActions().propose(charter));
        RequestAudit.done(node, ctx, io.parley.audit.AuditAction.CHARTER_PROPOSED, charter.channel(),
                "terms " + charter.hash() + ", signed proposal " + hashOf(v));
        ctx.header("Location", "/api/v1/channels/" + charter.channel());
        json(ctx, 201, channelView(charter).put("proposal", hashOf(v)));
    }

    private void signChannel(Context ctx) {
        Charter c = charter(ctx.pathParam("id"));
        ObjectNode body = Requests.jsonObject(ctx);
        String reviewed = Requests.requiredText(body, "charter_hash");
        if (!reviewed.matches("[0-9a-f]{64}")) {
            throw new ProblemException(Problem.field(400, "invalid-field", "Bad request", "/charter_hash",
                    "charter_hash must be the lowercase hex SHA-256 of the terms you reviewed (pending.charter_hash or charter_hash of GET /api/v1/channels/{id})"));
        }
        Verdict v = act(() -> node.channelActions().sign(c.channel(), reviewed));
        RequestAudit.done(node, ctx, io.parley.audit.AuditAction.CHARTER_SIGNED, c.channel(), "terms " + reviewed + ", signature " + hashOf(v));
        json(ctx, 200, channelView(node.channels().charter(c.channel()).orElse(c)).put("signature", hashOf(v)));
    }

    private void amendChannel(Context ctx) {
        Charter current = charter(ctx.pathParam("id"));
        Charter amended = charterBody(ctx);
        if (!amended.channel().equals(current.channel())) {
            throw new ProblemException(Problem.field(422, "invalid-charter", "Invalid charter", "/channel", "an amendment must keep the channel id " + current.channel()));
        }
        Verdict v = act(() -> node.channelActions().amend(amended));
        RequestAudit.done(node, ctx, io.parley.audit.AuditAction.CHARTER_AMENDED, current.channel(),
                "proposed terms " + amended.hash() + ", signed proposal " + hashOf(v));
        json(ctx, 200, channelView(current).put("amendment", hashOf(v)));
    }

    private Charter charterBody(Context ctx) {
        return Charter.fromJson(Requests.jsonObject(ctx));
    }

    private static Verdict act(java.util.function.Supplier<Verdict> action) {
        Verdict v = action.get();
        if (v instanceof Verdict.Rejected r) throw new ProblemException(Problem.of(r.reason().httpStatus(), r.reason().code(), "Envelope refused", r.reason().detail()));
        return v;
    }

    private static String hashOf(Verdict v) {
        return switch (v) {
            case Verdict.Accepted a -> a.hash();
            case Verdict.Duplicate d -> d.hash();
            case Verdict.Rejected r -> null;
        };
    }

    private void listEnvelopes(Context ctx) {
        Charter c = charter(ctx.pathParam("id"));
        long after = Requests.longQuery(ctx, "after", 0, 0, Long.MAX_VALUE);
        int limit = (int) Requests.longQuery(ctx, "limit", 100, 1, MAX_PAGE);
        ArrayNode out = Json.MAPPER.createArrayNode();
        var reader = reader(node, ctx);
        node.envelopes().inChannel(c.channel(), after, limit).forEach(s -> out.add(Views.envelope(node.messageAccess().view(reader, s)).put("id", s.id())));
        json(ctx, 200, out);
    }

    private void send(Context ctx) {
        Charter c = charter(ctx.pathParam("id"));
        ObjectNode req = Requests.jsonObject(ctx);
        Kind kind = enumField(req, "kind", Kind::fromWire, "one of charter, notify, request, ack, answer, update, close, ping, pong, escalate, retract");
        Priority priority = req.hasNonNull("priority") ? enumField(req, "priority", Priority::fromWire, "flash, urgent or routine") : Priority.ROUTINE;
        Tlp tlp = req.hasNonNull("tlp") ? enumField(req, "tlp", Tlp::fromWire, "clear, green, amber, amber+strict or red") : Tlp.GREEN;
        JsonNode body = req.get("body");
        if (body == null || body.isNull()) body = Json.object();
        if (!body.isObject()) throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "/body", "body must be a JSON object"));
        io.parley.node.ProtocolActs.in(body).ifPresent(r -> {
            throw new ProblemException(Problem.field(400, "reserved-member", "Bad request", "/body/" + r.member(), r.detail()));
        });
        String caseId = Requests.optionalText(req, "case").orElse(null);
        Verdict v = node.composer().compose(new Composer.Draft(c.channel(), kind, caseId, priority, tlp, (ObjectNode) body, CaseRoutes.author(ctx)));
        switch (v) {
            case Verdict.Accepted a -> {
                var stored = node.envelopes().byHash(a.hash()).orElseThrow();
                ctx.header("Location", "/api/v1/envelopes/" + a.hash());
                json(ctx, 201, Views.envelope(node.messageAccess().view(reader(node, ctx), stored)));
            }
            case Verdict.Duplicate d -> json(ctx, 200, Views.envelope(node.messageAccess().view(reader(node, ctx), node.envelopes().byHash(d.hash()).orElseThrow())));
            case Verdict.Rejected r -> throw new ProblemException(Problem.of(r.reason().httpStatus(), r.reason().code(), "Envelope refused", r.reason().detail()));
        }
    }

    /** A channel with its state, who signed the terms in force, and any terms awaiting signatures. */
    private ObjectNode channelView(Charter c) {
        String id = c.channel();
        ObjectNode o = Views.channel(node.channels().charter(id).orElse(c), node.channels().state(id).orElse("unknown"));
        o.put("charter_hash", (node.channels().charter(id).orElse(c)).hash());
        var signed = o.putArray("signed_by");
        node.channels().signers(id, (node.channels().charter(id).orElse(c)).hash()).forEach(signed::add);
        node.channels().pending(id).ifPresent(p -> {
            ObjectNode pending = o.putObject("pending");
            pending.put("charter_hash", p.hash());
            pending.set("charter", p.toJson());
            var ps = pending.putArray("signed_by");
            node.channels().signers(id, p.hash()).forEach(ps::add);
        });
        return o;
    }

    private Charter charter(String id) {
        return node.channels().charter(id).orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-channel", "Unknown channel", "no channel '" + id + "' is known here")));
    }

    private static <T> T enumField(JsonNode o, String name, java.util.function.Function<String, java.util.Optional<T>> parse, String allowed) {
        String text = Requests.requiredText(o, name);
        return parse.apply(text).orElseThrow(() -> new ProblemException(Problem.field(400, "invalid-field", "Bad request", "/" + name, name + " must be " + allowed)));
    }

    /** The signed-in account as a reader of messages (MarkingPolicy); HttpServer authenticated it before any route. */
    static io.parley.evidence.MarkingPolicy.LocalUser reader(Node node, Context ctx) {
        io.parley.store.UserStore.User u = ctx.attribute(HttpServer.USER_ATTRIBUTE);
        if (u == null) throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "no authenticated account"));
        return node.messageAccess().reader(u);
    }

    /** The second envelope of an equivocation as {@code reader} may see it (a notice is metadata only). */
    private JsonNode conflicting(io.parley.evidence.MarkingPolicy.LocalUser reader, String text) {
        JsonNode json = Json.parse(text);
        if (io.parley.envelope.WithheldNotice.isNotice(json)) return json;
        try {
            var e = io.parley.envelope.Envelope.fromJson(json);
            return node.messageAccess().mayRead(reader, e) ? json : node.messageAccess().view(reader,
                    new io.parley.store.StoredEnvelope(0, e, "", java.time.Instant.EPOCH)).envelope().toJson();
        } catch (EnvelopeFormatException ex) {
            return Json.object().put("unreadable", ex.getMessage());
        }
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }
}
