package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import io.parley.envelope.Tlp;
import io.parley.fuzz.FuzzBudget;
import io.parley.json.Jcs;
import io.parley.json.JcsException;
import io.parley.json.Json;

/**
 * A STIX bundle as uploaded (POST /api/v1/evidence, TAXII add, evidence in a peer's envelope): the edge's JSON
 * reader, then {@link StixValidator}, and for a valid bundle what the node does next without a database (JCS for its
 * id, markings, correlation, MISP and IODEF export). Contract: the validator reports, never throws (its class
 * comment); a valid bundle can be canonicalized (or JcsException, a 4xx), marked, indexed and exported without an
 * exception; redacting it keeps it a bundle the validator can read.
 */
class StixBundleFuzzTest {
    private static final IodefExport.CaseMetadata CASE = new IodefExport.CaseMetadata("case-1", "cert-a.example", "fuzz",
            Instant.parse("2026-11-30T00:00:00Z"), new IodefExport.Contact("duty officer", "duty@cert-a.example"));

    @FuzzTest(maxDuration = FuzzBudget.SUITE)
    void upload(byte[] input) {
        JsonNode bundle;
        try {
            bundle = Json.parse(input);
        } catch (IllegalArgumentException notJson) {
            return;
        }
        ValidationReport report = StixValidator.shared().validate(bundle);
        if (!report.valid()) return; // 422 with the violations
        try {
            Jcs.canonicalize(bundle);
        } catch (JcsException noCanonicalForm) {
            return;
        }
        Map<String, Tlp> local = MarkingPolicy.localMarkings(bundle);
        for (JsonNode o : bundle.path("objects")) {
            MarkingPolicy.tlpOf(o, local, Tlp.AMBER);
            MarkingPolicy.tlpInMessage(o, local, Tlp.GREEN);
        }
        for (Observable o : Indicators.extract(bundle)) assertEquals(o, Observable.of(o.type(), o.value()).orElseThrow());
        MispExport.toMisp(bundle);
        IodefExport.toXml(bundle, CASE);
        StixValidator.shared().validate(MarkingPolicy.redact(bundle, o -> MarkingPolicy.tlpOf(o, local, Tlp.AMBER) != Tlp.RED));
    }
}
