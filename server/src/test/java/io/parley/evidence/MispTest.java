package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MispTest {
    private static final JsonNode EVENT = Resources.json("evidence/misp/event.json");

    /** The parts of a MISP attribute a round trip must keep. */
    record Attr(String uuid, String type, String category, String value, boolean toIds, String comment, String tlp) {
        static Attr of(JsonNode a) {
            String tlp = a.path("Tag").isArray() && !a.get("Tag").isEmpty() ? a.get("Tag").get(0).path("name").asText() : "";
            return new Attr(a.path("uuid").asText(), a.path("type").asText(), a.path("category").asText(),
                    a.path("value").asText(), a.path("to_ids").asBoolean(), a.path("comment").asText(), tlp);
        }
    }

    @Test
    void anImportedEventIsAValidStixBundle() {
        MispImport.Result r = MispImport.convert(EVENT);
        ValidationReport report = StixValidator.shared().validate(r.bundle());
        assertTrue(report.valid(), report::toString);
    }

    @Test
    void timesBeyondYear9999HaveNoStixSpellingAndCountAsMissing() {
        // found by MispImportFuzzTest: a 12-digit epoch (year 12777) and a signed date came out as five-digit years
        var event = (com.fasterxml.jackson.databind.node.ObjectNode) EVENT.deepCopy();
        var e = (com.fasterxml.jackson.databind.node.ObjectNode) event.get("Event");
        e.put("date", "+12345-01-15");
        ((com.fasterxml.jackson.databind.node.ObjectNode) e.get("Attribute").get(0)).put("timestamp", "341062565626");
        MispImport.Result r = MispImport.convert(event);
        ValidationReport report = StixValidator.shared().validate(r.bundle());
        assertTrue(report.valid(), report::toString);
        assertTrue(StixTime.spellable(java.time.Instant.parse("9999-12-31T23:59:59Z")));
        assertFalse(StixTime.spellable(java.time.Instant.parse("+10000-01-01T00:00:00Z")));
    }

    @Test
    void attributesWithoutAStixObjectTravelAsNotesAndOnlyMalformedOnesAreListed() {
        MispImport.Result r = MispImport.convert(EVENT);
        assertEquals(List.of(), r.skipped());
        JsonNode note = TlpMarkingTest.object(r.bundle(), "note--2f3a4b5c-6d7e-4f80-91a2-b3c4d5e6f708");
        assertEquals("free text is not an observable", note.get("content").asText());
        ObjectNode event = (ObjectNode) EVENT.deepCopy();
        ArrayNode attrs = (ArrayNode) event.get("Event").get("Attribute");
        attrs.addObject().put("type", "ip-dst");
        attrs.add("not an attribute");
        attrs.addObject().put("type", "text").put("value", "x".repeat(MispExtension.MAX_TEXT + 1));
        assertEquals(List.of("/Event/Attribute/12", "/Event/Attribute/13", "/Event/Attribute/14"),
                MispImport.convert(event).skipped());
    }

    @Test
    void theEventBecomesAReportByItsCreatorWithTheEventTlpAndPap() {
        ObjectNode bundle = MispImport.convert(EVENT).bundle();
        JsonNode report = TlpMarkingTest.object(bundle, "report--5e3b6c1a-7f2d-4c8e-9a1b-2d3e4f5a6b7c");
        assertEquals("Phishing wave against foreign-ministry staff", report.get("name").asText());
        assertEquals("2024-01-15T00:00:00.000Z", report.get("published").asText());
        assertEquals("identity--0b7d5f3c-2a1e-4d6f-8b9c-1e2f3a4b5c6d", report.get("created_by_ref").asText());
        assertEquals(Optional.of(Tlp.AMBER), TlpMarking.objectTlp(report));
        assertEquals(Optional.of(Pap.GREEN), TlpMarking.effectivePap(report));
        assertEquals("misp:threat-level=\"high\"", report.get("labels").get(0).asText());
    }

    @Test
    void toIdsAttributesBecomeIndicatorsAndTheRestObservedData() {
        ObjectNode bundle = MispImport.convert(EVENT).bundle();
        JsonNode ind = TlpMarkingTest.object(bundle, "indicator--5e6f7a8b-9c0d-4e1f-8a3b-4c5d6e7f8091");
        assertEquals("[url:value = 'https://login-mfa.example.net/owa/?a=\\'1\\'&b=2']", ind.get("pattern").asText());
        assertEquals("stix", ind.get("pattern_type").asText());
        assertEquals("lure with a 'quote'", ind.get("description").asText());
        JsonNode od = TlpMarkingTest.object(bundle, "observed-data--1e2f3a4b-5c6d-4e7f-8091-a2b3c4d5e6f7");
        JsonNode as = TlpMarkingTest.object(bundle, od.get("object_refs").get(0).asText());
        assertEquals("autonomous-system", as.get("type").asText());
        assertEquals(64496, as.get("number").asInt());
        assertEquals("hosting", od.get("x_misp_comment").asText());
        JsonNode ipv6 = TlpMarkingTest.object(bundle,
                TlpMarkingTest.object(bundle, "observed-data--2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e").get("object_refs").get(0).asText());
        assertEquals("ipv6-addr", ipv6.get("type").asText());
    }

    @Test
    void anAttributeTagIsHonouredWhenStricterThanTheEvent() {
        ObjectNode bundle = MispImport.convert(EVENT).bundle();
        JsonNode dropper = TlpMarkingTest.object(bundle, "indicator--8b9c0d1e-2f3a-4b4c-9d6e-7f8091a2b3c4");
        assertEquals(Optional.of(Tlp.RED), TlpMarking.objectTlp(dropper));
        assertEquals(Optional.of(Tlp.RED), TlpMarking.mostRestrictive(bundle));
        assertTrue(!TlpMarkingTest.ids(TlpMarking.redact(bundle, Tlp.AMBER)).contains(dropper.get("id").asText()));
    }

    @Test
    void everyTlpTagSpellingMapsToTlp2() {
        assertEquals(Optional.of(Tlp.CLEAR), MispImport.tlp(Json.parse("[{\"name\": \"tlp:white\"}]")));
        assertEquals(Optional.of(Tlp.CLEAR), MispImport.tlp(Json.parse("[{\"name\": \"TLP:CLEAR\"}]")));
        assertEquals(Optional.of(Tlp.AMBER_STRICT), MispImport.tlp(Json.parse("[{\"name\": \"tlp:amber+strict\"}]")));
        assertEquals(Optional.of(Tlp.RED), MispImport.tlp(Json.parse("[{\"name\": \"tlp:green\"}, {\"name\": \"tlp:red\"}]")));
        assertEquals(Optional.empty(), MispImport.tlp(Json.parse("[{\"name\": \"tlp:ex:chr\"}]")));
    }

    @Test
    void importIsDeterministic() {
        assertEquals(MispImport.convert(EVENT).bundle(), MispImport.convert(EVENT).bundle());
    }

    @Test
    void aMispRoundTripKeepsEveryConvertedAttribute() {
        ObjectNode back = MispExport.toMisp(MispImport.convert(EVENT).bundle());
        JsonNode e = back.get("Event");
        JsonNode original = EVENT.get("Event");
        assertEquals(original.get("info"), e.get("info"));
        assertEquals(original.get("date"), e.get("date"));
        assertEquals(original.get("uuid"), e.get("uuid"));
        assertEquals(original.get("threat_level_id"), e.get("threat_level_id"));
        assertEquals(original.get("Orgc"), e.get("Orgc"));
        assertEquals(List.of("tlp:amber", "PAP:GREEN", "misp-galaxy:threat-actor=\"APT-X\""), names(e.get("Tag")));

        Set<Attr> expected = new HashSet<>();
        original.get("Attribute").forEach(a -> expected.add(Attr.of(a)));
        original.get("Object").forEach(o -> o.get("Attribute").forEach(a -> expected.add(Attr.of(a))));
        Set<Attr> actual = new HashSet<>();
        e.get("Attribute").forEach(a -> actual.add(Attr.of(a)));
        e.get("Object").forEach(o -> o.get("Attribute").forEach(a -> actual.add(Attr.of(a))));
        assertEquals(expected, actual);
        assertEquals(original.get("Object").get(0).get("uuid"), e.get("Object").get(0).get("uuid"));
        assertEquals(original.get("Object").get(0).get("name"), e.get("Object").get(0).get("name"));
    }

    @Test
    void exportingABundleWithoutReportInfersTypes() {
        ObjectNode misp = MispExport.toMisp(Resources.json("evidence/examples/infrastructure.json"));
        JsonNode e = misp.get("Event");
        assertEquals("STIX bundle bundle--5330e3e3-8f58-4d21-9f4b-793a054c0d33", e.get("info").asText());
        assertEquals("2016-05-07", e.get("date").asText());
        List<String> pairs = new ArrayList<>();
        e.get("Attribute").forEach(a -> pairs.add(a.get("type").asText() + "=" + a.get("value").asText()
                + (a.get("to_ids").asBoolean() ? " ids" : "")));
        assertEquals(List.of("ip-dst=198.51.100.3", "domain=example.com"), pairs);
        ObjectNode indicators = MispExport.toMisp(Resources.json("evidence/examples/indicators-for-C2-with-COA.json"));
        List<String> ids = new ArrayList<>();
        indicators.get("Event").get("Attribute").forEach(a -> ids.add(a.get("type").asText() + " " + a.get("to_ids")));
        assertEquals(List.of("ip-dst true", "sha256 true"), ids);
    }

    @Test
    void anImportedEventSurvivesAStixToMispToStixRoundTripStillValid() {
        ObjectNode again = MispImport.convert(MispExport.toMisp(MispImport.convert(EVENT).bundle())).bundle();
        assertTrue(StixValidator.shared().validate(again).valid());
        assertEquals(Indicators.extract(MispImport.convert(EVENT).bundle()).stream().sorted(
                java.util.Comparator.comparing(Observable::toString)).toList(),
                Indicators.extract(again).stream().sorted(java.util.Comparator.comparing(Observable::toString)).toList());
    }

    @Test
    void stringToIdsAndMissingUuidsAreAccepted() {
        ObjectNode event = (ObjectNode) Json.parse("""
                {"Event": {"info": "minimal", "date": "2024-02-01", "Attribute": [
                  {"type": "domain", "category": "Network activity", "value": "Evil.Example", "to_ids": "1"},
                  {"type": "ip-src", "value": "not-an-ip", "to_ids": false}]}}""");
        MispImport.Result r = MispImport.convert(event);
        assertEquals(List.of(), r.skipped(), "a value invalid for its type travels as a note, not as an address");
        assertEquals("note", r.bundle().get("objects").get(2).get("type").asText());
        assertTrue(StixValidator.shared().validate(r.bundle()).valid(), () -> StixValidator.shared().validate(r.bundle()).toString());
        JsonNode ind = r.bundle().get("objects").get(1);
        assertEquals("[domain-name:value = 'evil.example']", ind.get("pattern").asText());
        assertEquals(r.bundle(), MispImport.convert(event).bundle(), "derived ids are stable too");
    }

    @Test
    void somethingThatIsNotAnEventIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MispImport.convert(Json.parse("{\"Attribute\": []}")));
        assertThrows(IllegalArgumentException.class,
                () -> MispImport.convert(Json.parse("{\"Event\": {\"info\": \"empty\"}}")));
    }

    @Test
    void oversizedEventsAreRefusedAndTheLargestAttachmentStillValidates() {
        ObjectNode big = (ObjectNode) Json.parse("{\"Event\": {\"info\": \"big\"}}");
        ArrayNode attrs = ((ObjectNode) big.get("Event")).putArray("Attribute");
        for (int i = 0; i <= MispImport.MAX_ATTRIBUTES; i++) {
            attrs.addObject().put("type", "text").put("value", "v" + i);
        }
        MispImport.NotAnEvent e = assertThrows(MispImport.NotAnEvent.class, () -> MispImport.convert(big));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());

        ObjectNode sample = (ObjectNode) Json.parse("""
                {"Event": {"info": "sample", "Attribute": [{"type": "malware-sample", "to_ids": true,
                  "value": "x.exe|0cc175b9c0f1b6a831c399e269772661"}]}}""");
        ((ObjectNode) sample.get("Event").get("Attribute").get(0)).put("data", "QUJD".repeat(MispStix.MAX_DATA / 4));
        MispImport.Result r = MispImport.convert(sample);
        assertTrue(StixValidator.shared().validate(r.bundle()).valid());
        assertEquals(MispStix.MAX_DATA, MispExport.toMisp(r.bundle()).get("Event").get("Attribute").get(0).get("data").asText().length());
    }

    @Test
    void plainStixExportsAsCompositeMispTypes() {
        ObjectNode bundle = (ObjectNode) Json.parse("""
                {"type": "bundle", "id": "bundle--0f3b7d2e-1c4a-4b5e-8f6a-7b8c9d0e1f2a", "objects": [
                 {"type": "file", "spec_version": "2.1", "id": "file--1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e",
                  "name": "drop.exe", "hashes": {"SHA-256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}},
                 {"type": "ipv4-addr", "spec_version": "2.1", "id": "ipv4-addr--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
                  "value": "198.51.100.9"},
                 {"type": "network-traffic", "spec_version": "2.1", "id": "network-traffic--3d4e5f6a-7b8c-4d9e-8f1a-2b3c4d5e6f70",
                  "dst_ref": "ipv4-addr--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f", "dst_port": 8443, "protocols": ["tcp"]},
                 {"type": "observed-data", "spec_version": "2.1", "id": "observed-data--4e5f6a7b-8c9d-4e0f-9a2b-3c4d5e6f7081",
                  "created": "2024-03-01T00:00:00.000Z", "modified": "2024-03-01T00:00:00.000Z", "first_observed": "2024-03-01T00:00:00.000Z",
                  "last_observed": "2024-03-01T00:00:00.000Z", "number_observed": 1,
                  "object_refs": ["network-traffic--3d4e5f6a-7b8c-4d9e-8f1a-2b3c4d5e6f70", "ipv4-addr--2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f"]},
                 {"type": "windows-registry-key", "spec_version": "2.1", "id": "windows-registry-key--5f6a7b8c-9d0e-4f1a-8b3c-4d5e6f708192",
                  "key": "HKEY_CURRENT_USER\\\\Software\\\\Run", "values": [{"name": "x", "data": "C:\\\\x.exe"}]},
                 {"type": "indicator", "spec_version": "2.1", "id": "indicator--6a7b8c9d-0e1f-4a2b-9c4d-5e6f708192a3",
                  "created": "2024-03-01T00:00:00.000Z", "modified": "2024-03-01T00:00:00.000Z", "pattern_type": "yara",
                  "pattern": "rule x { condition: true }", "valid_from": "2024-03-01T00:00:00.000Z"},
                 {"type": "vulnerability", "spec_version": "2.1", "id": "vulnerability--7b8c9d0e-1f2a-4b3c-8d5e-6f708192a3b4",
                  "created": "2024-03-01T00:00:00.000Z", "modified": "2024-03-01T00:00:00.000Z", "name": "CVE-2024-3400"}]}""");
        assertTrue(StixValidator.shared().validate(bundle).valid(), () -> StixValidator.shared().validate(bundle).toString());
        Set<String> got = new HashSet<>();
        MispExport.toMisp(bundle).get("Event").get("Attribute").forEach(a -> got.add(a.get("type").asText() + " "
                + a.get("value").asText() + (a.get("to_ids").asBoolean() ? " ids" : "")));
        assertEquals(Set.of("filename|sha256 drop.exe|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "ip-dst|port 198.51.100.9|8443", "regkey|value HKEY_CURRENT_USER\\Software\\Run|C:\\x.exe",
                "yara rule x { condition: true } ids", "vulnerability CVE-2024-3400"), got);
    }

    @Test
    void aForgedExtensionCannotLoosenTheTlpOrBreakTheExport() {
        ObjectNode bundle = MispImport.convert(EVENT).bundle();
        // the tlp:red sha256 attribute: its recorded tags now claim tlp:clear, its type and comment are not strings
        JsonNode dropper = TlpMarkingTest.object(bundle, "indicator--8b9c0d1e-2f3a-4b4c-9d6e-7f8091a2b3c4");
        ObjectNode recorded = (ObjectNode) dropper.get("extensions").get(MispExtension.ID).get("misp_attribute");
        recorded.putArray("tags").add("tlp:clear").add(7);
        recorded.putArray("comment").add("x");
        ObjectNode report = (ObjectNode) TlpMarkingTest.object(bundle, "report--5e3b6c1a-7f2d-4c8e-9a1b-2d3e4f5a6b7c")
                .get("extensions").get(MispExtension.ID).get("misp_event");
        report.putArray("info").add(1);
        report.putArray("galaxies").add("not a galaxy");
        JsonNode e = MispExport.toMisp(bundle).get("Event");
        assertEquals("Phishing wave against foreign-ministry staff", e.get("info").asText());
        JsonNode a = null;
        for (JsonNode x : e.get("Attribute")) {
            if (x.path("uuid").asText().equals("8b9c0d1e-2f3a-4b4c-9d6e-7f8091a2b3c4")) {
                a = x;
            }
        }
        assertEquals(List.of("tlp:red"), names(a.get("Tag")), "the marking, not the recorded tag, decides");
        assertFalse(a.has("comment"), "a comment that is not a string is not copied");
    }

    private static List<String> names(JsonNode tags) {
        List<String> out = new ArrayList<>();
        tags.forEach(t -> out.add(t.get("name").asText()));
        return out;
    }
}
