package io.parley.evidence;

import static io.parley.evidence.ObservableType.ASN;
import static io.parley.evidence.ObservableType.DOMAIN;
import static io.parley.evidence.ObservableType.EMAIL;
import static io.parley.evidence.ObservableType.IPV4;
import static io.parley.evidence.ObservableType.IPV6;
import static io.parley.evidence.ObservableType.MD5;
import static io.parley.evidence.ObservableType.SHA1;
import static io.parley.evidence.ObservableType.SHA256;
import static io.parley.evidence.ObservableType.URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.json.Json;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IndicatorsTest {
    private static Observable o(ObservableType t, String v) {
        return new Observable(t, v);
    }

    @Test
    void observablesComeFromScosInBundleOrder() {
        var bundle = Json.parse("""
                {"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [
                  {"type": "ipv4-addr", "id": "ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956", "value": "198.51.100.3"},
                  {"type": "ipv6-addr", "id": "ipv6-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b957", "value": "2001:DB8:0:0:0:0:0:1"},
                  {"type": "domain-name", "id": "domain-name--1e4ffad7-0b88-41d4-ba4d-77d27490b958", "value": "Example.COM."},
                  {"type": "url", "id": "url--1e4ffad7-0b88-41d4-ba4d-77d27490b959", "value": "HTTPS://WWW.Example.com/Path?Q=A"},
                  {"type": "email-addr", "id": "email-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b95a", "value": "Duty@CERT-A.example"},
                  {"type": "autonomous-system", "id": "autonomous-system--1e4ffad7-0b88-41d4-ba4d-77d27490b95b", "number": 64496},
                  {"type": "file", "id": "file--1e4ffad7-0b88-41d4-ba4d-77d27490b95c", "hashes": {
                    "MD5": "D41D8CD98F00B204E9800998ECF8427E",
                    "SHA-1": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
                    "SHA-256": "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                    "SHA-512": "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"}},
                  {"type": "ipv4-addr", "id": "ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b95d", "value": "198.051.100.003"}
                ]}""");
        assertEquals(List.of(o(IPV4, "198.51.100.3"), o(IPV6, "2001:db8::1"), o(DOMAIN, "example.com"),
                o(URL, "https://www.example.com/Path?Q=A"), o(EMAIL, "duty@cert-a.example"), o(ASN, "AS64496"),
                o(MD5, "d41d8cd98f00b204e9800998ecf8427e"), o(SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
                o(SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")),
                Indicators.extract(bundle), "the duplicate IPv4 collapses onto the first");
    }

    @Test
    void simplePatternsYieldTheirValues() {
        assertEquals(List.of(o(IPV4, "203.0.113.7")), Indicators.fromPattern("[ipv4-addr:value = '203.0.113.7']"));
        assertEquals(List.of(o(SHA256, "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c")),
                Indicators.fromPattern(
                        "[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']"));
        assertEquals(List.of(o(MD5, "d41d8cd98f00b204e9800998ecf8427e")),
                Indicators.fromPattern("[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']"));
        assertEquals(List.of(o(ASN, "AS64496")), Indicators.fromPattern("[autonomous-system:number = 64496]"));
    }

    @Test
    void aDomainsResolvedAddressIsCorrelatedAsWhatItIs() {
        // MISP's domain|ip comes in as this pattern: the address is named only through resolves_to_refs
        assertEquals(List.of(o(DOMAIN, "evil.example"), o(IPV4, "203.0.113.9")),
                Indicators.fromPattern("[domain-name:value = 'evil.example' AND domain-name:resolves_to_refs[*].value = '203.0.113.9']"));
        assertEquals(List.of(o(IPV6, "2001:db8::9"), o(DOMAIN, "cdn.example")),
                Indicators.fromPattern("[domain-name:resolves_to_refs[0].value = '2001:DB8::9' OR domain-name:resolves_to_refs[1].value = 'cdn.example']"));
        assertEquals(List.of(), Indicators.fromPattern("[domain-name:resolves_to_refs[*].id = 'ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956']"),
                "an id is not an observable");
    }

    @Test
    void orAndAndInCombinationsYieldEveryEqualityValue() {
        String pattern = "([domain-name:value = 'evil.example' OR url:value = 'http://evil.example/x'] AND "
                + "[ipv6-addr:value IN ('2001:db8::1', '2001:0db8::2')]) FOLLOWEDBY "
                + "[email-addr:value = 'a@evil.example'] WITHIN 600 SECONDS";
        assertEquals(List.of(o(DOMAIN, "evil.example"), o(URL, "http://evil.example/x"), o(IPV6, "2001:db8::1"),
                o(IPV6, "2001:db8::2"), o(EMAIL, "a@evil.example")), Indicators.fromPattern(pattern));
    }

    @Test
    void negatedAndFuzzyComparisonsAreNotObservables() {
        assertEquals(List.of(), Indicators.fromPattern("[ipv4-addr:value != '203.0.113.7']"));
        assertEquals(List.of(), Indicators.fromPattern("[ipv4-addr:value NOT = '203.0.113.7']"));
        assertEquals(List.of(), Indicators.fromPattern("[domain-name:value LIKE '%.evil.example']"));
        assertEquals(List.of(), Indicators.fromPattern("[url:value MATCHES '^http://']"));
        assertEquals(List.of(), Indicators.fromPattern("[ipv4-addr:value ISSUBSET '198.51.100.0/24']"));
    }

    @Test
    void syntaxInsideAStringLiteralIsNotAComparison() {
        assertEquals(List.of(), Indicators.fromPattern(
                "[email-message:subject = 'see ipv4-addr:value = \\'203.0.113.9\\' now']"));
    }

    @Test
    void escapedQuotesInLiteralsAreUnescaped() {
        assertEquals(List.of(o(URL, "http://x.example/it's")),
                Indicators.fromPattern("[url:value = 'http://x.example/it\\'s']"));
    }

    @Test
    void referencedAddressesInNetworkTrafficAndEmailPatternsCount() {
        assertEquals(List.of(o(IPV4, "192.0.2.10"), o(DOMAIN, "c2.example"), o(EMAIL, "boss@corp.example")),
                Indicators.fromPattern("[network-traffic:dst_ref.value = '192.0.2.10' AND "
                        + "network-traffic:src_ref.value = 'C2.example'] OR "
                        + "[email-message:from_ref.value = 'Boss@corp.example']"));
    }

    @Test
    void invalidValuesAreDropped() {
        assertEquals(List.of(), Indicators.fromPattern("[ipv4-addr:value = '999.1.1.1']"));
        assertEquals(List.of(), Indicators.fromPattern("[file:hashes.MD5 = 'abc']"));
        assertEquals(List.of(), Indicators.fromPattern("[domain-name:value = 'not a domain']"));
    }

    @Test
    void theOfficialExamplesYieldTheirIndicators() {
        assertEquals(List.of(o(IPV4, "10.0.0.0"),
                o(SHA256, "ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c")),
                Indicators.extract(Resources.json("evidence/examples/indicators-for-C2-with-COA.json")));
        assertEquals(List.of(o(IPV4, "198.51.100.3"), o(DOMAIN, "example.com")),
                Indicators.extract(Resources.json("evidence/examples/infrastructure.json")));
        assertEquals(List.of(), Indicators.extract(
                Resources.json("evidence/examples/malicious-email-indicator-with-attachment.json")), "MATCHES only");
    }

    @Test
    void nonStixPatternsAreLeftAlone() {
        var bundle = Json.parse("""
                {"objects": [{"type": "indicator", "pattern_type": "snort",
                  "pattern": "alert tcp any any -> [ipv4-addr:value = '203.0.113.7']"}]}""");
        assertEquals(List.of(), Indicators.extract(bundle));
    }

    @ParameterizedTest
    @CsvSource({
        "IPV4, 010.000.000.001, 10.0.0.1",
        "IPV4, 192.0.2.0/24, 192.0.2.0/24",
        "IPV4, 192.0.2.1/32, 192.0.2.1",
        "IPV6, 2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "IPV6, 2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "IPV6, 1:0:0:1:0:0:1:1, 1::1:0:0:1:1",
        "IPV6, ::, ::",
        "IPV6, ::1, ::1",
        "IPV6, ::ffff:192.0.2.1, ::ffff:192.0.2.1",
        "IPV6, 2001:db8::/32, 2001:db8::/32",
        "IPV6, 2001:db8::1/128, 2001:db8::1",
        "IPV6, 2001:db8:1:2:3:4:5:0, 2001:db8:1:2:3:4:5:0",
        "DOMAIN, WWW.Example.ORG., www.example.org",
        "DOMAIN, bücher.example, xn--bcher-kva.example",
        "DOMAIN, _dmarc.example.com, _dmarc.example.com",
        "URL, HTTP://User@Example.COM:8080/A?B#C, http://User@example.com:8080/A?B#C",
        "EMAIL, John.Doe@Example.COM, john.doe@example.com",
        "MD5, D41D8CD98F00B204E9800998ECF8427E, d41d8cd98f00b204e9800998ecf8427e",
        "ASN, as64496, AS64496",
        "ASN, AS 64496, AS64496",
        "ASN, 4294967295, AS4294967295",
    })
    void valuesAreNormalisedForCorrelation(ObservableType type, String raw, String expected) {
        assertEquals(Optional.of(new Observable(type, expected)), Observable.of(type, raw));
    }

    @ParameterizedTest
    @CsvSource({
        "IPV4, 1.2.3", "IPV4, 256.1.1.1", "IPV4, 1.2.3.4/33", "IPV4, 1.2.3.-4", "IPV4, ١.2.3.4",
        "IPV6, 1:2:3:4:5:6:7:8:9", "IPV6, 1::2::3", "IPV6, fe80::1%eth0", "IPV6, 12345::", "IPV6, ::ｆ",
        "IPV6, 1:2:3:4:5:6:7", "DOMAIN, a..b", "DOMAIN, -lead.example", "URL, not a url", "URL, http://",
        "EMAIL, no-at-sign", "EMAIL, @example.com", "SHA1, abc", "SHA256, zz", "ASN, AS", "ASN, 4294967296",
    })
    void invalidValuesAreRejected(ObservableType type, String raw) {
        assertEquals(Optional.empty(), Observable.of(type, raw));
    }

    @Test
    void patternsAreParsedWithTheOfficialGrammar() {
        assertTrue(StixPatterns.problem("[ipv4-addr:value = '1.2.3.4']").isEmpty());
        assertTrue(StixPatterns.problem(
                "[email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']").isEmpty());
        assertTrue(StixPatterns.problem("([a:b = 'x]'] AND [c:d = 1]) REPEATS 5 TIMES").isEmpty());
        assertTrue(StixPatterns.problem("[ipv4-addr:value = '1.2.3.4'").isPresent());
        assertTrue(StixPatterns.problem("[a:b = 'x] OR [c:d = 'y']").isPresent());
        assertTrue(StixPatterns.problem("[[a:b = 'x']]").isPresent());
        assertTrue(StixPatterns.problem("[no comparison]").isPresent());
        assertTrue(StixPatterns.problem("([a:b = 'x']").isPresent());
        assertTrue(StixPatterns.problem("").isPresent());
    }

    @Test
    void theScoForAnObservableCarriesTheDeterministicStixId() {
        // The stix2 reference library gives ipv4-addr--dc63603e-e634-5357-b239-d4b562bc5445 for 177.60.40.7.
        var sco = StixObservables.sco(new Observable(IPV4, "177.60.40.7"));
        assertEquals("ipv4-addr--dc63603e-e634-5357-b239-d4b562bc5445", sco.get("id").asText());
        assertEquals("[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
                StixObservables.pattern(new Observable(SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709")));
        assertEquals("[url:value = 'http://x.example/it\\'s']",
                StixObservables.pattern(new Observable(URL, "http://x.example/it's")));
    }

    @Test
    void uuid5FollowsRfc4122() {
        // RFC 4122 Appendix C DNS namespace; the widely published vector uuid5(DNS, "python.org").
        var dns = java.util.UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        assertEquals("886313e1-3b8a-5372-9b90-0c9aee199e5d",
                StixIds.uuid5(dns, "python.org".getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
    }
}
