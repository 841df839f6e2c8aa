package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertTrue;


import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import io.parley.fuzz.FuzzBudget;
import io.parley.json.Jcs;
import io.parley.json.Json;

/**
 * A MISP event as imported (POST /api/v1/evidence/misp): the edge's JSON reader, then {@link MispImport#convert}.
 * Contract: convert accepts or throws MispImport.NotAnEvent (422 invalid-misp), nothing else; what it produces is a valid STIX
 * 2.1 bundle with a canonical form, since the upload that follows would otherwise refuse the importer's own output.
 */
class MispImportFuzzTest {
    @FuzzTest(maxDuration = FuzzBudget.SUITE)
    void importEvent(byte[] input) {
        JsonNode misp;
        try {
            misp = Json.parse(input);
        } catch (IllegalArgumentException notJson) {
            return;
        }
        MispImport.Result r;
        try {
            r = MispImport.convert(misp);
        } catch (MispImport.NotAnEvent notAMispEvent) {
            return;
        }
        ValidationReport report = StixValidator.shared().validate(r.bundle());
        assertTrue(report.valid(), () -> "the importer's own bundle is invalid: " + report.violations());
        Jcs.canonicalize(r.bundle());
    }
}
