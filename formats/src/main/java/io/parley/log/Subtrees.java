package io.parley.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Shape arithmetic for RFC 6962 trees, shared by roots, proofs and tiles. RFC 6962 §2.1 splits a list of n > 1
 * leaves at k, the largest power of two smaller than n; every range that recursion produces is either a complete
 * subtree or a right-edge range {@code [lo, hi)} whose start is aligned to a power of two at least its length. Such
 * a range is exactly the complete subtrees given by the binary digits of its length, largest first, and its Merkle
 * tree hash is their right fold.
 */
final class Subtrees {
    private Subtrees() {}

    /** k in RFC 6962 §2.1: the largest power of two strictly smaller than {@code n}, for n >= 2. */
    static long splitPoint(long n) {
        if (n < 2) throw new IllegalArgumentException("only ranges of two or more leaves are split, got " + n);
        return Long.highestOneBit(n - 1);
    }

    /**
     * The complete subtrees making up the RFC 6962-shaped range {@code [lo, hi)}, largest (leftmost) first. Throws
     * if the range is empty or not of that shape, which would be a bug in the caller.
     */
    static List<TreeNode> of(long lo, long hi) {
        List<TreeNode> out = new ArrayList<>(Long.bitCount(hi - lo));
        addTo(out, lo, hi);
        return out;
    }

    static void addTo(List<TreeNode> out, long lo, long hi) {
        long n = hi - lo;
        if (lo < 0 || n <= 0) throw new IllegalArgumentException("empty or negative range [" + lo + ", " + hi + ")");
        // Aligned to the smallest power of two >= n (2^63 when n > 2^62, which only lo = 0 satisfies).
        long span = Long.bitCount(n) == 1 ? n : Long.highestOneBit(n) << 1;
        if (span < 0 ? lo != 0 : lo % span != 0) {
            throw new IllegalArgumentException("[" + lo + ", " + hi + ") is not a subtree range of an RFC 6962 tree");
        }
        long start = lo;
        for (int level = 63 - Long.numberOfLeadingZeros(n); level >= 0; level--) {
            if ((n & (1L << level)) != 0) {
                out.add(new TreeNode(level, start >>> level));
                start += 1L << level;
            }
        }
    }

    /** MTH of a range from the hashes of its {@link #of} subtrees: {@code h0 ⊕ (h1 ⊕ (... ⊕ hk))}. */
    static byte[] foldRight(List<byte[]> hashes, int from, int to, Rfc6962 hasher) {
        byte[] acc = hashes.get(to - 1);
        for (int i = to - 2; i >= from; i--) acc = hasher.hashChildren(hashes.get(i), acc);
        return acc;
    }

    /** The complete subtrees of a whole tree of {@code size} leaves: its right edge, largest first. */
    static List<TreeNode> ofTree(long size) {
        if (size < 0) throw new IllegalArgumentException("tree size must not be negative, got " + size);
        return size == 0 ? List.of() : of(0, size);
    }
}
