package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class StixValidatorTest {
    private static final StixValidator VALIDATOR = StixValidator.shared();
    private static final List<String> EXAMPLES = List.of("indicator-for-c2-ip-address.json",
            "indicator-to-campaign-relationship.json", "indicators-for-C2-with-COA.json", "infrastructure.json",
            "interop-objectmarking-test.json", "malicious-email-indicator-with-attachment.json");

    @TestFactory
    Stream<DynamicTest> everyOfficialExampleBundleValidates() {
        return EXAMPLES.stream()
                .filter(f -> Resources.json("evidence/examples/" + f).path("type").asText().equals("bundle"))
                .map(f -> DynamicTest.dynamicTest(f, () -> {
                    ValidationReport r = VALIDATOR.validate(Resources.json("evidence/examples/" + f));
                    assertTrue(r.valid(), () -> f + ": " + r.violations());
                }));
    }

    @Test
    void theExamplesIncludeFiveBundles() {
        long bundles = EXAMPLES.stream()
                .filter(f -> Resources.json("evidence/examples/" + f).path("type").asText().equals("bundle")).count();
        assertEquals(5, bundles);
    }

    /**
     * The OASIS interop example is a lone campaign, not a bundle, whose creator and second marking are defined
     * elsewhere: wrapped in a bundle it is refused for exactly those two references, and accepted once the caller
     * vouches for them as known ids.
     */
    @Test
    void theLoneInteropObjectValidatesInABundleOnceItsExternalReferencesAreKnown() {
        ObjectNode bundle = wrap(Resources.json("evidence/examples/interop-objectmarking-test.json"));
        ValidationReport alone = VALIDATOR.validate(bundle);
        assertEquals(Set.of("/objects/0/created_by_ref", "/objects/0/object_marking_refs/1"), pointers(alone));
        ValidationReport known = VALIDATOR.validate(bundle, Set.of("identity--f431f809-377b-45e0-aa1c-6a4751cae5ff",
                "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ec"));
        assertTrue(known.valid(), known::toString);
    }

    @Test
    void theHandMadeBaseBundleIsValid() {
        ValidationReport r = VALIDATOR.validate(Resources.json("evidence/valid-base.json"));
        assertTrue(r.valid(), r::toString);
    }

    @TestFactory
    Stream<DynamicTest> everyHandMadeInvalidBundleIsRejectedAtExactlyTheExpectedPointers() {
        JsonNode index = Resources.json("evidence/invalid/index.json");
        List<DynamicTest> tests = new ArrayList<>();
        index.properties().forEach(e -> tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
            ValidationReport r = VALIDATOR.validate(Resources.json("evidence/invalid/" + e.getKey()));
            assertFalse(r.valid(), e.getKey() + " was accepted");
            Set<String> expected = new TreeSet<>();
            e.getValue().forEach(p -> expected.add(p.asText()));
            assertEquals(expected, pointers(r), () -> e.getKey() + ": " + r.violations());
        })));
        return tests.stream();
    }

    @Test
    void atLeastTwentyInvalidBundlesAreIndexed() {
        assertTrue(Resources.json("evidence/invalid/index.json").size() >= 20);
    }

    @Test
    void anUnresolvedCreatorIsAcceptedWhenTheCallerKnowsIt() {
        JsonNode bundle = Resources.json("evidence/invalid/unresolved-created-by-ref.json");
        assertFalse(VALIDATOR.validate(bundle).valid());
        assertTrue(VALIDATOR.validate(bundle, Set.of("identity--7c1f0a7e-2b1d-4c4e-8f3a-5d6e7f809102")).valid());
    }

    @Test
    void wellKnownMarkingDefinitionsResolveWithoutBeingShipped() {
        for (String id : WellKnownMarkings.ids()) {
            ObjectNode bundle = Resources.object("evidence/examples/indicator-for-c2-ip-address.json");
            ((ObjectNode) bundle.get("objects").get(0)).putArray("object_marking_refs").add(id);
            ValidationReport r = VALIDATOR.validate(bundle);
            assertTrue(r.valid(), () -> id + ": " + r);
        }
    }

    @Test
    void theTlp2MarkingDefinitionObjectsThemselvesValidate() {
        ObjectNode bundle = wrap(Json.parse("""
                {"type": "marking-definition", "spec_version": "2.1",
                 "id": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
                 "created": "2022-10-01T00:00:00.000Z", "name": "TLP:AMBER+STRICT",
                 "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":
                   {"extension_type": "property-extension", "tlp_2_0": "amber+strict"}}}"""));
        ValidationReport r = VALIDATOR.validate(bundle);
        assertTrue(r.valid(), r::toString);
    }

    @Test
    void aCustomObjectGetsTheCoreChecksOnly() {
        ObjectNode bundle = wrap(Json.parse("""
                {"type": "x-parley-case-note", "spec_version": "2.1",
                 "id": "x-parley-case-note--2f5b1c4e-8d3a-4e6b-9c7d-1a2b3c4d5e6f",
                 "created": "2024-01-15T10:00:00.000Z", "modified": "2024-01-15T10:00:00.000Z",
                 "x_text": "anything", "x_count": 3}"""));
        assertTrue(VALIDATOR.validate(bundle).valid());
        ((ObjectNode) bundle.get("objects").get(0)).put("modified", "2024-01-14T10:00:00.000Z");
        assertEquals(Set.of("/objects/0/modified"), pointers(VALIDATOR.validate(bundle)));
    }

    @Test
    void aNonObjectBundleIsAViolationNotAnException() {
        assertEquals(Set.of(""), pointers(VALIDATOR.validate(Json.parse("[1, 2]"))));
        assertEquals(Set.of(""), pointers(VALIDATOR.validate(null)));
    }

    @Test
    void moreThanTenThousandObjectsIsAViolationNotAnException() {
        ObjectNode bundle = Resources.object("evidence/examples/indicator-for-c2-ip-address.json");
        ArrayNode objects = (ArrayNode) bundle.get("objects");
        JsonNode one = objects.get(0);
        for (int i = 0; i < StixValidator.MAX_OBJECTS; i++) {
            objects.add(one);
        }
        ValidationReport r = VALIDATOR.validate(bundle);
        assertEquals(Set.of("/objects"), pointers(r));
        assertTrue(r.violations().get(0).message().contains("too many objects"));
    }

    @Test
    void violationsComeInPointerOrderWithIndexesComparedAsNumbers() {
        ObjectNode bundle = Resources.object("evidence/valid-base.json");
        ArrayNode objects = (ArrayNode) bundle.get("objects");
        for (int i = 0; i < 12; i++) {
            ObjectNode copy = (ObjectNode) objects.get(4).deepCopy();
            copy.put("value", i); // not a string
            objects.add(copy);
        }
        ((ObjectNode) objects.get(2)).put("labels", "not an array");
        ValidationReport first = VALIDATOR.validate(bundle);
        ValidationReport second = VALIDATOR.validate(bundle);
        assertEquals(first, second);
        List<String> ps = first.violations().stream().map(Violation::jsonPath).toList();
        assertEquals("/objects/2/labels", ps.get(0));
        assertEquals("/objects/10/value", ps.get(1));
        assertEquals("/objects/21/value", ps.get(ps.size() - 1));
    }

    @Test
    void jsonPointerSegmentsAreEscaped() {
        ObjectNode bundle = Resources.object("evidence/valid-base.json");
        ((ObjectNode) bundle.get("objects").get(2)).putObject("x_odd/na~me").put("inner_ref", "identity--nope");
        ValidationReport r = VALIDATOR.validate(bundle);
        assertTrue(r.hasViolationAt("/objects/2/x_odd~1na~0me/inner_ref"), r::toString);
    }

    @Test
    void oneValidatorServesManyThreadsWithIdenticalReports() throws Exception {
        JsonNode good = Resources.json("evidence/valid-base.json");
        JsonNode bad = Resources.json("evidence/invalid/modified-before-created.json");
        ValidationReport expectedBad = VALIDATOR.validate(bad);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> VALIDATOR.validate(good).valid() && VALIDATOR.validate(bad).equals(expectedBad)));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A coarse guard, not the benchmark: a 1,000-object bundle of distinct objects must validate in well under a
     * second on a small CI machine (about 20-30 ms on the development machine).
     */
    @Test
    void aThousandObjectBundleValidatesQuickly() {
        ObjectNode base = Resources.object("evidence/valid-base.json");
        ObjectNode bundle = base.deepCopy();
        ArrayNode objects = bundle.putArray("objects");
        int i = 0;
        while (objects.size() < 1000) {
            ObjectNode o = (ObjectNode) base.get("objects").get(i++ % base.get("objects").size()).deepCopy();
            String type = o.get("type").asText();
            String oldId = o.get("id").asText();
            if (i > base.get("objects").size()) {
                o.put("id", type + "--" + java.util.UUID.nameUUIDFromBytes((oldId + i).getBytes()));
            }
            objects.add(o);
        }
        assertTrue(VALIDATOR.validate(bundle).valid(), () -> VALIDATOR.validate(bundle).violations().subList(0, 3).toString());
        for (int w = 0; w < 5; w++) {
            VALIDATOR.validate(bundle);
        }
        long start = System.nanoTime();
        for (int r = 0; r < 5; r++) {
            VALIDATOR.validate(bundle);
        }
        long perBundleMs = (System.nanoTime() - start) / 5 / 1_000_000;
        assertTrue(perBundleMs < 1000, "validating 1,000 objects took " + perBundleMs + " ms");
    }

    @Test
    void theSharedInstanceIsCompiledOnce() {
        assertSame(StixValidator.shared(), StixValidator.shared());
    }

    @Test
    void everyBundledSchemaDeclaresTheOasisIdItIsServedUnder() throws Exception {
        for (String dir : List.of("common/", "sdos/", "sros/", "observables/")) {
            List<String> types = switch (dir) {
                case "sdos/" -> StixSchemas.SDOS;
                case "sros/" -> StixSchemas.SROS;
                case "observables/" -> StixSchemas.SCOS;
                default -> List.of("core", "bundle", "marking-definition", "language-content", "extension-definition");
            };
            for (String t : types) {
                assertEquals(StixSchemas.ID_BASE + dir + t + ".json", StixSchemas.idOf(dir + t + ".json"));
            }
        }
    }

    @Test
    void theOfflineLoaderRefusesForeignAddresses() {
        var loader = new StixSchemas.OfflineLoader();
        var source = loader.getSchema(com.networknt.schema.AbsoluteIri.of("https://example.com/evil.json"));
        assertThrowsIo(source);
    }

    private static void assertThrowsIo(com.networknt.schema.resource.InputStreamSource source) {
        try {
            source.getInputStream();
        } catch (java.io.IOException expected) {
            assertTrue(expected.getMessage().contains("offline"));
            return;
        }
        throw new AssertionError("the offline loader opened a network address");
    }

    static ObjectNode wrap(JsonNode object) {
        ObjectNode bundle = Json.object();
        bundle.put("type", "bundle");
        bundle.put("id", "bundle--4a3c6f0e-1b2d-4e5f-8a9b-0c1d2e3f4a5b");
        bundle.putArray("objects").add(object);
        return bundle;
    }

    static Set<String> pointers(ValidationReport r) {
        Set<String> out = new TreeSet<>();
        r.violations().forEach(v -> out.add(v.jsonPath()));
        return out;
    }
}
