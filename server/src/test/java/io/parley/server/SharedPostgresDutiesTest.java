package io.parley.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Tlp;
import io.parley.federation.Federation;
import io.parley.json.Json;
import io.parley.store.Leadership;
import io.parley.testing.MutableClock;
import io.parley.testing.TestDatabases;
import io.parley.testing.TestNodes;

/**
 * Scale-out: two instances of cert-a on one PostgreSQL database run the node's duties once between them. Before the
 * duties had a lock, every instance ran every clock and every delivery: two instances ticking together each signed the
 * same escalation and paged the duty officer twice, and both sent every queued envelope to the peer.
 *
 * <p>Here: what the second instance composes is delivered by the first, woken by the log rather than by a scan,
 * while the second posts nothing (each instance counts what it posts); the two clocks ticking at the same moment sign one escalation per rung and
 * send one notification; and when the instance on duty stops, the other takes the duties over: it escalates the next
 * rung and delivers what it composes.
 */
class SharedPostgresDutiesTest {
    /**
     * cert-a's instances look at the outbox without a wake-up only hourly: what the second instance composes reaches
     * cert-b in this test only because the log's sequencing of it wakes the instance on duty.
     */
    static final Federation.Settings NO_SCAN = TestNodes.FAST.withOutboxScan(Duration.ofHours(1));
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.now());

    @Test
    void oneInstanceRunsTheDutiesOnceAndTheOtherTakesOverWhenItStops() throws Exception {
        String url = TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp);
        NodeServer a = TestNodes.start(tmp, "cert-a.example", url, clock, 0, c -> c, NO_SCAN);
        NodeServer b = null, a2 = null;
        try {
            assertTrue(a.node().runsDuties(), "the only instance runs the duties");
            b = TestNodes.start(tmp, "cert-b.example", null, clock);
            TestNodes.peerAll(a, b);
            TestNodes.establish(TestNodes.charter("duty", Tlp.AMBER, a, b), a, b);
            a2 = TestNodes.secondInstance(a, tmp.resolve("cert-a-2"), clock, NO_SCAN);
            assertFalse(a2.node().runsDuties(), "a second instance waits while the first holds the duties");
            assertEquals(1, lockHolders(a), "one session holds the duties' lock");

            // composed on the second instance, delivered by the first (woken by the log, not by a scan), each envelope once
            List<String> opened = new ArrayList<>();
            for (int i = 0; i < 12; i++) opened.add(open(a2, "Scan from AS64500, part " + i));
            NodeServer peer = b;
            assertTrue(TestNodes.eventually(20, () -> opened.stream().allMatch(id -> peer.cases().timeline(id).isPresent())),
                    "every case composed on the second instance reached cert-b");
            assertEquals(0.0, sent(a2), "the second instance posted nothing to cert-b: the first delivered it all");
            assertTrue(sent(a) >= opened.size(), "the first did");

            // both clocks tick at the same moment after the ack deadline (and the background ticks go on): every case
            // escalates its ack rung, once, and the duty officer is notified once
            String id = opened.get(0);
            clock.advance(Duration.ofMinutes(20));
            List<Integer> fired = tickTogether(a, a2);
            assertEquals(0, fired.get(1), "the instance off duty signs nothing: " + fired);
            NodeServer first = a;
            assertTrue(TestNodes.eventually(10, () -> opened.stream().allMatch(c -> escalations(first, c).contains("ack/0"))),
                    "every case escalated its missed acknowledgement");
            assertOnce(escalations(a, opened));
            var sent = a.notifier().sent(id);
            assertFalse(sent.isEmpty(), "the duty officer was notified");
            assertEquals(sent.size(), sent.stream().distinct().count(), "and not twice: " + sent);
            assertEquals(sent, a2.notifier().sent(id), "both instances read the same record");
            NodeServer onDuty = a;
            assertTrue(TestNodes.eventually(20, () -> onDuty.federation().outbox().count("cert-b.example", "queued") == 0),
                    "the escalations reached cert-b");
            assertEquals(0.0, sent(a2), "delivered by the instance on duty alone");

            // the instance on duty stops: the other takes over, escalates and delivers
            a.close();
            a = null;
            NodeServer rest = a2;
            assertTrue(TestNodes.eventually(10, rest.node()::runsDuties), "the second instance takes the duties over");
            clock.advance(Duration.ofHours(30));
            rest.deadlines().tick();
            assertTrue(TestNodes.eventually(10, () -> opened.stream().allMatch(c -> escalations(rest, c).contains("answer/0"))),
                    "the new holder escalates the missed answers");
            assertOnce(escalations(a2, opened));
            String after = open(a2, "Scan from AS64500, after the hand-over");
            assertTrue(TestNodes.eventually(20, () -> peer.cases().timeline(after).isPresent()), "the new holder delivers");
            assertTrue(sent(a2) > 0, "and counts what it posted");
        } finally {
            for (NodeServer n : new NodeServer[] {a2, b, a}) if (n != null) n.close();
        }
    }

    private static String open(NodeServer at, String summary) {
        return at.cases().open("duty", Kind.REQUEST, Priority.URGENT, Tlp.AMBER, Json.object().put("type", "information").put("summary", summary)
                .put("asked", "Tell us what you see")).caseId();
    }

    /** Both instances' deadline clocks at once, released together; what each fired. */
    private static List<Integer> tickTogether(NodeServer x, NodeServer y) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> f = new ArrayList<>();
            for (NodeServer n : List.of(x, y)) {
                f.add(pool.submit(() -> {
                    start.await();
                    return n.deadlines().tick();
                }));
            }
            return List.of(f.get(0).get(), f.get(1).get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The rungs ({@code deadline/rung}) of the escalate envelopes the node signed in case {@code id}, in chain order. */
    private static List<String> escalations(NodeServer n, String id) {
        return n.node().envelopes().inCase("duty", id).stream()
                .filter(s -> s.envelope().kind() == Kind.ESCALATE && s.envelope().from().equals(n.node().origin()))
                .map(s -> s.envelope().body()).map(b -> b.path("deadline").asText() + "/" + b.path("rung").asInt()).toList();
    }

    /** Each case's rungs, {@code case:deadline/rung}, over {@code cases}. */
    private static List<String> escalations(NodeServer n, List<String> cases) {
        List<String> out = new ArrayList<>();
        for (String id : cases) escalations(n, id).forEach(r -> out.add(id + ":" + r));
        return out;
    }

    private static void assertOnce(List<String> rungs) {
        assertEquals(rungs.size(), new java.util.HashSet<>(rungs).size(), "a rung signed twice: " + rungs);
    }

    /**
     * What the instance posted to peers' inboxes (each instance counts its own). Not the peer's count of duplicates:
     * one instance alone may send a batch again after a receipt it could not get in time, which the peer stores once.
     */
    private static double sent(NodeServer n) {
        return n.node().metrics().counter("parley_outbox_sent").count();
    }

    /** Sessions of the database granted an advisory lock on the duties' connection (the other one only asks). */
    private static int lockHolders(NodeServer n) {
        return n.node().db().queryOne("SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid "
                + "WHERE l.locktype = 'advisory' AND l.granted AND s.datname = current_database() AND s.application_name = ?",
                rs -> rs.getInt(1), Leadership.Role.DUTIES.applicationName).orElse(0);
    }
}
