package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Parley's verdict on every bundle of the parity corpus ({@code stix-parity/}, see its PROVENANCE.md) against the
 * verdict the OASIS validator gave when it was run on the same file ({@code oasis-verdicts.json}).
 *
 * <p>They must agree, except where the corpus metadata names a deliberate strictness ({@code parley_stricter}): the
 * OASIS validator accepted the bundle and Parley must refuse it, for that reason and no other.
 */
class StixParityTest {
    private static final String ROOT = "stix-parity/";
    private static final JsonNode VERDICTS = Resources.json(ROOT + "oasis-verdicts.json");

    /** Each deliberate strictness and words Parley's violation message must contain (what it refuses, not why). */
    private static final Map<String, String> STRICTER = Map.of(
            "spec-version", "spec_version",
            "unresolved-reference", "does not resolve",
            "reference-type", "must reference an object of type identity",
            "selector-index-into-string", "is not a list",
            "granular-lang-and-marking-ref", "both marking_ref and lang");

    @TestFactory
    Stream<DynamicTest> parleyAgreesWithTheOasisValidatorOnEveryCorpusBundle() {
        return files().stream().map(f -> DynamicTest.dynamicTest(f.path("file").asText(), () -> {
            String file = f.path("file").asText();
            ValidationReport report = StixValidator.shared().validate(Resources.json(ROOT + "bundles/" + file));
            boolean oasisValid = f.path("oasis").path("valid").asBoolean();
            String stricter = f.path("parley_stricter").asText(null);
            if (stricter == null) {
                assertEquals(oasisValid, report.valid(), () -> file + ": OASIS said " + (oasisValid ? "valid" : "invalid "
                        + f.path("oasis").path("errors")) + ", Parley said " + report.violations());
                return;
            }
            assertTrue(oasisValid, file + " is listed as stricter, so OASIS must have accepted it");
            String says = STRICTER.get(stricter);
            assertNotNull(says, "unknown strictness " + stricter);
            assertFalse(report.valid(), file + " must be refused (" + stricter + ")");
            for (Violation v : report.violations()) {
                assertTrue(v.message().contains(says), () -> file + ": refused for something other than " + stricter
                        + ": " + v);
            }
        }));
    }

    @Test
    void theCorpusHoldsAtLeastAHundredBundlesWithBothVerdictsAndEveryStrictness() {
        List<JsonNode> files = files();
        assertTrue(files.size() >= 100, "corpus size " + files.size());
        long valid = files.stream().filter(f -> f.path("oasis").path("valid").asBoolean()).count();
        assertTrue(valid >= 30 && files.size() - valid >= 30, valid + " valid of " + files.size());
        Set<String> seen = new TreeSet<>();
        files.forEach(f -> {
            if (f.has("parley_stricter")) {
                seen.add(f.get("parley_stricter").asText());
            }
        });
        assertEquals(new TreeSet<>(STRICTER.keySet()), seen);
    }

    @Test
    void everyInvalidVerdictCarriesTheOasisMessages() {
        for (JsonNode f : files()) {
            if (!f.path("oasis").path("valid").asBoolean()) {
                assertFalse(f.path("oasis").path("errors").isEmpty(), f.path("file").asText());
            }
        }
    }

    private static List<JsonNode> files() {
        List<JsonNode> out = new ArrayList<>();
        VERDICTS.path("files").forEach(out::add);
        return out;
    }
}
