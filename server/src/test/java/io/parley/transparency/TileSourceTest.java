package io.parley.transparency;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.identity.SigningKey;
import io.parley.log.InMemoryHashStore;
import io.parley.log.LogEntry;
import io.parley.log.MerkleProofs;
import io.parley.log.TileCoordinates;
import io.parley.log.Tiles;
import io.parley.log.TreeHash;
import io.parley.server.NodeServer;
import io.parley.store.Database;
import io.parley.testing.TestDatabases;
import io.parley.testing.TestNodes;
import io.parley.worker.Ticker;

/**
 * Proofs served from cached tiles equal proofs computed from scratch over the reference tree, and verify, at tree
 * sizes that end in partial tiles at one, two and three tile levels, and after the log grew past a partial tile the
 * cache already holds; on SQLite and PostgreSQL.
 */
class TileSourceTest {
    @TempDir Path tmp;
    private final SigningKey key = SigningKey.generate("cert-a.example");

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void cachedProofsEqualProofsFromScratchAndVerifyAsTheLogGrowsPastCachedPartialTiles(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            LogStore store = new LogStore(db);
            StoredLogBuilder log = new StoredLogBuilder(store, key);
            TileSource tiles = new TileSource(store, 8L << 20);
            SplittableRandom random = new SplittableRandom(15);
            // Each size ends in a partial tile somewhere: level 0 only (300), levels 0 and 1 (65,535 = 255 full
            // level-0 tiles and a partial of 255, and a partial level-1 tile), all three levels (65,536 + 257 + 3).
            long[] sizes = {1, 2, 255, 256, 257, 300, 511, 513, 4_097, 65_535, 65_536, 65_536 + 257 + 3, 70_001};
            for (long size : sizes) {
                log.growTo(size, 20_000);
                assertProofsMatch(tiles, log.reference(), size, size, random, 40);
                // The sizes asked for before, now that the cache holds their tiles at other widths too: read at their
                // own widths, and at the widths of the newest size (how the log serves older checkpoints).
                for (long earlier : sizes) {
                    if (earlier >= size) continue;
                    assertProofsMatch(tiles, log.reference(), earlier, earlier, random, 3);
                    assertProofsMatch(tiles, log.reference(), earlier, size, random, 3);
                }
            }
        }
    }

    /** A partial tile cached for one size must not answer for a larger size, whose tile there is wider. */
    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void aCachedPartialTileIsNotServedForAGrownTree(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp))) {
            LogStore store = new LogStore(db);
            StoredLogBuilder log = new StoredLogBuilder(store, key);
            TileSource tiles = new TileSource(store, 8L << 20);
            log.growTo(300, 300);
            byte[] narrow = tiles.read(TileCoordinates.hashes(0, 1, 44)).orElseThrow();
            assertEquals(44 * 32, narrow.length);
            MerkleProofs.inclusionProof(tiles.reader(300), 299, 300); // caches tile 0/001.p/44 expanded
            log.growTo(400, 100);
            // Leaf 299's sibling subtree now holds hashes 300..., which the width-44 tile does not have.
            for (long i = 256; i < 400; i++) {
                List<byte[]> cached = MerkleProofs.inclusionProof(tiles.reader(400), i, 400);
                assertProofEquals(MerkleProofs.inclusionProof(log.reference(), i, 400), cached);
                MerkleProofs.verifyInclusion(LogEntry.leafHash(StoredLogBuilder.item(i)), i, 400, cached, TreeHash.of(log.reference(), 400));
            }
            assertArrayEquals(Tiles.read(log.reference(), TileCoordinates.hashes(0, 1, 144)),
                    tiles.read(TileCoordinates.hashes(0, 1, 144)).orElseThrow());
            assertArrayEquals(narrow, tiles.read(TileCoordinates.hashes(0, 1, 44), 400).orElseThrow(),
                    "a narrower width of a grown tile is the wider tile's prefix");
            assertTrue(tiles.read(TileCoordinates.hashes(0, 1, 200)).isEmpty(), "not stored yet");
            assertTrue(tiles.read(TileCoordinates.hashes(0, 1, 200), 400).isEmpty(), "beyond the tree");
        }
    }

    @ParameterizedTest
    @MethodSource("io.parley.testing.TestDatabases#backends")
    void proofsThroughTheRunningLogMatchTheReferenceWhileItGrows(String backend) throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(backend, tmp));
             TransparencyLog log = new TransparencyLog(db, key, Clock.systemUTC(), new SecureRandom(), Ticker.SYSTEM,
                     new TransparencyLog.Settings(37, Duration.ofMillis(5), 1L << 20))) {
            InMemoryHashStore reference = new InMemoryHashStore();
            SplittableRandom random = new SplittableRandom(7);
            int n = 0;
            for (int round = 0; round < 6; round++) {
                int more = 1 + random.nextInt(150);
                for (int i = 0; i < more; i++, n++) {
                    log.append(StoredLogBuilder.item(n), "r" + n);
                    reference.appendEntries(List.of(LogEntry.of(StoredLogBuilder.item(n))));
                }
                log.awaitIndex("r" + (n - 1), Duration.ofSeconds(20)).orElseThrow();
                long size = log.latest().orElseThrow().size();
                assertEquals(n, size);
                byte[] root = reference.root();
                for (long i = 0; i < size; i += 1 + random.nextInt(7)) {
                    List<byte[]> proof = log.inclusionProof(i, size);
                    assertProofEquals(MerkleProofs.inclusionProof(reference, i, size), proof);
                    MerkleProofs.verifyInclusion(LogEntry.leafHash(StoredLogBuilder.item(i)), i, size, proof, root);
                }
                for (StoredCheckpoint older : log.store().checkpoints(0, 1000)) {
                    List<byte[]> proof = log.consistencyProof(older.size(), size);
                    assertProofEquals(MerkleProofs.consistencyProof(reference, older.size(), size), proof);
                    MerkleProofs.verifyConsistency(older.size(), size, older.root(), root, proof);
                }
            }
        }
    }

    @Test
    void cacheCountsHitsAndMissesAndHoldsAtMostItsBound() throws Exception {
        try (Database db = Database.open(TestDatabases.freshUrl(TestDatabases.SQLITE, tmp))) {
            LogStore store = new LogStore(db);
            new StoredLogBuilder(store, key, false).growTo(256 * 200, 256 * 200);
            long bound = 100 * 16_500; // about a hundred expanded full tiles
            TileSource tiles = new TileSource(store, bound);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            tiles.bindTo(registry);
            for (long t = 0; t < 40; t++) {
                for (int again = 0; again < 3; again++) tiles.read(TileCoordinates.hashes(0, t, 256)).orElseThrow();
            }
            assertEquals(80, count(registry, "hit"), "the second and third reads of a tile are hits");
            assertEquals(40, count(registry, "miss"));
            assertEquals(80.0 / 120, registry.get("parley_log_tile_cache_hit_ratio").gauge().value(), 1e-9);
            for (long t = 0; t < 200; t++) tiles.read(TileCoordinates.hashes(0, t, 256)).orElseThrow();
            double held = registry.get("parley_log_tile_cache_bytes").gauge().value();
            assertTrue(held > 0 && held <= bound, "held " + held + " of " + bound);
            assertTrue(registry.get("cache.evictions").tag("cache", TileSource.CACHE_NAME).functionCounter().count() > 0);
        }
    }

    private static double count(SimpleMeterRegistry registry, String result) {
        return registry.get("cache.gets").tag("cache", TileSource.CACHE_NAME).tag("result", result).functionCounter().count();
    }

    @Test
    void theNodeExportsTileCacheHitsInMetrics() throws Exception {
        try (NodeServer node = TestNodes.start(tmp, "cert-a.example")) {
            for (int i = 0; i < 20; i++) node.node().log().append(StoredLogBuilder.item(i), "m" + i);
            node.node().log().awaitIndex("m19", Duration.ofSeconds(20)).orElseThrow();
            long size = node.node().log().latest().orElseThrow().size();
            double before = hits(TestNodes.get(node, "/metrics").body());
            for (int i = 0; i < 10; i++) node.node().log().inclusionProof(i, size);
            String metrics = TestNodes.get(node, "/metrics").body();
            assertTrue(hits(metrics) >= before + 9, "proofs after the first are served from the cache:\n" + metrics);
            assertTrue(metrics.contains("parley_log_tile_cache_hit_ratio"), metrics);
            assertTrue(metrics.contains("parley_log_tile_cache_max_bytes 6.7108864E7"), metrics);
        }
    }

    private static double hits(String metrics) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith("cache_gets_total{") && line.contains("cache=\"" + TileSource.CACHE_NAME + "\"") && line.contains("result=\"hit\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no tile cache hit counter in /metrics:\n" + metrics);
    }

    private static void assertProofsMatch(TileSource tiles, InMemoryHashStore reference, long size, long committed,
                                          SplittableRandom random, int count) throws Exception {
        byte[] root = TreeHash.of(reference, size);
        for (int c = 0; c < count; c++) {
            long index = c == 0 ? size - 1 : random.nextLong(size);
            List<byte[]> proof = MerkleProofs.inclusionProof(tiles.reader(size, committed), index, size);
            assertProofEquals(MerkleProofs.inclusionProof(reference, index, size), proof);
            MerkleProofs.verifyInclusion(LogEntry.leafHash(StoredLogBuilder.item(index)), index, size, proof, root);
            long old = c == 0 ? size : random.nextLong(size + 1);
            List<byte[]> consistency = MerkleProofs.consistencyProof(tiles.reader(size, committed), old, size);
            assertProofEquals(MerkleProofs.consistencyProof(reference, old, size), consistency);
            MerkleProofs.verifyConsistency(old, size, TreeHash.of(reference, old), root, consistency);
        }
        assertArrayEquals(root, TreeHash.of(tiles.reader(size, committed), size));
    }

    private static void assertProofEquals(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "proof length");
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), "proof hash " + i);
    }
}
