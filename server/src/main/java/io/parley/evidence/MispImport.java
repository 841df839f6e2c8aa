package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Converts a MISP event (the {@code {"Event": {...}}} JSON export) into a STIX 2.1 bundle that passes
 * {@link StixValidator}, so partners running MISP can feed Parley directly.
 *
 * <h2>Mapping</h2>
 * <ul>
 *   <li>The event becomes a {@code report} (name = {@code info}, published = {@code date}); {@code threat_level_id}
 *       is kept as the label {@code misp:threat-level="high|medium|low|undefined"}; {@code Orgc} becomes the
 *       {@code identity} every object is {@code created_by_ref}.
 *   <li>An attribute with {@code to_ids} becomes an {@code indicator} with a {@code stix} pattern; any other becomes
 *       an {@code observed-data} over the SCO (deterministic SCO ids, so the same IP from two events is one object).
 *       Both carry {@code misp:type="…"} and {@code misp:category="…"} labels (the convention of MISP's own STIX
 *       export) so {@link MispExport} can restore them; the comment is the indicator's {@code description} or the
 *       observed-data's {@code x_misp_comment}.
 *   <li>Attributes inside MISP objects ({@code Object[].Attribute[]}) are converted the same way.
 *   <li>{@code tlp:*} tags (clear, white, green, amber, amber+strict, red) become TLP 2.0 {@code object_marking_refs};
 *       an attribute is marked with the stricter of its own and the event's TLP. {@code PAP:*} tags become the OASIS
 *       PAP markings.
 * </ul>
 * Attribute types outside {@link MispType} and values invalid for their type are not converted; their JSON pointers
 * are listed in {@link Result#skipped()} so nothing is dropped silently.
 */
public final class MispImport {
    /** The bundle, and the JSON pointers (into the MISP event) of attributes that could not be converted. */
    public record Result(ObjectNode bundle, List<String> skipped) {
        public Result {
            skipped = List.copyOf(skipped);
        }
    }

    private static final String[] THREAT_LEVELS = {null, "high", "medium", "low", "undefined"};

    private MispImport() {}

    /** Parses the JSON text of a MISP event and converts it. */
    public static Result fromJson(String mispEventJson) {
        return convert(Json.parse(mispEventJson));
    }

    /** JSON that is not a MISP event, or one with nothing Parley can convert: the sender's fault (422 invalid-misp). */
    public static final class NotAnEvent extends IllegalArgumentException {
        NotAnEvent(String message) {
            super(message);
        }
    }

    /**
     * Converts a MISP event.
     *
     * @throws NotAnEvent when the JSON is not a MISP event or holds nothing convertible
     */
    public static Result convert(JsonNode misp) {
        JsonNode event = misp.has("Event") ? misp.get("Event") : misp;
        if (!event.isObject() || !event.path("info").isTextual()) {
            throw new NotAnEvent("not a MISP event: expected {\"Event\": {\"info\": …}}");
        }
        return new Converter(event).run();
    }

    private static final class Converter {
        private final JsonNode event;
        private final String eventKey;
        private final Instant eventTime;
        private final Optional<Tlp> eventTlp;
        private final Optional<Pap> eventPap;
        private final List<ObjectNode> sdos = new ArrayList<>();
        private final Map<String, ObjectNode> scos = new LinkedHashMap<>();
        private final List<String> skipped = new ArrayList<>();
        private String identityId;

        Converter(JsonNode event) {
            this.event = event;
            String uuid = event.path("uuid").asText("");
            this.eventKey = StixIds.isUuid(uuid) ? uuid.toLowerCase(Locale.ROOT) : "misp-event:" + event.path("info").asText()
                    + "|" + event.path("date").asText();
            this.eventTime = time(event.path("timestamp")).orElseGet(() -> date(event.path("date")).orElse(Instant.EPOCH));
            this.eventTlp = tlp(event.path("Tag"));
            this.eventPap = pap(event.path("Tag"));
        }

        Result run() {
            identity();
            JsonNode attrs = event.path("Attribute");
            for (int i = 0; i < attrs.size(); i++) {
                attribute(attrs.get(i), "/Event/Attribute/" + i);
            }
            JsonNode objects = event.path("Object");
            for (int i = 0; i < objects.size(); i++) {
                JsonNode oa = objects.get(i).path("Attribute");
                for (int j = 0; j < oa.size(); j++) {
                    attribute(oa.get(j), "/Event/Object/" + i + "/Attribute/" + j);
                }
            }
            ObjectNode report = report();
            ObjectNode bundle = Json.object();
            bundle.put("type", "bundle");
            bundle.put("id", StixIds.derived("bundle", "bundle|" + eventKey + "|" + eventTime));
            ArrayNode objects2 = bundle.putArray("objects");
            objects2.add(report);
            sdos.forEach(objects2::add);
            scos.values().forEach(objects2::add);
            return new Result(bundle, skipped);
        }

        private void identity() {
            JsonNode orgc = event.path("Orgc");
            if (!orgc.path("name").isTextual()) {
                return;
            }
            String uuid = orgc.path("uuid").asText("");
            identityId = StixIds.isUuid(uuid) ? "identity--" + uuid.toLowerCase(Locale.ROOT)
                    : StixIds.derived("identity", "misp-org:" + orgc.get("name").textValue());
            ObjectNode id = base("identity", identityId, eventTime);
            id.remove("created_by_ref");
            id.put("name", orgc.get("name").textValue());
            id.put("identity_class", "organization");
            markings(id, eventTlp, eventPap);
            sdos.add(id);
        }

        private ObjectNode report() {
            List<String> refs = new ArrayList<>();
            sdos.forEach(o -> refs.add(o.get("id").textValue()));
            scos.values().forEach(o -> refs.add(o.get("id").textValue()));
            if (identityId != null) {
                refs.remove(identityId);
            }
            if (refs.isEmpty()) {
                if (identityId == null) {
                    throw new NotAnEvent("MISP event has no attribute Parley can convert");
                }
                refs.add(identityId); // report.object_refs must not be empty (STIX 2.1 §4.16)
            }
            ObjectNode r = base("report", eventId("report"), eventTime);
            r.put("name", event.get("info").textValue());
            r.put("published", StixTime.format(date(event.path("date")).orElse(eventTime)));
            r.putArray("report_types").add("threat-report");
            int level = event.path("threat_level_id").asInt(4);
            r.putArray("labels").add("misp:threat-level=\"" + THREAT_LEVELS[level >= 1 && level <= 4 ? level : 4] + "\"");
            ArrayNode or = r.putArray("object_refs");
            refs.forEach(or::add);
            markings(r, eventTlp, eventPap);
            return r;
        }

        private String eventId(String type) {
            return StixIds.isUuid(eventKey) ? type + "--" + eventKey : StixIds.derived(type, type + "|" + eventKey);
        }

        private void attribute(JsonNode a, String pointer) {
            Optional<MispType> type = MispType.fromMisp(a.path("type").asText());
            Optional<Observable> obs = type.flatMap(t -> t.observable(a.path("value").asText(null)));
            if (obs.isEmpty()) {
                skipped.add(pointer);
                return;
            }
            Instant t = time(a.path("timestamp")).orElse(eventTime);
            Optional<Tlp> tlp = stricter(eventTlp, tlp(a.path("Tag")));
            Optional<Pap> pap = stricterPap(eventPap, pap(a.path("Tag")));
            String category = a.path("category").asText(type.get().defaultCategory);
            String comment = a.path("comment").asText("");
            String uuid = a.path("uuid").asText("");
            boolean toIds = a.path("to_ids").asBoolean(false) || a.path("to_ids").asText().equals("1");
            if (toIds) {
                ObjectNode ind = base("indicator", attrId("indicator", uuid, pointer), t);
                ind.put("name", type.get().misp + ": " + obs.get().value());
                if (!comment.isEmpty()) {
                    ind.put("description", comment);
                }
                ind.putArray("indicator_types").add("malicious-activity");
                ind.put("pattern", StixObservables.pattern(obs.get()));
                ind.put("pattern_type", "stix");
                ind.put("pattern_version", "2.1");
                ind.put("valid_from", StixTime.format(t));
                labels(ind, type.get(), category);
                markings(ind, tlp, pap);
                sdos.add(ind);
            } else {
                ObjectNode sco = sco(obs.get(), tlp, pap);
                ObjectNode od = base("observed-data", attrId("observed-data", uuid, pointer), t);
                od.put("first_observed", StixTime.format(t));
                od.put("last_observed", StixTime.format(t));
                od.put("number_observed", 1);
                od.putArray("object_refs").add(sco.get("id").textValue());
                labels(od, type.get(), category);
                if (!comment.isEmpty()) {
                    od.put("x_misp_comment", comment); // custom property (STIX 2.1 §11.1), as MISP's exporter names it
                }
                markings(od, tlp, pap);
                sdos.add(od);
            }
        }

        /** One SCO per observable: a value seen under two markings is marked with the stricter (fail closed). */
        private ObjectNode sco(Observable o, Optional<Tlp> tlp, Optional<Pap> pap) {
            ObjectNode fresh = StixObservables.sco(o);
            ObjectNode existing = scos.get(fresh.get("id").textValue());
            if (existing == null) {
                markings(fresh, tlp, pap);
                scos.put(fresh.get("id").textValue(), fresh);
                return fresh;
            }
            markings(existing, stricter(TlpMarking.objectTlp(existing), tlp), stricterPap(TlpMarking.effectivePap(existing), pap));
            return existing;
        }

        private String attrId(String type, String uuid, String pointer) {
            return StixIds.isUuid(uuid) ? type + "--" + uuid.toLowerCase(Locale.ROOT)
                    : StixIds.derived(type, eventKey + pointer);
        }

        private ObjectNode base(String type, String id, Instant t) {
            ObjectNode o = Json.object();
            o.put("type", type);
            o.put("spec_version", "2.1");
            o.put("id", id);
            if (identityId != null) {
                o.put("created_by_ref", identityId);
            }
            o.put("created", StixTime.format(t));
            o.put("modified", StixTime.format(t));
            return o;
        }

        private static void labels(ObjectNode o, MispType type, String category) {
            o.putArray("labels").add("misp:type=\"" + type.misp + "\"").add("misp:category=\"" + category + "\"");
        }

        private static void markings(ObjectNode o, Optional<Tlp> tlp, Optional<Pap> pap) {
            o.remove("object_marking_refs");
            if (tlp.isEmpty() && pap.isEmpty()) {
                return;
            }
            ArrayNode refs = o.putArray("object_marking_refs");
            tlp.ifPresent(t -> refs.add(WellKnownMarkings.tlp2Id(t)));
            pap.ifPresent(p -> refs.add(WellKnownMarkings.papId(p)));
        }
    }

    /** The strictest {@code tlp:*} tag (MISP taxonomy "tlp"; {@code tlp:white} is TLP 2.0 CLEAR). */
    static Optional<Tlp> tlp(JsonNode tags) {
        Optional<Tlp> max = Optional.empty();
        for (JsonNode tag : tags) {
            String name = tag.path("name").asText("").strip().toLowerCase(Locale.ROOT);
            if (name.startsWith("tlp:")) {
                String level = name.substring(4).replace("\"", "");
                max = stricter(max, Tlp.fromWire(level.equals("white") ? "clear" : level));
            }
        }
        return max;
    }

    /** The strictest {@code PAP:*} tag (MISP taxonomy "PAP"). */
    static Optional<Pap> pap(JsonNode tags) {
        Optional<Pap> max = Optional.empty();
        for (JsonNode tag : tags) {
            String name = tag.path("name").asText("").strip();
            if (name.regionMatches(true, 0, "pap:", 0, 4)) {
                max = stricterPap(max, Pap.fromWire(name.substring(4).replace("\"", "")));
            }
        }
        return max;
    }

    static Optional<Tlp> stricter(Optional<Tlp> a, Optional<Tlp> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isPresent() && b.get().exceeds(a.get()) ? b : a;
    }

    private static Optional<Pap> stricterPap(Optional<Pap> a, Optional<Pap> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isPresent() && b.get().exceeds(a.get()) ? b : a;
    }

    /** MISP timestamps are epoch seconds, as a string or a number. */
    private static Optional<Instant> time(JsonNode n) {
        String s = n.asText("");
        if (s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9') || s.length() > 12) {
            return Optional.empty();
        }
        // a time past year 9999 has no STIX spelling: it counts as missing, like a malformed one
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(s))).filter(StixTime::spellable);
    }

    private static Optional<Instant> date(JsonNode n) {
        try {
            return n.isTextual() ? Optional.of(LocalDate.parse(n.textValue()).atStartOfDay(ZoneOffset.UTC).toInstant()).filter(StixTime::spellable)
                    : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
