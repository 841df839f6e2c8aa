package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.json.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GranularMarkingsTest {
    private static final String GREEN = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    private static final String INDICATOR = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

    private static ObjectNode bundle(String selector, String extraMarkingProperty) {
        return (ObjectNode) Json.parse("""
                {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
                  {"type": "indicator", "spec_version": "2.1", "id": "%s",
                   "created": "2016-04-06T20:03:48.000Z", "modified": "2016-04-06T20:03:48.000Z",
                   "name": "Poison Ivy", "indicator_types": ["malicious-activity", "attribution"],
                   "pattern": "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
                   "pattern_type": "stix", "valid_from": "2016-01-01T00:00:00Z",
                   "external_references": [{"source_name": "capec", "external_id": "CAPEC-163"}],
                   "granular_markings": [{"selectors": ["%s"], "marking_ref": "%s"%s}]}]}
                """.formatted(INDICATOR, selector, GREEN, extraMarkingProperty));
    }

    private static ValidationReport validate(String selector) {
        return StixValidator.shared().validate(bundle(selector, ""));
    }

    @Test
    void selectorsThatResolveAreAccepted() {
        for (String s : List.of("name", "id", "indicator_types.[1]", "external_references.[0]",
                "external_references.[0].external_id", "granular_markings.[0].selectors.[0]")) {
            assertTrue(validate(s).valid(), () -> s + ": " + validate(s).violations());
        }
    }

    @Test
    void aSelectorNamingNoPropertyIsRefusedNamingTheObjectAndTheSelector() {
        ValidationReport r = validate("no_such_property");
        assertEquals(List.of(new Violation("/objects/0/granular_markings/0/selectors/0",
                "granular marking selector 'no_such_property' on " + INDICATOR
                        + " selects nothing: 'no_such_property' is not a property of the object (STIX 2.1 §7.2.3.1)")),
                r.violations());
    }

    @Test
    void anIndexPastTheEndOfAListIsRefused() {
        ValidationReport r = validate("indicator_types.[2]");
        assertFalse(r.valid());
        assertTrue(r.violations().get(0).message().contains("[2] is past the end of 'indicator_types' (2 items)"),
                r.violations().toString());
        assertFalse(validate("external_references.[1].source_name").valid());
    }

    @Test
    void stepsMustMatchWhatTheyStepInto() {
        assertFalse(validate("external_references.source_name").valid(), "a property of a list");
        assertFalse(validate("external_references.[0].[0]").valid(), "an index into a dictionary");
        assertFalse(validate("name.first").valid(), "a property of a string");
        // The OASIS validator lets an index pick a character of a string; §7.2.3.1 indexes lists only.
        assertTrue(validate("name.[0]").violations().get(0).message().contains("'name' is not a list"));
    }

    @Test
    void aGranularMarkingWithBothMarkingRefAndLangIsRefused() {
        ValidationReport r = StixValidator.shared().validate(bundle("name", ", \"lang\": \"en\""));
        assertEquals(List.of("/objects/0/granular_markings/0"),
                r.violations().stream().map(Violation::jsonPath).toList());
        assertTrue(r.violations().get(0).message().contains("both marking_ref and lang"));
    }

    @Test
    void resolvingReportsTheFirstStepThatFails() {
        JsonNode o = bundle("name", "").get("objects").get(0);
        assertEquals(Optional.empty(), GranularMarkings.unresolved(o, "external_references.[0].source_name"));
        assertEquals(Optional.of("'x_missing' is not a property of 'external_references'.[0]"),
                GranularMarkings.unresolved(o, "external_references.[0].x_missing"));
    }

    @Test
    void overlapIsAncestryStepByStepNotByStringPrefix() {
        assertTrue(GranularMarkings.overlaps("external_references", "external_references.[1].url"));
        assertTrue(GranularMarkings.overlaps("external_references.[1].url", "external_references.[1]"));
        assertFalse(GranularMarkings.overlaps("external_references.[1]", "external_references.[10]"));
        assertFalse(GranularMarkings.overlaps("name", "name_alias"));
        assertFalse(GranularMarkings.overlaps("description", "name"));
    }
}
