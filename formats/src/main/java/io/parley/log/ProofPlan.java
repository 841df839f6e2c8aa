package io.parley.log;

import java.util.Arrays;
import java.util.List;

/**
 * The work list of one proof, in primitive arrays reused per thread: the RFC 6962 ranges whose hashes make up the
 * proof, the complete subtrees each range is made of, and a buffer their stored hashes are copied into and folded in.
 * Proof generation is on the serving hot path (receipts, the API, witnesses asking for consistency), so it allocates
 * only the proof it returns: no range or node objects, no boxing, one bulk read through
 * {@link HashReader#copyHashes}.
 *
 * <p>The range recursion is RFC 6962 §2.1.1 PATH and §2.1.2 SUBPROOF unrolled into loops, written once here;
 * {@link MerkleProofs} and {@link Tiles} read the ranges and nodes from a plan. Not thread-safe: a plan belongs to
 * the thread that got it from {@link #forThisThread()} and is overwritten by its next use.
 */
final class ProofPlan {
    private static final int HASH = Rfc6962.HASH_SIZE;
    private static final ThreadLocal<ProofPlan> PER_THREAD = ThreadLocal.withInitial(ProofPlan::new);

    /** Ranges {@code [lo, hi)} in proof order (the leaf's side first); at most 64 in a tree of up to 2^63 leaves. */
    private final long[] lo = new long[65];
    private final long[] hi = new long[65];
    private int ranges;
    /** Nodes of every range in order; range r's nodes are {@code [firstNode[r], firstNode[r + 1])}. */
    private int[] levels = new int[128];
    private long[] indexes = new long[128];
    private final int[] firstNode = new int[66];
    private int nodes;
    private byte[] hashes = new byte[128 * HASH];

    static ProofPlan forThisThread() {
        return PER_THREAD.get();
    }

    /** PATH(m, D[0:size]) as ranges, walking from the root down to the leaf and then reversed to leaf-first order. */
    ProofPlan inclusion(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf index " + index + " is not in a tree of size " + size);
        }
        ranges = 0;
        long l = 0;
        long h = size;
        while (h - l > 1) {
            long k = Subtrees.splitPoint(h - l);
            if (index < l + k) {
                add(l + k, h);
                h = l + k;
            } else {
                add(l, l + k);
                l += k;
            }
        }
        return finish();
    }

    /** SUBPROOF(m, D[0:n], true) as ranges the same way; {@code complete} is RFC 6962's flag b. */
    ProofPlan consistency(long oldSize, long newSize) {
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("no consistency proof from size " + oldSize + " to size " + newSize);
        }
        ranges = 0;
        if (oldSize == 0 || oldSize == newSize) return finish();
        long l = 0;
        long h = newSize;
        boolean complete = true;
        while (oldSize != h) {
            long k = Subtrees.splitPoint(h - l);
            if (oldSize <= l + k) {
                add(l + k, h);
                h = l + k;
            } else {
                add(l, l + k);
                l += k;
                complete = false;
            }
        }
        if (!complete) add(l, h);
        return finish();
    }

    private void add(long from, long to) {
        lo[ranges] = from;
        hi[ranges] = to;
        ranges++;
    }

    /** Reverses the ranges into proof order and lists the complete subtrees of each, largest (leftmost) first. */
    private ProofPlan finish() {
        for (int i = 0, j = ranges - 1; i < j; i++, j--) {
            long t = lo[i];
            lo[i] = lo[j];
            lo[j] = t;
            t = hi[i];
            hi[i] = hi[j];
            hi[j] = t;
        }
        nodes = 0;
        for (int r = 0; r < ranges; r++) {
            firstNode[r] = nodes;
            // Every range the recursion yields is a complete subtree or a right-edge range aligned to a power of two
            // at least its length (see Subtrees), so its subtrees are the binary digits of its length.
            long n = hi[r] - lo[r];
            long start = lo[r];
            for (int level = 63 - Long.numberOfLeadingZeros(n); level >= 0; level--) {
                if ((n & (1L << level)) != 0) {
                    if (nodes == levels.length) grow();
                    levels[nodes] = level;
                    indexes[nodes] = start >>> level;
                    nodes++;
                    start += 1L << level;
                }
            }
        }
        firstNode[ranges] = nodes;
        return this;
    }

    private void grow() {
        levels = Arrays.copyOf(levels, levels.length * 2);
        indexes = Arrays.copyOf(indexes, indexes.length * 2);
        hashes = Arrays.copyOf(hashes, hashes.length * 2);
    }

    int ranges() {
        return ranges;
    }

    long lo(int r) {
        return lo[r];
    }

    long hi(int r) {
        return hi[r];
    }

    int nodes() {
        return nodes;
    }

    TreeNode node(int i) {
        return new TreeNode(levels[i], indexes[i]);
    }

    /** Reads every node's hash in one bulk call and folds each range into its proof element (MTH of the range). */
    List<byte[]> hash(HashReader reader) {
        if (ranges == 0) return List.of();
        reader.copyHashes(levels, indexes, nodes, hashes);
        Rfc6962 hasher = Rfc6962.forThisThread();
        byte[][] proof = new byte[ranges][];
        for (int r = 0; r < ranges; r++) {
            int first = firstNode[r];
            // Right fold h0 ⊕ (h1 ⊕ (... ⊕ hk)) in place: slot i ends up holding the fold of nodes i..k.
            for (int i = firstNode[r + 1] - 2; i >= first; i--) {
                hasher.hashChildren(hashes, i * HASH, hashes, (i + 1) * HASH, hashes, i * HASH);
            }
            proof[r] = Arrays.copyOfRange(hashes, first * HASH, first * HASH + HASH);
        }
        return List.of(proof);
    }
}
