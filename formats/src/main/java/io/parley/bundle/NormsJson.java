package io.parley.bundle;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.timeline.CaseNorms;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.PreservationHold;

/**
 * The JSON of a case's category, cited commitments and preservation hold, part of {@link TimelineJson}: members
 * appear only when the case has them, so a case without them has the JSON it had before they existed.
 */
final class NormsJson {
    private NormsJson() {}

    static void facts(ObjectNode o, CaseNorms n) {
        if (n.category() != null) o.put("category", n.category());
        if (n.disarmTechnique() != null) o.put("disarm_technique", n.disarmTechnique());
        if (!n.commitments().isEmpty()) {
            ArrayNode cs = o.putArray("commitments");
            n.commitments().forEach(cs::add);
        }
        PreservationHold h = n.hold();
        if (h == null) return;
        ObjectNode ho = o.putObject("hold").put("days", h.days()).put("until", h.until().toString());
        ArrayNode ext = ho.putArray("extended_by");
        for (PreservationHold.Extension e : h.extensions()) ext.addObject().put("at", e.at().toString()).put("envelope", e.hash()).put("until", e.until().toString());
        if (h.releasedAt() == null) ho.putNull("released_at");
        else ho.put("released_at", h.releasedAt().toString());
    }

    /**
     * What depends on the moment of evaluation: the hold's state. (Time left is {@code until} less
     * {@code evaluated_at}; it is not written, as a count of seconds would not keep one JSON number type across a
     * parse, and the verifier compares trees.)
     */
    static void evaluate(ObjectNode o, CaseTimeline t, Instant now) {
        PreservationHold h = t.norms().hold();
        if (h == null) return;
        ((ObjectNode) o.get("hold")).put("state", h.state(now).wire());
    }
}
