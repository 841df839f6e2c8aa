package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** STIX 2.1 patterns under the official OASIS grammar: what the OASIS validator accepts and refuses, and the caps. */
class StixPatternsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "[file:size = 1280]",
        "[file:size >= 1024]",
        "[file:extended_properties.'ntfs-ext'.sid = '234']",
        "[file:name MATCHES '^Final Report.+\\\\.exe$' OR email-addr:value MATCHES '.+\\\\@example\\\\.com$']",
        "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
        "[ipv4-addr:value NOT ISSUBSET '198.51.100.0/24']",
        "[user-account:value = 'Peter'] AND [user-account:value != 'Paul'] WITHIN 5 SECONDS",
        "[file:name IN ('a.txt', 'b.exe')]",
        "[file:size IN (1024, 2048)]",
        "[x_custom:detected == t'2018-03-22T12:11:14.1Z']",
        "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=']",
        "[foo:bar=1] REPEATS 9 TIMES",
        "( [(network-traffic:dst_port IN(443,6443) AND network-traffic:src_packets != 0) ])",
        "([win-registry-key:key = 'hklm\\\\foo']) WITHIN 5 SECONDS WITHIN 6 SECONDS",
        "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        "[a:b = 1] FOLLOWEDBY [c:d = 2] START t'2016-06-01T01:30:00Z' STOP t'2016-06-01T02:20:00Z'",
        "[email-message:to_refs[*].value = 'x@example.com' AND EXISTS email-message:subject]",
    })
    void patternsTheOasisValidatorAcceptsAreAccepted(String pattern) {
        assertEquals(Optional.empty(), StixPatterns.problem(pattern), pattern);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[ipv4-addr:value '1.2.3.4']",                  // no operator
        "[ipv4-addr:value = '1.2.3.4'] AND",            // trailing AND
        "[ipv4-addr:value = foo]",                       // a bare word as a value
        "[a:b = 'x'] WITHIN -5 SECONDS",                 // negative WITHIN
        "[a:b = 'x'] WITHIN 5 HOURS",                    // SECONDS is the only unit
        "file:size = 1280",                              // no brackets
        "[file:size = ]",
        "[file.size = 1280]",
        "[file:hashes.MD5 =? 'cead3f77f6cda6ec00f57d76c9a6879f']",
        "[x:detected = t'2457-73-22T32:81:84.1Z']",
        "[artifact:payload_bin = b'====']",
        "[foo:bar=1] within 2 seconds",
        "[file:hashes.'SHA-256' = 'f00']",
        "[a:b = 'x'] WITHIN 5 SECONDS WITHIN 6 SECONDS",
        "([a:b = 'x'] REPEATS 2 TIMES REPEATS 3 TIMES)",
        "[a:b = 'unterminated]",
    })
    void patternsTheOasisValidatorRejectsAreRejected(String pattern) {
        assertTrue(StixPatterns.problem(pattern).isPresent(), pattern);
    }

    @Test
    void aRejectionSaysWhereAndWhat() {
        assertEquals(Optional.of("at offset 17: unexpected \"'1.2.3.4'\""), StixPatterns.problem("[ipv4-addr:value '1.2.3.4']"));
        assertEquals(Optional.of("at offset 21: unexpected \"HOURS\" (expected 'SECONDS')"), StixPatterns.problem("[a:b = 'x'] WITHIN 5 HOURS"));
        assertTrue(StixPatterns.problem("[ipv4-addr:value = '1.2.3.4'] AND").orElseThrow().contains("unexpected end of the pattern"));
        assertTrue(StixPatterns.problem("[a:b = 'x'] WITHIN -5 SECONDS").orElseThrow().startsWith("at offset 19: unexpected \"-5\""));
    }

    @Test
    void comparisonsComeOutOfTheTreeWithPathsAndValues() {
        List<StixPatterns.Comparison> cs = StixPatterns.comparisons("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'"
                + " OR email-message:to_refs[*].value = 'it''s' ] FOLLOWEDBY [ipv4-addr:value NOT IN ('192.0.2.1', '192.0.2.2') AND autonomous-system:number = +64496]");
        assertEquals(List.of(), cs, "'it''s' is not a literal: the whole pattern is refused");
        cs = StixPatterns.comparisons("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f'"
                + " OR email-message:to_refs[*].value = 'it\\'s' ] FOLLOWEDBY [ipv4-addr:value NOT IN ('192.0.2.1', '192.0.2.2') AND autonomous-system:number = +64496]");
        assertEquals(List.of(
                new StixPatterns.Comparison("file", "hashes.SHA-256", "=", List.of("aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f")),
                new StixPatterns.Comparison("email-message", "to_refs[*].value", "=", List.of("it's")),
                new StixPatterns.Comparison("ipv4-addr", "value", "NOT IN", List.of("192.0.2.1", "192.0.2.2")),
                new StixPatterns.Comparison("autonomous-system", "number", "=", List.of("64496"))), cs);
    }

    @Test
    void longOperatorChainsParseWithoutRecursion() {
        StringBuilder p = new StringBuilder("[ipv4-addr:value = '192.0.2.0'");
        while (p.length() < StixPatterns.MAX_LENGTH - 64) p.append(" AND ipv4-addr:value = '192.0.2.1'");
        p.append(']');
        assertEquals(Optional.empty(), StixPatterns.problem(p.toString()));
        assertTrue(StixPatterns.comparisons(p.toString()).size() > 400);
        StringBuilder obs = new StringBuilder("[a:b = 1]");
        while (obs.length() < StixPatterns.MAX_LENGTH - 64) obs.append(" OR [a:b = 1]");
        assertEquals(Optional.empty(), StixPatterns.problem(obs.toString()));
    }

    @Test
    void oversizedOrDeeplyNestedPatternsAreRefusedBeforeParsing() {
        String huge = "[a:b = '" + "x".repeat(StixPatterns.MAX_LENGTH) + "']";
        assertTrue(StixPatterns.problem(huge).orElseThrow().contains("at most " + StixPatterns.MAX_LENGTH), StixPatterns.problem(huge).toString());
        String deep = "(".repeat(3000) + "[a:b = 1]" + ")".repeat(3000);
        assertTrue(StixPatterns.problem(deep).orElseThrow().contains("nest deeper than " + StixPatterns.MAX_DEPTH), StixPatterns.problem(deep).toString());
        String atCap = "(".repeat(StixPatterns.MAX_DEPTH - 1) + "[a:b = 1]" + ")".repeat(StixPatterns.MAX_DEPTH - 1);
        assertEquals(Optional.empty(), StixPatterns.problem(atCap));
        // brackets inside string literals are text, not nesting
        assertEquals(Optional.empty(), StixPatterns.problem("[a:b = '" + "(".repeat(500) + "']"));
    }
}
