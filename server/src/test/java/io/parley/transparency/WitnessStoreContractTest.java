package io.parley.transparency;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.store.Database;
import io.parley.testing.Concurrently;
import io.parley.testing.TestDatabases;
import io.parley.transparency.WitnessStore.Decision;
import io.parley.transparency.WitnessStore.Write;

/** The contract of {@link WitnessStore}, on SQLite and on a real PostgreSQL server. */
class WitnessStoreContractTest {
    @TempDir Path tmp;
    private final Instant t0 = Instant.parse("2026-11-30T12:00:00Z");

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aDecisionSeesWhatIsHeldAndItsWriteBecomesTheHeldCheckpoint(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            WitnessStore store = new WitnessStore(db);
            assertEquals("nothing", store.decide("log.example", t0, held -> new Decision<>(new Write.Hold(3, root(3), "note 3"),
                    held.map(h -> "held " + h.size()).orElse("nothing"))));
            assertEquals(3, store.heldSize("log.example"));
            assertEquals("held 3 note 3", store.decide("log.example", t0, held -> new Decision<>(new Write.Hold(5, root(5), "note 5"),
                    "held " + held.orElseThrow().size() + " " + held.orElseThrow().note())));
            assertEquals(5, store.heldSize("log.example"), "the held checkpoint is replaced, not added to");
            assertArrayEquals(root(5), store.decide("log.example", t0, held -> new Decision<>(new Write.Nothing(), held.orElseThrow().root())));
            assertEquals(0, store.heldSize("other.example"), "origins are apart");
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aDecisionThatThrowsWritesNothing(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            WitnessStore store = new WitnessStore(db);
            store.decide("log.example", t0, held -> new Decision<>(new Write.Hold(2, root(2), "note 2"), null));
            assertThrows(IllegalStateException.class, () -> store.decide("log.example", t0, held -> {
                throw new IllegalStateException("judged wrong");
            }));
            // a write that fails in the database (a NULL note) rolls back with the transaction
            assertThrows(RuntimeException.class, () -> store.decide("log.example", t0, held -> new Decision<>(new Write.Hold(9, root(9), null), null)));
            assertEquals(2, store.heldSize("log.example"));
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void concurrentDecisionsOnOneOriginAreSerialised(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            WitnessStore store = new WitnessStore(db);
            int writers = 8;
            List<Long> seen = Concurrently.run(writers, () -> store.decide("log.example", t0, held -> {
                long next = held.map(WitnessStore.Held::size).orElse(0L) + 1;
                return new Decision<>(new Write.Hold(next, root(next), "note " + next), next);
            }));
            assertEquals(writers, store.heldSize("log.example"), "a lost update would leave the size short: " + seen);
            assertEquals(writers, seen.stream().distinct().count(), "each decision saw the one before it: " + seen);
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void accusationsAreUniquePerOfferedNoteAndCappedPerOrigin(String backend) {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            WitnessStore store = new WitnessStore(db);
            accuse(store, "log.example", "offered 0");
            accuse(store, "log.example", "offered 0"); // replayed
            assertEquals(1, store.conflicts().size());
            Witness.Conflict c = store.conflicts().getFirst();
            assertEquals(List.of("cGF0aA==", "bW9yZQ=="), c.proof(), "the proof lines come back as recorded");
            assertEquals(t0, c.detectedAt());
            for (int i = 1; i < WitnessStore.MAX_CONFLICTS_PER_ORIGIN + 5; i++) accuse(store, "log.example", "offered " + i);
            accuse(store, "other.example", "offered 0");
            List<Witness.Conflict> all = store.conflicts();
            assertEquals(WitnessStore.MAX_CONFLICTS_PER_ORIGIN, all.stream().filter(x -> x.origin().equals("log.example")).count());
            assertEquals("offered 0", all.getFirst().offeredNote(), "the first proof is kept; later ones are dropped");
            assertEquals("other.example", all.getLast().origin(), "the cap is per origin");
            assertEquals(0, store.heldSize("log.example"), "an accusation holds nothing");
        }
    }

    private void accuse(WitnessStore store, String origin, String offered) {
        store.decide(origin, t0, held -> new Decision<>(new Write.Accuse("held", offered, "split view", List.of("cGF0aA==", "bW9yZQ=="),
                io.parley.identity.Sha256.hex(offered.getBytes(java.nio.charset.StandardCharsets.UTF_8))), null));
    }

    private static byte[] root(long size) {
        byte[] r = new byte[32];
        r[0] = (byte) size;
        return r;
    }
}
