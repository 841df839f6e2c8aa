package io.parley.cases;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.charter.Charter;
import io.parley.envelope.Kind;
import io.parley.envelope.Verdict;
import io.parley.json.Json;
import io.parley.node.Composer;
import io.parley.node.Node;
import io.parley.timeline.CaseTimeline;
import io.parley.timeline.DeadlineStatus;
import io.parley.worker.Worker;

/**
 * Watches the deadlines of unfinished cases. When a deadline has passed without its response, each rung of the
 * charter's escalation ladder fires at {@code due + rung.after}: this node signs an {@code escalate} envelope to the
 * channel and notifies locally. Which rungs fired is derived again from our own escalate envelopes after a restart,
 * so a restart neither loses nor repeats an escalation. Every node runs its own clock on the same signed times, so
 * all members see the same misses. For a case this node opened, each party that let a deadline pass is pinged once
 * ({@link SilencePins}) so that the case bundle can prove its silence.
 */
public final class DeadlineClock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineClock.class);

    private final Node node;
    private final CaseBook cases;
    private final Notifier notifier;
    private final SilencePins pins;
    private final HoldReminders holds;
    private final Worker worker;

    public DeadlineClock(Node node, CaseBook cases, Notifier notifier, Duration interval) {
        this.node = node;
        this.cases = cases;
        this.notifier = notifier;
        this.pins = new SilencePins(node);
        this.holds = new HoldReminders(cases, notifier);
        this.worker = Worker.named("parley-deadlines").every(interval).random(node.random()).log(LOG).start(() -> {
            tick();
            remindHolds();
            return Worker.IDLE;
        });
    }

    /**
     * One pass of the preservation hold reminders at the node's current time; returns how many this call sent (none on
     * an instance that does not run the node's duties).
     */
    public synchronized int remindHolds() {
        if (!node.runsDuties()) return 0;
        return holds.tick(node.now());
    }

    /**
     * One pass over every unfinished case at the node's current time; returns how many rungs fired (none on an instance
     * that does not run the node's duties, {@link Node#runsDuties}).
     */
    public synchronized int tick() {
        // Another instance on the same database runs the clock: two would sign every escalation twice.
        if (!node.runsDuties()) return 0;
        Instant now = node.now();
        int fired = 0;
        for (CaseKey key : cases.unfinished()) {
            try {
                CaseTimeline t = cases.timeline(key).orElse(null);
                if (t == null) continue;
                Charter charter = node.channels().charter(t.channel()).orElse(null);
                if (charter == null || charter.member(node.origin()).isEmpty()) continue;
                if (t.ackStatus(now) == DeadlineStatus.MISSED && t.ackedAt() == null) fired += escalate(t, charter, "ack", t.ackDue(), now);
                if (t.answerStatus(now) == DeadlineStatus.MISSED && t.answeredAt() == null) fired += escalate(t, charter, "answer", t.answerDueInForce(), now);
                pins.pin(t, charter, now);
            } catch (Throwable e) {
                // One case that cannot be judged (whatever a peer put in it) never stops the others' deadlines.
                LOG.warn("deadline check of case {} failed: {}", key, e.toString());
            }
        }
        return fired;
    }

    private int escalate(CaseTimeline t, Charter charter, String deadline, Instant due, Instant now) {
        int fired = 0;
        List<Charter.Rung> ladder = charter.escalation().isEmpty() ? List.of(new Charter.Rung(Duration.ZERO, "duty officer", null)) : charter.escalation();
        for (int i = 0; i < ladder.size(); i++) {
            Charter.Rung rung = ladder.get(i);
            if (now.isBefore(due.plus(rung.after()))) break;
            if (alreadyFired(t, deadline, i)) continue;
            ObjectNode body = Json.object().put("deadline", deadline).put("rung", i).put("role", rung.role()).put("due", due.toString())
                    .put("summary", "No " + (deadline.equals("ack") ? "acknowledgement" : "answer") + " of " + t.caseId() + " by " + due + "; escalated to " + rung.role());
            if (rung.contact() != null) body.put("contact", rung.contact());
            Verdict v = node.composer().compose(new Composer.Draft(t.channel(), Kind.ESCALATE, t.caseId(), t.priority(), t.tlp(), CaseBook.addressed(node, t, body)));
            String hash = v instanceof Verdict.Accepted a ? a.hash() : null;
            cases.store().recordEscalation(t.channel(), t.caseId(), deadline, i, now, hash);
            ObjectNode event = body.deepCopy().put("event", "escalation").put("case", t.caseId()).put("channel", t.channel())
                    .put("opened_by", t.openedBy()).put("priority", t.priority().wire()).put("detected_at", now.toString());
            notifier.notify(t.caseId(), t.channel(), t.exercise(), Notice.of("escalation." + deadline, t.caseId(), rung.role(), due,
                    new Notice.Term("notify.kind." + t.kind().wire()), new Notice.Term("notify.priority." + t.priority().wire()), t.openedBy(), t.channel()), event);
            fired++;
        }
        return fired;
    }

    /** From our own signed escalate envelopes, which survive restarts with the rest of the case. */
    private boolean alreadyFired(CaseTimeline t, String deadline, int rung) {
        return node.envelopes().inCase(t.channel(), t.caseId()).stream().map(s -> s.envelope())
                .filter(e -> e.kind() == Kind.ESCALATE && e.from().equals(node.origin()))
                .map(e -> e.body()) // a copy per call (envelopes are immutable): read it once
                .anyMatch(b -> deadline.equals(b.path("deadline").asText()) && b.path("rung").asInt(-1) == rung);
    }

    /** The automatic pings that pin silent parties' chains after our cases' deadlines. */
    public SilencePins pins() {
        return pins;
    }

    @Override
    public void close() {
        worker.close();
    }
}
