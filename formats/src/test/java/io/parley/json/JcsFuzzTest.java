package io.parley.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;

import io.parley.fuzz.FuzzBudget;

/**
 * RFC 8785 canonicalization of hostile JSON (what every signature and envelope id is computed over). Contract: the
 * strict parser and the canonicalizer accept or throw {@link JcsException}; the HTTP edge's reader
 * ({@link Json#parse(byte[])}) accepts or throws IllegalArgumentException. Properties: the canonical form is a fixed
 * point (parse, canonicalize, parse, canonicalize gives the same bytes), and the edge's reader and JCS's reader agree
 * on every document both accept, so an envelope's hash does not depend on which of them read it.
 */
class JcsFuzzTest {
    @FuzzTest(maxDuration = FuzzBudget.SUITE)
    void canonicalFormIsAFixedPoint(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        JsonNode atEdge = null;
        try {
            atEdge = Json.parse(input);
        } catch (IllegalArgumentException notJson) {
            // the edge answers 400 malformed-json
        }
        byte[] canonical;
        try {
            canonical = Jcs.canonicalize(Jcs.parse(text));
        } catch (JcsException noCanonicalForm) {
            if (atEdge != null && !atEdge.isMissingNode()) {
                try {
                    Jcs.canonicalize(atEdge); // documented exception only; the edge turns it into a 4xx
                } catch (JcsException expected) {
                    // fine
                }
            }
            return;
        }
        String canonicalText = new String(canonical, StandardCharsets.UTF_8);
        assertArrayEquals(canonical, Jcs.canonicalize(canonicalText), "canonical form is not a fixed point");
        assertArrayEquals(canonical, Jcs.canonicalize(Json.parse(canonical)), "the edge reads the canonical form differently");
        if (atEdge != null && FuzzBudget.strictUtf8(input).isPresent()) {
            assertArrayEquals(canonical, Jcs.canonicalize(atEdge), "the edge's reader and JCS's reader disagree");
        }
    }
}
