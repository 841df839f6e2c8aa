package io.parley.bundle;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.json.Json;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.ClockFinding;
import io.parley.timeline.CourtesyTranslation;
import io.parley.timeline.Decision;

/** The JSON view of a case timeline: shared by the API, the bundle and the verifier's comparison. */
public final class TimelineJson {
    private TimelineJson() {}

    /** The facts that follow from the envelopes alone (no "now"), which an exporter and a verifier must agree on. */
    public static ObjectNode of(CaseTimeline t, Instant now) {
        ObjectNode o = facts(t);
        o.put("evaluated_at", now.toString());
        o.put("ack_status", t.ackStatus(now).wire());
        o.put("answer_status", t.answerStatus(now).wire());
        // per party: who acknowledged and answered when, and whether in time (what the report counts)
        ArrayNode rs = o.putArray("responses");
        t.responses().values().forEach(r -> {
            ObjectNode x = rs.addObject().put("party", r.party());
            put(x, "acked_at", r.ackedAt());
            put(x, "answered_at", r.answeredAt());
            x.put("ack_status", t.ackStatusOf(r.party(), now).wire());
            x.put("answer_status", t.answerStatusOf(r.party(), now).wire());
            decision(x, t, r);
        });
        NormsJson.evaluate(o, t, now);
        return o;
    }

    /**
     * A party's answer decision: the latest it signed, the answer deadline in force for it when a defer moved it, and
     * the decisions that count for nothing. Written only when there is something to say (an ack written before
     * decisions existed says nothing more), so bundles exported before decisions existed still verify.
     */
    private static void decision(ObjectNode x, CaseTimeline t, CaseTimeline.Response r) {
        Decision d = r.decision();
        if (d != null && !d.implicit()) {
            x.put("decision", d.choice().wire());
            x.put("decided_at", d.at().toString());
            x.put("decision_hash", d.hash());
            if (d.reason() != null) x.put("reason", d.reason()).put("lang", d.lang());
            if (d.reasonCode() != null) x.put("reason_code", d.reasonCode().wire());
            put(x, "until", d.until());
        }
        if (t.needsAnswer() && !r.answerDue().equals(t.answerDue())) x.put("answer_due", r.answerDue().toString());
        if (!r.ignored().isEmpty()) {
            ArrayNode ignored = x.putArray("ignored_decisions");
            r.ignored().forEach(ignored::add);
        }
    }

    public static ObjectNode facts(CaseTimeline t) {
        ObjectNode o = Json.object();
        o.put("id", t.caseId());
        o.put("channel", t.channel());
        // only when true, so bundles of real cases exported before exercises existed still verify
        if (t.exercise()) o.put("exercise", true);
        o.put("kind", t.kind().wire());
        if (t.requestType() != null) o.put("request_type", t.requestType());
        o.put("priority", t.priority().wire());
        o.put("tlp", t.tlp().wire());
        if (t.summary() != null) o.put("summary", t.summary());
        o.put("opened_by", t.openedBy());
        o.put("opened_at", t.openedAt().toString());
        o.put("state", t.state().wire());
        o.put("ack_due", t.ackDue().toString());
        o.put("answer_due", t.needsAnswer() ? t.answerDue().toString() : null);
        put(o, "acked_at", t.ackedAt());
        if (t.ackedBy() != null) o.put("acked_by", t.ackedBy());
        put(o, "answered_at", t.answeredAt());
        if (t.answeredBy() != null) o.put("answered_by", t.answeredBy());
        put(o, "closed_at", t.closedAt());
        NormsJson.facts(o, t.norms());
        ArrayNode events = o.putArray("events");
        for (CaseTimeline.Event e : t.events()) {
            ObjectNode ev = events.addObject().put("at", e.at().toString()).put("from", e.from()).put("kind", e.kind().wire()).put("hash", e.hash())
                    .put("summary", e.summary());
            // only when there are any, so bundles exported before courtesy translations existed still verify
            if (!e.translations().isEmpty()) ev.set("translations", translations(e.translations()));
        }
        // only when there are any, so a case without findings has the JSON (and the bundles) it had before
        if (!t.clockFindings().isEmpty()) {
            ArrayNode fs = o.putArray("clock_findings");
            for (ClockFinding f : t.clockFindings()) fs.add(clockFinding(f));
        }
        return o;
    }

    /**
     * The courtesy translations of one event's free text, in the order they were signed: each its translator's word,
     * never authoritative (the event's own envelope is the original).
     */
    public static ArrayNode translations(java.util.List<CourtesyTranslation> list) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (CourtesyTranslation x : list) {
            out.addObject().put("hash", x.hash()).put("by", x.by()).put("at", x.at().toString()).put("lang", x.lang()).put("text", x.text())
                    .put("authoritative", false);
        }
        return out;
    }

    /** One envelope dated beyond the charter's clock skew; it counts at {@code logged_at} (DESIGN: time honesty). */
    public static ObjectNode clockFinding(ClockFinding f) {
        ObjectNode o = Json.object().put("envelope", f.envelope()).put("sender", f.sender()).put("created", f.created().toString())
                .put("logged_at", f.logged().at().toString()).put("logged_by", f.logged().by())
                .put("direction", f.direction().wire());
        long skew = f.skew().toSeconds();
        // as a parser reads it back (an int when it fits), so a bundle read from a file equals the recomputed JSON
        o.set("skew_seconds", skew == (int) skew ? IntNode.valueOf((int) skew) : LongNode.valueOf(skew));
        return o;
    }

    private static void put(ObjectNode o, String k, Instant t) {
        if (t != null) o.put(k, t.toString());
    }
}
