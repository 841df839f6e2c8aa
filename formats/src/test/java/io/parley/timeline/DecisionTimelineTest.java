package io.parley.timeline;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.TimelineJson;
import io.parley.charter.Charter;
import io.parley.charter.Level;
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
 * Answer decisions as the pure timeline reads them: what moves a party's answer deadline, what stops it, and what a
 * dishonest member can sign that must move nothing (these envelopes skip the acceptor, as a forged bundle would).
 */
class DecisionTimelineTest {
    static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    static final Duration ANSWER = Duration.ofHours(4);
    final SigningKey a = SigningKey.generate("cert-a.example"), b = SigningKey.generate("cert-b.example"), c = SigningKey.generate("mfa-c.example");
    final Charter charter = charter(a, b, c);
    final Map<String, Long> seqs = new HashMap<>();
    final Map<String, String> prevs = new HashMap<>();
    final List<CaseTimeline.Item> items = new ArrayList<>();
    final String caseId = CaseIds.newId("cert-a.example", T0);

    static Charter charter(SigningKey... keys) {
        Map<Priority, Charter.Deadlines> d = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) d.put(p, new Charter.Deadlines(Duration.ofMinutes(15), ANSWER));
        List<Charter.Member> members = new ArrayList<>();
        for (SigningKey k : keys) members.add(new Charter.Member(k.name(), k.verifierKey(), "http://127.0.0.1:9/" + k.name()));
        return new Charter("tri", "test", Level.OPERATIONAL, members, d, Tlp.RED, List.of());
    }

    Envelope send(SigningKey from, Kind kind, Duration after, Tlp tlp, ObjectNode body) {
        long seq = seqs.merge(from.name(), 1L, Long::sum);
        Envelope e = EnvelopeSigner.sign(new Envelope(1, "tri", from.name(), seq, prevs.get(from.name()), kind, caseId, T0.plus(after).toString(),
                Priority.FLASH, tlp, body, null), from);
        prevs.put(from.name(), e.hash());
        items.add(new CaseTimeline.Item(e, e.hash()));
        return e;
    }

    void open() {
        send(a, Kind.REQUEST, Duration.ZERO, Tlp.AMBER, Json.object().put("type", "mitigation").put("summary", "C2 in your AS").put("asked", "sinkhole"));
    }

    Envelope ack(SigningKey from, Duration after, ObjectNode body) {
        return send(from, Kind.ACK, after, Tlp.AMBER, body);
    }

    static ObjectNode decline(String code, String reason) {
        ObjectNode o = Json.object().put("decision", "decline");
        if (code != null) o.put("reason_code", code);
        if (reason != null) o.put("reason", reason).put("lang", "ru");
        return o;
    }

    static ObjectNode defer(Instant until) {
        return Json.object().put("decision", "defer").put("until", until.toString()).put("reason", "waiting for the prosecutor").put("lang", "en");
    }

    CaseTimeline timeline() {
        return CaseTimeline.of(caseId, items, charter).orElseThrow();
    }

    @Test
    void declineInTimeStopsThatPartysAnswerDeadlineAndIsNeverAMiss() {
        open();
        ack(b, Duration.ofMinutes(5), decline("outside-jurisdiction", "Адрес вне нашей юрисдикции"));
        CaseTimeline t = timeline();
        Instant late = T0.plus(Duration.ofDays(2));
        assertEquals(DeadlineStatus.DECLINED, t.answerStatusOf("cert-b.example", late));
        assertEquals(DeadlineStatus.MISSED, t.answerStatusOf("mfa-c.example", late), "c never answered: its miss stands");
        assertEquals(DeadlineStatus.MISSED, t.answerStatus(late), "one addressed party still owed an answer");
        assertEquals(CaseState.ACKNOWLEDGED, t.state());
        Decision d = t.responses().get("cert-b.example").decision();
        assertEquals(Decision.Choice.DECLINE, d.choice());
        assertEquals(ReasonCode.OUTSIDE_JURISDICTION, d.reasonCode());
        assertEquals("Адрес вне нашей юрисдикции", d.reason());
        assertEquals("ru", d.lang());
    }

    @Test
    void everyAddressedPartyDecliningMakesTheRequestDeclinedUntilOneChangesItsMind() {
        open();
        ack(b, Duration.ofMinutes(5), decline("legal-obstacle", null));
        ack(c, Duration.ofMinutes(6), decline(null, "Нужен запрос по линии МВД"));
        CaseTimeline t = timeline();
        assertEquals(CaseState.DECLINED, t.state());
        assertEquals("declined", t.state().wire());
        assertEquals(DeadlineStatus.DECLINED, t.answerStatus(T0.plus(Duration.ofDays(1))));
        // c accepts after all: its deadline runs again from where it was, and the case is no longer declined
        ack(c, Duration.ofMinutes(30), Json.object().put("decision", "accept"));
        t = timeline();
        assertEquals(CaseState.ACKNOWLEDGED, t.state());
        assertEquals(DeadlineStatus.PENDING, t.answerStatusOf("mfa-c.example", T0.plus(Duration.ofHours(1))));
        assertEquals(DeadlineStatus.MISSED, t.answerStatusOf("mfa-c.example", T0.plus(Duration.ofHours(5))));
        assertEquals(Kind.ACK, t.events().get(3).kind());
        assertTrue(t.events().get(2).summary().startsWith("decline: \"Нужен запрос"), "every decision stays on record: " + t.events());
    }

    @Test
    void deferMovesThatPartysDeadlineToUntilAndTheCaseWaitsForIt() {
        open();
        Instant until = T0.plus(Duration.ofHours(10));
        ack(b, Duration.ofMinutes(5), defer(until));
        ack(c, Duration.ofMinutes(5), decline("duplicate", null));
        CaseTimeline t = timeline();
        Instant afterCharterDeadline = T0.plus(Duration.ofHours(6));
        assertEquals(DeadlineStatus.PENDING, t.answerStatusOf("cert-b.example", afterCharterDeadline));
        assertEquals(DeadlineStatus.PENDING, t.answerStatus(afterCharterDeadline), "b's defer holds the case's answer deadline");
        assertEquals(until, t.answerDueInForce());
        assertEquals(DeadlineStatus.MISSED, t.answerStatus(until.plusSeconds(1)));
        // a later accept does not shorten the party's own promised time, and an answer before it is in time
        ack(b, Duration.ofHours(1), Json.object().put("decision", "accept"));
        send(b, Kind.ANSWER, Duration.ofHours(8), Tlp.AMBER, Json.object().put("text", "sinkholed"));
        t = timeline();
        assertEquals(DeadlineStatus.MET, t.answerStatusOf("cert-b.example", until.plusSeconds(1)));
        JsonNode json = TimelineJson.of(t, until.plusSeconds(1));
        JsonNode rb = json.path("responses").get(0);
        assertEquals("cert-b.example", rb.path("party").asText());
        assertEquals("accept", rb.path("decision").asText());
        assertEquals(until.toString(), rb.path("answer_due").asText());
        JsonNode rc = json.path("responses").get(1);
        assertEquals("declined", rc.path("answer_status").asText());
        assertEquals("duplicate", rc.path("reason_code").asText());
    }

    @Test
    void aDecisionMadeAfterTheDeadlinePassedDoesNotWipeOutTheMiss() {
        open();
        ack(b, Duration.ofHours(5), decline("resource-constraints", null));
        ack(c, Duration.ofHours(5), defer(T0.plus(Duration.ofHours(20))));
        CaseTimeline t = timeline();
        Instant at = T0.plus(Duration.ofHours(6));
        assertEquals(DeadlineStatus.MISSED, t.answerStatusOf("cert-b.example", at), "a late decline is on record, the miss stands");
        assertEquals(DeadlineStatus.MISSED, t.answerStatusOf("mfa-c.example", at), "a late defer moves nothing");
        assertEquals(Decision.Choice.DEFER, t.responses().get("mfa-c.example").decision().choice(), "but it is what c said last");
        assertNotEquals(CaseState.DECLINED, t.state());
    }

    @Test
    void illFormedDecisionsSignedByADishonestMemberMoveNoDeadline() {
        open();
        ack(b, Duration.ofMinutes(1), Json.object().put("decision", "defer")); // no until
        ack(b, Duration.ofMinutes(2), Json.object().put("decision", "defer").put("until", T0.toString())); // before the ack itself
        ack(b, Duration.ofMinutes(3), Json.object().put("decision", "defer").put("until", "2026-11-30T08:00:00+03:00")); // not UTC
        ack(b, Duration.ofMinutes(4), Json.object().put("decision", "defer").put("until", T0.plus(Duration.ofDays(400)).toString()));
        ack(b, Duration.ofMinutes(5), Json.object().put("decision", "surrender"));
        ack(b, Duration.ofMinutes(6), Json.object().put("decision", "decline")); // no reason
        ack(b, Duration.ofMinutes(7), decline("it-is-friday", null));
        CaseTimeline t = timeline();
        CaseTimeline.Response r = t.responses().get("cert-b.example");
        assertNull(r.decision());
        assertEquals(T0.plus(ANSWER), r.answerDue());
        assertEquals(7, r.ignored().size(), r.ignored().toString());
        assertEquals(DeadlineStatus.MISSED, t.answerStatusOf("cert-b.example", T0.plus(Duration.ofHours(5))));
        assertEquals(T0.plus(Duration.ofMinutes(1)), r.ackedAt(), "each is still a signed acknowledgement");
        assertEquals(7, TimelineJson.of(t, T0).path("responses").get(0).path("ignored_decisions").size());
        assertTrue(t.events().get(1).summary().startsWith("ill-formed decision, ignored: /body/until"), t.events().get(1).summary());
    }

    @Test
    void theOpenersOwnDecisionAndOneFromAMemberTheRedCaseDoesNotAddressCountForNothing() {
        send(a, Kind.REQUEST, Duration.ZERO, Tlp.RED, Json.object().put("type", "trace").put("summary", "s").put("asked", "x")
                .set("recipients", Json.MAPPER.createArrayNode().add("cert-b.example")));
        ack(a, Duration.ofMinutes(1), decline("duplicate", null));
        ack(c, Duration.ofMinutes(2), defer(T0.plus(Duration.ofDays(30))));
        CaseTimeline t = timeline();
        assertEquals(List.of("cert-b.example"), t.addressedParties());
        assertFalse(t.responses().containsKey("cert-a.example"));
        assertEquals(1, t.responses().get("mfa-c.example").ignored().size());
        assertNull(t.responses().get("mfa-c.example").decision());
        assertEquals(T0.plus(ANSWER), t.answerDueInForce());
        assertEquals(DeadlineStatus.MISSED, t.answerStatus(T0.plus(Duration.ofHours(5))), "b still owed the answer");
    }

    @Test
    void anAckWithoutADecisionIsAnAcceptAndItsJsonIsAsBefore() {
        open();
        ack(b, Duration.ofMinutes(1), Json.object().put("text", "On it"));
        CaseTimeline t = timeline();
        assertTrue(t.responses().get("cert-b.example").decision().implicit());
        JsonNode r = TimelineJson.of(t, T0).path("responses").get(0);
        assertEquals(List.of("party", "acked_at", "ack_status", "answer_status"), fieldNames(r), "bundles exported before decisions still verify");
    }

    @Test
    void decisionRulesNameTheFieldAtFault() {
        Instant now = T0;
        assertEquals("/body/lang", assertThrows(EnvelopeFormatException.class,
                () -> Decision.read(Json.object().put("decision", "decline").put("reason", "x"), now, "")).field());
        assertEquals("/body/until", assertThrows(EnvelopeFormatException.class,
                () -> Decision.read(Json.object().put("decision", "accept").put("until", T0.plusSeconds(60).toString()), now, "")).field());
        assertEquals("/body/reason_code", assertThrows(EnvelopeFormatException.class,
                () -> Decision.read(Json.object().put("decision", "accept").put("reason_code", "duplicate"), now, "")).field());
        assertEquals("/body/lang", assertThrows(EnvelopeFormatException.class,
                () -> Decision.read(Json.object().put("decision", "decline").put("reason", "x").put("lang", "not a tag"), now, "")).field());
        assertEquals(7, ReasonCode.values().length);
        assertEquals(ReasonCode.NEEDS_HIGHER_LEVEL, ReasonCode.fromWire("needs-higher-level").orElseThrow());
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
