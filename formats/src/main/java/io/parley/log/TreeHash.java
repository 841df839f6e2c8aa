package io.parley.log;

import java.util.List;

/**
 * Merkle tree hashes (RFC 6962 §2.1 MTH) computed from stored hashes. Because stored hashes never change, the root
 * of <em>any</em> earlier tree size can be recomputed from the current store — from {@code popcount(size)} reads.
 */
public final class TreeHash {
    private TreeHash() {}

    /** MTH(D[0:size]); SHA-256("") for size 0. */
    public static byte[] of(HashReader reader, long size) {
        return Frontier.read(reader, size).root();
    }

    /**
     * MTH(D[lo:hi]) for a range of the shape RFC 6962's recursion produces (a complete subtree, or a right-edge
     * range whose start is aligned to a power of two at least its length). Used for proof elements.
     */
    static byte[] ofRange(HashReader reader, long lo, long hi) {
        List<TreeNode> nodes = Subtrees.of(lo, hi);
        return Subtrees.foldRight(reader.hashes(nodes), 0, nodes.size(), Rfc6962.forThisThread());
    }
}
