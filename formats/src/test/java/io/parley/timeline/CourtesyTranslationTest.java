package io.parley.timeline;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.TimelineJson;
import io.parley.charter.Charter;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;

/**
 * Courtesy translations as the pure timeline reads them: which count, next to which original, and what a dishonest
 * member can sign that must count for nothing (these envelopes skip the acceptor, as a forged bundle would).
 */
class CourtesyTranslationTest {
    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    final SigningKey a = SigningKey.generate("cert-a.example"), b = SigningKey.generate("cert-b.example"), c = SigningKey.generate("mfa-c.example");
    final Charter charter = DecisionTimelineTest.charter(a, b, c);
    final Map<String, Long> seqs = new HashMap<>();
    final Map<String, String> prevs = new HashMap<>();
    final List<CaseTimeline.Item> items = new ArrayList<>();
    final String caseId = CaseIds.newId("cert-a.example", T0);

    Envelope send(SigningKey from, String channel, String caseId, Kind kind, Duration after, Tlp tlp, ObjectNode body) {
        long seq = seqs.merge(from.name() + channel, 1L, Long::sum);
        Envelope e = EnvelopeSigner.sign(new Envelope(1, channel, from.name(), seq, prevs.get(from.name() + channel), kind, caseId,
                T0.plus(after).toString(), Priority.FLASH, tlp, body, null), from);
        prevs.put(from.name() + channel, e.hash());
        items.add(new CaseTimeline.Item(e, e.hash()));
        return e;
    }

    Envelope request(Tlp tlp, ObjectNode extra) {
        ObjectNode body = Json.object().put("type", "mitigation").put("summary", "C2 server in your AS").put("asked", "Sinkhole 203.0.113.7").put("lang", "en");
        body.setAll(extra);
        return send(a, "tri", caseId, Kind.REQUEST, Duration.ZERO, tlp, body);
    }

    static ObjectNode translation(String of, String lang, String text) {
        ObjectNode body = Json.object();
        body.putObject(CourtesyTranslation.MEMBER).put("of", of).put("lang", lang).put("text", text);
        return body;
    }

    Envelope translate(SigningKey by, Envelope of, String lang, String text, Tlp tlp, Duration after) {
        return send(by, "tri", caseId, Kind.UPDATE, after, tlp, translation(of.hash(), lang, text));
    }

    CaseTimeline timeline() {
        return CaseTimeline.of(caseId, items, charter).orElseThrow();
    }

    List<CourtesyTranslation> of(Envelope e) {
        return timeline().events().stream().filter(x -> x.hash().equals(e.hash())).findFirst().orElseThrow().translations();
    }

    @Test
    void translationsShowBesideTheOriginalAttributedToTheirSignersAndNeverReplaceIt() {
        Envelope req = request(Tlp.AMBER, Json.object());
        Envelope ru = translate(b, req, "ru", "C2-сервер в вашей AS. Просим поместить 203.0.113.7 в sinkhole.", Tlp.AMBER, Duration.ofMinutes(5));
        Envelope fr = translate(c, req, "fr", "Serveur C2 dans votre AS.", Tlp.AMBER, Duration.ofMinutes(6));
        CaseTimeline t = timeline();
        assertEquals("C2 server in your AS", t.summary(), "the original stays the case's text");
        List<CourtesyTranslation> shown = of(req);
        assertEquals(List.of(ru.hash(), fr.hash()), shown.stream().map(CourtesyTranslation::hash).toList(), "several, in the order signed");
        assertEquals("cert-b.example", shown.get(0).by(), "a translation is its signer's, not the original's author's");
        assertEquals("ru", shown.get(0).lang());
        // the translation's own event carries no text and no translation of its own
        assertTrue(t.events().stream().filter(e -> e.hash().equals(ru.hash())).findFirst().orElseThrow().translations().isEmpty());
        // a translation is no response: b and c have neither acknowledged nor answered
        assertNull(t.ackedAt());
        assertTrue(t.responses().isEmpty(), t.responses().toString());
        assertEquals(DeadlineStatus.MISSED, t.ackStatus(T0.plus(Duration.ofHours(1))));
        // the JSON every node and the verifier compare lists them under the original, never authoritative
        var event = TimelineJson.facts(t).path("events").get(0);
        assertEquals("C2 server in your AS", event.path("summary").asText());
        assertEquals("cert-b.example", event.path("translations").get(0).path("by").asText());
        assertFalse(event.path("translations").get(0).path("authoritative").asBoolean(true));
        assertFalse(TimelineJson.facts(t).path("events").get(1).has("translations"), "only where there are any, so older bundles still verify");
    }

    @Test
    void aTranslationThatBreaksARuleIsOnRecordAndShownNowhere() {
        Envelope req = request(Tlp.AMBER, Json.object());
        Envelope ack = send(b, "tri", caseId, Kind.ACK, Duration.ofMinutes(1), Tlp.AMBER, Json.object().put("decision", "accept"));
        translate(c, req, "en", "C2 server in your AS", Tlp.AMBER, Duration.ofMinutes(2)); // the original's language
        translate(c, req, "en-GB", "C2 server in your AS", Tlp.AMBER, Duration.ofMinutes(3)); // the same language, another region
        translate(c, ack, "ru", "Принято", Tlp.AMBER, Duration.ofMinutes(4)); // an ack without free text
        translate(c, req, "ru", "Зелёный перевод жёлтого текста", Tlp.GREEN, Duration.ofMinutes(5)); // weaker marking
        // of an envelope of another case, and one in another channel with this case id
        String other = CaseIds.newId("cert-a.example", T0.plusSeconds(1));
        Envelope elsewhere = send(a, "tri", other, Kind.NOTIFY, Duration.ZERO, Tlp.AMBER, Json.object().put("summary", "another case").put("lang", "en"));
        Envelope otherChannel = send(a, "bi", caseId, Kind.NOTIFY, Duration.ZERO, Tlp.AMBER, Json.object().put("summary", "same id, other channel").put("lang", "en"));
        send(c, "tri", caseId, Kind.UPDATE, Duration.ofMinutes(6), Tlp.AMBER, translation(elsewhere.hash(), "ru", "другое дело"));
        send(c, "tri", caseId, Kind.UPDATE, Duration.ofMinutes(7), Tlp.AMBER, translation(otherChannel.hash(), "ru", "другой канал"));
        // shapes the inbox refuses: another translator claimed, an ack, an extra member, a bad tag
        ObjectNode claimed = translation(req.hash(), "ru", "перевод");
        ((ObjectNode) claimed.get(CourtesyTranslation.MEMBER)).put("by", "cert-b.example");
        Envelope byOther = send(c, "tri", caseId, Kind.UPDATE, Duration.ofMinutes(8), Tlp.AMBER, claimed);
        Envelope inAck = send(c, "tri", caseId, Kind.ACK, Duration.ofMinutes(9), Tlp.AMBER, translation(req.hash(), "ru", "перевод"));
        ObjectNode extra = translation(req.hash(), "ru", "перевод").put("text", "a second text beside it");
        Envelope withText = send(c, "tri", caseId, Kind.UPDATE, Duration.ofMinutes(10), Tlp.AMBER, extra);
        Envelope badTag = send(c, "tri", caseId, Kind.UPDATE, Duration.ofMinutes(11), Tlp.AMBER, translation(req.hash(), "not a tag", "перевод"));
        for (Envelope e : List.of(byOther, inAck, withText, badTag)) {
            assertThrows(EnvelopeFormatException.class, () -> CourtesyTranslation.read(e, e.hash()), e.body().toString());
        }
        CaseTimeline t = timeline();
        assertTrue(t.events().stream().allMatch(e -> e.translations().isEmpty()), "none counts: " + t.events());
        assertEquals(List.of("cert-b.example"), List.copyOf(t.responses().keySet()), "c's translations are no response either");
    }

    @Test
    void aRedMessageIsTranslatedOnlyByThoseWhoHoldItAndAsRed() {
        Envelope req = request(Tlp.RED, Json.object().set("recipients", Json.MAPPER.createArrayNode().add("cert-b.example")));
        translate(c, req, "ru", "c never held this text", Tlp.RED, Duration.ofMinutes(1));
        translate(b, req, "ru", "перевод, но зелёный", Tlp.GREEN, Duration.ofMinutes(2));
        Envelope ok = translate(b, req, "ru", "C2-сервер в вашей AS", Tlp.RED, Duration.ofMinutes(3));
        assertEquals(List.of(ok.hash()), of(req).stream().map(CourtesyTranslation::hash).toList());
        assertEquals(CourtesyTranslation.Fault.NOT_A_HOLDER, CourtesyTranslation.refusal(req, caseId, "tri", "mfa-c.example", Tlp.RED, "ru").orElseThrow());
        assertEquals(CourtesyTranslation.Fault.WEAKER_MARKING, CourtesyTranslation.refusal(req, caseId, "tri", "cert-b.example", Tlp.AMBER, "ru").orElseThrow());
    }

    @Test
    void languageTagsAreBcp47() {
        for (String ok : List.of("ru", "en", "zh-Hans", "ar-EG", "sr-Latn-RS", "fr")) assertTrue(CourtesyTranslation.validLang(ok), ok);
        for (String bad : List.of("", "r", "not a tag", "ru_RU", "ru-", "x".repeat(40))) assertFalse(CourtesyTranslation.validLang(bad), bad);
    }
}
