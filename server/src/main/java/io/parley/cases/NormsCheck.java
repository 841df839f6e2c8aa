package io.parley.cases;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Kind;
import io.parley.node.Refusal;
import io.parley.norms.IncidentTaxonomy;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.PreservationHold;

/**
 * What this node checks before it signs a case's category, cited commitments or preservation hold: the rules that
 * the pure timeline ({@link io.parley.timeline.CaseNorms}) applies leniently to what peers send, applied strictly to
 * what we say, so that each of our envelopes means exactly what its author asked.
 */
final class NormsCheck {
    /** How many commitments one case may cite, and identifiers one preservation request may name. */
    static final int MAX_CITED = 50, MAX_IDENTIFIERS = 200;

    private NormsCheck() {}

    /** Refused: 400 with the pointer of the member at fault. */
    static final class Refused extends Refusal {
        Refused(int status, String code, String field, String message) {
            super(status, code, field, message);
        }
    }

    /**
     * Checks the norms fields of an opening {@code body} of {@code kind} in a channel under {@code charter}; fills in
     * the default {@code hold_days} of a preservation request, so the signed request states its hold.
     */
    static void opening(Charter charter, Kind kind, ObjectNode body) {
        JsonNode category = body.get("category");
        if (category != null) {
            if (kind == Kind.PING) throw bad("/body/category", "a ping has no category");
            if (!category.isTextual() || IncidentTaxonomy.shipped().find(category.textValue()).isEmpty()) {
                throw new Refused(400, "unknown-category", "/body/category", "category must be a code of the incident taxonomy (GET /api/v1/taxonomy)");
            }
        }
        JsonNode technique = body.get("disarm_technique");
        if (technique != null) {
            if (category == null || !category.textValue().startsWith(IncidentTaxonomy.INFLUENCE_OPERATION + "/")) {
                throw bad("/body/disarm_technique", "a DISARM technique goes with an influence-operation/... category");
            }
            if (!technique.isTextual() || !IncidentTaxonomy.isDisarmTechnique(technique.textValue())) {
                throw bad("/body/disarm_technique", "disarm_technique must be a DISARM technique id such as T0019 or T0019.001");
            }
        }
        JsonNode cited = body.get("commitments");
        if (cited != null) {
            if (!cited.isArray() || cited.size() > MAX_CITED) throw bad("/body/commitments", "commitments must be an array of at most " + MAX_CITED + " commitment ids");
            Set<String> listed = new HashSet<>();
            charter.practice().commitments().forEach(c -> listed.add(c.id()));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < cited.size(); i++) {
                JsonNode c = cited.get(i);
                if (!c.isTextual() || !listed.contains(c.textValue())) {
                    throw new Refused(400, "commitment-not-in-charter", "/body/commitments/" + i, (c.isTextual() ? c.textValue() : "this")
                            + " is not a commitment of channel " + charter.channel() + "'s charter" + (listed.isEmpty() ? ", which lists none" : " (it lists " + String.join(", ", new java.util.TreeSet<>(listed)) + ")"));
                }
                if (!seen.add(c.textValue())) throw bad("/body/commitments/" + i, c.textValue() + " is cited twice");
            }
        }
        if (kind == Kind.REQUEST && PreservationHold.REQUEST_TYPE.equals(body.path("type").asText())) preservation(body);
        else if (body.has("hold_days")) throw bad("/body/hold_days", "only a preservation request opens a hold");
    }

    private static void preservation(ObjectNode body) {
        JsonNode days = body.get("hold_days");
        if (days == null) body.put("hold_days", PreservationHold.MINIMUM_DAYS);
        else if (PreservationHold.days(days).filter(d -> d >= PreservationHold.MINIMUM_DAYS).isEmpty()) {
            throw new Refused(400, "hold-too-short", "/body/hold_days", "hold_days must be a whole number of days from " + PreservationHold.MINIMUM_DAYS
                    + " (Budapest Convention Art. 29) to " + PreservationHold.MAXIMUM_DAYS);
        }
        // data is optional (what is asked says it too, and requests from before holds existed had none), but never empty
        if (body.has("data") && (!body.get("data").isTextual() || body.get("data").asText().isBlank())) {
            throw bad("/body/data", "data describes the data to preserve: a non-empty text");
        }
        JsonNode ids = body.get("identifiers");
        if (ids == null) return;
        if (!ids.isArray() || ids.size() > MAX_IDENTIFIERS) throw bad("/body/identifiers", "identifiers must be an array of at most " + MAX_IDENTIFIERS + " {type, value} objects");
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.path("type").isTextual() || id.path("type").asText().isBlank() || !id.path("value").isTextual() || id.path("value").asText().isBlank()) {
                throw bad("/body/identifiers/" + i, "an identifier is {\"type\": \"ipv4\", \"value\": \"192.0.2.1\"} (type and value are non-empty strings)");
            }
        }
    }

    /**
     * Checks a response {@code body} of {@code kind} that this node ({@code me}) adds to case {@code t}: only its
     * opener extends a running hold, by an {@code update} with {@code hold_extend_days} or a later {@code hold_until}.
     */
    static void response(CaseTimeline t, String me, Kind kind, ObjectNode body, Instant now) {
        boolean extend = body.has("hold_extend_days"), until = body.has("hold_until");
        if (!extend && !until) return;
        String at = extend ? "/body/hold_extend_days" : "/body/hold_until";
        PreservationHold hold = t.norms().hold();
        if (hold == null) throw new Refused(400, "not-a-hold", at, "case " + t.caseId() + " is not a preservation request; it has no hold to extend");
        if (kind != Kind.UPDATE) throw bad(at, "a hold is extended by an update");
        if (extend && until) throw bad(at, "give hold_extend_days or hold_until, not both");
        if (!t.openedBy().equals(me)) throw new Refused(403, "not-opener", at, "only the party that asked for the preservation (" + t.openedBy() + ") extends its hold");
        if (hold.state(now) != PreservationHold.State.ACTIVE) {
            throw new Refused(409, "hold-ended", at, "the hold of case " + t.caseId() + " is " + hold.state(now).wire() + " since " + (hold.releasedAt() != null ? hold.releasedAt() : hold.until()));
        }
        if (extend) {
            if (PreservationHold.days(body.get("hold_extend_days")).filter(d -> d > 0).isEmpty()) {
                throw bad(at, "hold_extend_days must be a whole number of days from 1 to " + PreservationHold.MAXIMUM_DAYS);
            }
            return;
        }
        Instant next;
        try {
            next = Instant.parse(body.path("hold_until").asText(""));
        } catch (DateTimeParseException e) {
            throw bad(at, "hold_until must be an RFC 3339 UTC time such as 2027-01-31T00:00:00Z");
        }
        if (!next.isAfter(hold.until()) || next.isAfter(hold.until().plus(Duration.ofDays(PreservationHold.MAXIMUM_DAYS)))) {
            throw bad(at, "hold_until must be later than the hold's current end (" + hold.until() + ") and within " + PreservationHold.MAXIMUM_DAYS + " days of it;"
                    + " a hold is shortened only by releasing it (close)");
        }
    }

    private static Refused bad(String field, String message) {
        return new Refused(400, "invalid-field", field, message);
    }
}
