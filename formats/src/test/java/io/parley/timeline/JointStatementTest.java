package io.parley.timeline;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.charter.Level;
import io.parley.envelope.CaseIds;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeSigner;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.json.Json;

/** The joint statement rules as a pure function of envelopes and charter: who must sign, what counts, what is a fault. */
class JointStatementTest {
    static final String A = "cert-a.example", B = "cert-b.example", C = "mfa-c.example";
    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    final Map<String, SigningKey> keys = new HashMap<>();
    final Map<String, Envelope> heads = new HashMap<>();
    final List<CaseTimeline.Item> items = new ArrayList<>();
    final Charter charter;
    final String caseId = CaseIds.newId(A, T0);

    JointStatementTest() {
        List<Charter.Member> members = new ArrayList<>();
        for (String o : List.of(A, B, C)) {
            keys.put(o, SigningKey.generate(o));
            members.add(new Charter.Member(o, keys.get(o).verifierKey(), "https://" + o));
        }
        Map<Priority, Charter.Deadlines> d = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) d.put(p, new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4)));
        charter = new Charter("ch", "test", Level.OPERATIONAL, members, d, Tlp.RED, List.of());
    }

    String send(String from, Kind kind, Tlp tlp, ObjectNode body, Instant at) {
        Envelope prev = heads.get(from);
        Envelope e = EnvelopeSigner.sign(new Envelope(1, "ch", from, prev == null ? 1 : prev.seq() + 1, prev == null ? null : prev.hash(), kind, caseId,
                at.toString(), Priority.ROUTINE, tlp, body, null), keys.get(from));
        heads.put(from, e);
        items.add(new CaseTimeline.Item(e, e.hash()));
        return e.hash();
    }

    static ObjectNode propose(String text, String lang) {
        ObjectNode b = Json.object();
        b.putObject("statement").putObject("propose").put("text", text).put("lang", lang);
        return b;
    }

    static ObjectNode cosign(String id, String text) {
        ObjectNode b = Json.object();
        b.putObject("statement").put("cosign", id).put("text_sha256", JointStatement.textHash(text));
        return b;
    }

    List<JointStatement> statements() {
        CaseTimeline t = CaseTimeline.of(caseId, items, charter).orElseThrow();
        return JointStatement.of(t, items, charter);
    }

    @Test
    void everyMemberSignsAStatementOnAnOrdinaryCaseAndOnlyAfterTheClose() {
        send(A, Kind.NOTIFY, Tlp.GREEN, Json.object().put("summary", "outage"), T0);
        send(B, Kind.UPDATE, Tlp.GREEN, propose("too early", "en"), T0.plusSeconds(10));
        send(A, Kind.CLOSE, Tlp.GREEN, Json.object(), T0.plusSeconds(60));
        assertTrue(statements().isEmpty(), "a proposal before the close is no statement");
        String text = "It was an anchor.";
        String id = send(B, Kind.UPDATE, Tlp.GREEN, propose(text, "en"), T0.plusSeconds(120));
        JointStatement s = statements().get(0);
        assertEquals(Set.of(A, B, C), s.parties());
        assertEquals(List.of(A, C), s.pending());
        send(A, Kind.UPDATE, Tlp.GREEN, cosign(id, text), T0.plusSeconds(130));
        send(A, Kind.UPDATE, Tlp.GREEN, cosign(id, text), T0.plusSeconds(131));
        send(B, Kind.UPDATE, Tlp.GREEN, cosign(id, text), T0.plusSeconds(132));
        s = statements().get(0);
        assertEquals(List.of(B, A), s.signers(), "counted once each, the proposer by proposing");
        assertFalse(s.complete());
        send(C, Kind.UPDATE, Tlp.GREEN, cosign(id, text), T0.plusSeconds(140));
        assertTrue(statements().get(0).complete());
        assertTrue(statements().get(0).faults().isEmpty());
    }

    @Test
    void aRedCaseIsSignedByItsPartiesAndNoOneElseCounts() {
        ObjectNode opening = Json.object().put("summary", "red");
        opening.putArray("recipients").add(B);
        send(A, Kind.NOTIFY, Tlp.RED, opening, T0);
        send(A, Kind.CLOSE, Tlp.RED, Json.object(), T0.plusSeconds(60));
        send(C, Kind.UPDATE, Tlp.RED, propose("C was not there", "en"), T0.plusSeconds(70));
        assertTrue(statements().isEmpty(), "a member outside a RED case cannot propose on it");
        String text = "Resolved.";
        String id = send(A, Kind.UPDATE, Tlp.RED, propose(text, "en"), T0.plusSeconds(80));
        send(C, Kind.UPDATE, Tlp.RED, cosign(id, text), T0.plusSeconds(90));
        JointStatement s = statements().get(0);
        assertEquals(Set.of(A, B), s.parties());
        assertEquals(List.of(B), s.pending(), "mfa-c's co-signature counts for nothing");
        send(B, Kind.UPDATE, Tlp.RED, cosign(id, text), T0.plusSeconds(100));
        assertTrue(statements().get(0).complete(), "a bilateral statement needs both sides, and only them");
    }

    @Test
    void aCoSignatureOverAnotherTextIsAFaultAndMalformedProposalsAreNoStatements() {
        send(A, Kind.NOTIFY, Tlp.GREEN, Json.object().put("summary", "outage"), T0);
        send(A, Kind.CLOSE, Tlp.GREEN, Json.object(), T0.plusSeconds(60));
        send(B, Kind.UPDATE, Tlp.GREEN, propose("  ", "en"), T0.plusSeconds(61));
        send(B, Kind.UPDATE, Tlp.GREEN, propose("text", "not a tag"), T0.plusSeconds(62));
        send(B, Kind.UPDATE, Tlp.GREEN, propose("x".repeat(JointStatement.MAX_TEXT + 1), "en"), T0.plusSeconds(63));
        assertTrue(statements().isEmpty());
        String id = send(B, Kind.UPDATE, Tlp.GREEN, propose("We agree.", "en"), T0.plusSeconds(70));
        String bad = send(C, Kind.UPDATE, Tlp.GREEN, cosign(id, "We agree it was A's fault."), T0.plusSeconds(80));
        JointStatement s = statements().get(0);
        assertFalse(s.signatures().containsKey(C));
        assertEquals(1, s.faults().size());
        assertTrue(s.faults().get(0).contains(bad) && s.faults().get(0).contains(C), s.faults().toString());
    }
}
