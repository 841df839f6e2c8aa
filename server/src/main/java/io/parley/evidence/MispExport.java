package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a STIX 2.1 bundle into a MISP event ({@code {"Event": {...}}}), the inverse of {@link MispImport} for the
 * attribute types in {@link MispType}.
 *
 * <ul>
 *   <li>The first {@code report} (else {@code grouping}) gives the event: {@code info} from its name, {@code date}
 *       from {@code published} (else {@code created}), {@code uuid} from its id, {@code threat_level_id} from a
 *       {@code misp:threat-level} label (4, undefined, otherwise).
 *   <li>Each equality comparison in an indicator's {@code stix} pattern becomes an attribute with {@code to_ids};
 *       each SCO behind an {@code observed-data}, or standing alone, becomes one without. MISP type and category come
 *       from the {@code misp:type}/{@code misp:category} labels when present and consistent, else from the value's
 *       kind (an IP becomes {@code ip-dst}).
 *   <li>The event's TLP (and PAP) tag comes from the report's marking, or the bundle's strictest TLP when there is no
 *       report; an attribute whose object is marked stricter than the event carries its own {@code tlp:*} tag.
 * </ul>
 * Callers redact first ({@link TlpMarking#redact}): this method converts what it is given.
 */
public final class MispExport {
    private static final Pattern LABEL = Pattern.compile("misp:([a-z-]+)=\"(.*)\"");
    private static final Map<String, String> THREAT_LEVEL_IDS = Map.of("high", "1", "medium", "2", "low", "3",
            "undefined", "4");

    private MispExport() {}

    /** The MISP event for {@code bundle}. */
    public static ObjectNode toMisp(JsonNode bundle) {
        JsonNode objects = bundle.path("objects");
        Map<String, JsonNode> byId = new HashMap<>();
        objects.forEach(o -> byId.put(o.path("id").asText(), o));
        JsonNode report = first(objects, "report").orElseGet(() -> first(objects, "grouping").orElse(null));

        ObjectNode event = Json.object();
        ObjectNode e = event.putObject("Event");
        e.put("info", report != null ? report.path("name").asText("") : "STIX bundle " + bundle.path("id").asText());
        Instant when = report != null ? StixTime.parse(report.path("published").asText(""))
                .or(() -> StixTime.parse(report.path("created").asText(""))).orElse(Instant.EPOCH) : earliest(objects);
        e.put("date", when.atZone(ZoneOffset.UTC).toLocalDate().toString());
        e.put("timestamp", Long.toString(when.getEpochSecond()));
        if (report != null) {
            StixIds.uuidOf(report.path("id").asText()).ifPresent(u -> e.put("uuid", u));
        }
        e.put("threat_level_id", report == null ? "4"
                : THREAT_LEVEL_IDS.getOrDefault(label(report, "threat-level").orElse("undefined"), "4"));
        Optional<Tlp> eventTlp = report != null ? TlpMarking.objectTlp(report) : TlpMarking.mostRestrictive(bundle);
        Optional<Pap> eventPap = report != null ? TlpMarking.effectivePap(report) : Optional.empty();
        e.set("Tag", tags(eventTlp, eventPap));
        identity(report, byId).ifPresent(org -> e.set("Orgc", org));

        ArrayNode attributes = e.putArray("Attribute");
        Set<String> coveredScos = new HashSet<>();
        for (JsonNode o : objects) {
            switch (o.path("type").asText()) {
                case "indicator" -> indicator(o, eventTlp, attributes);
                case "observed-data" -> {
                    for (JsonNode ref : o.path("object_refs")) {
                        JsonNode sco = byId.get(ref.asText());
                        if (sco != null) {
                            coveredScos.add(ref.asText());
                            observable(o, sco, eventTlp, attributes);
                        }
                    }
                }
                default -> { }
            }
        }
        for (JsonNode o : objects) {
            if (!coveredScos.contains(o.path("id").asText()) && StixSchemas.isSco(o.path("type").asText())) {
                observable(o, o, eventTlp, attributes);
            }
        }
        return event;
    }

    private static void indicator(JsonNode ind, Optional<Tlp> eventTlp, ArrayNode out) {
        if (!ind.path("pattern_type").asText("stix").equals("stix")) {
            return;
        }
        List<Observable> found = new ArrayList<>();
        for (StixPatterns.Comparison c : StixPatterns.comparisons(ind.path("pattern").asText(""))) {
            if (c.operator().equals("=") || c.operator().equals("IN")) {
                for (String v : c.values()) {
                    Indicators.fromComparison(c.objectType(), c.path(), v).ifPresent(found::add);
                }
            }
        }
        for (int i = 0; i < found.size(); i++) {
            String uuid = found.size() == 1 ? StixIds.uuidOf(ind.path("id").asText()).orElse(null) : null;
            out.add(attribute(ind, found.get(i), true, ind.path("description").asText(""), uuid, eventTlp,
                    Optional.empty()));
        }
    }

    private static void observable(JsonNode carrier, JsonNode sco, Optional<Tlp> eventTlp, ArrayNode out) {
        List<Observable> found = StixObservables.of(sco);
        for (Observable o : found) {
            String uuid = found.size() == 1 && carrier.path("object_refs").size() <= 1
                    ? StixIds.uuidOf(carrier.path("id").asText()).orElse(null) : null;
            out.add(attribute(carrier, o, false, carrier.path("x_misp_comment").asText(""), uuid, eventTlp,
                    TlpMarking.effectiveTlp(sco)));
        }
    }

    private static ObjectNode attribute(JsonNode source, Observable o, boolean toIds, String comment, String uuid,
            Optional<Tlp> eventTlp, Optional<Tlp> scoTlp) {
        MispType type = label(source, "type").flatMap(MispType::fromMisp).filter(t -> t.carries(o.type()))
                .orElse(MispType.defaultFor(o.type()));
        ObjectNode a = Json.object();
        if (uuid != null) {
            a.put("uuid", uuid);
        }
        a.put("type", type.misp);
        a.put("category", label(source, "category").orElse(type.defaultCategory));
        a.put("value", o.value());
        a.put("to_ids", toIds);
        a.put("comment", comment);
        StixTime.parse(source.path("modified").asText("")).ifPresent(t -> a.put("timestamp", Long.toString(t.getEpochSecond())));
        Optional<Tlp> own = MispImport.stricter(TlpMarking.effectiveTlp(source), scoTlp);
        if (own.isPresent() && (eventTlp.isEmpty() || own.get().exceeds(eventTlp.get()))) {
            a.set("Tag", tags(own, Optional.empty()));
        }
        return a;
    }

    private static ArrayNode tags(Optional<Tlp> tlp, Optional<Pap> pap) {
        ArrayNode tags = Json.MAPPER.createArrayNode();
        tlp.ifPresent(t -> tags.addObject().put("name", "tlp:" + t.wire()));
        pap.ifPresent(p -> tags.addObject().put("name", "PAP:" + p.wire().toUpperCase(java.util.Locale.ROOT)));
        return tags;
    }

    private static Optional<ObjectNode> identity(JsonNode report, Map<String, JsonNode> byId) {
        JsonNode id = report == null ? null : byId.get(report.path("created_by_ref").asText());
        if (id == null || !id.path("name").isTextual()) {
            return Optional.empty();
        }
        ObjectNode org = Json.object();
        org.put("name", id.get("name").textValue());
        StixIds.uuidOf(id.path("id").asText()).ifPresent(u -> org.put("uuid", u));
        return Optional.of(org);
    }

    /** The value of a {@code misp:<name>="…"} label, the convention of MISP's STIX export. */
    private static Optional<String> label(JsonNode o, String name) {
        for (JsonNode l : o.path("labels")) {
            Matcher m = LABEL.matcher(l.asText());
            if (m.matches() && m.group(1).equals(name)) {
                return Optional.of(m.group(2));
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> first(JsonNode objects, String type) {
        for (JsonNode o : objects) {
            if (o.path("type").asText().equals(type)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    private static Instant earliest(JsonNode objects) {
        Instant min = null;
        for (JsonNode o : objects) {
            Instant t = StixTime.parse(o.path("created").asText("")).orElse(null);
            if (t != null && (min == null || t.isBefore(min))) {
                min = t;
            }
        }
        return min == null ? Instant.EPOCH : min;
    }
}
