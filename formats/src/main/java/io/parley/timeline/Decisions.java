package io.parley.timeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.parley.envelope.EnvelopeFormatException;

/**
 * How a party's answer decisions ({@link Decision}) move its answer deadline, for {@link CaseTimeline}.
 *
 * <p>Rules. The party's latest decision is the one in force; every one stays on record in the case's events. A defer
 * moves the party's deadline to its {@code until}; a decline stops it (the answer is then "declined", not "missed");
 * an accept, or a plain ack, resumes it where it was. A decision counts only while the deadline in force has not
 * passed, or while a decline has stopped it: one made after the party let its deadline pass is on record and changes
 * nothing, so neither a late decline nor a late defer wipes out a miss. Once the party answered, decisions change
 * nothing either. Decisions that are ill-formed, or come from a member the case does not address, count for nothing
 * and are listed as such.
 */
final class Decisions {
    private Decisions() {}

    /**
     * {@code r} after the party's {@code ack} {@code item}, which counts at {@code at} (its {@code created}, or its log
     * time when dated beyond the clock skew, see {@link ClockFinding}); {@code addressed} says whether the case asks
     * this party at all.
     */
    static CaseTimeline.Response apply(CaseTimeline.Response r, CaseTimeline.Item item, Instant at, boolean addressed) {
        var e = item.envelope();
        Decision d;
        try {
            d = Decision.read(e.body(), e.createdAt(), item.hash());
        } catch (EnvelopeFormatException ex) {
            return ignoring(r, item.hash() + ": " + ex.field() + ": " + ex.getMessage());
        }
        if (!addressed) return ignoring(r, item.hash() + ": the case does not address " + r.party());
        Instant due = r.answerDue();
        boolean declined = r.declined();
        boolean late = !declined && at.isAfter(due);
        if (r.answeredAt() == null && !late) {
            switch (d.choice()) {
                case DEFER -> {
                    due = d.until();
                    declined = false;
                }
                case DECLINE -> declined = true;
                case ACCEPT -> declined = false;
            }
        }
        return new CaseTimeline.Response(r.party(), r.ackedAt(), r.answeredAt(), d, due, declined, r.ignored());
    }

    private static CaseTimeline.Response ignoring(CaseTimeline.Response r, String why) {
        List<String> ignored = new ArrayList<>(r.ignored());
        ignored.add(why);
        return new CaseTimeline.Response(r.party(), r.ackedAt(), r.answeredAt(), r.decision(), r.answerDue(), r.declined(), ignored);
    }

    /** Whether every addressed party has declined (and so the request is declined, until one of them changes its mind). */
    static boolean allDeclined(Collection<String> addressed, Map<String, CaseTimeline.Response> responses) {
        return !addressed.isEmpty() && addressed.stream().allMatch(p -> responses.containsKey(p) && responses.get(p).declined());
    }

    /** The case's answer status from its addressed parties' own ones ({@code whenNone}: a case addressing nobody). */
    static DeadlineStatus caseStatus(List<String> addressed, Function<String, DeadlineStatus> of, Supplier<DeadlineStatus> whenNone) {
        if (addressed.isEmpty()) return whenNone.get();
        List<DeadlineStatus> all = addressed.stream().map(of).toList();
        if (all.stream().allMatch(s -> s == DeadlineStatus.DECLINED)) return DeadlineStatus.DECLINED;
        if (all.contains(DeadlineStatus.MISSED)) return DeadlineStatus.MISSED;
        if (all.contains(DeadlineStatus.PENDING)) return DeadlineStatus.PENDING;
        return all.contains(DeadlineStatus.NOT_APPLICABLE) ? DeadlineStatus.NOT_APPLICABLE : DeadlineStatus.DECLINED;
    }

    /** An ack's line in the case's events when it has no summary or text of its own: its decision, or why it counts for nothing. */
    static String summary(CaseTimeline.Item item) {
        var e = item.envelope();
        if (!e.body().has("decision")) return "";
        try {
            return Decision.read(e.body(), e.createdAt(), item.hash()).describe();
        } catch (EnvelopeFormatException ex) {
            return "ill-formed decision, ignored: " + ex.field() + ": " + ex.getMessage();
        }
    }
}
