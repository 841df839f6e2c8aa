package io.parley.evidence;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy.Audience;
import io.parley.evidence.MarkingPolicy.LocalUser;
import io.parley.evidence.MarkingPolicy.Peer;
import io.parley.json.Json;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The marking rules as a table: who reads what, and what may be shared on where. */
class MarkingPolicyTest {
    static final String A = "cert-a.example", B = "cert-b.example", C = "cert-c.example", D = "cert-d.example";
    /** Channel ab-c: members A, B, C; a message from B naming only A and B for RED. */
    static final Audience FROM_B = new Audience("abc", Set.of(A, B, C), B, Set.of(A, B), Tlp.RED);
    static final LocalUser OFFICER_OF_A = new LocalUser("duty", A, false, Set.of());
    static final LocalUser ADMIN_OF_A = new LocalUser("boss", A, true, Set.of());
    static final LocalUser GRANTED_OF_A = new LocalUser("lead", A, false, Set.of("abc"));
    static final LocalUser OFFICER_OF_C = new LocalUser("duty", C, false, Set.of());
    static final LocalUser ADMIN_OF_C = new LocalUser("boss", C, true, Set.of());
    static final LocalUser ADMIN_OF_D = new LocalUser("boss", D, true, Set.of());

    @Test
    void readRulesFollowTheTlp20Audiences() {
        for (LocalUser u : new LocalUser[] {OFFICER_OF_A, ADMIN_OF_A, OFFICER_OF_C, ADMIN_OF_D}) {
            assertTrue(MarkingPolicy.mayRead(u, FROM_B, Tlp.CLEAR));
            assertTrue(MarkingPolicy.mayRead(u, FROM_B, Tlp.GREEN), "GREEN: the community");
        }
        assertTrue(MarkingPolicy.mayRead(OFFICER_OF_C, FROM_B, Tlp.AMBER), "AMBER: recipient organisations");
        assertTrue(MarkingPolicy.mayRead(OFFICER_OF_C, FROM_B, Tlp.AMBER_STRICT), "AMBER+STRICT: each member reads its own copy");
        assertFalse(MarkingPolicy.mayRead(ADMIN_OF_D, FROM_B, Tlp.AMBER), "not a recipient organisation");
        assertFalse(MarkingPolicy.mayRead(ADMIN_OF_D, FROM_B, Tlp.AMBER_STRICT));
        assertFalse(MarkingPolicy.mayRead(OFFICER_OF_A, FROM_B, Tlp.RED), "RED needs admin or a grant");
        assertTrue(MarkingPolicy.mayRead(ADMIN_OF_A, FROM_B, Tlp.RED));
        assertTrue(MarkingPolicy.mayRead(GRANTED_OF_A, FROM_B, Tlp.RED));
        assertFalse(MarkingPolicy.mayRead(ADMIN_OF_C, FROM_B, Tlp.RED), "C is a member but not a named recipient");
        assertTrue(MarkingPolicy.mayRead(new LocalUser("x", A, false, Set.of("*")), FROM_B, Tlp.RED));
        assertFalse(MarkingPolicy.mayRead(new LocalUser("x", A, false, Set.of("other")), FROM_B, Tlp.RED));
        Audience unnamed = new Audience("abc", Set.of(A, B, C), B, null, Tlp.RED);
        assertTrue(MarkingPolicy.mayRead(ADMIN_OF_C, unnamed, Tlp.RED), "no recipients named: every member is");
    }

    @Test
    void peersNeverGetAnythingAboveTheChannelsCeiling() {
        Audience amberChannel = new Audience("ab", Set.of(A, B), A, null, Tlp.AMBER);
        assertTrue(MarkingPolicy.mayRead(new Peer(B), amberChannel, Tlp.AMBER));
        assertFalse(MarkingPolicy.mayRead(new Peer(B), amberChannel, Tlp.AMBER_STRICT));
        assertFalse(MarkingPolicy.mayRead(new Peer(B), amberChannel, Tlp.RED));
        assertTrue(MarkingPolicy.mayRead(new Peer(B), FROM_B, Tlp.RED));
        assertFalse(MarkingPolicy.mayRead(new Peer(C), FROM_B, Tlp.RED));
        assertFalse(MarkingPolicy.mayRead(new Peer(D), FROM_B, Tlp.AMBER));
        assertTrue(MarkingPolicy.mayRead(new Peer(D), FROM_B, Tlp.GREEN));
    }

    @Test
    void sharingOnRespectsEachLevel() {
        Audience toAb = new Audience("ab", Set.of(A, B), A, null, Tlp.RED);
        Audience toAd = new Audience("ad", Set.of(A, D), A, null, Tlp.RED);
        Audience sameChannel = new Audience("abc", Set.of(A, B, C), A, Set.of(A, B), Tlp.RED);
        Audience own = Audience.own(A);
        for (Tlp t : new Tlp[] {Tlp.CLEAR, Tlp.GREEN}) assertTrue(MarkingPolicy.mayReshare(FROM_B, toAd, t, A));
        assertTrue(MarkingPolicy.mayReshare(FROM_B, toAb, Tlp.AMBER, A), "AMBER to organisations already in the audience");
        assertFalse(MarkingPolicy.mayReshare(FROM_B, toAd, Tlp.AMBER, A), "AMBER never to a new organisation");
        assertTrue(MarkingPolicy.mayReshare(FROM_B, own, Tlp.AMBER, A));
        assertFalse(MarkingPolicy.mayReshare(FROM_B, toAb, Tlp.AMBER_STRICT, A), "AMBER+STRICT never leaves its channel");
        assertFalse(MarkingPolicy.mayReshare(FROM_B, own, Tlp.AMBER_STRICT, A), "nor goes into another collection");
        assertTrue(MarkingPolicy.mayReshare(FROM_B, sameChannel, Tlp.AMBER_STRICT, A));
        assertFalse(MarkingPolicy.mayReshare(FROM_B, toAb, Tlp.RED, A));
        assertTrue(MarkingPolicy.mayReshare(FROM_B, sameChannel, Tlp.RED, A), "RED back to its named recipients");
        assertFalse(MarkingPolicy.mayReshare(FROM_B, new Audience("abc", Set.of(A, B, C), A, null, Tlp.RED), Tlp.RED, A),
                "RED widened to an unnamed member");
        assertTrue(MarkingPolicy.mayReshare(own, toAd, Tlp.RED, A), "this node's own material goes where it decides");
        assertFalse(MarkingPolicy.mayReshare(own, new Audience("ad", Set.of(A, D), A, null, Tlp.AMBER), Tlp.RED, A),
                "but never above the target's ceiling");
    }

    @Test
    void clearanceAgreesWithMayReadForEveryLevelAndNamedFlag() {
        for (LocalUser u : new LocalUser[] {OFFICER_OF_A, ADMIN_OF_A, GRANTED_OF_A, ADMIN_OF_D}) {
            for (Audience a : new Audience[] {FROM_B, new Audience("abc", Set.of(A, B, C), C, Set.of(C), Tlp.RED), Audience.own(A)}) {
                MarkingPolicy.Clearance c = MarkingPolicy.clearance(u, a);
                for (Tlp t : Tlp.values()) {
                    assertEquals(MarkingPolicy.mayRead(u, a, t), c.admits(t, a.names(u.organisation())), u + " " + a + " " + t);
                }
            }
        }
        assertEquals("(tlp <= 3 OR (tlp = 4 AND named = 1))", MarkingPolicy.clearance(ADMIN_OF_A, FROM_B).sql("tlp", "named"));
        assertEquals("(tlp <= 3)", MarkingPolicy.clearance(OFFICER_OF_A, FROM_B).sql("tlp", "named"));
        assertEquals("(tlp <= 1)", MarkingPolicy.clearance(ADMIN_OF_D, FROM_B).sql("tlp", "named"));
    }

    @Test
    void tlpOfTakesTheStrictestMarkingElseTheEnvelopesLabel() {
        ObjectNode o = Json.object().put("type", "indicator").put("id", "indicator--" + java.util.UUID.randomUUID());
        assertEquals(Tlp.AMBER, MarkingPolicy.tlpOf(o, Map.of(), Tlp.AMBER));
        o.putArray("object_marking_refs").add(WellKnownMarkings.TLP2_GREEN);
        assertEquals(Tlp.GREEN, MarkingPolicy.tlpOf(o, Map.of(), Tlp.RED));
        ObjectNode g = o.putArray("granular_markings").addObject();
        g.put("marking_ref", WellKnownMarkings.TLP2_RED);
        g.putArray("selectors").add("description");
        assertEquals(Tlp.RED, MarkingPolicy.tlpOf(o, Map.of(), Tlp.CLEAR), "a RED part keeps the whole object back");
        ObjectNode def = Json.object().put("type", "marking-definition").put("id", "marking-definition--" + java.util.UUID.randomUUID());
        assertEquals(Tlp.CLEAR, MarkingPolicy.tlpOf(def, Map.of(), Tlp.RED));
    }

    @Test
    void redactionByPredicateCascadesLikeTlpRedaction() {
        JsonNode bundle = Json.parse("""
                {"type":"bundle","id":"bundle--6f0c2e8a-3b7d-4c1e-9a4f-2d8b7e1c0a93","objects":[
                 {"type":"indicator","id":"indicator--11111111-1111-4111-8111-111111111111"},
                 {"type":"malware","id":"malware--22222222-2222-4222-8222-222222222222"},
                 {"type":"relationship","id":"relationship--33333333-3333-4333-8333-333333333333",
                  "source_ref":"indicator--11111111-1111-4111-8111-111111111111","target_ref":"malware--22222222-2222-4222-8222-222222222222"},
                 {"type":"report","id":"report--44444444-4444-4444-8444-444444444444",
                  "object_refs":["indicator--11111111-1111-4111-8111-111111111111","malware--22222222-2222-4222-8222-222222222222"]}]}
                """);
        ObjectNode out = MarkingPolicy.redact(bundle, o -> !o.path("type").asText().equals("malware"));
        Set<String> types = new HashSet<>();
        out.get("objects").forEach(o -> types.add(o.path("type").asText()));
        assertEquals(Set.of("indicator", "report"), types, "the relationship to the removed malware goes too");
        assertEquals(1, out.get("objects").get(1).get("object_refs").size(), "and the report's reference is pruned");
    }
}
