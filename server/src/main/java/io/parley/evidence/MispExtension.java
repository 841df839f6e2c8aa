package io.parley.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The STIX 2.1 property extension (§7.3) in which Parley keeps what a MISP event says and STIX has no property for:
 * the MISP attribute behind an indicator, observed-data, note or SDO (type, category, exact value, {@code to_ids},
 * comment, timestamp, tags), the MISP object behind a grouping (template name and UUID, object UUID, references), and
 * the event behind a report ({@code analysis}, {@code published}, {@code timestamp}, tags, galaxies). The bundle
 * carries the extension-definition, so a STIX consumer can tell what the extension is and keep it; {@link MispExport}
 * reads it back so a MISP → Parley → MISP round trip keeps everything.
 *
 * <p>Only scalars listed here are copied, each string at most {@link #MAX_TEXT} characters, and at most
 * {@link #MAX_TAGS} tags and {@link #MAX_GALAXIES} galaxies: the MISP JSON comes from clients and peers.
 */
final class MispExtension {
    static final String ID = "extension-definition--4c0e2020-765e-4fdb-bf0b-a89bbbe1b0a0";
    /** The identity that defines the extension: Parley itself. */
    static final String AUTHOR = "identity--a0586dd6-f80c-4e96-9c89-9dcb499fb839";
    private static final String DEFINED = "2026-11-30T00:00:00.000Z";

    /** Longest MISP string kept (MISP's own limit on an attribute value is 131072 bytes). */
    static final int MAX_TEXT = 131_072;
    static final int MAX_TAGS = 256;
    static final int MAX_TAG_NAME = 255;
    static final int MAX_GALAXIES = 64;
    static final int MAX_CLUSTERS = 256;

    static final List<String> EVENT_FIELDS = List.of("uuid", "info", "date", "timestamp", "publish_timestamp",
            "published", "analysis", "threat_level_id", "distribution", "extends_uuid");
    static final List<String> ATTRIBUTE_FIELDS = List.of("uuid", "type", "category", "value", "to_ids", "comment",
            "timestamp", "object_relation", "distribution", "disable_correlation", "first_seen", "last_seen");
    static final List<String> OBJECT_FIELDS = List.of("uuid", "name", "meta-category", "template_uuid",
            "template_version", "description", "comment", "timestamp", "distribution", "first_seen", "last_seen");
    static final List<String> REFERENCE_FIELDS = List.of("uuid", "referenced_uuid", "relationship_type", "comment",
            "timestamp");
    private static final List<String> GALAXY_FIELDS = List.of("uuid", "name", "type", "namespace", "description",
            "version");
    private static final List<String> CLUSTER_FIELDS = List.of("uuid", "type", "value", "tag_name", "description",
            "source", "version");

    /** What a part of the extension describes: its property name inside the extension. */
    enum Kind {
        EVENT("misp_event"), ATTRIBUTE("misp_attribute"), OBJECT("misp_object");

        final String property;

        Kind(String property) {
            this.property = property;
        }
    }

    private MispExtension() {}

    /** The extension-definition object, marked TLP:CLEAR: it describes a format, nothing about an incident. */
    static ObjectNode definition() {
        ObjectNode d = Json.object();
        d.put("type", "extension-definition");
        d.put("spec_version", "2.1");
        d.put("id", ID);
        d.put("created_by_ref", AUTHOR);
        d.put("created", DEFINED);
        d.put("modified", DEFINED);
        d.put("name", "Parley MISP fidelity");
        d.put("description", "What a MISP event, attribute or object says that STIX 2.1 has no property for, kept so"
                + " that the MISP data can be rebuilt: misp_event on the report, misp_attribute on the object an"
                + " attribute became, misp_object on the grouping a MISP object became.");
        d.put("schema", "misp_event: the MISP event's scalar fields (uuid, info, date, timestamp, publish_timestamp,"
                + " published, analysis, threat_level_id, distribution, extends_uuid) as MISP spells them, tags (tag"
                + " names) and galaxies (galaxy and cluster scalars). misp_attribute: the attribute's scalar fields"
                + " (uuid, type, category, value, to_ids, comment, timestamp, object_relation, distribution,"
                + " disable_correlation, first_seen, last_seen) and tags. misp_object: the object's scalar fields (uuid,"
                + " name, meta-category, template_uuid, template_version, description, comment, timestamp,"
                + " distribution, first_seen, last_seen) and references (uuid, referenced_uuid, relationship_type,"
                + " comment, timestamp).");
        d.put("version", "1.0.0");
        d.putArray("extension_types").add("property-extension");
        d.putArray("object_marking_refs").add(WellKnownMarkings.tlp2Id(Tlp.CLEAR));
        return d;
    }

    /** The identity of the extension's author. */
    static ObjectNode author() {
        ObjectNode a = Json.object();
        a.put("type", "identity");
        a.put("spec_version", "2.1");
        a.put("id", AUTHOR);
        a.put("created", DEFINED);
        a.put("modified", DEFINED);
        a.put("name", "Parley");
        a.put("identity_class", "system");
        a.putArray("object_marking_refs").add(WellKnownMarkings.tlp2Id(Tlp.CLEAR));
        return a;
    }

    /** Puts {@code fields} under {@code kind} in {@code stix}'s extension. */
    static void attach(ObjectNode stix, Kind kind, ObjectNode fields) {
        ObjectNode ext = stix.withObjectProperty("extensions").withObjectProperty(ID);
        ext.put("extension_type", "property-extension");
        ext.set(kind.property, fields);
    }

    /** The {@code kind} part of {@code stix}'s extension, when it carries one. */
    static Optional<JsonNode> of(JsonNode stix, Kind kind) {
        JsonNode n = stix.path("extensions").path(ID).path(kind.property);
        return n.isObject() ? Optional.of(n) : Optional.empty();
    }

    /** The scalars of {@code from} named in {@code fields}; over-long strings are left out. */
    static ObjectNode copy(JsonNode from, List<String> fields) {
        ObjectNode out = Json.object();
        for (String f : fields) {
            JsonNode v = from.get(f);
            if (v != null && (v.isBoolean() || v.isIntegralNumber() || v.isTextual() && v.textValue().length() <= MAX_TEXT)) {
                out.set(f, v);
            }
        }
        return out;
    }

    /** The names of a MISP {@code Tag} array, bounded, duplicates dropped, in order. */
    static List<String> tagNames(JsonNode tags) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode t : tags) {
            String name = t.path("name").asText("");
            if (!name.isBlank() && name.length() <= MAX_TAG_NAME && names.size() < MAX_TAGS) {
                names.add(name);
            }
        }
        return new ArrayList<>(names);
    }

    /** Adds {@code names} as {@code property} when there are any (STIX lists must not be empty). */
    static void putNames(ObjectNode o, String property, List<String> names) {
        if (!names.isEmpty()) {
            ArrayNode a = o.putArray(property);
            names.forEach(a::add);
        }
    }

    /** The MISP tag array for {@code names}. */
    static ArrayNode tags(List<String> names) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        names.forEach(n -> a.addObject().put("name", n));
        return a;
    }

    /** The names recorded in an extension's {@code tags} list. */
    static List<String> recordedTags(JsonNode part) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : part.path("tags")) {
            if (n.isTextual() && out.size() < MAX_TAGS) {
                out.add(n.textValue());
            }
        }
        return out;
    }

    /** A MISP {@code Galaxy} array's galaxies and clusters, scalars only and bounded, as the extension keeps them. */
    static ArrayNode galaxies(JsonNode galaxies) {
        return galaxies(galaxies, "GalaxyCluster", "clusters");
    }

    /** The MISP {@code Galaxy} array recorded by {@link #galaxies(JsonNode)}. */
    static ArrayNode restoreGalaxies(JsonNode recorded) {
        return galaxies(recorded, "clusters", "GalaxyCluster");
    }

    private static ArrayNode galaxies(JsonNode galaxies, String clustersIn, String clustersOut) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode g : galaxies) {
            if (!g.isObject() || out.size() >= MAX_GALAXIES) {
                continue;
            }
            ObjectNode galaxy = copy(g, GALAXY_FIELDS);
            ArrayNode clusters = Json.MAPPER.createArrayNode();
            for (JsonNode c : g.path(clustersIn)) {
                if (c.isObject() && clusters.size() < MAX_CLUSTERS) {
                    clusters.add(copy(c, CLUSTER_FIELDS));
                }
            }
            if (!clusters.isEmpty()) {
                galaxy.set(clustersOut, clusters);
            }
            out.add(galaxy);
        }
        return out;
    }

    /** The tag names of every galaxy cluster (e.g. {@code misp-galaxy:threat-actor="APT-X"}). */
    static List<String> clusterTags(JsonNode galaxies) {
        List<String> out = new ArrayList<>();
        for (JsonNode g : galaxies) {
            for (JsonNode c : g.path("clusters")) {
                String tag = c.path("tag_name").asText("");
                if (!tag.isBlank() && tag.length() <= MAX_TAG_NAME) {
                    out.add(tag);
                }
            }
        }
        return out;
    }
}
