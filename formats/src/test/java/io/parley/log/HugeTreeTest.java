package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Sizes near 2^63: a tree whose leaves all have the same hash is internally consistent and cheap (the complete
 * subtree hash at level k is the same for every index), so proofs, roots and tiles can be checked at sizes no real
 * store could hold — the only way to test the long arithmetic for overflow.
 */
class HugeTreeTest {

    static final byte[][] LEVEL = new byte[64][];

    static {
        LEVEL[0] = Rfc6962.leafHash(new byte[] {7});
        for (int k = 1; k < 64; k++) LEVEL[k] = Rfc6962.nodeHash(LEVEL[k - 1], LEVEL[k - 1]);
    }

    static final HashReader UNIFORM = (level, index) -> LEVEL[level];

    static final long[] SIZES = {Long.MAX_VALUE, Long.MAX_VALUE - 1, 1L << 62, (1L << 62) + 1, (1L << 62) - 1,
            (1L << 61) + 12345, 256L * 256 * 256 * 256 * 256 * 256 * 256 + 3};

    @Test
    void inclusionProofsVerifyInTheLargestTrees() throws Exception {
        for (long n : SIZES) {
            byte[] root = TreeHash.of(UNIFORM, n);
            for (long i : new long[] {0, 1, n / 2, n - 2, n - 1, Long.highestOneBit(n) - 1}) {
                List<byte[]> proof = MerkleProofs.inclusionProof(UNIFORM, i, n);
                assertTrue(proof.size() <= 63);
                MerkleProofs.verifyInclusion(LEVEL[0], i, n, proof, root);
            }
        }
    }

    @Test
    void consistencyProofsVerifyInTheLargestTrees() throws Exception {
        for (long n : SIZES) {
            for (long m : new long[] {1, 2, 3, n / 2, n - 1, n, Long.highestOneBit(n), Long.highestOneBit(n) - 1}) {
                List<byte[]> proof = MerkleProofs.consistencyProof(UNIFORM, m, n);
                MerkleProofs.verifyConsistency(m, n, TreeHash.of(UNIFORM, m), TreeHash.of(UNIFORM, n), proof);
            }
        }
    }

    @Test
    void tilesCoverTheLargestTrees() {
        for (long n : SIZES) {
            HashReader fromTiles = new TileHashReader(n, t -> {
                byte[] data = new byte[t.width() * 32];
                for (int i = 0; i < t.width(); i++) System.arraycopy(LEVEL[t.merkleLevel()], 0, data, i * 32, 32);
                return data;
            });
            assertArrayEquals(TreeHash.of(UNIFORM, n), TreeHash.of(fromTiles, n));
            List<byte[]> direct = MerkleProofs.inclusionProof(UNIFORM, n - 1, n);
            List<byte[]> viaTiles = MerkleProofs.inclusionProof(fromTiles, n - 1, n);
            assertEquals(Hex.hexes(direct), Hex.hexes(viaTiles));
            assertTrue(Tiles.forInclusionProof(n - 1, n).size() <= 8);
        }
        // A tree of 2^63 - 1 leaves has tiles up to level 7; the level-7 tile has floor((2^63-1) / 2^56) = 127 hashes.
        assertEquals(TileCoordinates.hashes(7, 0, 127), Tiles.forTreeHash(Long.MAX_VALUE).get(0));
        assertEquals(0, Tiles.width(8, 0, Long.MAX_VALUE));
    }

    @Test
    void sizesBeyondWhatALongHoldsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TreeAppender.append(new Frontier(Long.MAX_VALUE,
                java.util.Collections.nCopies(63, LEVEL[0])), List.of(LEVEL[0])));
        assertThrows(IllegalArgumentException.class, () -> Subtrees.of(1, 4));
        assertThrows(IllegalArgumentException.class, () -> Subtrees.of(2, 5));
        assertThrows(IllegalArgumentException.class, () -> Subtrees.of(3, 3));
        assertEquals(List.of(new TreeNode(2, 2), new TreeNode(1, 6)), Subtrees.of(8, 14));
        assertThrows(IllegalArgumentException.class, () -> Subtrees.of(4, 10));
        assertEquals(63, Subtrees.ofTree(Long.MAX_VALUE).size());
    }
}
