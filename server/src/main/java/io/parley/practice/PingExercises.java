package io.parley.practice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.cases.CaseBook;
import io.parley.charter.Charter;
import io.parley.charter.Practice;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.timeline.CaseTimeline;

/**
 * The charter's scheduled ping exercises ({@code ping_exercises}): at each slot one member pings the channel with an
 * exercise ping ({@code "exercise": true}), which every other member answers (an automatic ping by its node's pong, a
 * human one by a person's acknowledgement) and which reports count among the exercise figures.
 *
 * <p>Whose turn: the members take turns in charter order, slot by slot ({@link Practice.PingExercise#slotNumber}).
 * One ping per slot, not one from every member, so a human ping asks each duty officer for one answer per slot
 * rather than one per member; turns, not always the first member, so over as many slots as there are members every
 * member both pings and is pinged, and no one node being down stops every exercise. Every member computes the turn
 * from the charter and the slot alone.
 *
 * <p>Once per slot: the slot is claimed in the database before the ping is sent ({@link PracticeStore#claim}), so a
 * restart or a second instance on the same database never sends it twice (a crash between the claim and the send
 * loses that slot rather than doubling it). After downtime only the latest slot is caught up, never a backlog; a slot
 * from before the terms came into force is not.
 */
public final class PingExercises {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PingExercises.class);
    private final Node node;
    private final CaseBook cases;
    private final PracticeStore store;

    public PingExercises(Node node, CaseBook cases, PracticeStore store) {
        this.node = node;
        this.cases = cases;
        this.store = store;
    }

    /** The name of an exercise's slots among the scheduled acts (the slot itself holds the day and time). */
    static String act(Practice.PingExercise p) {
        return "ping-exercise:" + p.mode();
    }

    /** The member whose turn slot {@code slot} of exercise {@code p} is. */
    public static String turn(Charter c, Practice.PingExercise p, Instant slot) {
        return c.members().get((int) Math.floorMod(p.slotNumber(slot), (long) c.members().size())).origin();
    }

    /** When the terms in force came into force: the last member's signature on them; empty while one is missing. */
    Optional<Instant> inForceSince(Charter c) {
        Instant since = Instant.MIN;
        for (Charter.Member m : c.members()) {
            Optional<Instant> at = node.channels().signedAt(c.channel(), c.hash(), m.origin());
            if (at.isEmpty()) return Optional.empty();
            if (at.get().isAfter(since)) since = at.get();
        }
        return Optional.of(since);
    }

    /** Sends the pings whose slot has come and whose turn is ours; returns the cases opened. */
    public List<CaseTimeline> tick(Instant now) {
        List<CaseTimeline> opened = new ArrayList<>();
        for (Charter c : node.channels().all()) {
            try {
                opened.addAll(tick(c, now));
            } catch (RuntimeException e) {
                // one channel whose exercise cannot be sent (the Composer refused it, say) never stops another's
                LOG.warn("ping exercise in channel {} failed: {}", c.channel(), e.toString());
            }
        }
        return opened;
    }

    private List<CaseTimeline> tick(Charter c, Instant now) {
        List<CaseTimeline> opened = new ArrayList<>();
        if (c.practice().pingExercises().isEmpty() || !node.charters().active(c.channel()) || c.member(node.origin()).isEmpty()) return opened;
        Instant since = inForceSince(c).orElse(null);
        if (since == null) return opened;
        List<Practice.PingExercise> exercises = c.practice().pingExercises();
        for (int i = 0; i < exercises.size(); i++) {
            Practice.PingExercise p = exercises.get(i);
            Instant slot = p.latestSlot(now);
            if (slot.isBefore(since) || !turn(c, p, slot).equals(node.origin())) continue;
            if (!store.claim(c.channel(), act(p), slot, now)) continue;
            ObjectNode body = Json.object().put("mode", p.mode()).put("exercise", true).put("exercise_slot", slot.toString())
                    .put("summary", "Scheduled exercise (" + p.describe() + ")" + (p.mode().equals("human") ? ": please acknowledge" : ""));
            CaseTimeline t = cases.open(c.channel(), Kind.PING, Priority.ROUTINE, Tlp.GREEN, body);
            store.done(c.channel(), act(p), slot, t.openingHash());
            opened.add(t);
        }
        return opened;
    }

    /** Exercise {@code p}'s next slot after {@code now} and whose turn it is, for people. */
    public static String next(Charter c, Practice.PingExercise p, Instant now) {
        Instant next = p.nextSlot(now);
        return next + " (" + turn(c, p, next) + " pings)";
    }
}
