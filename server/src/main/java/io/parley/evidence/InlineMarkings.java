package io.parley.evidence;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Tlp;

/**
 * The strictest marking in a bundle carried inline in an envelope ({@code body.stix}), for the acceptance gate: an
 * inline bundle reaches everyone who may read the envelope, so no object in it may be marked above the envelope's
 * label (and so above the channel's ceiling). Reads any JSON without failing: whatever is not a bundle of objects
 * has no markings to judge (indexing refuses it later as invalid STIX).
 */
public final class InlineMarkings {
    private InlineMarkings() {}

    /** The first object carrying the strictest TLP: its JSON pointer inside the envelope and that TLP. */
    public record Strictest(String pointer, Tlp tlp) {}

    /** The strictest object of {@code stix} (unmarked objects take {@code label}), or empty when it holds no objects. */
    public static Optional<Strictest> strictest(JsonNode stix, Tlp label) {
        if (stix == null || !stix.isObject() || !stix.path("objects").isArray()) return Optional.empty();
        Map<String, Tlp> local = MarkingPolicy.localMarkings(stix);
        Strictest top = null;
        JsonNode objects = stix.get("objects");
        for (int i = 0; i < objects.size(); i++) {
            JsonNode o = objects.get(i);
            if (!o.isObject()) continue;
            Tlp t = MarkingPolicy.tlpOf(o, local, label);
            if (top == null || t.exceeds(top.tlp())) top = new Strictest("/body/stix/objects/" + i, t);
        }
        return Optional.ofNullable(top);
    }
}
