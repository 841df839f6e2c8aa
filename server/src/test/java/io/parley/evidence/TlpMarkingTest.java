package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TlpMarkingTest {
    private static final String INDICATOR = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    private static final String MALWARE = "malware--16f4f3f9-1b68-4abb-bb66-7639d49f1e30";
    private static final String RELATIONSHIP = "relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad";
    private static final String SIGHTING = "sighting--ee20065d-2555-424f-ad9e-0f8428623c75";
    private static final String CAMPAIGN = "campaign--0c7b5b88-8ff7-4a4d-aa9d-feb398cd0061";
    private static final String IDENTITY = "identity--f690c992-8e7d-4b9a-9303-3312616c0220";
    private static final String REPORT = "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3";
    private static final String STATEMENT = "marking-definition--d1e0c6a0-3d7c-4b7e-9a5e-7e4f2c8b1a93";

    @Test
    void eachTlp2MarkingDefinitionIdReadsAsItsLevel() {
        for (Tlp t : Tlp.values()) {
            assertEquals(Optional.of(t), TlpMarking.objectTlp(marked(WellKnownMarkings.tlp2Id(t))));
        }
    }

    @Test
    void tlp1MarkingsReadAsTheirTlp2EquivalentWithWhiteAsClear() {
        assertEquals(Optional.of(Tlp.CLEAR), TlpMarking.objectTlp(marked(WellKnownMarkings.TLP1_WHITE)));
        assertEquals(Optional.of(Tlp.GREEN), TlpMarking.objectTlp(marked(WellKnownMarkings.TLP1_GREEN)));
        assertEquals(Optional.of(Tlp.AMBER), TlpMarking.objectTlp(marked(WellKnownMarkings.TLP1_AMBER)));
        assertEquals(Optional.of(Tlp.RED), TlpMarking.objectTlp(marked(WellKnownMarkings.TLP1_RED)));
    }

    @Test
    void theOasisPublishedIdsArePinned() {
        // OASIS cti-stix-common-objects, TLP 2.0 marking definitions (created 2022-10-01)
        assertEquals("marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", WellKnownMarkings.tlp2Id(Tlp.CLEAR));
        assertEquals("marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", WellKnownMarkings.tlp2Id(Tlp.GREEN));
        assertEquals("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", WellKnownMarkings.tlp2Id(Tlp.AMBER));
        assertEquals("marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
                WellKnownMarkings.tlp2Id(Tlp.AMBER_STRICT));
        assertEquals("marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", WellKnownMarkings.tlp2Id(Tlp.RED));
        // STIX 2.1 §7.2.1.4 (and the official marking-definition.json schema): TLP 1.0
        assertEquals("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", WellKnownMarkings.TLP1_WHITE);
        assertEquals("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", WellKnownMarkings.TLP1_RED);
    }

    @Test
    void theStrictestOfSeveralMarkingsWins() {
        assertEquals(Optional.of(Tlp.AMBER_STRICT), TlpMarking.objectTlp(
                marked(WellKnownMarkings.TLP2_GREEN, WellKnownMarkings.TLP2_AMBER_STRICT, WellKnownMarkings.TLP1_AMBER)));
    }

    @Test
    void anUnmarkedObjectHasNoTlpAndNonTlpMarkingsAreIgnored() {
        assertEquals(Optional.empty(), TlpMarking.objectTlp(Json.object()));
        assertEquals(Optional.empty(), TlpMarking.effectiveTlp(marked(STATEMENT, WellKnownMarkings.PAP_RED)));
    }

    @Test
    void aGranularMarkingAppliesToItsSelectorAndEverythingBelowIt() {
        JsonNode campaign = object(base(), CAMPAIGN);
        assertEquals(Optional.of(Tlp.GREEN), TlpMarking.objectTlp(campaign));
        assertEquals(Optional.of(Tlp.RED), TlpMarking.tlpOf(campaign, "description"));
        assertEquals(Optional.of(Tlp.GREEN), TlpMarking.tlpOf(campaign, "name"));
        ObjectNode deep = Json.object();
        deep.putArray("granular_markings").addObject().put("marking_ref", WellKnownMarkings.TLP2_AMBER)
                .putArray("selectors").add("external_references.[0].url");
        assertEquals(Optional.of(Tlp.AMBER), TlpMarking.tlpOf(deep, "external_references"), "a descendant is content");
        assertEquals(Optional.of(Tlp.AMBER), TlpMarking.tlpOf(deep, "external_references.[0].url.x"));
        assertEquals(Optional.empty(), TlpMarking.tlpOf(deep, "external_references.[1].url"));
    }

    @Test
    void theEffectiveTlpOfAnObjectIsItsStrictestContent() {
        assertEquals(Optional.of(Tlp.RED), TlpMarking.effectiveTlp(object(base(), CAMPAIGN)));
    }

    @Test
    void theMostRestrictiveLabelOfABundleCountsGranularMarkings() {
        assertEquals(Optional.of(Tlp.RED), TlpMarking.mostRestrictive(base()));
        assertEquals(Optional.empty(), TlpMarking.mostRestrictive(
                Resources.json("evidence/examples/indicator-for-c2-ip-address.json")));
    }

    @Test
    void papIsReadFromTheOasisPapMarkingsWithWhiteAsClear() {
        assertEquals(Optional.of(Pap.AMBER), TlpMarking.effectivePap(marked(WellKnownMarkings.PAP_AMBER,
                WellKnownMarkings.PAP_GREEN, WellKnownMarkings.TLP2_RED)));
        assertEquals(Optional.of(Pap.CLEAR), TlpMarking.effectivePap(marked(WellKnownMarkings.PAP_WHITE)));
        assertEquals(Optional.empty(), TlpMarking.effectivePap(marked(WellKnownMarkings.TLP2_RED)));
        assertEquals(Optional.of(Pap.CLEAR), Pap.fromWire("WHITE"));
    }

    @Test
    void markingReplacesTheTlpAndKeepsOtherMarkings() {
        ObjectNode o = marked(WellKnownMarkings.TLP1_GREEN, WellKnownMarkings.PAP_RED);
        TlpMarking.mark(o, Tlp.AMBER_STRICT);
        assertEquals(List.of(WellKnownMarkings.TLP2_AMBER_STRICT, WellKnownMarkings.PAP_RED), refs(o, "object_marking_refs"));
    }

    @Test
    void redactingToGreenDropsTheAmberIndicatorItsRelationshipAndSightingAndTheRedCampaign() {
        ObjectNode out = TlpMarking.redact(base(), Tlp.GREEN, Tlp.GREEN);
        List<String> ids = ids(out);
        for (String gone : List.of(INDICATOR, RELATIONSHIP, SIGHTING, CAMPAIGN)) {
            assertFalse(ids.contains(gone), gone);
        }
        assertTrue(ids.containsAll(List.of(MALWARE, IDENTITY, REPORT, STATEMENT)), ids::toString);
        assertEquals(List.of(MALWARE), refs(object(out, REPORT), "object_refs"), "the report keeps what is left");
        assertTrue(StixValidator.shared().validate(out).valid(), () -> StixValidator.shared().validate(out).toString());
    }

    @Test
    void unmarkedObjectsCountAsRedByDefault() {
        ObjectNode out = TlpMarking.redact(base(), Tlp.AMBER);
        List<String> ids = ids(out);
        assertFalse(ids.contains(IDENTITY), "the unmarked identity is held back");
        assertTrue(ids.contains(STATEMENT), "marking definitions are metadata, CLEAR unless marked");
        assertFalse(object(out, MALWARE).has("created_by_ref"), "references to it are pruned");
        assertTrue(StixValidator.shared().validate(out).valid(), () -> StixValidator.shared().validate(out).toString());
    }

    @Test
    void aRedCeilingKeepsEverything() {
        assertEquals(base(), TlpMarking.redact(base(), Tlp.RED));
    }

    @Test
    void anObjectWhoseMarkingDefinitionIsWithheldIsWithheldToo() {
        ObjectNode bundle = base();
        TlpMarking.mark((ObjectNode) object(bundle, STATEMENT), Tlp.RED);
        ObjectNode out = TlpMarking.redact(bundle, Tlp.AMBER_STRICT, Tlp.CLEAR);
        assertFalse(ids(out).contains(STATEMENT));
        assertFalse(ids(out).contains(MALWARE), "never strip a marking: drop the object it marks");
        assertFalse(ids(out).contains(RELATIONSHIP), "and what hangs off it");
    }

    @Test
    void aReportLeftWithoutObjectsIsWithheld() {
        ObjectNode bundle = base();
        TlpMarking.mark((ObjectNode) object(bundle, MALWARE), Tlp.RED);
        TlpMarking.mark((ObjectNode) object(bundle, INDICATOR), Tlp.RED);
        ObjectNode out = TlpMarking.redact(bundle, Tlp.AMBER, Tlp.CLEAR);
        assertFalse(ids(out).contains(REPORT), () -> ids(out).toString());
        assertTrue(ids(out).contains(IDENTITY));
    }

    @Test
    void aTlpMarkingDefinitionShippedUnderAForeignIdIsStillHonoured() {
        ObjectNode bundle = base();
        String id = "marking-definition--7d2c1e4f-9a8b-4c3d-8e2f-1a0b9c8d7e6f";
        ((com.fasterxml.jackson.databind.node.ArrayNode) bundle.get("objects")).addObject()
                .put("type", "marking-definition").put("spec_version", "2.1").put("id", id)
                .put("created", "2017-01-20T00:00:00.000Z").put("definition_type", "tlp")
                .putObject("definition").put("tlp", "red");
        ((ObjectNode) object(bundle, MALWARE)).putArray("object_marking_refs").add(id);
        assertFalse(ids(TlpMarking.redact(bundle, Tlp.AMBER, Tlp.CLEAR)).contains(MALWARE));
    }

    @Test
    void redactionDoesNotChangeItsInput() {
        ObjectNode bundle = base();
        ObjectNode before = bundle.deepCopy();
        TlpMarking.redact(bundle, Tlp.CLEAR);
        assertEquals(before, bundle);
    }

    @Test
    void redactingSomethingThatIsNotABundleIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> TlpMarking.redact(Json.object(), Tlp.RED));
    }

    private static ObjectNode base() {
        return Resources.object("evidence/valid-base.json");
    }

    private static ObjectNode marked(String... refs) {
        ObjectNode o = Json.object();
        var arr = o.putArray("object_marking_refs");
        for (String r : refs) {
            arr.add(r);
        }
        return o;
    }

    static JsonNode object(JsonNode bundle, String id) {
        for (JsonNode o : bundle.get("objects")) {
            if (o.path("id").asText().equals(id)) {
                return o;
            }
        }
        throw new AssertionError("no " + id);
    }

    static List<String> ids(JsonNode bundle) {
        List<String> out = new ArrayList<>();
        bundle.get("objects").forEach(o -> out.add(o.path("id").asText()));
        return out;
    }

    private static List<String> refs(JsonNode o, String name) {
        List<String> out = new ArrayList<>();
        o.path(name).forEach(r -> out.add(r.asText()));
        return out;
    }
}
