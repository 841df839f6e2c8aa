package io.parley.server;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;
import io.parley.json.Json;
import io.parley.log.MerkleProofs;
import io.parley.receipt.ReceiptVerifier;
import io.parley.store.Database;
import io.parley.store.StoredEnvelope;
import io.parley.testing.Fixtures;
import io.parley.testing.TestDatabases;
import io.parley.testing.TestNodes;
import io.parley.transparency.LogStore;
import io.parley.transparency.StoredCheckpoint;

/**
 * Scale-out: two instances of one party on one PostgreSQL database both take inbox traffic at once, singly and in
 * batches, with every envelope posted to both. Whichever instance stores an envelope, it is stored once, in its
 * chain's order, logged once by the one sequencer, and either instance's receipt for it verifies.
 */
class SharedPostgresInboxTest {
    private static final int PER_CHAIN = 40;
    private static final int MAX_BATCH = 12;

    @TempDir Path tmp;

    /** One sender's chain in one channel: its charter signature (seq 1), then {@link #PER_CHAIN} messages. */
    private record Chain(String channel, SigningKey sender, List<Envelope> envelopes) {}

    /** What an inbox answered for one envelope, and which instance answered. */
    private record Answer(NodeServer instance, Envelope envelope, JsonNode result) {}

    @Test
    void twoInstancesTakingTheSameEnvelopesStoreEachOnceInChainOrderAndLogEachOnce() throws Exception {
        String url = TestDatabases.freshUrl(TestDatabases.POSTGRESQL, tmp);
        Clock clock = Clock.systemUTC();
        NodeServer a = TestNodes.start(tmp, "cert-hub.example", url, clock);
        NodeServer b = TestNodes.secondInstance(a, tmp.resolve("second-instance"), Clock.systemUTC());
        try (Database db = Database.open(url)) {
            SigningKey s1 = SigningKey.generate("cert-s1.example"), s2 = SigningKey.generate("cert-s2.example"), s3 = SigningKey.generate("cert-s3.example");
            for (SigningKey s : List.of(s1, s2, s3)) TestNodes.know(a, s); // one database: both instances know them
            Charter one = Fixtures.charter("ch-one", Tlp.AMBER, a.node().key(), s1, s2);
            Charter two = Fixtures.charter("ch-two", Tlp.AMBER, a.node().key(), s2, s3);
            List<Chain> chains = List.of(
                    new Chain("ch-one", s1, new ArrayList<>(List.of(TestNodes.activate(a, one, s1)))),
                    new Chain("ch-one", s2, new ArrayList<>(List.of(signAt(b, one, s2)))),
                    new Chain("ch-two", s2, new ArrayList<>(List.of(TestNodes.activate(b, two, s2)))),
                    new Chain("ch-two", s3, new ArrayList<>(List.of(signAt(a, two, s3)))));
            for (NodeServer n : List.of(a, b)) {
                assertTrue(TestNodes.eventually(10, () -> n.node().charters().active("ch-one") && n.node().charters().active("ch-two")));
            }
            for (Chain c : chains) {
                for (int seq = 2; seq <= PER_CHAIN + 1; seq++) {
                    Envelope prev = c.envelopes().get(c.envelopes().size() - 1);
                    c.envelopes().add(Fixtures.envelope(c.sender(), c.channel(), seq, prev.hash(), Tlp.AMBER, c.sender().name() + " #" + seq));
                }
            }

            List<Answer> answers = postToBothConcurrently(chains, a, b);

            VerifierKey logKey = a.node().key().verifierKey();
            for (Answer ans : answers) {
                String status = ans.result().path("status").asText();
                assertTrue(status.equals("accepted") || status.equals("duplicate"), "in-order envelope refused: " + ans.result());
                if (ans.result().has("receipt")) {
                    ReceiptVerifier.verify(ans.envelope().canonicalBytes(), ans.result().path("receipt").path("tlog_proof").asText(), logKey, List.of(), 0);
                }
            }
            for (Chain c : chains) {
                for (Envelope e : c.envelopes()) {
                    long accepted = answers.stream().filter(x -> x.envelope().hash().equals(e.hash()) && x.result().path("status").asText().equals("accepted")).count();
                    if (e.seq() > 1) assertEquals(1, accepted, e.hash() + ": stored by exactly one instance, the other answered duplicate");
                }
            }

            for (NodeServer n : List.of(a, b)) {
                assertTrue(answers.stream().anyMatch(x -> x.instance() == n && x.result().path("status").asText().equals("accepted")),
                        "both instances stored some of the envelopes");
            }

            // stored once each, in chain order, exactly the envelopes sent: no gap, no fork, nothing lost
            for (Chain c : chains) {
                List<StoredEnvelope> stored = a.node().envelopes().chain(c.channel(), c.sender().name(), 0, 1000);
                assertEquals(c.envelopes().stream().map(Envelope::hash).toList(), stored.stream().map(StoredEnvelope::hash).toList(),
                        c.channel() + "/" + c.sender().name());
            }
            assertEquals(List.of(), db.query("SELECT hash FROM envelopes GROUP BY hash HAVING COUNT(*) > 1", rs -> rs.getString(1)));

            // each stored envelope has exactly one log entry, and the newest checkpoint covers them all
            LogStore log = a.node().log().store();
            assertTrue(TestNodes.eventually(15, () -> log.queueLength() == 0), "the one sequencer drained the shared queue");
            long entries = db.queryOne("SELECT COUNT(*) FROM log_entries", rs -> rs.getLong(1)).orElseThrow();
            assertTrue(TestNodes.eventually(10, () -> a.node().log().latest().orElseThrow().size() == entries
                    && b.node().log().latest().orElseThrow().size() == entries), "both instances publish the checkpoint covering every entry");
            assertEquals(List.of(), db.query("SELECT e.hash FROM envelopes e LEFT JOIN log_entries l ON l.ref = e.hash "
                    + "GROUP BY e.hash HAVING COUNT(l.idx) <> 1", rs -> rs.getString(1)), "envelopes not logged exactly once");
            StoredCheckpoint newest = a.node().log().latest().orElseThrow();
            for (StoredCheckpoint older : log.checkpoints(0, 100_000)) {
                MerkleProofs.verifyConsistency(older.size(), newest.size(), older.root(), newest.root(), a.node().log().consistencyProof(older.size(), newest.size()));
            }
            for (Chain c : chains) {
                for (Envelope e : c.envelopes()) {
                    for (NodeServer n : List.of(a, b)) {
                        var receipt = n.node().log().receipt(e.hash()).orElseThrow(() -> new AssertionError(e.hash() + " has no receipt"));
                        ReceiptVerifier.verify(e.canonicalBytes(), receipt.proof().encode(), logKey, List.of(), 0);
                    }
                }
            }
        } finally {
            b.close();
            a.close();
        }
    }

    /**
     * Each chain is sent by its own task in batches of 1 to {@link #MAX_BATCH} (a batch of one as a bare envelope),
     * every batch to both instances at the same moment; a chain's next batch waits for both answers, as a sender
     * waits for its receipts, so the envelopes of one chain arrive in order while all chains and both instances run
     * at once.
     */
    private static List<Answer> postToBothConcurrently(List<Chain> chains, NodeServer a, NodeServer b) throws Exception {
        List<Answer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService senders = Executors.newFixedThreadPool(chains.size()); ExecutorService posts = Executors.newFixedThreadPool(2 * chains.size())) {
            List<Future<?>> done = new ArrayList<>();
            for (Chain c : chains) {
                Random random = new Random(c.hashCode());
                done.add(senders.submit(() -> {
                    List<Envelope> todo = c.envelopes().subList(1, c.envelopes().size()); // seq 1 is its charter signature, sent already
                    for (int i = 0; i < todo.size(); ) {
                        List<Envelope> batch = todo.subList(i, Math.min(todo.size(), i + 1 + random.nextInt(MAX_BATCH)));
                        Future<List<Answer>> atA = posts.submit(() -> post(a, batch));
                        Future<List<Answer>> atB = posts.submit(() -> post(b, batch));
                        answers.addAll(atA.get());
                        answers.addAll(atB.get());
                        i += batch.size();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        return answers;
    }

    private static List<Answer> post(NodeServer instance, List<Envelope> batch) throws Exception {
        if (batch.size() == 1) {
            var res = TestNodes.post(instance, "/federation/v1/inbox", Json.write(batch.get(0).toJson()));
            assertTrue(res.statusCode() == 201 || res.statusCode() == 200, res.statusCode() + " " + res.body());
            return List.of(new Answer(instance, batch.get(0), Json.parse(res.body())));
        }
        var body = Json.object();
        var array = body.putArray("envelopes");
        batch.forEach(e -> array.add(e.toJson()));
        var res = TestNodes.post(instance, "/federation/v1/inbox", Json.write(body));
        assertEquals(200, res.statusCode(), res.body());
        JsonNode results = Json.parse(res.body()).path("results");
        assertEquals(batch.size(), results.size());
        List<Answer> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) out.add(new Answer(instance, batch.get(i), results.get(i)));
        return out;
    }

    /** {@code key} signs {@code charter} (proposed already) through {@code instance}'s inbox. */
    private static Envelope signAt(NodeServer instance, Charter charter, SigningKey key) throws Exception {
        TestNodes.know(instance, key);
        Envelope sign = Fixtures.signCharter(key, charter, 1, null);
        var res = TestNodes.post(instance, "/federation/v1/inbox", Json.write(sign.toJson()));
        assertEquals(201, res.statusCode(), res.body());
        return sign;
    }
}
