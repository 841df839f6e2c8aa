package io.parley.log;

import static io.parley.log.Hex.b64;
import static io.parley.log.Hex.b64s;
import static io.parley.log.Hex.hexes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.parley.log.ProofException.Reason;

class MerkleProofsTest {

    static final int MAX = 2000;
    static final ReferenceMerkle REFERENCE = ReferenceMerkle.ofEntries(MAX);
    static final InMemoryHashStore STORE = new InMemoryHashStore();

    static {
        STORE.append(REFERENCE.leafHashList());
    }

    static byte[] leaf(int i) {
        return REFERENCE.leafHashList().get(i);
    }

    static byte[] root(long n) {
        return REFERENCE.root((int) n);
    }

    static void assertInclusionVerifies(long index, long size) {
        List<byte[]> proof = MerkleProofs.inclusionProof(STORE, index, size);
        assertDoesNotThrow(() -> MerkleProofs.verifyInclusion(leaf((int) index), index, size, proof, root(size)),
                "inclusion of " + index + " in " + size);
    }

    static ProofException rejects(ThrowingRunnable r) {
        return assertThrows(ProofException.class, r::run);
    }

    static void rejects(Reason reason, ThrowingRunnable r) {
        assertEquals(reason, rejects(r).reason());
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ------------------------------------------------------------ published vectors

    record InclusionVector(long index, long size, String leaf, String root, String... proof) {}

    record ConsistencyVector(long m, long n, String root1, String root2, String... proof) {}

    /** CT reference-tree vectors (as published in transparency-dev/merkle's testdata happy paths). */
    static final List<InclusionVector> CT_INCLUSION = List.of(
            new InclusionVector(0, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0="),
            new InclusionVector(0, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
                    "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
                    "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="),
            new InclusionVector(5, 8, "QnGia+DYqE8L1UyMMC58s6O10fpngKQLzOKHNHfatlg=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
                    "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=",
                    "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="),
            new InclusionVector(2, 3, "ApjRIpBtz8EIkstTpzmS/FufST6kybrbJ7eRtBJ6f+c=", "rra8/idLcKFPsGel5VeCZNsPqbUa9eC6FZFY8yngbnc=",
                    "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU="),
            new InclusionVector(1, 5, "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=",
                    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
                    "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="));

    static final List<ConsistencyVector> CT_CONSISTENCY = List.of(
            new ConsistencyVector(1, 1, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0="),
            new ConsistencyVector(1, 8, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
                    "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=", "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
                    "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ="),
            new ConsistencyVector(6, 8, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=",
                    "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=",
                    "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="),
            new ConsistencyVector(2, 5, "+sVCA+fMaWzw38tCySodnbr3CtnmIfS9jZhmLwDjwSU=", "Tju7H3tHjc/nH7YxYxUZo7yhLJrvyhYSv85ME6hiZNQ=",
                    "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=", "vBoGQ7EuTS18d5GPROD095qDi2z57FtcKD4fTYhZnms="),
            new ConsistencyVector(6, 7, "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=", "3bib5AOAnjJXUNPSY814kpwpQreUKjS3fhIslZSnTIw=",
                    "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=", "sIaT7C5yFZcTBkHoIR5+7cy0wmQTlj7ubB4u0W/7Gl8=",
                    "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc="));

    @Test
    void inclusionProofsOfTheCertificateTransparencyReferenceTreeMatchPublishedVectors() throws Exception {
        InMemoryHashStore ct = Rfc6962Test.ctTree();
        for (InclusionVector v : CT_INCLUSION) {
            List<byte[]> proof = b64s(v.proof());
            MerkleProofs.verifyInclusion(b64(v.leaf()), v.index(), v.size(), proof, b64(v.root()));
            assertEquals(hexes(proof), hexes(MerkleProofs.inclusionProof(ct, v.index(), v.size())), v.toString());
        }
    }

    @Test
    void consistencyProofsOfTheCertificateTransparencyReferenceTreeMatchPublishedVectors() throws Exception {
        InMemoryHashStore ct = Rfc6962Test.ctTree();
        for (ConsistencyVector v : CT_CONSISTENCY) {
            List<byte[]> proof = b64s(v.proof());
            MerkleProofs.verifyConsistency(v.m(), v.n(), b64(v.root1()), b64(v.root2()), proof);
            assertEquals(hexes(proof), hexes(MerkleProofs.consistencyProof(ct, v.m(), v.n())), v.toString());
        }
    }

    // ------------------------------------------------------------ against the RFC 6962 reference

    @Test
    void inclusionProofsEqualTheReferencePathForEveryLeafOfEveryTreeUpTo128() throws Exception {
        for (int n = 1; n <= 128; n++) {
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = MerkleProofs.inclusionProof(STORE, i, n);
                assertEquals(hexes(REFERENCE.path(i, n)), hexes(proof), "PATH(" + i + ", D[" + n + "])");
                MerkleProofs.verifyInclusion(leaf(i), i, n, proof, root(n));
            }
        }
    }

    @Test
    void consistencyProofsEqualTheReferenceProofForEveryPairOfSizesUpTo128() throws Exception {
        for (int n = 0; n <= 128; n++) {
            for (int m = 0; m <= n; m++) {
                List<byte[]> proof = MerkleProofs.consistencyProof(STORE, m, n);
                assertEquals(hexes(REFERENCE.proof(m, n)), hexes(proof), "PROOF(" + m + ", D[" + n + "])");
                MerkleProofs.verifyConsistency(m, n, root(m), root(n), proof);
            }
        }
    }

    @Test
    void proofsRoundTripForEveryTreeSizeUpTo2000() throws Exception {
        Random random = new Random(6962);
        for (int n = 1; n <= MAX; n++) {
            assertArrayEquals(root(n), TreeHash.of(STORE, n), "root of size " + n);
            TreeSet<Integer> indexes = new TreeSet<>(List.of(0, n - 1, n / 2, n / 3, (int) Long.highestOneBit(n) - 1));
            if (Long.highestOneBit(n) < n) indexes.add((int) Long.highestOneBit(n));
            for (int k = 0; k < 3; k++) indexes.add(random.nextInt(n));
            for (int i : indexes) {
                List<byte[]> proof = MerkleProofs.inclusionProof(STORE, i, n);
                MerkleProofs.verifyInclusion(leaf(i), i, n, proof, root(n));
                assertEquals(hexes(REFERENCE.path(i, n)), hexes(proof), "PATH(" + i + ", D[" + n + "])");
            }
            TreeSet<Integer> olds = new TreeSet<>(List.of(0, 1, n - 1, n, n / 2, (int) Long.highestOneBit(n)));
            for (int k = 0; k < 3; k++) olds.add(random.nextInt(n + 1));
            for (int m : olds) {
                List<byte[]> proof = MerkleProofs.consistencyProof(STORE, m, n);
                MerkleProofs.verifyConsistency(m, n, root(m), root(n), proof);
                assertEquals(hexes(REFERENCE.proof(m, n)), hexes(proof), "PROOF(" + m + ", D[" + n + "])");
            }
        }
    }

    @Test
    void proofGenerationReadsStoredHashesInOneBulkRead() {
        AtomicInteger bulkReads = new AtomicInteger();
        HashReader counting = new HashReader() {
            @Override
            public byte[] hash(int level, long index) {
                throw new AssertionError("single reads are not expected");
            }

            @Override
            public List<byte[]> hashes(List<TreeNode> nodes) {
                bulkReads.incrementAndGet();
                return STORE.hashes(nodes);
            }
        };
        MerkleProofs.inclusionProof(counting, 1234, 1999);
        assertEquals(1, bulkReads.get());
        MerkleProofs.consistencyProof(counting, 777, 1999);
        assertEquals(2, bulkReads.get());
        TreeHash.of(counting, 1999);
        assertEquals(3, bulkReads.get());
    }

    // ------------------------------------------------------------ edge cases

    @Test
    void inclusionProofForLastLeafVerifies() {
        for (int n : new int[] {1, 2, 3, 5, 7, 8, 9, 255, 256, 257, 1023, 1024, 1025, 2000}) assertInclusionVerifies(n - 1, n);
    }

    @Test
    void inclusionProofInATreeOfOneLeafIsEmptyAndTheRootIsTheLeafHash() throws Exception {
        assertTrue(MerkleProofs.inclusionProof(STORE, 0, 1).isEmpty());
        MerkleProofs.verifyInclusion(leaf(0), 0, 1, List.of(), leaf(0));
        rejects(Reason.ROOT_MISMATCH, () -> MerkleProofs.verifyInclusion(leaf(1), 0, 1, List.of(), leaf(0)));
        rejects(Reason.WRONG_PROOF_LENGTH, () -> MerkleProofs.verifyInclusion(leaf(0), 0, 1, List.of(leaf(1)), leaf(0)));
    }

    @Test
    void inclusionProofsInTreesOfPowerOfTwoSizeHaveOneHashPerLevel() {
        for (int level = 0; level <= 10; level++) {
            int n = 1 << level;
            for (int i : new int[] {0, n / 2, n - 1}) {
                assertEquals(level, MerkleProofs.inclusionProof(STORE, i, n).size());
                assertInclusionVerifies(i, n);
            }
        }
    }

    @Test
    void inclusionIndexAtOrBeyondTheTreeSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> MerkleProofs.inclusionProof(STORE, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> MerkleProofs.inclusionProof(STORE, -1, 5));
        assertThrows(IllegalArgumentException.class, () -> MerkleProofs.inclusionProof(STORE, 0, 0));
        List<byte[]> proof = MerkleProofs.inclusionProof(STORE, 4, 5);
        rejects(Reason.INDEX_OUT_OF_RANGE, () -> MerkleProofs.verifyInclusion(leaf(4), 5, 5, proof, root(5)));
        rejects(Reason.INDEX_OUT_OF_RANGE, () -> MerkleProofs.verifyInclusion(leaf(4), -1, 5, proof, root(5)));
        rejects(Reason.INDEX_OUT_OF_RANGE, () -> MerkleProofs.verifyInclusion(leaf(0), 0, 0, List.of(), Rfc6962.emptyRoot()));
    }

    @Test
    void consistencyFromTheEmptyTreeIsTrivialWithAnEmptyProof() throws Exception {
        for (int n : new int[] {0, 1, 2, 7, 1000}) {
            assertTrue(MerkleProofs.consistencyProof(STORE, 0, n).isEmpty());
            MerkleProofs.verifyConsistency(0, n, Rfc6962.emptyRoot(), root(n), List.of());
        }
        rejects(Reason.PROOF_NOT_EMPTY, () -> MerkleProofs.verifyConsistency(0, 8, Rfc6962.emptyRoot(), root(8), List.of(leaf(0))));
        rejects(Reason.ROOT_MISMATCH, () -> MerkleProofs.verifyConsistency(0, 8, leaf(0), root(8), List.of()));
        rejects(Reason.ROOT_MISMATCH, () -> MerkleProofs.verifyConsistency(0, 0, Rfc6962.emptyRoot(), leaf(0), List.of()));
    }

    @Test
    void consistencyBetweenEqualSizesNeedsEqualRootsAndAnEmptyProof() throws Exception {
        for (int n : new int[] {1, 2, 3, 8, 1999}) {
            assertTrue(MerkleProofs.consistencyProof(STORE, n, n).isEmpty());
            MerkleProofs.verifyConsistency(n, n, root(n), root(n), List.of());
            rejects(Reason.ROOT_MISMATCH, () -> MerkleProofs.verifyConsistency(n, n, root(n), root(n + 1), List.of()));
            rejects(Reason.PROOF_NOT_EMPTY, () -> MerkleProofs.verifyConsistency(n, n, root(n), root(n), List.of(root(n))));
        }
    }

    @Test
    void consistencyFromALargerToASmallerTreeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> MerkleProofs.consistencyProof(STORE, 9, 8));
        assertThrows(IllegalArgumentException.class, () -> MerkleProofs.consistencyProof(STORE, -1, 8));
        List<byte[]> proof = MerkleProofs.consistencyProof(STORE, 5, 9);
        rejects(Reason.SIZES_OUT_OF_ORDER, () -> MerkleProofs.verifyConsistency(9, 5, root(9), root(5), proof));
        rejects(Reason.SIZES_OUT_OF_ORDER, () -> MerkleProofs.verifyConsistency(-1, 5, root(1), root(5), proof));
    }

    @Test
    void consistencyProofBetweenDifferentSizesIsNeverEmpty() {
        rejects(Reason.WRONG_PROOF_LENGTH, () -> MerkleProofs.verifyConsistency(4, 8, root(4), root(8), List.of()));
        rejects(Reason.WRONG_PROOF_LENGTH, () -> MerkleProofs.verifyConsistency(3, 8, root(3), root(8), List.of()));
    }

    @Test
    void hashesOfTheWrongLengthAreMalformed() {
        List<byte[]> proof = MerkleProofs.inclusionProof(STORE, 3, 10);
        List<byte[]> shortened = new ArrayList<>(proof);
        shortened.set(1, new byte[31]);
        rejects(Reason.MALFORMED_HASH, () -> MerkleProofs.verifyInclusion(leaf(3), 3, 10, shortened, root(10)));
        rejects(Reason.MALFORMED_HASH, () -> MerkleProofs.verifyInclusion(new byte[33], 3, 10, proof, root(10)));
        rejects(Reason.MALFORMED_HASH, () -> MerkleProofs.verifyInclusion(leaf(3), 3, 10, proof, new byte[0]));
        rejects(Reason.MALFORMED_HASH, () -> MerkleProofs.verifyConsistency(3, 10, root(3), null, List.of()));
        rejects(Reason.MALFORMED_HASH, () -> MerkleProofs.verifyConsistency(3, 10, root(3), root(10), null));
    }

    // ------------------------------------------------------------ tampering

    static final int[][] INCLUSION_CASES = {{0, 2}, {1, 2}, {0, 3}, {2, 3}, {3, 4}, {4, 5}, {5, 7}, {6, 7}, {0, 8},
            {7, 8}, {8, 9}, {12, 17}, {100, 255}, {255, 256}, {256, 257}, {511, 1000}, {999, 1000}, {1024, 1999}};

    static final int[][] CONSISTENCY_CASES = {{1, 2}, {1, 3}, {2, 3}, {3, 4}, {2, 5}, {4, 7}, {6, 7}, {1, 8}, {3, 8},
            {6, 8}, {7, 8}, {8, 9}, {9, 17}, {16, 17}, {100, 255}, {128, 256}, {255, 256}, {256, 257}, {700, 1000},
            {1024, 1999}, {1998, 1999}};

    @Test
    void inclusionProofRejectsTamperedHash() {
        for (int[] c : INCLUSION_CASES) {
            List<byte[]> proof = MerkleProofs.inclusionProof(STORE, c[0], c[1]);
            for (int h = 0; h < proof.size(); h++) {
                for (int b = 0; b < 32; b++) {
                    List<byte[]> tampered = flip(proof, h, b);
                    rejects(Reason.ROOT_MISMATCH, () -> MerkleProofs.verifyInclusion(leaf(c[0]), c[0], c[1], tampered, root(c[1])));
                }
            }
        }
    }

    @Test
    void inclusionProofRejectsDroppedOrAddedHash() {
        for (int[] c : INCLUSION_CASES) {
            List<byte[]> proof = MerkleProofs.inclusionProof(STORE, c[0], c[1]);
            for (int h = 0; h < proof.size(); h++) {
                List<byte[]> dropped = new ArrayList<>(proof);
                dropped.remove(h);
                rejects(() -> MerkleProofs.verifyInclusion(leaf(c[0]), c[0], c[1], dropped, root(c[1])));
            }
            for (int at = 0; at <= proof.size(); at++) {
                for (byte[] extra : List.of(leaf(0), root(c[1]), proof.isEmpty() ? leaf(1) : proof.get(0))) {
                    List<byte[]> added = new ArrayList<>(proof);
                    added.add(at, extra);
                    rejects(() -> MerkleProofs.verifyInclusion(leaf(c[0]), c[0], c[1], added, root(c[1])));
                }
            }
        }
    }

    @Test
    void inclusionProofRejectsWrongIndexLeafOrRoot() {
        for (int[] c : INCLUSION_CASES) {
            int i = c[0];
            int n = c[1];
            List<byte[]> proof = MerkleProofs.inclusionProof(STORE, i, n);
            for (long wrong : new long[] {i - 1, i + 1, i ^ 1, i ^ 2, i / 2, i * 2L + 1, n, Long.MAX_VALUE}) {
                if (wrong == i) continue;
                rejects(() -> MerkleProofs.verifyInclusion(leaf(i), wrong, n, proof, root(n)));
            }
            rejects(Reason.ROOT_MISMATCH, () -> MerkleProofs.verifyInclusion(leaf((i + 1) % n), i, n, proof, root(n)));
            rejects(Reason.ROOT_MISMATCH, () -> MerkleProofs.verifyInclusion(leaf(i), i, n, proof, root(n - 1)));
        }
    }

    @Test
    void inclusionProofRejectsWrongTreeSizeEvenWithThatSizesRoot() {
        for (int[] c : INCLUSION_CASES) {
            int i = c[0];
            int n = c[1];
            List<byte[]> proof = MerkleProofs.inclusionProof(STORE, i, n);
            for (long wrong : new long[] {n - 1, n + 1, n * 2L, n / 2, n ^ 1, n ^ 4, i}) {
                if (wrong == n || wrong > MAX) continue;
                rejects(() -> MerkleProofs.verifyInclusion(leaf(i), i, wrong, proof, root(wrong)));
            }
        }
    }

    @Test
    void consistencyProofRejectsTamperedHash() {
        for (int[] c : CONSISTENCY_CASES) {
            List<byte[]> proof = MerkleProofs.consistencyProof(STORE, c[0], c[1]);
            for (int h = 0; h < proof.size(); h++) {
                for (int b = 0; b < 32; b++) {
                    List<byte[]> tampered = flip(proof, h, b);
                    rejects(Reason.ROOT_MISMATCH, () -> MerkleProofs.verifyConsistency(c[0], c[1], root(c[0]), root(c[1]), tampered));
                }
            }
        }
    }

    @Test
    void consistencyProofRejectsDroppedOrAddedHash() {
        for (int[] c : CONSISTENCY_CASES) {
            List<byte[]> proof = MerkleProofs.consistencyProof(STORE, c[0], c[1]);
            for (int h = 0; h < proof.size(); h++) {
                List<byte[]> dropped = new ArrayList<>(proof);
                dropped.remove(h);
                rejects(() -> MerkleProofs.verifyConsistency(c[0], c[1], root(c[0]), root(c[1]), dropped));
            }
            for (int at = 0; at <= proof.size(); at++) {
                for (byte[] extra : List.of(leaf(0), root(c[0]), root(c[1]), proof.get(0))) {
                    List<byte[]> added = new ArrayList<>(proof);
                    added.add(at, extra);
                    rejects(() -> MerkleProofs.verifyConsistency(c[0], c[1], root(c[0]), root(c[1]), added));
                }
            }
        }
    }

    @Test
    void consistencyProofRejectsWrongSizesOrRoots() {
        for (int[] c : CONSISTENCY_CASES) {
            int m = c[0];
            int n = c[1];
            List<byte[]> proof = MerkleProofs.consistencyProof(STORE, m, n);
            for (long wrong : new long[] {m - 1, m + 1, m * 2L, m / 2, m ^ 1, m ^ 2, 0, n}) {
                if (wrong == m || wrong < 0 || wrong > n) continue;
                rejects(() -> MerkleProofs.verifyConsistency(wrong, n, root(wrong), root(n), proof));
            }
            for (long wrong : new long[] {n - 1, n + 1, n * 2L, n ^ 1, n ^ 2}) {
                if (wrong == n || wrong < m || wrong > MAX) continue;
                rejects(() -> MerkleProofs.verifyConsistency(m, wrong, root(m), root(wrong), proof));
            }
            rejects(Reason.ROOT_MISMATCH, () -> MerkleProofs.verifyConsistency(m, n, root(m + 1), root(n), proof));
            rejects(Reason.ROOT_MISMATCH, () -> MerkleProofs.verifyConsistency(m, n, root(m), root(n - 1), proof));
            rejects(() -> MerkleProofs.verifyConsistency(m, n, root(n), root(m), proof));
        }
    }

    static List<byte[]> flip(List<byte[]> proof, int hash, int offset) {
        List<byte[]> out = new ArrayList<>(proof);
        byte[] h = proof.get(hash).clone();
        h[offset] ^= 0x01;
        out.set(hash, h);
        return out;
    }
}
