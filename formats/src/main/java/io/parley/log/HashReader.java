package io.parley.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Read access to the stored hashes of a log: the hash of every complete subtree, addressed by {@link TreeNode}
 * (level, index). Everything in this package that needs tree data — roots, proofs, tiles — goes through this
 * interface, so the storage layer only has to persist what {@link TreeAppender} hands it.
 *
 * <p>Implementations throw an unchecked exception (for example {@link java.util.NoSuchElementException} or
 * {@link java.io.UncheckedIOException}) if a hash is missing or unreadable; callers only ask for nodes that are
 * complete in the tree size they work with. Returned arrays must not be modified by the caller.
 */
@FunctionalInterface
public interface HashReader {

    /** The hash of the complete subtree at {@code (level, index)}. */
    byte[] hash(int level, long index);

    /**
     * The hashes of several nodes, in the same order. Proof and tile computations first work out every node they
     * need and then call this once, so a database-backed reader can answer with a single query.
     */
    default List<byte[]> hashes(List<TreeNode> nodes) {
        List<byte[]> out = new ArrayList<>(nodes.size());
        for (TreeNode n : nodes) out.add(hash(n.level(), n.index()));
        return out;
    }

    /**
     * Copies the hashes of the {@code count} nodes {@code (levels[i], indexes[i])} into {@code out}, 32 bytes each in
     * order: the allocation-free form of {@link #hashes} that proof generation uses. The default makes one
     * {@link #hashes} call, so a reader that answers in bulk keeps doing so; readers over memory override it to copy
     * without building node lists.
     */
    default void copyHashes(int[] levels, long[] indexes, int count, byte[] out) {
        List<TreeNode> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) nodes.add(new TreeNode(levels[i], indexes[i]));
        List<byte[]> hashes = hashes(nodes);
        for (int i = 0; i < count; i++) {
            System.arraycopy(Rfc6962.requireHash(hashes.get(i), "stored hash " + nodes.get(i)), 0, out, i * Rfc6962.HASH_SIZE,
                    Rfc6962.HASH_SIZE);
        }
    }
}
