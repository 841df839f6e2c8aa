package io.parley.transparency;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.parley.identity.SigningKey;
import io.parley.log.Checkpoint;
import io.parley.log.InMemoryHashStore;
import io.parley.log.LogEntry;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteVerifier;
import io.parley.log.TileCoordinates;
import io.parley.log.Tiles;
import io.parley.receipt.Receipt;
import io.parley.receipt.ReceiptVerifier;
import io.parley.store.Database;
import io.parley.testing.TestDatabases;
import io.parley.worker.Ticker;

/** The database-backed log against the in-memory reference tree, on SQLite and PostgreSQL. */
class TransparencyLogTest {
    @TempDir Path tmp;
    private final SigningKey key = SigningKey.generate("cert-a.example");

    private static byte[] entry(int i) {
        return ("{\"entry\":" + i + ",\"pad\":\"" + "x".repeat(i % 50) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void appendsAreSequencedIntoTilesAndSignedCheckpointsThatMatchTheReferenceTree(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp));
             TransparencyLog log = new TransparencyLog(db, key, Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM, new TransparencyLog.Settings(100, Duration.ofMillis(5), 1L << 20))) {
            InMemoryHashStore reference = new InMemoryHashStore();
            int n = 700; // crosses two full level-0 tiles and spans batches of 100
            for (int i = 0; i < n; i++) {
                log.append(entry(i), "ref-" + i);
                reference.appendEntries(List.of(LogEntry.of(entry(i))));
            }
            assertEquals(n - 1, log.awaitIndex("ref-" + (n - 1), Duration.ofSeconds(20)).orElseThrow());
            StoredCheckpoint cp = log.latest().orElseThrow();
            assertEquals(n, cp.size());
            assertArrayEquals(reference.root(), cp.root());
            Checkpoint parsed = Checkpoint.of(cp.signedNote());
            assertEquals("cert-a.example", parsed.origin());
            cp.signedNote().verify(List.of(NoteVerifier.ed25519(key.verifierKey())));

            for (TileCoordinates t : Tiles.all(n)) {
                if (t.entries()) continue;
                assertArrayEquals(Tiles.read(reference, t), log.tile(t).orElseThrow(), "tile " + t.path());
            }
            for (int i = 0; i < n; i += 37) {
                List<byte[]> proof = log.inclusionProof(i, n);
                MerkleProofs.verifyInclusion(LogEntry.leafHash(entry(i)), i, n, proof, cp.root());
            }
            // every committed checkpoint is consistent with the newest
            for (StoredCheckpoint older : log.store().checkpoints(0, 1000)) {
                MerkleProofs.verifyConsistency(older.size(), n, older.root(), cp.root(), log.consistencyProof(older.size(), n));
            }
            var bundle = io.parley.log.EntryBundle.decode(log.entryBundle(TileCoordinates.entryBundle(1, 256)).orElseThrow());
            assertArrayEquals(LogEntry.of(entry(256)), bundle.get(0), "the entry is the item's commitment, not the item");
            assertTrue(bundle.stream().allMatch(e -> e.length == 32));
            assertTrue(log.entryBundle(TileCoordinates.entryBundle(2, 255)).isEmpty(), "beyond the published size");
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void reopeningContinuesTheSameTree(String backend) throws Exception {
        String url = TestDatabases.freshUrl(backend, tmp);
        InMemoryHashStore reference = new InMemoryHashStore();
        List<StoredCheckpoint> seen = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            try (Database db = Database.open(url);
                 TransparencyLog log = new TransparencyLog(db, key, Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM, TransparencyLog.Settings.DEFAULT)) {
                for (int i = 0; i < 300; i++) {
                    int k = round * 300 + i;
                    log.append(entry(k), "r" + k);
                    reference.appendEntries(List.of(LogEntry.of(entry(k))));
                }
                log.awaitIndex("r" + (round * 300 + 299), Duration.ofSeconds(20)).orElseThrow();
                seen.add(log.latest().orElseThrow());
            }
        }
        StoredCheckpoint last = seen.get(2);
        assertEquals(900, last.size());
        assertArrayEquals(reference.root(), last.root());
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void receiptProvesInclusionUnderTheLogKey(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp));
             TransparencyLog log = new TransparencyLog(db, key, Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM, TransparencyLog.Settings.DEFAULT)) {
            for (int i = 0; i < 10; i++) log.append(entry(i), "e" + i);
            log.awaitIndex("e9", Duration.ofSeconds(10)).orElseThrow();
            Receipt r = log.receipt("e4").orElseThrow();
            assertEquals(4, r.index());
            var verified = ReceiptVerifier.verify(entry(4), r.proof().encode(), key.verifierKey(), List.of(), 0);
            assertEquals(10, verified.checkpoint().size());
            assertThrows(ReceiptVerifier.InvalidReceipt.class, () -> ReceiptVerifier.verify(entry(5), r.proof().encode(), key.verifierKey(), List.of(), 0));
            assertThrows(ReceiptVerifier.InvalidReceipt.class,
                    () -> ReceiptVerifier.verify(entry(4), r.proof().encode(), SigningKey.generate("cert-a.example").verifierKey(), List.of(), 0));
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void concurrentAppendersLoseNothing(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp));
             TransparencyLog log = new TransparencyLog(db, key, Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM, new TransparencyLog.Settings(64, Duration.ofMillis(2), 1L << 20))) {
            int threads = 8, each = 150;
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
                for (int t = 0; t < threads; t++) {
                    int base = t * each;
                    pool.submit(() -> {
                        for (int i = 0; i < each; i++) log.append(entry(base + i), "c" + (base + i));
                    });
                }
            }
            for (int i = 0; i < threads * each; i++) {
                assertTrue(log.awaitIndex("c" + i, Duration.ofSeconds(30)).isPresent(), "append c" + i + " was logged");
            }
            assertEquals(threads * each, log.latest().orElseThrow().size());
            assertEquals(0, log.store().queueLength());
        }
    }
}
