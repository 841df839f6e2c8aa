package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * MISP → Parley (STIX) → MISP over a corpus: the hand-made event with every type ({@code every-type.json}) and
 * seeded random events ({@link MispEvents}). Every bundle must validate; every attribute and object must come back
 * with what MISP said. Counts go to standard output for the closing note.
 */
class MispRoundTripTest {
    private static final int GENERATED = 60;

    /** What one attribute must keep. */
    record Attr(String type, String category, String value, boolean toIds, String comment, String timestamp,
            List<String> tags, String objectRelation) {
        static Attr of(JsonNode a) {
            List<String> tags = new ArrayList<>();
            a.path("Tag").forEach(t -> tags.add(t.path("name").asText()));
            return new Attr(a.path("type").asText(), a.path("category").asText(), a.path("value").asText(),
                    a.path("to_ids").asBoolean() || a.path("to_ids").asText().equals("1"), a.path("comment").asText(),
                    a.path("timestamp").asText(), tags, a.path("object_relation").asText());
        }
    }

    /** What one object must keep. */
    record Obj(String name, String metaCategory, String templateUuid, String templateVersion, String comment,
            String timestamp, Set<String> attributeUuids, Set<String> references) {
        static Obj of(JsonNode o) {
            Set<String> attrs = new HashSet<>();
            o.path("Attribute").forEach(a -> attrs.add(a.path("uuid").asText()));
            Set<String> refs = new HashSet<>();
            o.path("ObjectReference").forEach(r -> refs.add(r.path("uuid").asText() + " " + r.path("relationship_type").asText()
                    + " " + r.path("referenced_uuid").asText() + " " + r.path("comment").asText()));
            return new Obj(o.path("name").asText(), o.path("meta-category").asText(), o.path("template_uuid").asText(),
                    o.path("template_version").asText(), o.path("comment").asText(), o.path("timestamp").asText(), attrs, refs);
        }
    }

    private static final class Counts {
        int events;
        int attributesIn;
        int attributesKept;
        int objectsIn;
        int objectsKept;
        final Set<String> typesSeen = new HashSet<>();
    }

    @Test
    void everyTypeHandMadeAndEveryGeneratedEventComesBackWhole() {
        Counts c = new Counts();
        roundTrip(Resources.json("evidence/misp/every-type.json"), c);
        roundTrip(Resources.json("evidence/misp/event.json"), c);
        for (long seed = 1; seed <= GENERATED; seed++) {
            roundTrip(new MispEvents(seed).event(5 + (int) (seed % 40), (int) (seed % 6)), c);
        }
        System.out.printf("MISP round trip: %d events; attributes in %d, kept %d; objects in %d, kept %d;"
                + " %d distinct attribute types%n", c.events, c.attributesIn, c.attributesKept, c.objectsIn, c.objectsKept,
                c.typesSeen.size());
        assertEquals(c.attributesIn, c.attributesKept);
        assertEquals(c.objectsIn, c.objectsKept);
        assertTrue(c.typesSeen.containsAll(MispEvents.allTypes()), "the corpus covers every type");
    }

    private static void roundTrip(JsonNode original, Counts c) {
        MispImport.Result r = MispImport.convert(original);
        ValidationReport report = StixValidator.shared().validate(r.bundle());
        assertTrue(report.valid(), report::toString);
        assertEquals(List.of(), r.skipped());
        JsonNode in = original.get("Event");
        JsonNode out = MispExport.toMisp(r.bundle()).get("Event");
        c.events++;

        for (String f : List.of("uuid", "info", "date", "timestamp", "published", "analysis", "threat_level_id", "distribution")) {
            assertEquals(in.get(f), out.get(f), f);
        }
        assertEquals(names(in.get("Tag")), names(out.get("Tag")), "event tags, tlp:white included");
        assertEquals(clusters(in.path("Galaxy")), clusters(out.path("Galaxy")));

        Map<String, Attr> want = new HashMap<>();
        Map<String, Obj> wantObjects = new HashMap<>();
        in.path("Attribute").forEach(a -> want.put(a.get("uuid").asText(), Attr.of(a)));
        in.path("Object").forEach(o -> {
            wantObjects.put(o.get("uuid").asText(), Obj.of(o));
            o.path("Attribute").forEach(a -> want.put(a.get("uuid").asText(), Attr.of(a)));
        });
        Map<String, Attr> got = new HashMap<>();
        Map<String, Obj> gotObjects = new HashMap<>();
        out.path("Attribute").forEach(a -> got.put(a.get("uuid").asText(), Attr.of(a)));
        out.path("Object").forEach(o -> {
            gotObjects.put(o.get("uuid").asText(), Obj.of(o));
            o.path("Attribute").forEach(a -> got.put(a.get("uuid").asText(), Attr.of(a)));
        });
        c.attributesIn += want.size();
        c.objectsIn += wantObjects.size();
        for (var e : want.entrySet()) {
            assertEquals(e.getValue(), got.get(e.getKey()), "attribute " + e.getKey());
            c.attributesKept++;
            c.typesSeen.add(e.getValue().type());
        }
        assertEquals(want.keySet(), got.keySet());
        for (var e : wantObjects.entrySet()) {
            assertEquals(e.getValue(), gotObjects.get(e.getKey()), "object " + e.getKey());
            c.objectsKept++;
        }
        in.path("Attribute").forEach(a -> {
            if (a.has("data")) {
                assertEquals(a.get("data"), find(out, a.get("uuid").asText()).get("data"), "attachment content");
            }
        });
    }

    @Test
    void exportFollowsTheMarkingsNotARecordedTag() {
        JsonNode original = Resources.json("evidence/misp/every-type.json");
        ObjectNode bundle = MispImport.convert(original).bundle();
        JsonNode reportObj = bundle.get("objects").get(0);
        assertEquals(java.util.Optional.of(Tlp.CLEAR), TlpMarking.objectTlp(reportObj), "tlp:white is TLP:CLEAR inside Parley");
        // a holder re-marks the report AMBER after import: the recorded tlp:white must not come back
        TlpMarking.mark((ObjectNode) reportObj, Tlp.AMBER);
        JsonNode out = MispExport.toMisp(bundle).get("Event");
        assertEquals(List.of("PAP:GREEN", "osint:source-type=\"blog-post\"", "tlp:amber"), names(out.get("Tag")));
        // redaction to GREEN drops the tlp:red attributes, and references to them are dropped too
        JsonNode green = MispExport.toMisp(TlpMarking.redact(MispImport.convert(original).bundle(), Tlp.GREEN)).get("Event");
        Set<String> uuids = new HashSet<>();
        green.path("Attribute").forEach(a -> uuids.add(a.get("uuid").asText()));
        assertTrue(!uuids.contains(original.get("Event").get("Attribute").get(0).get("uuid").asText()), "tlp:red attribute");
        green.path("Object").forEach(o -> o.path("ObjectReference").forEach(
                r -> assertTrue(!r.get("referenced_uuid").asText().equals(original.get("Event").get("Attribute").get(0).get("uuid").asText()))));
    }

    @Test
    void compositeTypesSplitIntoStixParts() {
        ObjectNode bundle = MispImport.convert(Resources.json("evidence/misp/every-type.json")).bundle();
        Map<String, JsonNode> byType = new HashMap<>();
        bundle.get("objects").forEach(o -> byType.putIfAbsent(o.get("type").asText() + (o.has("name") ? ":" + o.get("name").asText() : ""), o));
        JsonNode file = null;
        for (JsonNode o : bundle.get("objects")) {
            if (o.get("type").asText().equals("file") && o.path("name").asText().equals("file-sha256.bin")) {
                file = o;
            }
        }
        assertTrue(file != null, "filename|sha256 is a file with its name");
        assertEquals(64, file.get("hashes").get("SHA-256").asText().length());
        assertTrue(byType.containsKey("network-traffic"), "ip|port is network traffic");
        assertTrue(byType.containsKey("vulnerability:CVE-2024-3400"));
        assertTrue(byType.containsKey("grouping:file"), "a MISP object is a grouping");
        assertTrue(byType.containsKey("relationship"), "object references are relationships");
        assertTrue(byType.containsKey("extension-definition:Parley MISP fidelity"));
    }

    private static JsonNode find(JsonNode event, String uuid) {
        for (JsonNode a : event.path("Attribute")) {
            if (a.path("uuid").asText().equals(uuid)) {
                return a;
            }
        }
        throw new AssertionError("no attribute " + uuid);
    }

    private static List<String> names(JsonNode tags) {
        List<String> out = new ArrayList<>();
        tags.forEach(t -> out.add(t.get("name").asText()));
        return out;
    }

    private static Set<String> clusters(JsonNode galaxies) {
        Set<String> out = new HashSet<>();
        galaxies.forEach(g -> g.path("GalaxyCluster").forEach(cl -> out.add(g.path("uuid").asText() + " "
                + g.path("type").asText() + " " + cl.path("uuid").asText() + " " + cl.path("tag_name").asText())));
        return out;
    }
}
