package io.parley.store;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.envelope.Envelope;
import io.parley.envelope.Tlp;
import io.parley.identity.SigningKey;
import io.parley.testing.Concurrently;
import io.parley.testing.Fixtures;
import io.parley.testing.TestDatabases;

/**
 * The contracts of the stores behind delivery: the outbox and log queue written with an envelope, {@link OutboxStore},
 * {@link LinkStore} and {@link NonceStore}, on SQLite and on a real PostgreSQL server.
 */
class DeliveryStoresContractTest {
    @TempDir Path tmp;
    private final Instant t0 = Instant.parse("2026-11-30T12:00:00Z");
    private final SigningKey a = SigningKey.generate("cert-a.example");

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void anEnvelopeItsLogEntryAndItsDeliveriesAreStoredTogetherOrNotAtAll(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            EnvelopeStore envelopes = new EnvelopeStore(db);
            Envelope e = Fixtures.envelope(a, "ch-1", 1, null, Tlp.GREEN, "hello");
            // the second recipient breaks the batch (NOT NULL): the envelope, its log entry and the first delivery go too
            assertThrows(StoreException.class, () -> envelopes.insert(e, e.hash(), t0, Arrays.asList("cert-b.example", null)));
            assertTrue(envelopes.byHash(e.hash()).isEmpty());
            assertEquals(0, count(db, "log_queue"));
            assertEquals(0, count(db, "outbox"));

            assertTrue(envelopes.insert(e, e.hash(), t0, List.of("cert-b.example", "cert-c.example")));
            assertEquals(1, count(db, "log_queue"));
            assertEquals(List.of("cert-b.example", "cert-c.example"), new OutboxStore(db).forEnvelope(e.hash()).stream().map(OutboxStore.Status::recipient).toList());
            assertFalse(envelopes.insert(e, e.hash(), t0, List.of("cert-b.example")), "stored once");
            assertEquals(1, count(db, "log_queue"), "a second insert queues nothing more");
            assertEquals(2, count(db, "outbox"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void deliveriesToAPeerAreDueInStoredOrderBehindTheOldest(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            OutboxStore outbox = queued(db, 3);
            List<OutboxStore.Pending> due = outbox.due("cert-b.example", t0, 10);
            assertEquals(List.of(1L, 2L, 3L), due.stream().map(p -> seq(db, p)).toList(), "oldest first");
            assertEquals(2, outbox.due("cert-b.example", t0, 2).size(), "the limit holds");
            assertEquals(List.of("cert-b.example"), outbox.recipientsWithQueued());

            long first = due.getFirst().id();
            outbox.retry(first, "connection refused", t0, t0.plusSeconds(60));
            assertEquals(List.of(), outbox.due("cert-b.example", t0.plusSeconds(59), 10), "later deliveries wait behind the oldest");
            assertEquals(t0.plusSeconds(60), outbox.nextDue("cert-b.example").orElseThrow());
            outbox.postpone(first, "429", t0.plusSeconds(120));
            var status = outbox.forEnvelope(due.getFirst().envelopeHash()).getFirst();
            assertEquals(1, status.attempts(), "a postponement is not an attempt");
            assertEquals(t0, status.failedSince());
            outbox.wake("cert-b.example", t0.plusSeconds(5));
            assertEquals(3, outbox.due("cert-b.example", t0.plusSeconds(5), 10).size(), "woken: due now");

            outbox.delivered(first, "receipt-1", t0.plusSeconds(6));
            outbox.failed(due.get(1).id(), "bad signature", t0.plusSeconds(6));
            assertEquals(List.of(3L), outbox.due("cert-b.example", t0.plusSeconds(6), 10).stream().map(p -> seq(db, p)).toList());
            assertEquals(1, outbox.count("cert-b.example", "delivered"));
            assertEquals(1, outbox.count("cert-b.example", "failed"));
            var delivered = outbox.forEnvelope(due.getFirst().envelopeHash()).getFirst();
            assertEquals("receipt-1", delivered.receipt());
            assertNull(delivered.lastError(), "delivery clears the last error");
            outbox.postpone(first, "too late", t0.plusSeconds(600));
            assertEquals("delivered", outbox.forEnvelope(due.getFirst().envelopeHash()).getFirst().state(), "a delivered row stays delivered");
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void anOutageOpensAtTheFirstFailureAndClosesAtTheNextSuccess(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            LinkStore links = new LinkStore(db);
            links.success("cert-b.example", 1, t0);
            links.failure("cert-b.example", 1, "refused", t0.plusSeconds(10));
            links.failure("cert-b.example", 1, "refused again", t0.plusSeconds(20));
            assertTrue(links.link("cert-b.example").orElseThrow().down());
            assertEquals(1, links.outages("cert-b.example").size(), "one outage however many failures");
            links.success("cert-b.example", 2, t0.plusSeconds(70));
            var link = links.link("cert-b.example").orElseThrow();
            assertFalse(link.down());
            assertEquals(Duration.ofSeconds(60), link.totalDowntime());
            assertEquals(4, link.attempts());
            assertEquals(2, link.failures());
            var outage = links.outages("cert-b.example").getFirst();
            assertEquals(new LinkStore.Outage("cert-b.example", t0.plusSeconds(10), t0.plusSeconds(70), "refused"), outage);
            assertTrue(links.link("cert-c.example").isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aNonceIsAdmittedOnceEvenUnderConcurrentUseUntilPruned(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            NonceStore nonces = new NonceStore(db);
            List<Boolean> admitted = Concurrently.run(8, () -> nonces.firstUse("key-1", "n-1", t0.plusSeconds(300)));
            assertEquals(1, admitted.stream().filter(a -> a).count(), "a replayed request is refused");
            assertTrue(nonces.firstUse("key-2", "n-1", t0.plusSeconds(10)), "nonces are per key");
            assertEquals(1, nonces.prune(t0.plusSeconds(60)));
            assertEquals(1, nonces.count());
            assertFalse(nonces.firstUse("key-1", "n-1", t0.plusSeconds(300)), "kept until its expiry");
        }
    }

    /** An outbox holding {@code n} envelopes of one chain for cert-b.example. */
    private OutboxStore queued(Database db, int n) {
        EnvelopeStore envelopes = new EnvelopeStore(db);
        String prev = null;
        for (int i = 1; i <= n; i++) {
            Envelope e = Fixtures.envelope(a, "ch-1", i, prev, Tlp.GREEN, "m" + i);
            assertTrue(envelopes.insert(e, e.hash(), t0, List.of("cert-b.example")));
            prev = e.hash();
        }
        return new OutboxStore(db);
    }

    private static long seq(Database db, OutboxStore.Pending p) {
        return new EnvelopeStore(db).byHash(p.envelopeHash()).orElseThrow().envelope().seq();
    }

    private static long count(Database db, String table) {
        return db.queryOne("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1)).orElseThrow();
    }
}
