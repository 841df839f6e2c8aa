package io.parley.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Extends an RFC 6962 tree by a batch of leaf hashes, given only its right edge ({@link Frontier}). Appending leaf
 * number s stores its hash at (0, s) and then, for every trailing one bit of s, merges the smallest right-edge
 * subtree with the new one into a complete parent one level up — exactly the complete subtrees that the new size
 * finishes. No stored hash is ever rewritten, which is what lets storage be append-only and tiles immutable.
 *
 * <p>Pure: no I/O and no shared state; the caller persists {@link AppendResult#newHashes()} and keeps the new
 * frontier.
 */
public final class TreeAppender {
    private TreeAppender() {}

    /**
     * Appends {@code leafHashes} (each 32 bytes, already {@link Rfc6962#leafHash hashed}) after the tree whose
     * right edge is {@code edge}. The result lists new stored hashes in the order they were completed: every leaf is
     * followed by the parents it completes.
     */
    public static AppendResult append(Frontier edge, List<byte[]> leafHashes) {
        Rfc6962 hasher = Rfc6962.forThisThread();
        long size = edge.size();
        if (Long.MAX_VALUE - size < leafHashes.size()) {
            throw new IllegalArgumentException("appending " + leafHashes.size() + " leaves overflows the tree size");
        }
        List<byte[]> stack = edge.stack();
        List<StoredHash> stored = new ArrayList<>(leafHashes.size() * 2 + 64);
        for (byte[] leaf : leafHashes) {
            Rfc6962.requireHash(leaf, "leaf hash");
            byte[] hash = leaf;
            long index = size;
            int level = 0;
            stored.add(new StoredHash(0, index, hash));
            while ((index & 1) == 1) {
                hash = hasher.hashChildren(stack.remove(stack.size() - 1), hash);
                index >>>= 1;
                level++;
                stored.add(new StoredHash(level, index, hash));
            }
            stack.add(hash);
            size++;
        }
        Frontier next = new Frontier(size, stack);
        return new AppendResult(next, stored, next.root());
    }
}
