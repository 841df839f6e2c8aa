package io.parley.audit;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.store.Database;
import io.parley.testing.MutableClock;
import io.parley.testing.TestDatabases;

/**
 * The audit trail's contract on both backends: records chain from the genesis hash, read back exactly as hashed,
 * filter and page, and many writers at once (threads, and two pools on one database as two processes would be) give
 * one unbroken chain. A changed, removed or relinked row is found by {@link AuditTrail#verify}.
 */
class AuditTrailTest {
    @TempDir Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T07:00:00.123456Z"));

    static java.util.stream.Stream<String> backends() {
        return TestDatabases.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void recordsChainAndReadBackAsHashed(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            AuditTrail trail = new AuditTrail(new AuditStore(db), clock);
            assertTrue(trail.head().isEmpty());
            assertEquals(java.util.Optional.empty(), trail.verify());
            AuditRecord first = trail.record(AuditEvent.done("alice", AuditAction.USER_CREATED, "bob", "192.0.2.7", "officer on ch"));
            clock.advance(Duration.ofSeconds(3));
            AuditRecord second = trail.record(AuditEvent.refused("mallory", AuditAction.SIGN_IN, "", "198.51.100.1", "wrong password"));
            assertEquals(1, first.seq());
            assertEquals(AuditRecord.GENESIS, first.prev());
            assertEquals(first.hash(), second.prev());
            assertEquals(2, second.seq());
            assertFalse(second.ok());
            // what a reader loads is what was hashed (milliseconds, as the database keeps them)
            assertEquals(List.of(first, second), trail.after(0, 10));
            assertEquals(second, trail.head().orElseThrow());
            assertEquals(first.hash(), trail.at(1).orElseThrow().computedHash());
            assertEquals(Instant.parse("2026-11-30T07:00:00.123Z"), first.at());
            // filters and order
            assertEquals(List.of(second), trail.list(new AuditQuery(0, 0, "mallory", null, 10, false)));
            assertEquals(List.of(first), trail.list(new AuditQuery(0, 0, null, "user-created", 10, false)));
            assertEquals(List.of(second, first), trail.list(new AuditQuery(0, 0, null, null, 10, true)));
            assertEquals(List.of(first), trail.list(new AuditQuery(0, 2, null, null, 10, true)));
            assertEquals(List.of(second), trail.list(new AuditQuery(1, 0, null, null, 10, false)));
            assertEquals(java.util.Optional.empty(), trail.verify());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aChangedRemovedOrRelinkedRowIsFound(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            AuditTrail trail = new AuditTrail(new AuditStore(db), clock);
            for (int i = 0; i < 5; i++) trail.record(AuditEvent.done("admin", AuditAction.RED_GRANT, "u" + i, "127.0.0.1", "ch"));
            db.update("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 3");
            assertEquals("record 3 was altered: its hash does not match its fields", trail.verify().orElseThrow());
            db.update("UPDATE audit_log SET actor = 'admin' WHERE seq = 3");
            assertTrue(trail.verify().isEmpty());
            db.update("DELETE FROM audit_log WHERE seq = 2");
            assertEquals("record 2 is missing (next is 3)", trail.verify().orElseThrow());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void fieldsAreBoundedAndCannotForgeALine(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            AuditTrail trail = new AuditTrail(new AuditStore(db), clock);
            String hostile = "root\n2026-11-30 admin sign-in ok\u001b[2J" + "x".repeat(100_000);
            AuditRecord r = trail.record(AuditEvent.refused(hostile, AuditAction.SIGN_IN, hostile, hostile, hostile));
            assertEquals(AuditEvent.MAX_ACTOR, r.actor().codePointCount(0, r.actor().length()));
            assertEquals(AuditEvent.MAX_DETAIL, r.detail().codePointCount(0, r.detail().length()));
            assertTrue(r.actor().startsWith("root\uFFFD2026"), r.actor());
            assertFalse(r.detail().chars().anyMatch(Character::isISOControl), "no control character is kept");
            assertEquals(r, trail.head().orElseThrow());
            assertTrue(trail.verify().isEmpty());
        }
    }

    /** Many threads, and a second pool on the same database (another process), append at once: one unbroken chain. */
    @ParameterizedTest
    @MethodSource("backends")
    void concurrentWritersGiveOneUnbrokenChain(String backend) throws Exception {
        String url = TestDatabases.freshUrl(backend, tmp);
        int threads = 16, each = 25;
        try (Database one = Database.open(url); Database two = Database.open(url)) {
            AuditTrail a = new AuditTrail(new AuditStore(one), clock), b = new AuditTrail(new AuditStore(two), clock);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                AuditTrail trail = t % 2 == 0 ? a : b;
                String actor = "writer-" + t;
                futures.add(pool.submit(() -> {
                    go.await();
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 0; i < each; i++) seqs.add(trail.record(AuditEvent.done(actor, AuditAction.EXPORT, "case " + i, "cli", "")).seq());
                    return seqs;
                }));
            }
            go.countDown();
            Set<Long> seen = new HashSet<>();
            for (Future<List<Long>> f : futures) for (long s : f.get()) assertTrue(seen.add(s), "seq " + s + " handed out twice");
            pool.shutdown();
            assertEquals(threads * each, seen.size());
            assertEquals(threads * each, a.head().orElseThrow().seq());
            assertEquals(java.util.Optional.empty(), a.verify(), "the chain has no fork and no gap");
        }
    }
}
