package io.parley.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
import io.parley.receipt.LogTime;

/** Time honesty in the pure timeline: which time an envelope counts at, given the recipients' log times. */
class CaseTimelineClockTest {
    static final SigningKey A = SigningKey.generate("cert-a.example"), B = SigningKey.generate("cert-b.example"), C = SigningKey.generate("mfa-c.example");
    static final Instant T = Instant.parse("2026-11-23T08:00:00Z");

    static Charter charter(Duration skew) {
        var d = new EnumMap<Priority, Charter.Deadlines>(Priority.class);
        for (Priority p : Priority.values()) d.put(p, new Charter.Deadlines(Duration.ofMinutes(15), Duration.ofHours(4)));
        var members = List.of(new Charter.Member(A.name(), A.verifierKey(), "http://a"), new Charter.Member(B.name(), B.verifierKey(), "http://b"),
                new Charter.Member(C.name(), C.verifierKey(), "http://c"));
        Charter c = new Charter("ch", "test", Level.OPERATIONAL, members, d, Tlp.AMBER, List.of());
        return skew == null ? c : c.withPractice(new Practice(skew, List.of(), null, List.of()));
    }

    static final String CASE = CaseIds.newId(A.name(), T);

    static CaseTimeline.Item item(SigningKey k, long seq, Kind kind, Instant created) {
        Envelope e = EnvelopeSigner.sign(new Envelope(1, "ch", k.name(), seq, seq == 1 ? null : "0".repeat(64), kind, CASE, created.toString(),
                Priority.FLASH, Tlp.AMBER, Json.object().put("type", "information").put("summary", "s").put("asked", "q"), null), k);
        return new CaseTimeline.Item(e, e.hash());
    }

    static Map<String, LoggedAt> logged(Object... hashByAndAt) {
        Map<String, LoggedAt> m = new HashMap<>();
        for (int i = 0; i < hashByAndAt.length; i += 3) {
            LoggedAt.keepEarliest(m, (String) hashByAndAt[i], new LoggedAt((String) hashByAndAt[i + 1], (Instant) hashByAndAt[i + 2]));
        }
        return m;
    }

    @Test
    void withoutLogTimesTheSendersWordStands() {
        var open = item(A, 1, Kind.REQUEST, T.minus(Duration.ofHours(3)));
        CaseTimeline t = CaseTimeline.of(CASE, List.of(open), charter(null)).orElseThrow();
        assertEquals(T.minus(Duration.ofHours(3)), t.openedAt());
        assertTrue(t.clockFindings().isEmpty());
    }

    @Test
    void exactlyTheToleranceIsNotFlaggedOneMillisecondMoreIs() {
        var open = item(A, 1, Kind.REQUEST, T);
        var within = CaseTimeline.of(CASE, List.of(open), charter(null), logged(open.hash(), B.name(), T.plus(Duration.ofMinutes(5)))).orElseThrow();
        assertEquals(T, within.openedAt());
        assertTrue(within.clockFindings().isEmpty());
        Instant late = T.plus(Duration.ofMinutes(5)).plusMillis(1);
        var beyond = CaseTimeline.of(CASE, List.of(open), charter(null), logged(open.hash(), B.name(), late)).orElseThrow();
        assertEquals(late, beyond.openedAt());
        assertEquals(late.plus(Duration.ofMinutes(15)), beyond.ackDue());
        assertEquals(ClockFinding.Direction.BACKDATED, beyond.clockFindings().get(0).direction());
    }

    @Test
    void theEarliestRecipientCountsAndTheSendersOwnLogTimeIsNoEvidence() {
        var open = item(A, 1, Kind.REQUEST, T.minus(Duration.ofHours(1)));
        // b logged it in time-ish, c an hour late (it was offline): the earliest one decides
        var t = CaseTimeline.of(CASE, List.of(open), charter(null), logged(open.hash(), C.name(), T.plus(Duration.ofHours(1)), open.hash(), B.name(), T)).orElseThrow();
        assertEquals(T, t.openedAt());
        assertEquals(B.name(), t.clockFindings().get(0).logged().by());
        var own = CaseTimeline.of(CASE, List.of(open), charter(null), logged(open.hash(), A.name(), T)).orElseThrow();
        assertEquals(T.minus(Duration.ofHours(1)), own.openedAt(), "a's own log time says nothing against a");
        assertTrue(own.clockFindings().isEmpty());
    }

    @Test
    void backdatedAckLoggedAfterTheDeadlineIsMissedAndForwardDatingIsFlagged() {
        var open = item(A, 1, Kind.REQUEST, T);
        var ack = item(B, 1, Kind.ACK, T.plus(Duration.ofMinutes(1)));
        Charter c = charter(null);
        var honest = CaseTimeline.of(CASE, List.of(open, ack), c).orElseThrow();
        assertEquals(DeadlineStatus.MET, honest.ackStatusOf(B.name(), T.plus(Duration.ofHours(1))));
        var t = CaseTimeline.of(CASE, List.of(open, ack), c, logged(ack.hash(), A.name(), T.plus(Duration.ofHours(2)))).orElseThrow();
        assertEquals(DeadlineStatus.MISSED, t.ackStatusOf(B.name(), T.plus(Duration.ofHours(3))));
        assertEquals(T.plus(Duration.ofHours(2)), t.responses().get(B.name()).ackedAt());

        var ahead = item(C, 1, Kind.ACK, T.plus(Duration.ofHours(1)));
        var f = CaseTimeline.of(CASE, List.of(open, ahead), c, logged(ahead.hash(), A.name(), T.plus(Duration.ofMinutes(2)))).orElseThrow();
        assertEquals(ClockFinding.Direction.FORWARD_DATED, f.clockFindings().get(0).direction());
        assertEquals(Duration.ofMinutes(-58), f.clockFindings().get(0).skew());
        assertEquals(DeadlineStatus.MET, f.ackStatusOf(C.name(), T.plus(Duration.ofHours(3))), "it counts when it was logged, in time");
    }

    @Test
    void theCharterSetsTheTolerance() {
        var open = item(A, 1, Kind.REQUEST, T.minus(Duration.ofHours(3)));
        var t = CaseTimeline.of(CASE, List.of(open), charter(Duration.ofHours(4)), logged(open.hash(), B.name(), T)).orElseThrow();
        assertTrue(t.clockFindings().isEmpty());
        assertEquals(T.minus(Duration.ofHours(3)), t.openedAt());
    }

    @Test
    void aLogTimeStatementVerifiesOnlyAsSigned() {
        LogTime s = LogTime.sign(B, B.name(), "ab".repeat(32), T);
        assertTrue(s.verifies(B.verifierKey()));
        assertTrue(LogTime.fromJson(s.toJson()).verifies(B.verifierKey()));
        assertTrue(!new LogTime(s.log(), s.envelope(), T.plusSeconds(1), s.sig()).verifies(B.verifierKey()), "a moved time");
        assertTrue(!new LogTime(s.log(), "cd".repeat(32), T, s.sig()).verifies(B.verifierKey()), "another envelope");
        assertTrue(!s.verifies(C.verifierKey()), "another key");
    }
}
