package io.parley.timeline;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;

/** The silence rule on hand-made chain stretches: what proves a silence, and each thing that makes it unprovable. */
class SilenceTest {
    static final String CASE = "case-2026-0123456789-abcdef01";
    static final Instant SINCE = Instant.parse("2026-11-30T10:00:00Z"), DUE = Instant.parse("2026-11-30T10:15:00Z");
    static final Silence.Window ACK = new Silence.Window("cert-b.example", Silence.Deadline.ACK, SINCE, DUE);
    static final Silence.Window ANSWER = new Silence.Window("cert-b.example", Silence.Deadline.ANSWER, SINCE, DUE);

    /** A chain of links of the given kinds (null: a withheld notice), created at the given minutes past 10:00. */
    static List<Silence.Link> chain(long firstSeq, Object... kindsAndMinutes) {
        List<Silence.Link> out = new ArrayList<>();
        String prev = firstSeq == 1 ? null : "0".repeat(64);
        for (int i = 0; i < kindsAndMinutes.length; i += 3) {
            Kind kind = (Kind) kindsAndMinutes[i];
            String caseId = (String) kindsAndMinutes[i + 1];
            Instant created = SINCE.plusSeconds(60L * (Integer) kindsAndMinutes[i + 2]);
            long seq = firstSeq + i / 3;
            String hash = String.format("%064x", seq);
            Envelope e = kind == null ? null : new Envelope(1, "tri", "cert-b.example", seq, seq == 1 ? null : (prev == null ? "0".repeat(64) : prev),
                    kind, caseId, created.toString(), Priority.FLASH, Tlp.AMBER, Json.object(), null);
            out.add(new Silence.Link(seq, prev, hash, created, e));
            prev = hash;
        }
        return out;
    }

    @Test
    void aStretchFromBeforeTheRequestToAMessageAfterTheDeadlineWithNoResponseProvesSilence() {
        var stretch = chain(4, Kind.NOTIFY, null, -5, Kind.ACK, "case-2026-0000000000-00000000", 3, Kind.PONG, null, 20);
        assertEquals(Optional.empty(), Silence.judge(CASE, ACK, stretch), "an ack of another case and a pong outside any case are no reply");
        assertEquals(Optional.empty(), Silence.judge(CASE, ACK, chain(1, Kind.CHARTER, null, -60, Kind.PONG, null, 16)), "or from the chain's start");
        assertEquals(Optional.empty(), Silence.judge(CASE, ANSWER, chain(4, Kind.NOTIFY, null, -5, Kind.ACK, CASE, 3, Kind.PONG, null, 20)),
                "an acknowledgement does not answer");
        assertEquals(Optional.empty(), Silence.judge(CASE, ACK, chain(4, Kind.NOTIFY, null, -5, Kind.ANSWER, CASE, 16)), "a late answer pins too");
    }

    @Test
    void eachMissingPieceMakesSilenceNotProvable() {
        assertEquals(Optional.of(Silence.Blocker.REPLY), Silence.judge(CASE, ACK, chain(4, Kind.NOTIFY, null, -5, Kind.UPDATE, CASE, 3, Kind.PONG, null, 20)));
        assertEquals(Optional.of(Silence.Blocker.REPLY), Silence.judge(CASE, ANSWER, chain(4, Kind.NOTIFY, null, -5, Kind.ANSWER, CASE, 15, Kind.PONG, null, 20)),
                "an answer at the deadline is in time");
        assertEquals(Optional.of(Silence.Blocker.WITHHELD), Silence.judge(CASE, ACK, chain(4, Kind.NOTIFY, null, -5, null, null, 3, Kind.PONG, null, 20)),
                "a withheld envelope in the window could be a reply");
        assertEquals(Optional.empty(), Silence.judge(CASE, ACK, chain(4, Kind.NOTIFY, null, -5, null, null, 17, Kind.PONG, null, 20)),
                "one after the deadline could not");
        assertEquals(Optional.of(Silence.Blocker.NO_PIN), Silence.judge(CASE, ACK, chain(4, Kind.NOTIFY, null, -5, Kind.PONG, null, 15)),
                "a message at the deadline is no pin");
        assertEquals(Optional.of(Silence.Blocker.NO_PIN), Silence.judge(CASE, ACK, chain(4, Kind.NOTIFY, null, -5, null, null, 20)), "nor a withheld one");
        assertEquals(Optional.of(Silence.Blocker.START), Silence.judge(CASE, ACK, chain(4, Kind.NOTIFY, null, 1, Kind.PONG, null, 20)),
                "the stretch must begin before the request");
        var gap = chain(4, Kind.NOTIFY, null, -5, Kind.PONG, null, 20);
        gap.set(1, new Silence.Link(6, gap.get(0).hash(), gap.get(1).hash(), gap.get(1).created(), gap.get(1).envelope()));
        assertEquals(Optional.of(Silence.Blocker.GAP), Silence.judge(CASE, ACK, gap), "a missing seq");
        var relinked = chain(4, Kind.NOTIFY, null, -5, Kind.PONG, null, 20);
        relinked.set(1, new Silence.Link(5, "f".repeat(64), relinked.get(1).hash(), relinked.get(1).created(), relinked.get(1).envelope()));
        assertEquals(Optional.of(Silence.Blocker.GAP), Silence.judge(CASE, ACK, relinked), "a link that names another predecessor");
        assertEquals(Optional.of(Silence.Blocker.GAP), Silence.judge(CASE, ACK, List.of()));
    }
}
