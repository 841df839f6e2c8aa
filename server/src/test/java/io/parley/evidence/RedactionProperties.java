package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Redaction is the last gate before data leaves a node, so its two promises are checked over random bundles: nothing
 * above the recipient's ceiling gets out, and what gets out never points at something that did not.
 */
class RedactionProperties {
    private static final String[] TLP_IDS = {WellKnownMarkings.TLP2_CLEAR, WellKnownMarkings.TLP2_GREEN,
            WellKnownMarkings.TLP2_AMBER, WellKnownMarkings.TLP2_AMBER_STRICT, WellKnownMarkings.TLP2_RED,
            WellKnownMarkings.TLP1_WHITE, WellKnownMarkings.TLP1_GREEN, WellKnownMarkings.TLP1_AMBER,
            WellKnownMarkings.TLP1_RED};

    @Property(tries = 300)
    void redactedOutputNeverContainsAnObjectAboveTheCeiling(@ForAll @IntRange(min = 1, max = 40) int size,
            @ForAll long seed, @ForAll Tlp ceiling, @ForAll Tlp unmarked) {
        ObjectNode out = TlpMarking.redact(randomBundle(size, seed), ceiling, unmarked);
        for (JsonNode o : out.get("objects")) {
            boolean definition = o.path("type").asText().endsWith("-definition");
            Tlp t = TlpMarking.effectiveTlp(o).orElse(definition ? Tlp.CLEAR : unmarked);
            assertFalse(t.exceeds(ceiling), () -> o + " is " + t + " above " + ceiling);
        }
    }

    @Property(tries = 300)
    void redactedOutputNeverHoldsADanglingReference(@ForAll @IntRange(min = 1, max = 40) int size,
            @ForAll long seed, @ForAll Tlp ceiling, @ForAll Tlp unmarked) {
        ObjectNode out = TlpMarking.redact(randomBundle(size, seed), ceiling, unmarked);
        Set<String> present = new HashSet<>(WellKnownMarkings.ids());
        out.get("objects").forEach(o -> present.add(o.get("id").asText()));
        List<String> refs = new ArrayList<>();
        out.get("objects").forEach(o -> collectRefs(o, refs));
        for (String r : refs) {
            assertTrue(present.contains(r), () -> "dangling " + r);
        }
    }

    @Property(tries = 150)
    void redactingAValidBundleLeavesAValidBundleOrNothing(@ForAll @IntRange(min = 1, max = 30) int size,
            @ForAll long seed, @ForAll Tlp ceiling, @ForAll Tlp unmarked) {
        ObjectNode in = randomBundle(size, seed);
        ValidationReport before = StixValidator.shared().validate(in);
        assertTrue(before.valid(), () -> "generator bug: " + before);
        ObjectNode out = TlpMarking.redact(in, ceiling, unmarked);
        if (!out.get("objects").isEmpty()) {
            ValidationReport after = StixValidator.shared().validate(out);
            assertTrue(after.valid(), after::toString);
        }
    }

    @Property(tries = 150)
    void redactionIsIdempotentAndMonotoneInTheCeiling(@ForAll @IntRange(min = 1, max = 30) int size,
            @ForAll long seed, @ForAll Tlp ceiling, @ForAll Tlp unmarked) {
        ObjectNode in = randomBundle(size, seed);
        ObjectNode once = TlpMarking.redact(in, ceiling, unmarked);
        assertEquals(once, TlpMarking.redact(once, ceiling, unmarked));
        if (ceiling != Tlp.RED) {
            Tlp wider = Tlp.values()[ceiling.ordinal() + 1];
            Set<String> more = new HashSet<>(TlpMarkingTest.ids(TlpMarking.redact(in, wider, unmarked)));
            assertTrue(more.containsAll(TlpMarkingTest.ids(once)), "a wider ceiling never shows less");
        }
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isArray()) {
            node.forEach(c -> collectRefs(c, out));
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().endsWith("_ref")) {
                    out.add(e.getValue().asText());
                } else if (e.getKey().endsWith("_refs")) {
                    e.getValue().forEach(r -> out.add(r.asText()));
                } else {
                    collectRefs(e.getValue(), out);
                }
            }
        }
    }

    /** A valid, self-contained bundle of {@code size} mixed objects with random markings and references. */
    static ObjectNode randomBundle(int size, long seed) {
        Random rnd = new Random(seed);
        ObjectNode bundle = Json.object();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--" + uuid(rnd));
        ArrayNode objects = bundle.putArray("objects");
        List<String> identities = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        List<String> sdos = new ArrayList<>();
        List<String> indicators = new ArrayList<>();
        List<String> scos = new ArrayList<>();
        List<String> observed = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int kind = rnd.nextInt(i < 3 ? 4 : 10);
            ObjectNode o = objects.addObject();
            switch (kind) {
                case 0 -> {
                    sdo(o, "identity", rnd).put("name", "org " + i).put("identity_class", "organization");
                    identities.add(o.get("id").asText());
                }
                case 1 -> {
                    o.put("type", "marking-definition").put("spec_version", "2.1").put("id", "marking-definition--" + uuid(rnd))
                            .put("created", "2024-01-01T00:00:00.000Z").put("definition_type", "statement")
                            .putObject("definition").put("statement", "terms " + i);
                    statements.add(o.get("id").asText());
                }
                case 2 -> {
                    sdo(o, "indicator", rnd).put("name", "ind " + i).put("pattern",
                            "[ipv4-addr:value = '198.51.100." + rnd.nextInt(256) + "']").put("pattern_type", "stix")
                            .put("valid_from", "2024-01-01T00:00:00.000Z").put("description", "why " + i);
                    indicators.add(o.get("id").asText());
                    sdos.add(o.get("id").asText());
                }
                case 3 -> {
                    sdo(o, "malware", rnd).put("name", "mal " + i).put("is_family", rnd.nextBoolean());
                    sdos.add(o.get("id").asText());
                }
                case 4 -> {
                    o.put("type", "ipv4-addr").put("spec_version", "2.1").put("id", "ipv4-addr--" + uuid(rnd))
                            .put("value", "203.0.113." + rnd.nextInt(256));
                    scos.add(o.get("id").asText());
                }
                case 5 -> {
                    if (scos.isEmpty()) {
                        objects.remove(objects.size() - 1);
                        continue;
                    }
                    sdo(o, "observed-data", rnd).put("first_observed", "2024-01-01T00:00:00.000Z")
                            .put("last_observed", "2024-01-02T00:00:00.000Z").put("number_observed", 1)
                            .set("object_refs", someOf(scos, rnd));
                    observed.add(o.get("id").asText());
                }
                case 6, 7 -> {
                    if (sdos.size() < 2) {
                        objects.remove(objects.size() - 1);
                        continue;
                    }
                    sdo(o, "relationship", rnd).put("relationship_type", "related-to")
                            .put("source_ref", pick(sdos, rnd)).put("target_ref", pick(sdos, rnd));
                }
                case 8 -> {
                    if (indicators.isEmpty()) {
                        objects.remove(objects.size() - 1);
                        continue;
                    }
                    sdo(o, "sighting", rnd).put("sighting_of_ref", pick(indicators, rnd));
                    if (!observed.isEmpty() && rnd.nextBoolean()) {
                        o.set("observed_data_refs", someOf(observed, rnd));
                    }
                    if (!identities.isEmpty() && rnd.nextBoolean()) {
                        o.set("where_sighted_refs", someOf(identities, rnd));
                    }
                }
                default -> {
                    List<String> all = new ArrayList<>(sdos);
                    all.addAll(scos);
                    if (all.isEmpty()) {
                        objects.remove(objects.size() - 1);
                        continue;
                    }
                    sdo(o, rnd.nextBoolean() ? "report" : "grouping", rnd).put("name", "case " + i)
                            .set("object_refs", someOf(all, rnd));
                    if (o.get("type").asText().equals("report")) {
                        o.put("published", "2024-01-03T00:00:00.000Z");
                    } else {
                        o.put("context", "suspicious-activity");
                    }
                }
            }
            mark(o, rnd, statements);
            if (!o.get("type").asText().equals("marking-definition") && !o.get("type").asText().equals("ipv4-addr")
                    && !identities.isEmpty() && rnd.nextInt(3) == 0) {
                o.put("created_by_ref", pick(identities, rnd));
            }
        }
        return bundle;
    }

    private static ObjectNode sdo(ObjectNode o, String type, Random rnd) {
        return o.put("type", type).put("spec_version", "2.1").put("id", type + "--" + uuid(rnd))
                .put("created", "2024-01-01T00:00:00.000Z").put("modified", "2024-01-02T00:00:00.000Z");
    }

    private static void mark(ObjectNode o, Random rnd, List<String> statements) {
        int how = rnd.nextInt(5);
        if (how == 0) {
            return; // unmarked
        }
        ArrayNode refs = o.putArray("object_marking_refs");
        refs.add(TLP_IDS[rnd.nextInt(TLP_IDS.length)]);
        if (!statements.isEmpty() && !o.get("type").asText().equals("marking-definition") && rnd.nextInt(3) == 0) {
            refs.add(pick(statements, rnd));
        }
        if (how == 4 && o.has("description")) {
            o.putArray("granular_markings").addObject().put("marking_ref", TLP_IDS[rnd.nextInt(TLP_IDS.length)])
                    .putArray("selectors").add("description");
        }
    }

    private static ArrayNode someOf(List<String> from, Random rnd) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        Set<String> chosen = new HashSet<>();
        int n = 1 + rnd.nextInt(Math.min(3, from.size()));
        while (chosen.size() < n) {
            chosen.add(pick(from, rnd));
        }
        chosen.stream().sorted().forEach(a::add);
        return a;
    }

    private static String pick(List<String> from, Random rnd) {
        return from.get(rnd.nextInt(from.size()));
    }

    private static String uuid(Random rnd) {
        byte[] b = new byte[16];
        rnd.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b);
        return new UUID(bb.getLong(), bb.getLong()).toString();
    }
}
