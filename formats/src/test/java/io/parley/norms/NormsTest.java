package io.parley.norms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.bundle.TimelineJson;
import io.parley.charter.Charter;
import io.parley.charter.Level;
import io.parley.charter.Practice;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.PreservationHold;

/** The shipped catalogues, and the category, commitments and preservation hold the pure timeline reads from envelopes. */
class NormsTest {
    private static final SigningKey A = SigningKey.generate("a.example/parley");
    private static final SigningKey B = SigningKey.generate("b.example/parley");
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static Charter charter() {
        var d = new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4));
        return new Charter("line", "Line", Level.TECHNICAL,
                List.of(new Charter.Member(A.name(), A.verifierKey(), null), new Charter.Member(B.name(), B.verifierKey(), null)),
                Map.of(Priority.FLASH, d, Priority.URGENT, d, Priority.ROUTINE, d), Tlp.AMBER, List.of(),
                new Practice(null, List.of(new Practice.Commitment("budapest:29", null), new Practice.Commitment("un-gge-2015:13h", null)), null, List.of()));
    }

    private final String caseId = CaseIds.newId(A.name(), T0);
    private final List<CaseTimeline.Item> items = new ArrayList<>();
    private final Map<String, Long> seqs = new java.util.HashMap<>();
    private final Map<String, String> heads = new java.util.HashMap<>();

    private String add(SigningKey k, Kind kind, Instant at, ObjectNode body) {
        long seq = seqs.merge(k.name(), 1L, Long::sum);
        Envelope e = EnvelopeSigner.sign(new Envelope(Envelope.VERSION, "line", k.name(), seq, heads.get(k.name()), kind, caseId, at.toString(),
                Priority.ROUTINE, Tlp.AMBER, body, null), k);
        heads.put(k.name(), e.hash());
        items.add(new CaseTimeline.Item(e, e.hash()));
        return e.hash();
    }

    private CaseTimeline timeline() {
        return CaseTimeline.of(caseId, items, charter()).orElseThrow();
    }

    private static ObjectNode preservation(Object days) {
        ObjectNode b = Json.object().put("type", "preservation").put("summary", "Keep logs").put("asked", "Preserve the logs of host X");
        if (days instanceof Integer i) b.put("hold_days", i);
        else if (days instanceof String s) b.put("hold_days", s);
        return b;
    }

    @Test
    void catalogueHoldsTheElevenNormsTheCbmsAndTheBudapestArticles() {
        CommitmentCatalogue c = CommitmentCatalogue.shipped();
        for (char p = 'a'; p <= 'k'; p++) assertTrue(c.find("un-gge-2015:13" + p).isPresent(), "13" + p);
        for (int i = 1; i <= 16; i++) assertTrue(c.find("osce-cbm:" + i).isPresent(), "CBM " + i);
        for (int i = 23; i <= 35; i++) assertTrue(c.find("budapest:" + i).isPresent(), "Art. " + i);
        assertEquals(11 + 16 + 13, c.all().size());
        assertEquals("budapest", c.find("budapest:29").orElseThrow().source());
        assertEquals(List.of("/commitments/1"), c.unknownIn(new Practice(null, List.of(new Practice.Commitment("osce-cbm:3", null),
                new Practice.Commitment("un-gge-2015:13z", null), new Practice.Commitment("free:x", "Our own")), null, List.of())));
    }

    @Test
    void taxonomyHasRsitPairsAndTheExtensions() {
        IncidentTaxonomy t = IncidentTaxonomy.shipped();
        assertEquals("rsit", t.find("availability/ddos").orElseThrow().source());
        assertEquals("intrusions", t.find("intrusions/system-compromise").orElseThrow().classification());
        assertTrue(t.find("influence-operation/disinformation").isPresent());
        assertTrue(t.find("connectivity/shutdown").isPresent());
        assertFalse(t.find("availability/everything").isPresent());
        assertTrue(IncidentTaxonomy.isDisarmTechnique("T0019"));
        assertTrue(IncidentTaxonomy.isDisarmTechnique("T0019.001"));
        assertFalse(IncidentTaxonomy.isDisarmTechnique("T19"));
        assertFalse(IncidentTaxonomy.isDisarmTechnique("t0019"));
    }

    @Test
    void holdRunsTheRequestedDaysAndNeverFewerThanSixty() {
        add(A, Kind.REQUEST, T0, preservation(90));
        assertEquals(T0.plus(Duration.ofDays(90)), timeline().norms().hold().until());
        items.clear(); seqs.clear(); heads.clear();
        add(A, Kind.REQUEST, T0, preservation(10)); // a sender cannot shorten the Convention's minimum
        assertEquals(T0.plus(Duration.ofDays(60)), timeline().norms().hold().until());
        items.clear(); seqs.clear(); heads.clear();
        add(A, Kind.REQUEST, T0, preservation("lots"));
        assertEquals(60, timeline().norms().hold().days());
    }

    @Test
    void onlyTheOpenerExtendsOrReleasesTheHold() {
        add(A, Kind.REQUEST, T0, preservation(60));
        add(B, Kind.ACK, T0.plusSeconds(60), Json.object());
        // the requested party forges an extension (and a shortening "until"): on record, changes nothing
        add(B, Kind.UPDATE, T0.plus(Duration.ofDays(1)), Json.object().put("hold_extend_days", 300));
        add(B, Kind.CLOSE, T0.plus(Duration.ofDays(2)), Json.object());
        PreservationHold h = timeline().norms().hold();
        assertEquals(T0.plus(Duration.ofDays(60)), h.until());
        assertTrue(h.extensions().isEmpty());
        assertNull(h.releasedAt());
        String ext = add(A, Kind.UPDATE, T0.plus(Duration.ofDays(50)), Json.object().put("hold_extend_days", 30));
        add(A, Kind.UPDATE, T0.plus(Duration.ofDays(51)), Json.object().put("hold_until", T0.plus(Duration.ofDays(120)).toString()));
        h = timeline().norms().hold();
        assertEquals(T0.plus(Duration.ofDays(120)), h.until());
        assertEquals(ext, h.extensions().get(0).hash());
        assertEquals(PreservationHold.State.ACTIVE, h.state(T0.plus(Duration.ofDays(100))));
        assertEquals(Duration.ofDays(20), h.remaining(T0.plus(Duration.ofDays(100))));
        add(A, Kind.CLOSE, T0.plus(Duration.ofDays(70)), Json.object());
        h = timeline().norms().hold();
        assertEquals(T0.plus(Duration.ofDays(70)), h.releasedAt());
        assertEquals(PreservationHold.State.RELEASED, h.state(T0.plus(Duration.ofDays(71))));
        ObjectNode json = TimelineJson.of(timeline(), T0.plus(Duration.ofDays(71)));
        assertEquals("released", json.path("hold").path("state").asText());
        assertEquals(2, json.path("hold").path("extended_by").size());
    }

    @Test
    void anExpiredHoldIsNotRevived() {
        add(A, Kind.REQUEST, T0, preservation(60));
        add(A, Kind.UPDATE, T0.plus(Duration.ofDays(61)), Json.object().put("hold_extend_days", 30));
        PreservationHold h = timeline().norms().hold();
        assertEquals(T0.plus(Duration.ofDays(60)), h.until());
        assertEquals(PreservationHold.State.EXPIRED, h.state(T0.plus(Duration.ofDays(61))));
    }

    @Test
    void onlyCommitmentsTheCharterListsAreCitedAndTheCategoryIsKept() {
        ObjectNode body = preservation(60).put("category", "influence-operation/hack-and-leak").put("disarm_technique", "T0019");
        body.putArray("commitments").add("budapest:29").add("un-gge-2015:13f").add("budapest:29").add(7);
        add(A, Kind.REQUEST, T0, body);
        var n = timeline().norms();
        assertEquals(List.of("budapest:29"), n.commitments()); // 13(f) is not in this charter: ignored
        assertEquals("influence-operation/hack-and-leak", n.category());
        assertEquals("T0019", n.disarmTechnique());
        ObjectNode json = TimelineJson.facts(timeline());
        assertEquals("budapest:29", json.path("commitments").get(0).asText());
        assertEquals("influence-operation/hack-and-leak", json.path("category").asText());
    }

    @Test
    void aCaseWithoutNormsKeepsItsJson() {
        add(A, Kind.NOTIFY, T0, Json.object().put("summary", "hello"));
        ObjectNode json = TimelineJson.of(timeline(), T0);
        for (String k : List.of("category", "commitments", "hold", "disarm_technique")) assertFalse(json.has(k), k);
    }
}
