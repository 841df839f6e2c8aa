package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TilesTest {

    static final int BIG = 70_000;
    static final ReferenceMerkle REFERENCE = ReferenceMerkle.ofEntries(BIG);
    static final InMemoryHashStore STORE = new InMemoryHashStore();

    static {
        STORE.append(REFERENCE.leafHashList());
    }

    static long pow256(int level) {
        return 1L << (8 * level);
    }

    /** Brute force from the spec: hash i of tile (l, n) is MTH(D[(n*256+i)*256^l : (n*256+i+1)*256^l]). */
    static byte[] bruteForceTile(int level, long n, int width) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long span = pow256(level);
        for (int i = 0; i < width; i++) {
            long lo = (n * 256 + i) * span;
            out.writeBytes(REFERENCE.mth((int) lo, (int) (lo + span)));
        }
        return out.toByteArray();
    }

    @Test
    void treeOf70000HasTheTilesTheSpecLists() {
        // tlog-tiles: "273 full level 0 tiles, one partial level 0 tile of width 112, one full level 1 tile, one
        // partial level 1 tile of width 17, and one partial level 2 tile of width 1".
        List<TileCoordinates> all = Tiles.all(BIG);
        long fullLevel0 = all.stream().filter(t -> t.level() == 0 && t.isFull()).count();
        assertEquals(273, fullLevel0);
        assertTrue(all.contains(TileCoordinates.hashes(0, 273, 112)));
        assertTrue(all.contains(TileCoordinates.hashes(1, 0, 256)));
        assertTrue(all.contains(TileCoordinates.hashes(1, 1, 17)));
        assertTrue(all.contains(TileCoordinates.hashes(2, 0, 1)));
        assertEquals(273 + 1 + 1 + 1 + 1, all.size());
    }

    @Test
    void treeOf256HasAFullLevel0TileAndAPartialLevel1TileOfWidth1() {
        assertEquals(List.of(TileCoordinates.hashes(0, 0, 256), TileCoordinates.hashes(1, 0, 1)), Tiles.all(256));
        assertEquals(List.of(), Tiles.all(0));
        assertEquals(List.of(TileCoordinates.hashes(0, 0, 1)), Tiles.all(1));
        assertEquals(List.of(TileCoordinates.hashes(0, 0, 255)), Tiles.all(255));
    }

    @Test
    void partialTileWidthIsFloorOfSizeOver256ToTheLevelMod256() {
        for (long s : new long[] {1, 255, 256, 257, 65535, 65536, 65537, 70000, 16777215, 16777216, 123456789012L,
                Long.MAX_VALUE}) {
            for (int level = 0; level < 8; level++) {
                long count = s / pow256(level);
                long partialIndex = count / 256;
                int expected = (int) (count % 256);
                assertEquals(expected, Tiles.width(level, partialIndex, s), "size " + s + " level " + level);
                if (partialIndex > 0) assertEquals(256, Tiles.width(level, partialIndex - 1, s));
                assertEquals(0, Tiles.width(level, partialIndex + 1, s));
            }
            assertEquals(0, Tiles.width(8, 0, s));
        }
    }

    @Test
    void tileBytesEqualTheBruteForceMerkleTreeHashes() {
        for (TileCoordinates t : Tiles.all(BIG)) {
            assertArrayEquals(bruteForceTile(t.level(), t.index(), t.width()), Tiles.read(STORE, t), t.path());
        }
        for (int size : new int[] {1, 2, 255, 256, 257, 511, 512, 513, 1000, 65535, 65536, 65537}) {
            for (TileCoordinates t : Tiles.all(size)) {
                assertArrayEquals(bruteForceTile(t.level(), t.index(), t.width()), Tiles.read(STORE, t), size + ": " + t);
            }
        }
    }

    @Test
    void changedTilesAreThoseThatAreNewOrWiderAtTheNewSize() {
        long[] sizes = {0, 1, 2, 100, 255, 256, 257, 511, 512, 1000, 65535, 65536, 65537, 65792, 70000};
        for (long a : sizes) {
            for (long b : sizes) {
                if (a > b) continue;
                Set<TileCoordinates> expected = new LinkedHashSet<>(Tiles.all(b));
                expected.removeAll(new HashSet<>(Tiles.all(a)));
                assertEquals(expected, new LinkedHashSet<>(Tiles.changed(a, b)), a + " -> " + b);
            }
        }
        assertEquals(List.of(TileCoordinates.entryBundle(0, 256), TileCoordinates.entryBundle(1, 1)),
                Tiles.changedEntryBundles(200, 257));
        assertThrows(IllegalArgumentException.class, () -> Tiles.changed(5, 4));
    }

    @Test
    void clientComputesTheSameProofsFromOnlyTheTilesItIsToldToFetch() throws Exception {
        int[] sizes = {1, 2, 3, 255, 256, 257, 300, 511, 513, 1000, 4097, 65535, 65536, 65537, 70000};
        for (int n : sizes) {
            Map<TileCoordinates, byte[]> published = new HashMap<>();
            for (TileCoordinates t : Tiles.all(n)) published.put(t, Tiles.read(STORE, t));

            Map<TileCoordinates, byte[]> fetched = only(published, Tiles.forTreeHash(n));
            assertArrayEquals(REFERENCE.root(n), TreeHash.of(new TileHashReader(n, fetched::get), n), "root " + n);

            for (int i : new int[] {0, n / 3, n / 2, n - 1}) {
                fetched = only(published, Tiles.forInclusionProof(i, n));
                List<byte[]> proof = MerkleProofs.inclusionProof(new TileHashReader(n, fetched::get), i, n);
                assertEquals(Hex.hexes(REFERENCE.path(i, n)), Hex.hexes(proof), "PATH(" + i + ", " + n + ")");
                MerkleProofs.verifyInclusion(REFERENCE.leafHashList().get(i), i, n, proof, REFERENCE.root(n));
            }
            for (int m : new int[] {1, n / 3, n / 2, n - 1}) {
                if (m < 1) continue;
                fetched = only(published, Tiles.forConsistencyProof(m, n));
                List<byte[]> proof = MerkleProofs.consistencyProof(new TileHashReader(n, fetched::get), m, n);
                assertEquals(Hex.hexes(REFERENCE.proof(m, n)), Hex.hexes(proof), "PROOF(" + m + ", " + n + ")");
            }
        }
    }

    @Test
    void tileReaderComputesHashesBetweenTileLevels() {
        Map<TileCoordinates, byte[]> published = new HashMap<>();
        for (TileCoordinates t : Tiles.all(BIG)) published.put(t, Tiles.read(STORE, t));
        TileHashReader reader = new TileHashReader(BIG, published::get);
        for (int level = 0; level <= 16; level++) {
            for (long index : new long[] {0, 1, (BIG >>> level) - 1, (BIG >>> level) / 2}) {
                if (index < 0 || index >= (BIG >>> level)) continue;
                assertArrayEquals(STORE.hash(level, index), reader.hash(level, index), "(" + level + ", " + index + ")");
            }
        }
    }

    @Test
    void tileReaderRefusesMissingOrTruncatedTilesAndIncompleteNodes() {
        TileHashReader none = new TileHashReader(1000, t -> null);
        assertThrows(NoSuchElementException.class, () -> none.hash(0, 5));
        TileHashReader truncated = new TileHashReader(1000, t -> new byte[31]);
        assertThrows(IllegalArgumentException.class, () -> truncated.hash(0, 5));
        TileHashReader any = new TileHashReader(1000, t -> Tiles.read(STORE, t));
        assertThrows(IllegalArgumentException.class, () -> any.hash(0, 1000));
        assertThrows(IllegalArgumentException.class, () -> any.hash(3, 125));
    }

    @Test
    void tilesNeededForAProofAreAtTheirWidthForTheVerifiedTreeSize() {
        // Leaf 999 of 1000: siblings inside the partial level-0 tile 3 (232 wide), the rest from level-1 tile 0 (3 wide).
        assertEquals(Set.of(TileCoordinates.hashes(0, 3, 232), TileCoordinates.hashes(1, 0, 3)),
                Set.copyOf(Tiles.forInclusionProof(999, 1000)));
        assertEquals(List.of(TileCoordinates.hashes(1, 0, 3), TileCoordinates.hashes(0, 3, 232)), Tiles.forTreeHash(1000));
        assertEquals(Tiles.containing(new TreeNode(8, 2), 1000), TileCoordinates.hashes(1, 0, 3));
        assertEquals(Tiles.containing(new TreeNode(10, 0), 1024), TileCoordinates.hashes(1, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> Tiles.containing(new TreeNode(10, 0), 1023));
    }

    static Map<TileCoordinates, byte[]> only(Map<TileCoordinates, byte[]> published, List<TileCoordinates> wanted) {
        Map<TileCoordinates, byte[]> out = new HashMap<>();
        for (TileCoordinates t : wanted) {
            byte[] data = published.get(t);
            if (data == null) throw new AssertionError("client was told to fetch " + t + ", which the log does not serve");
            out.put(t, data);
        }
        return out;
    }

    @Test
    void readingATileUsesOneBulkRead() {
        List<Integer> calls = new ArrayList<>();
        HashReader counting = new HashReader() {
            @Override
            public byte[] hash(int level, long index) {
                throw new AssertionError();
            }

            @Override
            public List<byte[]> hashes(List<TreeNode> nodes) {
                calls.add(nodes.size());
                return STORE.hashes(nodes);
            }
        };
        Tiles.read(counting, TileCoordinates.hashes(0, 5, 256));
        assertEquals(List.of(256), calls);
        assertThrows(IllegalArgumentException.class, () -> Tiles.read(STORE, TileCoordinates.entryBundle(0, 5)));
    }
}
