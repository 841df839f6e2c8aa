package io.parley.taxii;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.node.Node;
import io.parley.store.StoredEnvelope;
import io.parley.timeline.CaseTimeline;

/**
 * Adds incident categories to a case's correlations: the case's own, each correlated case's, and the correlated
 * cases grouped by category ("also reported as a DDoS by cert-b in case X"). A category is read from the case's
 * opening as the reader may see it, so a TLP:RED opening the reader may not read shows no category.
 */
final class CorrelationCategories {
    private final Node node;

    CorrelationCategories(Node node) {
        this.node = node;
    }

    ObjectNode addTo(ObjectNode correlations, LocalUser reader) {
        String channel = correlations.path("channel").isTextual() ? correlations.path("channel").asText() : null;
        put(correlations, category(channel, correlations.path("case").asText(), reader));
        Map<String, ArrayNode> groups = new TreeMap<>();
        for (JsonNode c : correlations.path("correlated_cases")) {
            ObjectNode other = (ObjectNode) c;
            Optional<String> cat = category(other.path("channel").isTextual() ? other.path("channel").asText() : null, other.path("case").asText(), reader);
            put(other, cat);
            ArrayNode group = groups.computeIfAbsent(cat.orElse("uncategorised"), k -> correlations.arrayNode());
            ObjectNode ref = group.addObject().put("case", other.path("case").asText());
            ref.set("channel", other.path("channel"));
            List<String> parties = new ArrayList<>();
            for (JsonNode s : other.path("sightings")) if (!parties.contains(s.path("party").asText())) parties.add(s.path("party").asText());
            ArrayNode ps = ref.putArray("reported_by");
            parties.forEach(ps::add);
        }
        ObjectNode by = correlations.putObject("by_category");
        groups.forEach(by::set);
        return correlations;
    }

    private static void put(ObjectNode o, Optional<String> category) {
        if (category.isPresent()) o.put("category", category.get());
        else o.putNull("category");
    }

    private Optional<String> category(String channel, String caseId, LocalUser reader) {
        if (channel == null) return Optional.empty();
        var charter = node.channels().charter(channel);
        if (charter.isEmpty()) return Optional.empty();
        List<CaseTimeline.Item> items = new ArrayList<>();
        for (StoredEnvelope s : node.envelopes().inCase(channel, caseId)) {
            StoredEnvelope v = node.messageAccess().view(reader, s);
            items.add(new CaseTimeline.Item(v.envelope(), v.hash()));
        }
        return CaseTimeline.of(caseId, items, charter.get()).map(t -> t.norms().category());
    }
}
