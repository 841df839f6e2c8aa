package io.parley.log;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a tree of {@code size} leaves: the hashes of the complete subtrees that the binary digits of the
 * size split it into, largest (leftmost) first — one per set bit. This is all an appender needs to know about the
 * past to extend the tree (the "compact range" of RFC 6962 implementations), and its right fold is the tree's root.
 *
 * <p>The hash arrays are shared, not copied; treat them as immutable.
 */
public record Frontier(long size, List<byte[]> hashes) {

    public Frontier {
        if (size < 0) throw new IllegalArgumentException("tree size must not be negative, got " + size);
        hashes = List.copyOf(hashes);
        if (hashes.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("a tree of size " + size + " has " + Long.bitCount(size)
                    + " right-edge subtrees, got " + hashes.size());
        }
        for (byte[] h : hashes) Rfc6962.requireHash(h, "right-edge hash");
    }

    /** The frontier of the empty tree. */
    public static Frontier empty() {
        return new Frontier(0, List.of());
    }

    /** Reads the right edge of the tree of {@code size} leaves from stored hashes (one bulk read). */
    public static Frontier read(HashReader reader, long size) {
        List<TreeNode> nodes = Subtrees.ofTree(size);
        return new Frontier(size, nodes.isEmpty() ? List.of() : reader.hashes(nodes));
    }

    /** The nodes whose hashes this frontier holds, in the same order. */
    public List<TreeNode> nodes() {
        return Subtrees.ofTree(size);
    }

    /** The Merkle tree hash MTH(D[0:size]) (RFC 6962 §2.1): the right fold of the edge, or SHA-256("") if empty. */
    public byte[] root() {
        if (hashes.isEmpty()) return Rfc6962.emptyRoot();
        return Subtrees.foldRight(hashes, 0, hashes.size(), Rfc6962.forThisThread());
    }

    /** Mutable copy of the hashes, for the appender. */
    List<byte[]> stack() {
        return new ArrayList<>(hashes);
    }
}
