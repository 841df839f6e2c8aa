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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converts a MISP event (the {@code {"Event": {...}}} JSON export) into a STIX 2.1 bundle that passes
 * {@link StixValidator}, so partners running MISP can feed Parley directly, and {@link MispExport} can give the event
 * back whole.
 *
 * <h2>Mapping</h2>
 * <ul>
 *   <li>The event becomes a {@code report} (name = {@code info}, published = {@code date}, created/modified = the
 *       event {@code timestamp}); {@code threat_level_id} is the label {@code misp:threat-level="high|…"}, the event's
 *       tags and galaxy clusters are labels too. {@code Orgc} becomes the {@code identity} every object is
 *       {@code created_by_ref}.
 *   <li>Each attribute becomes what its {@link MispType} says ({@link MispStix}): with {@code to_ids}, an
 *       {@code indicator} whose pattern matches its observables; without, an {@code observed-data} over its SCOs
 *       (composite types such as {@code filename|sha256} or {@code ip-dst|port} become one SCO with both parts, or
 *       linked SCOs); detection rules become indicators in their own pattern language; vulnerabilities, threat actors
 *       and campaigns become those SDOs; everything else ({@code text}, {@code comment}, {@code link}, values not
 *       valid for their type, ...) a {@code note} about the report. Each carries {@code misp:type}/{@code
 *       misp:category} labels (the convention of MISP's own STIX export) and its tags as labels.
 *   <li>A MISP object becomes a {@code grouping} of what its attributes became; its references become
 *       {@code relationship}s when both ends are in the bundle.
 *   <li>Everything MISP says that STIX has no property for (exact value, comment, timestamps, tags, galaxies,
 *       {@code analysis}, {@code published}, template UUIDs, references) is kept in {@link MispExtension}.
 *   <li>{@code tlp:*} tags (clear, white, green, amber, amber+strict, red) become TLP 2.0 {@code object_marking_refs}
 *       ({@code tlp:white} is TLP:CLEAR; the tag's own spelling stays in the extension); an attribute is marked with
 *       the stricter of its own and the event's TLP. {@code PAP:*} tags become the OASIS PAP markings.
 * </ul>
 * Attributes that are not JSON objects, lack a type or value, or exceed {@link MispExtension#MAX_TEXT} are not
 * converted; their JSON pointers are listed in {@link Result#skipped()} so nothing is dropped silently. Events over
 * {@link #MAX_ATTRIBUTES} attributes or {@link #MAX_OBJECTS} objects, or whose bundle would exceed
 * {@link StixValidator#MAX_OBJECTS}, are refused: split them.
 */
public final class MispImport {
    /** Most attributes (event and object attributes together) one event may carry. */
    public static final int MAX_ATTRIBUTES = 2_500;
    /** Most MISP objects one event may carry. */
    public static final int MAX_OBJECTS = 500;
    /** Most object references one event may carry. */
    public static final int MAX_REFERENCES = 2_500;

    /** The bundle, and the JSON pointers (into the MISP event) of attributes that could not be converted. */
    public record Result(ObjectNode bundle, List<String> skipped) {
        public Result {
            skipped = List.copyOf(skipped);
        }
    }

    /** The carrier types that have a {@code description} property. */
    private static final Set<String> DESCRIBED = Set.of("indicator", "vulnerability", "threat-actor", "campaign");
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
     * @throws NotAnEvent when the JSON is not a MISP event, holds nothing convertible or is too large
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
        private final String reportId;
        private final List<ObjectNode> sdos = new ArrayList<>();
        private final List<ObjectNode> groupings = new ArrayList<>();
        private final List<ObjectNode> relationships = new ArrayList<>();
        private final Map<String, ObjectNode> scos = new LinkedHashMap<>();
        private final List<String> skipped = new ArrayList<>();
        private final Set<String> usedIds = new HashSet<>();
        /** MISP attribute/object UUID → the id of the STIX object it became, for object references. */
        private final Map<String, String> byMispUuid = new HashMap<>();
        private String identityId;

        Converter(JsonNode event) {
            this.event = event;
            String uuid = event.path("uuid").asText("");
            this.eventKey = StixIds.isUuid(uuid) ? uuid.toLowerCase(Locale.ROOT) : "misp-event:" + event.path("info").asText()
                    + "|" + event.path("date").asText();
            this.eventTime = time(event.path("timestamp")).orElseGet(() -> date(event.path("date")).orElse(Instant.EPOCH));
            this.eventTlp = tlp(event.path("Tag"));
            this.eventPap = pap(event.path("Tag"));
            this.reportId = StixIds.isUuid(eventKey) ? "report--" + eventKey : StixIds.derived("report", "report|" + eventKey);
        }

        Result run() {
            checkSize();
            identity();
            JsonNode attrs = event.path("Attribute");
            for (int i = 0; i < attrs.size(); i++) {
                attribute(attrs.get(i), "/Event/Attribute/" + i);
            }
            JsonNode objects = event.path("Object");
            for (int i = 0; i < objects.size(); i++) {
                object(objects.get(i), "/Event/Object/" + i);
            }
            for (int i = 0; i < objects.size(); i++) {
                references(objects.get(i), "/Event/Object/" + i);
            }
            ObjectNode report = report();
            ObjectNode bundle = Json.object();
            bundle.put("type", "bundle");
            bundle.put("id", StixIds.derived("bundle", "bundle|" + eventKey + "|" + eventTime));
            ArrayNode all = bundle.putArray("objects");
            all.add(report);
            sdos.forEach(all::add);
            groupings.forEach(all::add);
            relationships.forEach(all::add);
            scos.values().forEach(all::add);
            all.add(MispExtension.definition());
            all.add(MispExtension.author());
            if (all.size() > StixValidator.MAX_OBJECTS) {
                throw new NotAnEvent("MISP event too large: it makes " + all.size() + " STIX objects, more than "
                        + StixValidator.MAX_OBJECTS + "; split it");
            }
            return new Result(bundle, skipped);
        }

        private void checkSize() {
            JsonNode objects = event.path("Object");
            int attributes = event.path("Attribute").size();
            int references = 0;
            for (JsonNode o : objects) {
                attributes += o.path("Attribute").size();
                references += o.path("ObjectReference").size();
            }
            if (attributes > MAX_ATTRIBUTES || objects.size() > MAX_OBJECTS || references > MAX_REFERENCES) {
                throw new NotAnEvent("MISP event too large: " + attributes + " attributes (at most " + MAX_ATTRIBUTES
                        + "), " + objects.size() + " objects (at most " + MAX_OBJECTS + "), " + references
                        + " object references (at most " + MAX_REFERENCES + "); split it");
            }
        }

        private void identity() {
            JsonNode orgc = event.path("Orgc");
            if (!orgc.path("name").isTextual()) {
                return;
            }
            String uuid = orgc.path("uuid").asText("");
            identityId = StixIds.isUuid(uuid) ? "identity--" + uuid.toLowerCase(Locale.ROOT)
                    : StixIds.derived("identity", "misp-org:" + orgc.get("name").textValue());
            if (identityId.equals(MispExtension.AUTHOR)) {
                identityId = StixIds.derived("identity", "misp-org:" + identityId);
            }
            ObjectNode id = base("identity", identityId, eventTime);
            id.remove("created_by_ref");
            id.put("name", orgc.get("name").textValue());
            id.put("identity_class", "organization");
            markings(id, eventTlp, eventPap);
            usedIds.add(identityId);
            sdos.add(id);
        }

        private ObjectNode report() {
            List<String> refs = new ArrayList<>();
            sdos.forEach(o -> refs.add(o.get("id").textValue()));
            groupings.forEach(o -> refs.add(o.get("id").textValue()));
            relationships.forEach(o -> refs.add(o.get("id").textValue()));
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
            ObjectNode r = base("report", reportId, eventTime);
            r.put("name", event.get("info").textValue());
            r.put("published", StixTime.format(date(event.path("date")).orElse(eventTime)));
            r.putArray("report_types").add("threat-report");
            int level = event.path("threat_level_id").asInt(4);
            ObjectNode fields = MispExtension.copy(event, MispExtension.EVENT_FIELDS);
            List<String> tags = MispExtension.tagNames(event.path("Tag"));
            MispExtension.putNames(fields, "tags", tags);
            ArrayNode galaxies = MispExtension.galaxies(event.path("Galaxy"));
            if (!galaxies.isEmpty()) {
                fields.set("galaxies", galaxies);
            }
            Set<String> labels = new LinkedHashSet<>();
            labels.add("misp:threat-level=\"" + THREAT_LEVELS[level >= 1 && level <= 4 ? level : 4] + "\"");
            labels.addAll(tags);
            labels.addAll(MispExtension.clusterTags(galaxies));
            MispExtension.putNames(r, "labels", new ArrayList<>(labels));
            ArrayNode or = r.putArray("object_refs");
            refs.forEach(or::add);
            markings(r, eventTlp, eventPap);
            MispExtension.attach(r, MispExtension.Kind.EVENT, fields);
            return r;
        }

        /** Converts one attribute; returns the id of the STIX object it became, or empty when it was skipped. */
        private Optional<String> attribute(JsonNode a, String pointer) {
            String type = a.path("type").asText("");
            JsonNode valueNode = a.path("value");
            String value = valueNode.isTextual() || valueNode.isNumber() ? valueNode.asText() : "";
            if (!a.isObject() || type.isBlank() || type.length() > 64 || value.isEmpty()
                    || value.length() > MispExtension.MAX_TEXT) {
                skipped.add(pointer);
                return Optional.empty();
            }
            Optional<MispType> known = MispType.fromMisp(type);
            String data = a.path("data").isTextual() ? a.get("data").textValue() : null;
            Optional<MispStix> stix = known.flatMap(t -> MispStix.of(t, value, data));
            Instant t = time(a.path("timestamp")).orElse(eventTime);
            List<String> tags = MispExtension.tagNames(a.path("Tag"));
            Optional<Tlp> tlp = stricter(eventTlp, tlp(a.path("Tag")));
            Optional<Pap> pap = stricterPap(eventPap, pap(a.path("Tag")));
            String category = a.path("category").isTextual() && a.get("category").textValue().length() <= 64
                    ? a.get("category").textValue() : known.map(MispType::defaultCategory).orElse("Other");
            String comment = a.path("comment").isTextual() && a.get("comment").textValue().length() <= MispExtension.MAX_TEXT
                    ? a.get("comment").textValue() : "";
            boolean toIds = a.path("to_ids").asBoolean(false) || a.path("to_ids").asText().equals("1");
            String uuid = a.path("uuid").asText("");

            ObjectNode carrier;
            if (stix.isPresent() && stix.get() instanceof MispStix.Observed o && toIds
                    && o.scos().stream().noneMatch(s -> s.get("type").textValue().equals("artifact"))) {
                carrier = indicator(id("indicator", uuid, pointer), t, type + ": " + value, o.pattern(), "stix");
            } else if (stix.isPresent() && stix.get() instanceof MispStix.Observed o) {
                carrier = base("observed-data", id("observed-data", uuid, pointer), t);
                carrier.put("first_observed", StixTime.format(t));
                carrier.put("last_observed", StixTime.format(t));
                carrier.put("number_observed", 1);
                ArrayNode refs = carrier.putArray("object_refs");
                o.scos().forEach(s -> refs.add(sco(s, tlp, pap).get("id").textValue()));
            } else if (stix.isPresent() && stix.get() instanceof MispStix.Rule r) {
                carrier = indicator(id("indicator", uuid, pointer), t, type + ": " + shorten(value), r.pattern(), r.patternType());
            } else if (stix.isPresent() && stix.get() instanceof MispStix.Named n) {
                carrier = base(n.type(), id(n.type(), uuid, pointer), t);
                carrier.setAll(n.properties());
            } else {
                carrier = base("note", id("note", uuid, pointer), t);
                carrier.put("abstract", type);
                carrier.put("content", value);
                carrier.putArray("object_refs").add(reportId);
                if (type.equals("link")) {
                    Observable.of(ObservableType.URL, value).ifPresent(u -> carrier.putArray("external_references")
                            .addObject().put("source_name", "link").put("url", value.strip()));
                }
            }
            if (!comment.isEmpty()) {
                // observed-data and note have no description: the comment is x_misp_comment, as MISP's exporter names it
                carrier.put(DESCRIBED.contains(carrier.get("type").textValue()) ? "description" : "x_misp_comment", comment);
            }
            Set<String> labels = new LinkedHashSet<>();
            labels.add("misp:type=\"" + type + "\"");
            labels.add("misp:category=\"" + category + "\"");
            labels.addAll(tags);
            MispExtension.putNames(carrier, "labels", new ArrayList<>(labels));
            markings(carrier, tlp, pap);
            ObjectNode fields = MispExtension.copy(a, MispExtension.ATTRIBUTE_FIELDS);
            MispExtension.putNames(fields, "tags", tags);
            MispExtension.attach(carrier, MispExtension.Kind.ATTRIBUTE, fields);
            sdos.add(carrier);
            String id = carrier.get("id").textValue();
            if (StixIds.isUuid(uuid)) {
                byMispUuid.putIfAbsent(uuid.toLowerCase(Locale.ROOT), id);
            }
            return Optional.of(id);
        }

        private ObjectNode indicator(String id, Instant t, String name, String pattern, String patternType) {
            ObjectNode ind = base("indicator", id, t);
            ind.put("name", name);
            ind.putArray("indicator_types").add("malicious-activity");
            ind.put("pattern", pattern);
            ind.put("pattern_type", patternType);
            if (patternType.equals("stix")) {
                ind.put("pattern_version", "2.1");
            }
            ind.put("valid_from", StixTime.format(t));
            return ind;
        }

        /** A MISP object: a grouping of what its attributes became, carrying the object in the extension. */
        private void object(JsonNode o, String pointer) {
            if (!o.isObject()) {
                return;
            }
            List<String> members = new ArrayList<>();
            JsonNode attrs = o.path("Attribute");
            for (int j = 0; j < attrs.size(); j++) {
                attribute(attrs.get(j), pointer + "/Attribute/" + j).ifPresent(members::add);
            }
            String uuid = o.path("uuid").asText("");
            Instant t = time(o.path("timestamp")).orElse(eventTime);
            ObjectNode g = base("grouping", id("grouping", uuid, pointer), t);
            String name = o.path("name").asText("");
            g.put("name", name.isBlank() || name.length() > 256 ? "MISP object" : name);
            String comment = o.path("comment").asText("");
            if (!comment.isEmpty() && comment.length() <= MispExtension.MAX_TEXT) {
                g.put("description", comment);
            }
            g.put("context", "unspecified");
            ArrayNode refs = g.putArray("object_refs");
            if (members.isEmpty()) {
                refs.add(reportId); // object_refs must not be empty (STIX 2.1 §4.6)
            }
            members.forEach(refs::add);
            List<String> labels = new ArrayList<>();
            if (!name.isBlank() && name.length() <= 256) {
                labels.add("misp:name=\"" + name + "\"");
            }
            String meta = o.path("meta-category").asText("");
            if (!meta.isBlank() && meta.length() <= 256) {
                labels.add("misp:meta-category=\"" + meta + "\"");
            }
            MispExtension.putNames(g, "labels", labels);
            markings(g, eventTlp, eventPap);
            ObjectNode fields = MispExtension.copy(o, MispExtension.OBJECT_FIELDS);
            ArrayNode references = Json.MAPPER.createArrayNode();
            for (JsonNode r : o.path("ObjectReference")) {
                if (r.isObject()) {
                    references.add(MispExtension.copy(r, MispExtension.REFERENCE_FIELDS));
                }
            }
            if (!references.isEmpty()) {
                fields.set("references", references);
            }
            MispExtension.attach(g, MispExtension.Kind.OBJECT, fields);
            groupings.add(g);
            if (StixIds.isUuid(uuid)) {
                byMispUuid.putIfAbsent(uuid.toLowerCase(Locale.ROOT), g.get("id").textValue());
            }
        }

        /** An object's references, as relationships between what both ends became (when both are in the bundle). */
        private void references(JsonNode o, String pointer) {
            String source = byMispUuid.get(o.path("uuid").asText("").toLowerCase(Locale.ROOT));
            JsonNode refs = o.path("ObjectReference");
            for (int k = 0; k < refs.size(); k++) {
                JsonNode r = refs.get(k);
                String target = byMispUuid.get(r.path("referenced_uuid").asText("").toLowerCase(Locale.ROOT));
                if (source == null || target == null) {
                    continue;
                }
                ObjectNode rel = base("relationship", id("relationship", r.path("uuid").asText(""),
                        pointer + "/ObjectReference/" + k), time(r.path("timestamp")).orElse(eventTime));
                rel.put("relationship_type", relationshipType(r.path("relationship_type").asText("")));
                rel.put("source_ref", source);
                rel.put("target_ref", target);
                markings(rel, eventTlp, eventPap);
                relationships.add(rel);
            }
        }

        /** One SCO per observable: a value seen under two markings is marked with the stricter (fail closed). */
        private ObjectNode sco(ObjectNode fresh, Optional<Tlp> tlp, Optional<Pap> pap) {
            String id = fresh.get("id").textValue();
            ObjectNode existing = scos.get(id);
            if (existing == null) {
                markings(fresh, tlp, pap);
                scos.put(id, fresh);
                return fresh;
            }
            // a domain seen alone and in a domain|ip pair is one SCO: keep every address it resolves to
            for (JsonNode ref : fresh.path("resolves_to_refs")) {
                ArrayNode have = existing.has("resolves_to_refs") ? (ArrayNode) existing.get("resolves_to_refs")
                        : existing.putArray("resolves_to_refs");
                if (!have.toString().contains(ref.toString())) {
                    have.add(ref);
                }
            }
            markings(existing, stricter(TlpMarking.objectTlp(existing), tlp), stricterPap(TlpMarking.effectivePap(existing), pap));
            return existing;
        }

        /** The id for a MISP UUID (deterministic from the event and the pointer when it has none or repeats one). */
        private String id(String type, String uuid, String pointer) {
            String id = StixIds.isUuid(uuid) ? type + "--" + uuid.toLowerCase(Locale.ROOT)
                    : StixIds.derived(type, eventKey + pointer);
            if (!usedIds.add(id)) {
                id = StixIds.derived(type, eventKey + pointer);
                usedIds.add(id);
            }
            return id;
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

    /** A MISP relationship type as a STIX one ({@code ^[a-z0-9-]+$}); the original stays in the object's extension. */
    static String relationshipType(String misp) {
        String t = misp.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        return t.isEmpty() || t.length() > 250 || t.replace("-", "").isEmpty() ? "related-to" : t;
    }

    private static String shorten(String value) {
        return value.length() <= 120 ? value : value.substring(0, 120) + "…";
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

    static Optional<Pap> stricterPap(Optional<Pap> a, Optional<Pap> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isPresent() && b.get().exceeds(a.get()) ? b : a;
    }

    /** MISP timestamps are epoch seconds, as a string or a number. */
    static Optional<Instant> time(JsonNode n) {
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
