package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.parley.fuzz.FuzzBudget;

/**
 * STIX 2.1 patterns from other parties (an indicator's {@code pattern}), parsed by the OASIS grammar with Parley's
 * length and depth caps. Contract: {@link StixPatterns#parse} never throws (a bad pattern is a violation in the
 * report) and never recurses out of the stack; correlation ({@link Indicators#fromPattern}) never throws. Round trip:
 * any string written as a pattern literal with {@link StixPatterns#literal} (how Parley writes indicators for
 * observables) parses back to exactly that string.
 */
class StixPatternFuzzTest {
    @FuzzTest(maxDuration = FuzzBudget.SUITE)
    void pattern(byte[] input) {
        String pattern = new String(input, StandardCharsets.UTF_8);
        StixPatterns.Parsed parsed = StixPatterns.parse(pattern);
        assertTrue(parsed.problem().isPresent() || !parsed.comparisons().isEmpty(), "a valid pattern compares something");
        Indicators.fromPattern(pattern);
        if (pattern.length() > StixPatterns.MAX_LENGTH - 64) return;
        String written = "[ipv4-addr:value = " + StixPatterns.literal(pattern) + "]";
        StixPatterns.Parsed back = StixPatterns.parse(written);
        assertEquals(List.of(new StixPatterns.Comparison("ipv4-addr", "value", "=", List.of(pattern))), back.comparisons(),
                "a literal does not read back: " + back.problem().orElse(""));
    }
}
