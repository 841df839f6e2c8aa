package io.parley.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.parley.bundle.TimelineJson;
import io.parley.bundle.StatementJson;
import io.parley.cases.CaseBook;
import io.parley.cases.CaseKey;
import io.parley.cases.JointStatements;
import io.parley.cases.NormsReport;
import io.parley.cases.ResponsivenessReport;
import io.parley.charter.Charter;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.export.CaseBundle;
import io.parley.federation.Federation;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.ReasonCode;

/** Cases, ping tests, responsiveness reports and case evidence bundles under {@code /api/v1/}. */
final class CaseRoutes {
    private static final Map<String, Kind> ACTIONS = Map.of("ack", Kind.ACK, "update", Kind.UPDATE, "answer", Kind.ANSWER,
            "close", Kind.CLOSE, "retract", Kind.RETRACT);
    private final Node node;
    private final CaseBook cases;
    private final Federation federation;
    private final JointStatements statements;

    CaseRoutes(Node node, CaseBook cases, Federation federation) {
        this.node = node;
        this.cases = cases;
        this.federation = federation;
        this.statements = new JointStatements(node, cases);
    }

    void register(Javalin app) {
        app.get("/api/v1/cases", this::list);
        app.post("/api/v1/channels/{id}/cases", this::open);
        app.post("/api/v1/channels/{id}/ping", this::ping);
        app.get("/api/v1/cases/{id}", this::show);
        new StatementRoutes(cases, statements).register(app); // before {action}, which would take "statement"
        new TranslationRoutes(node, cases).register(app); // before {action}, which would take "translations"
        app.post("/api/v1/cases/{id}/{action}", this::act);
        app.get("/api/v1/cases/{id}/evidence", this::evidence);
        app.get("/api/v1/reports/responsiveness", this::report);
        app.get("/api/v1/reports/norms", this::normsReport);
        app.get("/api/v1/reason-codes", this::reasonCodes);
    }

    /** The published reason codes for a decline or defer ({@link ReasonCode}), the list every node and the verifier share. */
    private void reasonCodes(Context ctx) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (ReasonCode c : ReasonCode.values()) out.addObject().put("code", c.wire()).put("label", c.label());
        ApiRoutes.json(ctx, 200, out);
    }

    private void list(Context ctx) {
        Instant now = node.now();
        var reader = ApiRoutes.reader(node, ctx);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (CaseKey key : cases.ids(ctx.queryParam("channel"), ctx.queryParam("state"), (int) Requests.longQuery(ctx, "limit", 200, 1, 1000))) {
            cases.timeline(key, reader).ifPresent(t -> out.add(summary(t, now)));
        }
        ApiRoutes.json(ctx, 200, out);
    }

    static ObjectNode summary(CaseTimeline t, Instant now) {
        ObjectNode o = Json.object().put("id", t.caseId()).put("channel", t.channel()).put("exercise", t.exercise()).put("state", t.state().wire()).put("kind", t.kind().wire())
                .put("priority", t.priority().wire()).put("tlp", t.tlp().wire()).put("opened_by", t.openedBy()).put("opened_at", t.openedAt().toString());
        if (t.requestType() != null) o.put("request_type", t.requestType());
        if (t.summary() != null) o.put("summary", t.summary());
        if (t.norms().category() != null) o.put("category", t.norms().category());
        if (t.norms().hold() != null) o.put("hold_until", t.norms().hold().until().toString());
        ObjectNode d = o.putObject("deadlines");
        d.putObject("ack").put("due", t.ackDue().toString()).put("status", t.ackStatus(now).wire());
        if (t.needsAnswer()) d.putObject("answer").put("due", t.answerDue().toString()).put("status", t.answerStatus(now).wire());
        return o;
    }

    /**
     * A case as the API shows it: its timeline ({@link TimelineJson}, the bundle's form) with {@code "exercise"} always
     * present as a boolean right after the channel, as in the list, where the bundle writes it only when true.
     */
    static ObjectNode caseJson(CaseTimeline t, Instant now) {
        ObjectNode timeline = TimelineJson.of(t, now);
        ObjectNode o = Json.object().put("id", t.caseId()).put("channel", t.channel()).put("exercise", t.exercise());
        o.setAll(timeline);
        return o;
    }

    /** An exercise flag is a JSON boolean or absent: "yes", 1 or "true" would leave it unclear what the case is. */
    private static void requireBooleanExercise(JsonNode v, String pointer) {
        if (v != null && !v.isBoolean()) {
            throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", pointer, "exercise must be a JSON boolean: true marks the case an exercise"));
        }
    }

    private void open(Context ctx) {
        String channel = ctx.pathParam("id");
        if (node.channels().charter(channel).isEmpty()) throw new ProblemException(Problem.of(404, "unknown-channel", "Unknown channel", "no channel '" + channel + "' is known here"));
        ObjectNode req = Requests.jsonObject(ctx);
        String kindText = Requests.requiredText(req, "kind");
        Kind kind = Kind.fromWire(kindText).filter(k -> k == Kind.NOTIFY || k == Kind.REQUEST)
                .orElseThrow(() -> new ProblemException(Problem.field(400, "invalid-field", "Bad request", "/kind", "kind must be notify or request")));
        Priority priority = Priority.fromWire(Requests.optionalText(req, "priority").orElse("routine"))
                .orElseThrow(() -> new ProblemException(Problem.field(400, "invalid-field", "Bad request", "/priority", "priority must be flash, urgent or routine")));
        Tlp tlp = Tlp.fromWire(Requests.optionalText(req, "tlp").orElse("amber"))
                .orElseThrow(() -> new ProblemException(Problem.field(400, "invalid-field", "Bad request", "/tlp", "tlp must be clear, green, amber, amber+strict or red")));
        JsonNode body = req.get("body");
        if (body == null || !body.isObject()) throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "/body", "body must be a JSON object with the case's fields"));
        requireBooleanExercise(body.get("exercise"), "/body/exercise");
        CaseTimeline t = cases.open(channel, kind, priority, tlp, (ObjectNode) body, author(ctx));
        ctx.header("Location", "/api/v1/cases/" + t.caseId() + "?channel=" + java.net.URLEncoder.encode(t.channel(), java.nio.charset.StandardCharsets.UTF_8));
        ApiRoutes.json(ctx, 201, caseJson(cases.timeline(t.channel(), t.caseId(), ApiRoutes.reader(node, ctx)).orElseThrow(), node.now()));
    }

    private void ping(Context ctx) {
        String channel = ctx.pathParam("id");
        if (node.channels().charter(channel).isEmpty()) throw new ProblemException(Problem.of(404, "unknown-channel", "Unknown channel", "no channel '" + channel + "' is known here"));
        ObjectNode req = RequestBodies.read(ctx).length == 0 ? Json.object() : Requests.jsonObject(ctx);
        String mode = Requests.optionalText(req, "mode").orElse("auto");
        Priority priority = Priority.fromWire(Requests.optionalText(req, "priority").orElse("routine"))
                .orElseThrow(() -> new ProblemException(Problem.field(400, "invalid-field", "Bad request", "/priority", "priority must be flash, urgent or routine")));
        ObjectNode body = Json.object().put("mode", mode).put("summary", mode.equals("human") ? "Line test: please acknowledge" : "Line test");
        requireBooleanExercise(req.get("exercise"), "/exercise");
        if (req.has("exercise")) body.set("exercise", req.get("exercise"));
        CaseTimeline t = cases.open(channel, Kind.PING, priority, Tlp.GREEN, body, author(ctx));
        ApiRoutes.json(ctx, 201, caseJson(cases.timeline(t.channel(), t.caseId(), ApiRoutes.reader(node, ctx)).orElseThrow(), node.now()));
    }

    /**
     * The case a request names: {@code {id}}, and {@code ?channel=} when the id is used in more than one channel (an
     * opener may use one of its case ids in several channels). 404 when unknown, 409 when ambiguous.
     */
    private CaseTimeline named(Context ctx) {
        String id = ctx.pathParam("id");
        String channel = ctx.queryParam("channel");
        return cases.find(id, channel).orElseThrow(() -> ProblemException.notFound("no case '" + id + "' is known here"
                + (channel == null ? "" : " in channel " + channel)));
    }

    private void show(Context ctx) {
        var reader = ApiRoutes.reader(node, ctx);
        CaseTimeline named = named(ctx);
        CaseTimeline t = cases.timeline(named.channel(), named.caseId(), reader).orElseThrow();
        ObjectNode o = caseJson(t, node.now());
        ArrayNode envs = o.putArray("envelopes");
        cases.envelopes(t.channel(), t.caseId(), reader).forEach(s -> envs.add(Views.envelope(s)));
        o.set("statements", StatementJson.of(statements.of(t, reader)));
        o.set("retracted_evidence", node.evidence().ingest().retractions().json(t.channel(), t.caseId()));
        ApiRoutes.json(ctx, 200, o);
    }

    private void act(Context ctx) {
        Kind kind = ACTIONS.get(ctx.pathParam("action"));
        if (kind == null) throw ProblemException.notFound("no case action '" + ctx.pathParam("action") + "' (use ack, update, answer, close or retract)");
        ObjectNode body = RequestBodies.read(ctx).length == 0 ? Json.object() : Requests.jsonObject(ctx);
        if (body.has("body")) {
            if (!body.get("body").isObject()) throw new ProblemException(Problem.field(400, "wrong-type", "Bad request", "/body", "body must be a JSON object"));
            body = (ObjectNode) body.get("body");
        }
        ObjectNode b = body;
        CaseTimeline t = named(ctx);
        cases.respond(t.channel(), t.caseId(), kind, b, author(ctx));
        ApiRoutes.json(ctx, 200, caseJson(cases.timeline(t.channel(), t.caseId(), ApiRoutes.reader(node, ctx)).orElseThrow(), node.now()));
    }

    private void evidence(Context ctx) {
        CaseTimeline t = named(ctx);
        ObjectNode bundle = CaseBundle.export(node, federation.outbox(), t.channel(), t.caseId());
        requireReadable(ApiRoutes.reader(node, ctx), bundle);
        RequestAudit.done(node, ctx, io.parley.audit.AuditAction.EXPORT, "case " + t.channel() + "/" + t.caseId(),
                "case bundle, " + bundle.path("envelopes").size() + " envelopes");
        ctx.header("Content-Disposition", "attachment; filename=\"" + t.caseId() + ".parley.json\"");
        ApiRoutes.json(ctx, 200, bundle);
    }

    /**
     * A case bundle is signed envelopes, all content, made to be checked by a third party: it cannot leave out a
     * message's body without failing verification, and commitments alone would not prove the timeline. So a reader
     * who may not read every message in it (MarkingPolicy: TLP:RED without a grant) gets none of it: 403, saying
     * whom to ask.
     */
    private void requireReadable(io.parley.evidence.MarkingPolicy.LocalUser reader, ObjectNode bundle) {
        CaseBundle.unreadable(node, reader, bundle).ifPresent(e -> {
            throw new ProblemException(Problem.of(403, "marking-forbids", "Forbidden", "the case bundle holds envelope " + e.channel() + "/"
                    + e.from() + "/" + e.seq() + " marked TLP:" + e.tlp().wire().toUpperCase(java.util.Locale.ROOT)
                    + ", which this account may not read; an admin or a user granted RED for channel " + e.channel()
                    + " (PUT /api/v1/red-grants/{user}) can export it"));
        });
    }

    /** What a report covers: a channel's charter, the period [from, to) its query names (default: 30 days to now), and its cases. */
    private record Period(Charter charter, Instant from, Instant to, Instant now, List<CaseTimeline> timelines) {}

    private Period period(Context ctx) {
        String channel = ctx.queryParam("channel");
        if (channel == null) throw ProblemException.badRequest("bad-query-parameter", "query parameter 'channel' is required");
        Charter charter = node.channels().charter(channel)
                .orElseThrow(() -> new ProblemException(Problem.of(404, "unknown-channel", "Unknown channel", "no channel '" + channel + "' is known here")));
        Instant now = node.now();
        Instant to = instant(ctx, "to", now.plusSeconds(1));
        Instant from = instant(ctx, "from", to.minus(java.time.Duration.ofDays(30)));
        if (!from.isBefore(to)) throw ProblemException.badRequest("bad-query-parameter", "'from' must be before 'to'");
        List<CaseTimeline> timelines = new ArrayList<>();
        for (CaseKey key : cases.ids(channel, null, 100_000)) cases.timeline(key).ifPresent(timelines::add);
        return new Period(charter, from, to, now, timelines);
    }

    private void report(Context ctx) {
        Period p = period(ctx);
        Charter charter = p.charter();
        Map<String, io.parley.store.LinkStore.Link> links = new HashMap<>();
        Map<String, List<io.parley.store.LinkStore.Outage>> outages = new HashMap<>();
        for (Charter.Member m : charter.members()) {
            federation.links().link(m.origin()).ifPresent(l -> links.put(m.origin(), l));
            outages.put(m.origin(), federation.links().outages(m.origin()));
        }
        ResponsivenessReport r = ResponsivenessReport.compute(charter, p.timelines(), p.from(), p.to(), p.now(), links, outages)
                .withContactsOverdue(new io.parley.practice.ContactConfirmations(node, new io.parley.practice.PracticeStore(node.db())).overdue(charter.channel(), p.now()));
        if ("csv".equals(ctx.queryParam("format"))) {
            ctx.contentType("text/csv; charset=utf-8").result(r.toCsv());
        } else {
            ObjectNode o = r.toJson();
            NormsReport.compute(charter, p.timelines(), p.from(), p.to(), p.now()).addTo(o);
            ApiRoutes.json(ctx, 200, o);
        }
    }

    /** Requests per commitment and how they were answered, and cases per incident category: JSON, or CSV with {@code format=csv}. */
    private void normsReport(Context ctx) {
        Period p = period(ctx);
        NormsReport r = NormsReport.compute(p.charter(), p.timelines(), p.from(), p.to(), p.now());
        if ("csv".equals(ctx.queryParam("format"))) ctx.contentType("text/csv; charset=utf-8").result(r.toCsv());
        else ApiRoutes.json(ctx, 200, r.toJson());
    }

    private static Instant instant(Context ctx, String name, Instant fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return fallback;
        Instant t;
        try {
            t = Instant.parse(v);
        } catch (DateTimeParseException e) {
            t = null;
        }
        // Instant also reads years like -1000000000, which RFC 3339 has not and whose arithmetic overflows
        if (t == null || t.isBefore(FIRST_RFC3339) || t.isAfter(LAST_RFC3339)) {
            throw ProblemException.badRequest("bad-query-parameter", "'" + name + "' must be an RFC 3339 UTC time such as 2026-11-01T00:00:00Z");
        }
        return t;
    }

    private static final Instant FIRST_RFC3339 = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST_RFC3339 = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** The authenticated account the route acts for (HttpServer sets it on every /api/v1/ request). */
    static String author(Context ctx) {
        io.parley.store.UserStore.User u = ctx.attribute(HttpServer.USER_ATTRIBUTE);
        return u == null ? null : u.username();
    }
}
