package io.parley.node;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.Kind;
import io.parley.envelope.Priority;
import io.parley.envelope.Rejection;
import io.parley.envelope.Tlp;
import io.parley.envelope.Verdict;
import io.parley.identity.SigningKey;
import io.parley.json.Json;
import io.parley.server.NodeServer;
import io.parley.store.Dialect;
import io.parley.store.StoredEnvelope;
import io.parley.testing.Fixtures;
import io.parley.testing.TestNodes;

/**
 * The Composer's group commit on a real node (SQLite, and PostgreSQL in the suite's second pass): writers that pile
 * up behind one channel share a transaction, and the chain they make is the one a single writer would make: every
 * accepted envelope once, in an unbroken chain, with its outbox rows and log entry; a refused draft takes no place;
 * a failure mid-group loses nothing that was acknowledged and acknowledges nothing that was lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComposerGroupCommitTest {
    @TempDir static Path tmp;
    static final String CH = "group-ch", RED = "group-red";
    final SigningKey b = SigningKey.generate("cert-b.example");
    final SigningKey c = SigningKey.generate("cert-c.example");
    NodeServer node;
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    void start() throws Exception {
        node = TestNodes.start(tmp, "cert-a.example", null, Clock.systemUTC());
        for (String id : List.of(CH, RED)) {
            Charter charter = Fixtures.charter(id, id.equals(RED) ? Tlp.RED : Tlp.AMBER, node.node().key(), b, c);
            TestNodes.know(node, c);
            TestNodes.activate(node, charter, b);
            var sign = TestNodes.post(node, "/federation/v1/inbox", Json.write(Fixtures.signCharter(c, charter, 1, null).toJson()));
            assertEquals(201, sign.statusCode(), sign.body());
            assertTrue(TestNodes.eventually(10, () -> node.node().charters().active(id)));
        }
        node.node().onAcceptedBatch(stored -> {
            if (stored.getFirst().envelope().from().equals(node.node().origin())) batchSizes.add(stored.size());
        });
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    private Composer.Draft draft(String channel, Tlp tlp, String text) {
        return new Composer.Draft(channel, Kind.NOTIFY, null, Priority.URGENT, tlp, Json.object().put("text", text).put("lang", "en"));
    }

    /** Runs every task at once from {@code threads} threads; returns each outcome (a Verdict or the exception thrown). */
    private List<Object> together(int threads, List<java.util.concurrent.Callable<Verdict>> tasks) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Object> out = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Object>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Object> mine = new ArrayList<>();
                    for (int i = first; i < tasks.size(); i += threads) {
                        try {
                            mine.add(tasks.get(i).call());
                        } catch (RuntimeException e) {
                            mine.add(e);
                        }
                    }
                    return mine;
                }));
            }
            for (Future<Object> f : futures) out.addAll((List<?>) f.get());
        }
        return out;
    }

    /** Our chain in {@code channel}: seq 1..n without a hole, each prev the hash before it; returns the hashes. */
    private List<String> unbrokenChain(String channel) {
        List<StoredEnvelope> chain = node.node().envelopes().chain(channel, node.node().origin(), 0, 100_000);
        String prev = null;
        for (int i = 0; i < chain.size(); i++) {
            Envelope e = chain.get(i).envelope();
            assertEquals(i + 1, e.seq(), "no hole in our chain");
            assertEquals(prev, e.prev(), "each link names the one before it");
            prev = chain.get(i).hash();
        }
        return chain.stream().map(StoredEnvelope::hash).toList();
    }

    private long count(String sql, Object... args) {
        return node.node().db().queryOne(sql, rs -> rs.getLong(1), args).orElseThrow();
    }

    @Test
    void writersThatPileUpShareATransactionAndMakeOneUnbrokenChain() throws Exception {
        int before = unbrokenChain(CH).size();
        List<java.util.concurrent.Callable<Verdict>> tasks = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String text = "message " + i;
            // every tenth is over the channel's ceiling: refused, and it must take no place in the chain
            Tlp tlp = i % 10 == 9 ? Tlp.RED : Tlp.AMBER;
            tasks.add(() -> node.node().composer().compose(draft(CH, tlp, text)));
        }
        List<Object> outcomes = together(16, tasks);
        List<String> accepted = outcomes.stream().filter(o -> o instanceof Verdict.Accepted).map(o -> ((Verdict.Accepted) o).hash()).toList();
        long refused = outcomes.stream().filter(o -> o instanceof Verdict.Rejected r && r.reason() instanceof Rejection.TlpAboveCeiling).count();
        assertEquals(360, accepted.size(), outcomes.stream().filter(o -> !(o instanceof Verdict.Accepted)).toList().toString());
        assertEquals(40, refused);
        assertEquals(360, new HashSet<>(accepted).size(), "no two callers got the same envelope");
        List<String> chain = unbrokenChain(CH);
        assertTrue(Set.copyOf(chain).containsAll(accepted), "every acknowledged envelope is in the chain");
        assertEquals(before + accepted.size(), chain.size(), "and nothing else");
        assertTrue(TestNodes.eventually(20, () -> count("SELECT COUNT(*) FROM log_queue") == 0), "the log sequenced everything");
        for (String hash : accepted) {
            assertEquals(2, count("SELECT COUNT(*) FROM outbox WHERE envelope_hash = ?", hash), "one outbox row per other member");
            assertEquals(1, count("SELECT COUNT(*) FROM log_entries WHERE ref = ?", hash), "one log entry each");
        }
        assertTrue(batchSizes.stream().anyMatch(n -> n > 1), "writers that waited were written together: " + batchSizes);
    }

    @Test
    void aBulkOfDraftsIsWrittenInItsOrderInGroups() {
        int before = unbrokenChain(CH).size();
        batchSizes.clear();
        List<Composer.Draft> drafts = new ArrayList<>();
        for (int i = 0; i < 300; i++) drafts.add(draft(CH, Tlp.AMBER, "bulk " + i));
        List<Verdict> verdicts = node.node().composer().composeAll(drafts);
        List<String> chain = unbrokenChain(CH);
        assertEquals(before + 300, chain.size());
        assertEquals(verdicts.stream().map(v -> ((Verdict.Accepted) v).hash()).toList(), chain.subList(before, chain.size()), "in the order given");
        List<String> texts = node.node().envelopes().chain(CH, node.node().origin(), before, 1000).stream()
                .map(s -> s.envelope().body().path("text").asText()).toList();
        assertEquals(drafts.stream().map(d -> d.body().path("text").asText()).toList(), texts);
        assertEquals(List.of(Composer.MAX_GROUP, 300 - Composer.MAX_GROUP), List.copyOf(batchSizes), "two transactions, not 300");
    }

    @Test
    void aDraftThatCannotBeBuiltFailsOnlyItsOwnCaller() throws Exception {
        List<java.util.concurrent.Callable<Verdict>> tasks = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // a RED message must name its recipients: one in six does not
            var body = Json.object().put("text", "red " + i).put("lang", "en");
            if (i % 6 != 0) body.putArray("recipients").add(b.name());
            tasks.add(() -> node.node().composer().compose(new Composer.Draft(RED, Kind.NOTIFY, null, Priority.URGENT, Tlp.RED, body)));
        }
        List<Object> outcomes = together(8, tasks);
        assertEquals(10, outcomes.stream().filter(o -> o instanceof io.parley.envelope.EnvelopeFormatException).count(), outcomes.toString());
        List<String> accepted = outcomes.stream().filter(o -> o instanceof Verdict.Accepted).map(o -> ((Verdict.Accepted) o).hash()).toList();
        assertEquals(50, accepted.size());
        unbrokenChain(RED);
        for (String hash : accepted) {
            // the named recipient gets the message, the other member our signed notice instead
            assertEquals(1, count("SELECT COUNT(*) FROM outbox WHERE envelope_hash = ? AND recipient = ? AND notice IS NULL", hash, b.name()));
            assertEquals(1, count("SELECT COUNT(*) FROM outbox WHERE envelope_hash = ? AND recipient = ? AND notice IS NOT NULL", hash, c.name()));
        }
    }

    @Test
    void aDatabaseFailureMidGroupAcknowledgesNothingItLostAndTheChainGoesOn() throws Exception {
        long next = node.node().envelopes().head(CH, node.node().origin()).orElseThrow().seq() + 5;
        boolean pg = node.node().db().dialect() == Dialect.POSTGRESQL;
        if (pg) {
            node.node().db().update("CREATE FUNCTION fail_our_seq() RETURNS trigger AS $$ BEGIN IF NEW.channel = '" + CH + "' AND NEW.seq = " + next
                    + " AND NEW.sender = 'cert-a.example' THEN RAISE EXCEPTION 'disk gone'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            node.node().db().update("CREATE TRIGGER fail_our_seq BEFORE INSERT ON envelopes FOR EACH ROW EXECUTE FUNCTION fail_our_seq()");
        } else {
            node.node().db().update("CREATE TRIGGER fail_our_seq BEFORE INSERT ON envelopes WHEN NEW.channel = '" + CH + "' AND NEW.seq = " + next
                    + " AND NEW.sender = 'cert-a.example' BEGIN SELECT RAISE(ABORT, 'disk gone'); END");
        }
        List<java.util.concurrent.Callable<Verdict>> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String text = "during the failure " + i;
            tasks.add(() -> node.node().composer().compose(draft(CH, Tlp.AMBER, text)));
        }
        List<Object> outcomes;
        try {
            outcomes = together(8, tasks);
        } finally {
            node.node().db().update(pg ? "DROP TRIGGER fail_our_seq ON envelopes" : "DROP TRIGGER fail_our_seq");
        }
        long failed = outcomes.stream().filter(o -> o instanceof io.parley.store.StoreException).count();
        List<String> accepted = outcomes.stream().filter(o -> o instanceof Verdict.Accepted).map(o -> ((Verdict.Accepted) o).hash()).toList();
        assertTrue(failed >= 1, "the write at the failing seq failed: " + outcomes);
        assertEquals(40, failed + accepted.size(), outcomes.toString());
        assertEquals(Verdict.Accepted.class, node.node().composer().compose(draft(CH, Tlp.AMBER, "after the failure")).getClass());
        Set<String> chain = Set.copyOf(unbrokenChain(CH));
        assertTrue(chain.containsAll(accepted), "everything acknowledged was kept");
        for (Object o : outcomes) {
            if (o instanceof Verdict.Accepted a) assertEquals(1, count("SELECT COUNT(*) FROM outbox WHERE envelope_hash = ?", a.hash()) / 2);
        }
    }
}
