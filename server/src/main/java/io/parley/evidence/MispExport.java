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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a STIX 2.1 bundle into a MISP event ({@code {"Event": {...}}}), the inverse of {@link MispImport}.
 *
 * <ul>
 *   <li>The first {@code report} (else a {@code grouping} that is not a MISP object) gives the event. When it carries
 *       {@link MispExtension}'s {@code misp_event}, that restores the event's fields, tags and galaxies; otherwise
 *       {@code info} comes from its name, {@code date} from {@code published} (else {@code created}),
 *       {@code timestamp} from {@code modified}, {@code threat_level_id} from a {@code misp:threat-level} label.
 *   <li>An object carrying {@code misp_attribute} becomes that attribute again; a grouping carrying
 *       {@code misp_object} becomes that MISP object, holding the attributes of its members, with the references
 *       whose target is also exported.
 *   <li>Objects from elsewhere are read as STIX: each equality comparison in an indicator's {@code stix} pattern
 *       becomes an attribute with {@code to_ids} (a pattern naming no observable Parley knows is kept whole as
 *       {@code stix2-pattern}), a rule in another language becomes {@code snort}/{@code yara}/{@code sigma}/…, each
 *       SCO behind an {@code observed-data} or standing alone becomes attributes without (a file with name and hash
 *       becomes {@code filename|<hash>}), vulnerabilities, threat actors and campaigns become theirs. MISP type and
 *       category come from {@code misp:type}/{@code misp:category} labels when present and consistent.
 *   <li>TLP and PAP tags follow the markings: the event's from the report's (or the bundle's strictest TLP when
 *       there is no report); an attribute carries its own when it is marked stricter than the event. A recorded tag
 *       is restored in its original spelling ({@code tlp:white}) only while it still says what the marking says.
 * </ul>
 * Callers redact first ({@link TlpMarking#redact}): this method converts what it is given.
 */
public final class MispExport {
    private static final Pattern LABEL = Pattern.compile("misp:([a-z-]+)=\"(.*)\"");
    private static final Map<String, String> THREAT_LEVEL_IDS = Map.of("high", "1", "medium", "2", "low", "3",
            "undefined", "4");
    private static final Map<String, String> NAMED_TYPES = Map.of("vulnerability", "vulnerability",
            "threat-actor", "threat-actor", "campaign", "campaign-name");

    private MispExport() {}

    /** The MISP event for {@code bundle}. */
    public static ObjectNode toMisp(JsonNode bundle) {
        return new Exporter(bundle).run();
    }

    /** A MISP type and value read from STIX. */
    private record Inferred(String type, String value) {}

    private static final class Exporter {
        private final JsonNode bundle;
        private final JsonNode objects;
        private final Map<String, JsonNode> byId = new HashMap<>();
        private final JsonNode report;
        private final Optional<Tlp> eventTlp;
        private final Optional<Pap> eventPap;
        private final ArrayNode attributes = Json.MAPPER.createArrayNode();
        /** Grouping id → the MISP object it becomes; member id → that grouping's id. */
        private final Map<String, ObjectNode> mispObjects = new LinkedHashMap<>();
        private final Map<String, String> owner = new HashMap<>();
        private final Set<String> exportedUuids = new HashSet<>();

        Exporter(JsonNode bundle) {
            this.bundle = bundle;
            this.objects = bundle.path("objects");
            objects.forEach(o -> byId.put(o.path("id").asText(), o));
            this.report = first("report").orElseGet(() -> {
                for (JsonNode o : objects) {
                    if (o.path("type").asText().equals("grouping") && MispExtension.of(o, MispExtension.Kind.OBJECT).isEmpty()) {
                        return o;
                    }
                }
                return null;
            });
            this.eventTlp = report != null ? TlpMarking.objectTlp(report) : TlpMarking.mostRestrictive(bundle);
            this.eventPap = report != null ? TlpMarking.effectivePap(report) : Optional.empty();
        }

        ObjectNode run() {
            ObjectNode event = Json.object();
            ObjectNode e = event.putObject("Event");
            header(e);
            for (JsonNode o : objects) {
                Optional<JsonNode> obj = o.path("type").asText().equals("grouping")
                        ? MispExtension.of(o, MispExtension.Kind.OBJECT) : Optional.empty();
                if (obj.isPresent() && o != report) {
                    ObjectNode m = MispExtension.copy(obj.get(), MispExtension.OBJECT_FIELDS);
                    m.putArray("Attribute");
                    mispObjects.put(o.path("id").asText(), m);
                    o.path("object_refs").forEach(r -> owner.putIfAbsent(r.asText(), o.path("id").asText()));
                    exportedUuids.add(m.path("uuid").asText(""));
                }
            }
            Set<String> covered = new HashSet<>();
            for (JsonNode o : objects) {
                if (o == report) {
                    continue;
                }
                ArrayNode out = target(o);
                Optional<JsonNode> recorded = MispExtension.of(o, MispExtension.Kind.ATTRIBUTE)
                        .filter(x -> x.path("type").isTextual() && x.path("value").isTextual());
                String type = o.path("type").asText();
                if (type.equals("observed-data")) {
                    o.path("object_refs").forEach(r -> covered.add(r.asText()));
                }
                if (recorded.isPresent()) {
                    out.add(restored(o, recorded.get()));
                    continue;
                }
                switch (type) {
                    case "indicator" -> indicator(o, out);
                    case "observed-data" -> {
                        Set<String> refs = new HashSet<>();
                        o.path("object_refs").forEach(r -> refs.add(r.asText()));
                        Set<String> parts = parts(refs);
                        for (JsonNode ref : o.path("object_refs")) {
                            JsonNode sco = byId.get(ref.asText());
                            if (sco != null && !parts.contains(ref.asText())) {
                                observable(o, sco, out);
                            }
                        }
                    }
                    default -> {
                        if (NAMED_TYPES.containsKey(type) && o.path("name").isTextual()) {
                            addInferred(o, List.of(new Inferred(NAMED_TYPES.get(type), o.get("name").textValue())),
                                    false, o.path("description").asText(""), Optional.empty(), out);
                        }
                    }
                }
            }
            Set<String> parts = parts(covered);
            for (JsonNode o : objects) {
                String type = o.path("type").asText();
                if (!covered.contains(o.path("id").asText()) && StixSchemas.isSco(type) && !type.equals("artifact")
                        && !parts.contains(o.path("id").asText())) {
                    observable(o, o, attributes);
                }
            }
            e.set("Attribute", attributes);
            if (!mispObjects.isEmpty()) {
                ArrayNode out = e.putArray("Object");
                mispObjects.forEach((id, m) -> {
                    references(byId.get(id), m);
                    out.add(m);
                });
            }
            return event;
        }

        private void header(ObjectNode e) {
            Optional<JsonNode> recorded = report == null ? Optional.empty()
                    : MispExtension.of(report, MispExtension.Kind.EVENT);
            recorded.ifPresent(r -> e.setAll(MispExtension.copy(r, MispExtension.EVENT_FIELDS)));
            if (!e.path("info").isTextual()) {
                e.put("info", report != null ? report.path("name").asText("") : "STIX bundle " + bundle.path("id").asText());
            }
            Instant published = report != null ? StixTime.parse(report.path("published").asText(""))
                    .or(() -> StixTime.parse(report.path("created").asText(""))).orElse(Instant.EPOCH) : earliest();
            if (!e.path("date").isTextual()) {
                e.put("date", published.atZone(ZoneOffset.UTC).toLocalDate().toString());
            }
            if (!e.has("timestamp")) {
                Instant modified = report != null ? StixTime.parse(report.path("modified").asText("")).orElse(published) : published;
                e.put("timestamp", Long.toString(modified.getEpochSecond()));
            }
            if (report != null) {
                StixIds.uuidOf(report.path("id").asText()).ifPresent(u -> e.put("uuid", u));
            }
            if (!e.has("threat_level_id")) {
                e.put("threat_level_id", report == null ? "4"
                        : THREAT_LEVEL_IDS.getOrDefault(label(report, "threat-level").orElse("undefined"), "4"));
            }
            List<String> tags = recorded.map(MispExtension::recordedTags).orElse(List.of());
            e.set("Tag", MispExtension.tags(reconcile(tags, eventTlp, eventPap, Optional.empty(), Optional.empty())));
            recorded.map(r -> r.path("galaxies")).filter(JsonNode::isArray)
                    .ifPresent(g -> e.set("Galaxy", MispExtension.restoreGalaxies(g)));
            identity().ifPresent(org -> e.set("Orgc", org));
        }

        /** The attribute list {@code o}'s attribute belongs in: its MISP object's, or the event's. */
        private ArrayNode target(JsonNode o) {
            String g = owner.get(o.path("id").asText());
            return g != null ? (ArrayNode) mispObjects.get(g).get("Attribute") : attributes;
        }

        /**
         * The SCOs only referenced by a covered one (the address of a network-traffic, the address a domain resolves
         * to, the content of a file): they are part of that one's attribute, not attributes of their own.
         */
        private Set<String> parts(Set<String> covered) {
            Set<String> parts = new HashSet<>();
            for (String id : covered) {
                JsonNode o = byId.get(id);
                if (o == null) {
                    continue;
                }
                for (String ref : List.of("dst_ref", "src_ref", "content_ref")) {
                    if (o.path(ref).isTextual()) {
                        parts.add(o.get(ref).textValue());
                    }
                }
                o.path("resolves_to_refs").forEach(r -> parts.add(r.asText()));
            }
            return parts;
        }

        /** The attribute recorded in {@code o}'s extension, its TLP/PAP tags reconciled with {@code o}'s markings. */
        private ObjectNode restored(JsonNode o, JsonNode recorded) {
            ObjectNode a = MispExtension.copy(recorded, MispExtension.ATTRIBUTE_FIELDS);
            Optional<Tlp> tlp = TlpMarking.effectiveTlp(o);
            Optional<Pap> pap = TlpMarking.effectivePap(o);
            for (JsonNode ref : o.path("object_refs")) {
                JsonNode sco = byId.get(ref.asText());
                if (sco != null && StixSchemas.isSco(sco.path("type").asText())) {
                    tlp = MispImport.stricter(tlp, TlpMarking.effectiveTlp(sco));
                    if (sco.path("type").asText().equals("artifact") && sco.path("payload_bin").isTextual()) {
                        a.put("data", sco.get("payload_bin").textValue());
                    }
                }
            }
            List<String> tags = reconcile(MispExtension.recordedTags(recorded), tlp, pap, eventTlp, eventPap);
            if (!tags.isEmpty()) {
                a.set("Tag", MispExtension.tags(tags));
            }
            exportedUuids.add(a.path("uuid").asText(""));
            return a;
        }

        private void indicator(JsonNode ind, ArrayNode out) {
            String patternType = ind.path("pattern_type").asText("stix");
            String pattern = ind.path("pattern").asText("");
            if (!patternType.equals("stix")) {
                for (MispType t : MispType.all()) {
                    if (t.shape() == MispType.Shape.SIGNATURE && t.key().equals(patternType) && !pattern.isEmpty()) {
                        addInferred(ind, List.of(new Inferred(t.misp(), pattern)), true, ind.path("description").asText(""),
                                Optional.empty(), out);
                    }
                }
                return;
            }
            List<Inferred> found = new ArrayList<>();
            for (StixPatterns.Comparison c : StixPatterns.comparisons(pattern)) {
                if (c.operator().equals("=") || c.operator().equals("IN")) {
                    for (String v : c.values()) {
                        Indicators.fromComparison(c.objectType(), c.path(), v).ifPresent(o -> found.add(inferred(o)));
                    }
                }
            }
            if (found.isEmpty() && !pattern.isEmpty()) {
                found.add(new Inferred("stix2-pattern", pattern));
            }
            addInferred(ind, found, true, ind.path("description").asText(""), Optional.empty(), out);
        }

        private void observable(JsonNode carrier, JsonNode sco, ArrayNode out) {
            addInferred(carrier, fromSco(sco), false, carrier.path("x_misp_comment").asText(""),
                    TlpMarking.effectiveTlp(sco), out);
        }

        /** What an SCO says, as MISP types and values (composite types where MISP has them). */
        private List<Inferred> fromSco(JsonNode sco) {
            List<Inferred> out = new ArrayList<>();
            switch (sco.path("type").asText()) {
                case "file" -> {
                    String name = sco.path("name").asText("");
                    for (var h : sco.path("hashes").properties()) {
                        Optional<String> t = MispType.hashTypeFor(h.getKey());
                        if (t.isPresent() && h.getValue().isTextual()) {
                            out.add(name.isEmpty() ? new Inferred(t.get(), h.getValue().textValue())
                                    : new Inferred("filename|" + t.get(), name + "|" + h.getValue().textValue()));
                        }
                    }
                    if (out.isEmpty() && !name.isEmpty()) {
                        out.add(new Inferred("filename", name));
                    }
                }
                case "network-traffic" -> {
                    for (String dir : List.of("dst", "src")) {
                        JsonNode end = byId.get(sco.path(dir + "_ref").asText());
                        JsonNode port = sco.path(dir + "_port");
                        if (end == null || !port.isInt() || !end.path("value").isTextual()) {
                            continue;
                        }
                        String v = end.get("value").textValue() + "|" + port.asInt();
                        String type = end.path("type").asText();
                        if (type.equals("ipv4-addr") || type.equals("ipv6-addr")) {
                            out.add(new Inferred("ip-" + dir + "|port", v));
                        } else if (type.equals("domain-name")) {
                            out.add(new Inferred("hostname|port", v));
                        }
                    }
                }
                case "windows-registry-key" -> {
                    String key = sco.path("key").asText("");
                    JsonNode data = sco.path("values").path(0).path("data");
                    if (!key.isEmpty()) {
                        out.add(data.isTextual() ? new Inferred("regkey|value", key + "|" + data.textValue())
                                : new Inferred("regkey", key));
                    }
                }
                case "mutex" -> text(sco, "name", "mutex", out);
                case "mac-addr" -> text(sco, "value", "mac-address", out);
                case "x509-certificate" -> {
                    for (var h : sco.path("hashes").properties()) {
                        Optional<String> t = MispType.hashTypeFor(h.getKey());
                        if (t.isPresent() && h.getValue().isTextual() && MispType.fromMisp("x509-fingerprint-" + t.get()).isPresent()) {
                            out.add(new Inferred("x509-fingerprint-" + t.get(), h.getValue().textValue()));
                        }
                    }
                }
                case "email-message" -> {
                    text(sco, "subject", "email-subject", out);
                    text(sco, "message_id", "email-message-id", out);
                    text(sco, "body", "email-body", out);
                    for (String header : List.of("Reply-To", "X-Mailer")) {
                        JsonNode v = sco.path("additional_header_fields").path(header);
                        if (v.isTextual()) {
                            out.add(new Inferred("email-" + header.toLowerCase(Locale.ROOT), v.textValue()));
                        }
                    }
                }
                default -> StixObservables.of(sco).forEach(o -> out.add(inferred(o)));
            }
            return out;
        }

        private static void text(JsonNode sco, String property, String type, List<Inferred> out) {
            if (sco.path(property).isTextual() && !sco.get(property).textValue().isEmpty()) {
                out.add(new Inferred(type, sco.get(property).textValue()));
            }
        }

        private void addInferred(JsonNode source, List<Inferred> found, boolean toIds, String comment,
                Optional<Tlp> scoTlp, ArrayNode out) {
            for (Inferred f : found) {
                String uuid = found.size() == 1 && source.path("object_refs").size() <= 1
                        ? StixIds.uuidOf(source.path("id").asText()).orElse(null) : null;
                out.add(attribute(source, f, toIds, comment, uuid, scoTlp));
            }
        }

        private ObjectNode attribute(JsonNode source, Inferred f, boolean toIds, String comment, String uuid,
                Optional<Tlp> scoTlp) {
            Optional<MispType> inferred = MispType.fromMisp(f.type());
            // a misp:type label is honoured when it names the same kind of value (ip-src for an address, hostname
            // for a domain), so a relabelled object cannot turn a hash into a URL
            String type = label(source, "type").filter(l -> MispType.fromMisp(l).map(
                    t -> inferred.isPresent() && t.shape() == inferred.get().shape() && t.shape() != MispType.Shape.SIGNATURE
                            && (sameKeyNeeded(t) ? t.key().equals(inferred.get().key()) : true)).orElse(false))
                    .orElse(f.type());
            ObjectNode a = Json.object();
            if (uuid != null) {
                a.put("uuid", uuid);
                exportedUuids.add(uuid);
            }
            a.put("type", type);
            a.put("category", label(source, "category").orElse(MispType.fromMisp(type).map(MispType::defaultCategory)
                    .orElse("Other")));
            a.put("value", f.value());
            a.put("to_ids", toIds);
            a.put("comment", comment);
            StixTime.parse(source.path("modified").asText("")).ifPresent(t -> a.put("timestamp", Long.toString(t.getEpochSecond())));
            List<String> tags = reconcile(List.of(), MispImport.stricter(TlpMarking.effectiveTlp(source), scoTlp),
                    TlpMarking.effectivePap(source), eventTlp, eventPap);
            if (!tags.isEmpty()) {
                a.set("Tag", MispExtension.tags(tags));
            }
            return a;
        }

        private static boolean sameKeyNeeded(MispType t) {
            return t.shape() == MispType.Shape.HASH || t.shape() == MispType.Shape.FILENAME_HASH
                    || t.shape() == MispType.Shape.X509 || t.shape() == MispType.Shape.EMAIL_HEADER;
        }

        /** A MISP object's recorded references whose target is exported too (a redacted target stays unnamed). */
        private void references(JsonNode grouping, ObjectNode m) {
            ArrayNode refs = Json.MAPPER.createArrayNode();
            MispExtension.of(grouping, MispExtension.Kind.OBJECT).ifPresent(x -> {
                for (JsonNode r : x.path("references")) {
                    String target = r.path("referenced_uuid").asText("");
                    if (!target.isEmpty() && exportedUuids.contains(target)) {
                        ObjectNode ref = MispExtension.copy(r, MispExtension.REFERENCE_FIELDS);
                        if (m.has("uuid")) {
                            ref.set("object_uuid", m.get("uuid"));
                        }
                        refs.add(ref);
                    }
                }
            });
            if (!refs.isEmpty()) {
                m.set("ObjectReference", refs);
            }
        }

        private Optional<ObjectNode> identity() {
            JsonNode id = report == null ? null : byId.get(report.path("created_by_ref").asText());
            if (id == null || !id.path("name").isTextual()) {
                return Optional.empty();
            }
            ObjectNode org = Json.object();
            org.put("name", id.get("name").textValue());
            StixIds.uuidOf(id.path("id").asText()).ifPresent(u -> org.put("uuid", u));
            return Optional.of(org);
        }

        private Optional<JsonNode> first(String type) {
            for (JsonNode o : objects) {
                if (o.path("type").asText().equals(type)) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }

        private Instant earliest() {
            Instant min = null;
            for (JsonNode o : objects) {
                Instant t = StixTime.parse(o.path("created").asText("")).orElse(null);
                if (t != null && !MispExtension.ID.equals(o.path("id").asText()) && !MispExtension.AUTHOR.equals(o.path("id").asText())
                        && (min == null || t.isBefore(min))) {
                    min = t;
                }
            }
            return min == null ? Instant.EPOCH : min;
        }
    }

    private static Inferred inferred(Observable o) {
        String type = switch (o.type()) {
            case IPV4, IPV6 -> "ip-dst";
            case DOMAIN -> "domain";
            case URL -> "url";
            case EMAIL -> "email";
            case MD5 -> "md5";
            case SHA1 -> "sha1";
            case SHA256 -> "sha256";
            case ASN -> "AS";
        };
        return new Inferred(type, o.value());
    }

    /**
     * The tags to export: the recorded ones, except that TLP (and PAP) tags are kept only while the level they give,
     * combined with the event's, is what the marking says now; otherwise they are replaced by the marking's own tag
     * (on an attribute, only when it is stricter than the event's). The marking is the authority: a bundle edited or
     * forged after import cannot loosen a TLP through a recorded tag.
     */
    static List<String> reconcile(List<String> recorded, Optional<Tlp> tlp, Optional<Pap> pap, Optional<Tlp> baseTlp,
            Optional<Pap> basePap) {
        ArrayNode asTags = MispExtension.tags(recorded);
        boolean tlpAgrees = MispImport.stricter(baseTlp, MispImport.tlp(asTags)).equals(tlp);
        boolean papAgrees = MispImport.stricterPap(basePap, MispImport.pap(asTags)).equals(pap);
        List<String> out = new ArrayList<>();
        for (String name : recorded) {
            ArrayNode one = MispExtension.tags(List.of(name));
            if ((MispImport.tlp(one).isPresent() && !tlpAgrees) || (MispImport.pap(one).isPresent() && !papAgrees)) {
                continue;
            }
            out.add(name);
        }
        if (!tlpAgrees && tlp.isPresent() && (baseTlp.isEmpty() || tlp.get().exceeds(baseTlp.get()))) {
            out.add("tlp:" + tlp.get().wire());
        }
        if (!papAgrees && pap.isPresent() && (basePap.isEmpty() || pap.get().exceeds(basePap.get()))) {
            out.add("PAP:" + pap.get().wire().toUpperCase(Locale.ROOT));
        }
        return out;
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
}
