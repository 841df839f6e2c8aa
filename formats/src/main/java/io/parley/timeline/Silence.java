package io.parley.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;

/**
 * Provable silence: which parties let a deadline of a case pass without their response, and whether a stretch of such a
 * party's hash chain on the channel shows that it sent none in time. Pure, like {@link CaseTimeline}: the node that
 * pins and exports and the offline verifier run this same rule, so they agree on every claim.
 *
 * <p>A party's chain is append-only and every message it sends takes the next seq, so a contiguous stretch of its chain
 * that begins before the request (or at the chain's start) and ends with a message the party signed after the deadline
 * (the "pin") holds every message the party sent in between: if none of them is a response to the case, the party sent
 * none. A TLP:RED envelope of another conversation appears in the stretch only as its sender's withheld notice, which
 * carries no case id or kind: one dated inside the window could be a reply addressed to others, so it makes silence
 * not provable rather than being assumed innocent.
 */
public final class Silence {
    private Silence() {}

    /** Which deadline a party let pass. */
    public enum Deadline {
        ACK("acknowledgement"), ANSWER("answer");

        private final String noun;

        Deadline(String noun) {
            this.noun = noun;
        }

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** As the {@code silent:} line says it. */
        public String noun() {
            return noun;
        }

        public static Optional<Deadline> fromWire(String s) {
            for (Deadline d : values()) if (d.wire().equals(s)) return Optional.of(d);
            return Optional.empty();
        }

        /** The kinds that the timeline counts as this response ({@link CaseTimeline}: any response acknowledges). */
        boolean answeredBy(Kind k) {
            return this == ANSWER ? k == Kind.ANSWER : k == Kind.ACK || k == Kind.PONG || k == Kind.UPDATE || k == Kind.ANSWER;
        }
    }

    /** A party that owed a response by {@code due} to a request made at {@code since}, and had not sent it by then. */
    public record Window(String party, Deadline deadline, Instant since, Instant due) {}

    /**
     * One position of a party's chain: an envelope, or a TLP:RED envelope known only by its sender's withheld notice
     * ({@code envelope} null).
     */
    public record Link(long seq, String prev, String hash, Instant created, Envelope envelope) {
        public boolean withheld() {
            return envelope == null;
        }
    }

    /** Why a stretch of chain cannot prove a silence; the code travels in bundles, the text is what a reader sees. */
    public enum Blocker {
        NO_PIN("no-pin", "no message signed by the party after the deadline is held yet (its node has not answered the automatic ping)"),
        GAP("gap", "the party's chain is not held without a gap from before the request to a message after the deadline"),
        START("start", "the chain stretch does not begin before the request"),
        WITHHELD("withheld", "a TLP:RED envelope of another conversation, withheld from the exporter, is dated inside the window; it could be a reply"),
        REPLY("reply", "the party's chain holds a response to the case inside the window"),
        NO_RECEIPT("no-receipt", "no receipt from the party shows the request was delivered to it"),
        NOT_COSIGNED("not-cosigned", "no witness has yet cosigned a checkpoint of the exporter's log that holds the pin"),
        EARLY("early", "a witness cosigned a checkpoint holding the pin before the deadline: the pin is no later message");

        private final String code;
        private final String text;

        Blocker(String code, String text) {
            this.code = code;
            this.text = text;
        }

        public String code() {
            return code;
        }

        public String text() {
            return text;
        }

        public static Optional<Blocker> fromCode(String s) {
            for (Blocker b : values()) if (b.code.equals(s)) return Optional.of(b);
            return Optional.empty();
        }
    }

    /**
     * Every deadline of {@code t} that one of the parties it asks for a response ({@link CaseTimeline#addressedParties})
     * let pass, as of {@code now}, by party then deadline; an answer deadline is the party's own (a defer moves it, a
     * decline in time stops it).
     */
    public static List<Window> missed(CaseTimeline t, Instant now) {
        List<Window> out = new ArrayList<>();
        for (String p : new TreeSet<>(t.addressedParties())) {
            if (t.ackStatusOf(p, now) == DeadlineStatus.MISSED) out.add(new Window(p, Deadline.ACK, t.openedAt(), t.ackDue()));
            if (t.answerStatusOf(p, now) == DeadlineStatus.MISSED) {
                CaseTimeline.Response r = t.responses().get(p);
                out.add(new Window(p, Deadline.ANSWER, t.openedAt(), r == null ? t.answerDue() : r.answerDue()));
            }
        }
        return out;
    }

    /**
     * Whether {@code segment} (the party's chain positions in seq order) proves that the party sent case {@code caseId}
     * no response in window {@code w}; empty if it does. The stretch must be contiguous (each link names the previous
     * one's hash), begin at seq 1 or with a link dated before the request, and end with an envelope (the pin) dated after
     * the deadline; no envelope of it may be a response to the case dated by the deadline, and no withheld notice may be
     * dated inside the window.
     */
    public static Optional<Blocker> judge(String caseId, Window w, List<Link> segment) {
        if (segment.isEmpty()) return Optional.of(Blocker.GAP);
        for (int i = 1; i < segment.size(); i++) {
            Link a = segment.get(i - 1), b = segment.get(i);
            if (b.seq() != a.seq() + 1 || !a.hash().equals(b.prev())) return Optional.of(Blocker.GAP);
        }
        Link first = segment.get(0), pin = segment.get(segment.size() - 1);
        if (first.seq() != 1 && !first.created().isBefore(w.since())) return Optional.of(Blocker.START);
        if (pin.withheld() || !pin.created().isAfter(w.due())) return Optional.of(Blocker.NO_PIN);
        for (Link l : segment) {
            boolean inTime = !l.created().isAfter(w.due());
            if (l.withheld()) {
                if (inTime && !l.created().isBefore(w.since())) return Optional.of(Blocker.WITHHELD);
            } else if (inTime && caseId.equals(l.envelope().caseId()) && w.deadline().answeredBy(l.envelope().kind())
                    && !CourtesyTranslation.isTranslation(l.envelope())) { // a translation is no response (CaseTimeline)
                return Optional.of(Blocker.REPLY);
            }
        }
        return Optional.empty();
    }
}
