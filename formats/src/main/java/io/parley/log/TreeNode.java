package io.parley.log;

/**
 * The address of a complete (perfect) subtree of the log's Merkle tree: the subtree of {@code 2^level} leaves
 * starting at leaf {@code index * 2^level}. Level 0 nodes are leaves. This is the addressing used for stored hashes
 * (as in Go's {@code sumdb/tlog}) and, at levels that are multiples of 8, for C2SP tlog-tiles hashes.
 *
 * <p>Only complete subtrees are ever stored, because they never change once the log has grown past them: the hash
 * at (level, index) is the same for every tree size {@code >= (index + 1) * 2^level}. Incomplete subtrees on the
 * right edge are recomputed from complete ones when needed.
 */
public record TreeNode(int level, long index) {

    public TreeNode {
        if (level < 0 || level > 63) throw new IllegalArgumentException("level must be in 0..63, got " + level);
        if (index < 0) throw new IllegalArgumentException("index must not be negative, got " + index);
        if (level > 0 && index > (Long.MAX_VALUE >> level)) {
            throw new IllegalArgumentException("node (" + level + ", " + index + ") lies beyond any possible tree");
        }
    }

    /** The first leaf this subtree covers. */
    public long firstLeaf() {
        return index << level;
    }

    /**
     * The smallest tree size that contains this whole subtree, i.e. one past its last leaf. Saturates at
     * {@link Long#MAX_VALUE} for the one subtree per level that would end exactly at 2^63.
     */
    public long endLeaf() {
        long end = (index + 1) << level;
        return end <= 0 ? Long.MAX_VALUE : end;
    }

    /** Whether this subtree is complete in a tree of {@code treeSize} leaves, i.e. whether its hash is stored. */
    public boolean isCompleteIn(long treeSize) {
        return index < (treeSize >>> level);
    }

    @Override
    public String toString() {
        return "(" + level + ", " + index + ")";
    }
}
