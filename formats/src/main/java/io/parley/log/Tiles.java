package io.parley.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.parley.log.TileCoordinates.FULL_WIDTH;
import static io.parley.log.TileCoordinates.HEIGHT;

/**
 * C2SP tlog-tiles arithmetic over stored hashes: which tiles exist for a tree size and how wide they are, the bytes
 * of a tile, which tiles changed between two sizes (what to publish after an append), and which tiles a client must
 * fetch to compute a root or a proof.
 *
 * <p>tlog-tiles: "the partial tile at level l for a tree of size s has floor(s / 256**l) mod 256 entries"; a tile
 * only exists if it has at least one hash, and full tiles never change. Because stored hashes never change either, a
 * tile's bytes are just the stored hashes at Merkle level 8L concatenated — tiles need no storage of their own.
 */
public final class Tiles {
    private Tiles() {}

    /** How many hashes exist at tile level {@code level} in a tree of {@code treeSize}: floor(s / 256^level). */
    static long hashesAtLevel(int level, long treeSize) {
        int shift = HEIGHT * level;
        return shift >= 64 ? 0 : treeSize >>> shift;
    }

    /** The width of tile {@code (level, index)} in a tree of {@code treeSize}, or 0 if that tile does not exist. */
    public static int width(int level, long index, long treeSize) {
        if (treeSize < 0 || index < 0) throw new IllegalArgumentException("sizes and indexes must not be negative");
        long count = hashesAtLevel(level, treeSize);
        long first = index > Long.MAX_VALUE / FULL_WIDTH ? Long.MAX_VALUE : index * FULL_WIDTH;
        if (count <= first) return 0;
        return (int) Math.min(FULL_WIDTH, count - first);
    }

    /** The hash tile {@code (level, index)} as it is served for a tree of {@code treeSize}; throws if it does not exist. */
    public static TileCoordinates tile(int level, long index, long treeSize) {
        int w = width(level, index, treeSize);
        if (w == 0) throw new IllegalArgumentException("tile " + level + "/" + index + " does not exist at size " + treeSize);
        return TileCoordinates.hashes(level, index, w);
    }

    /** The tile holding stored hash {@code node} (or the hashes it is computed from), at its width for {@code treeSize}. */
    public static TileCoordinates containing(TreeNode node, long treeSize) {
        if (!node.isCompleteIn(treeSize)) {
            throw new IllegalArgumentException("node " + node + " is not complete in a tree of size " + treeSize);
        }
        int level = node.level() / HEIGHT;
        int below = node.level() % HEIGHT;
        long first = node.index() << below;
        return tile(level, first / FULL_WIDTH, treeSize);
    }

    /** The bytes of {@code tile}: its {@code width} stored hashes concatenated, read in one bulk call. */
    public static byte[] read(HashReader reader, TileCoordinates tile) {
        if (tile.entries()) throw new IllegalArgumentException("entry bundles hold entries, not hashes: " + tile);
        List<TreeNode> nodes = new ArrayList<>(tile.width());
        for (int i = 0; i < tile.width(); i++) nodes.add(tile.node(i));
        List<byte[]> hashes = reader.hashes(nodes);
        byte[] out = new byte[tile.width() * Rfc6962.HASH_SIZE];
        for (int i = 0; i < hashes.size(); i++) {
            byte[] h = Rfc6962.requireHash(hashes.get(i), "stored hash " + nodes.get(i));
            System.arraycopy(h, 0, out, i * Rfc6962.HASH_SIZE, Rfc6962.HASH_SIZE);
        }
        return out;
    }

    /** The hash {@code i} of a tile's bytes. */
    public static byte[] hashAt(byte[] tileBytes, int i) {
        byte[] h = new byte[Rfc6962.HASH_SIZE];
        System.arraycopy(tileBytes, i * Rfc6962.HASH_SIZE, h, 0, Rfc6962.HASH_SIZE);
        return h;
    }

    /**
     * Every hash tile of a tree of {@code treeSize}, level by level, full tiles then the partial one. Linear in the
     * tree size (about treeSize / 255 tiles); meant for tests, mirrors and small logs.
     */
    public static List<TileCoordinates> all(long treeSize) {
        return changed(0, treeSize);
    }

    /**
     * The hash tiles that exist at {@code newSize} but not, with the same width, at {@code oldSize}: the new and grown
     * tiles a log must publish after growing from {@code oldSize} to {@code newSize}, and the ones a client tailing
     * the log has not seen. For each level: any partial tile at the old size (now wider), then the following tiles.
     */
    public static List<TileCoordinates> changed(long oldSize, long newSize) {
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("need 0 <= oldSize <= newSize, got " + oldSize + " and " + newSize);
        }
        List<TileCoordinates> out = new ArrayList<>();
        for (int level = 0; level <= TileCoordinates.MAX_LEVEL; level++) {
            long newCount = hashesAtLevel(level, newSize);
            if (newCount == 0) break;
            long oldCount = hashesAtLevel(level, oldSize);
            for (long n = oldCount / FULL_WIDTH; n <= (newCount - 1) / FULL_WIDTH; n++) {
                int w = width(level, n, newSize);
                if (w > width(level, n, oldSize)) out.add(TileCoordinates.hashes(level, n, w));
            }
        }
        return out;
    }

    /** The entry bundles that are new or grew between the two sizes (the entry counterpart of level-0 {@link #changed}). */
    public static List<TileCoordinates> changedEntryBundles(long oldSize, long newSize) {
        List<TileCoordinates> out = new ArrayList<>();
        for (TileCoordinates t : changed(oldSize, newSize)) {
            if (t.level() == 0) out.add(t.asEntryBundle());
        }
        return out;
    }

    /** The tiles (at their widths for {@code treeSize}) that hold the given stored hashes, without duplicates. */
    public static List<TileCoordinates> forNodes(Collection<TreeNode> nodes, long treeSize) {
        Set<TileCoordinates> out = new LinkedHashSet<>();
        for (TreeNode n : nodes) out.add(containing(n, treeSize));
        return List.copyOf(out);
    }

    /** The tiles a client needs to compute the root of the tree of {@code treeSize} (its right edge). */
    public static List<TileCoordinates> forTreeHash(long treeSize) {
        return forNodes(Subtrees.ofTree(treeSize), treeSize);
    }

    /** The tiles a client needs to compute the inclusion proof of leaf {@code index} in the tree of {@code treeSize}. */
    public static List<TileCoordinates> forInclusionProof(long index, long treeSize) {
        return forNodes(MerkleProofs.inclusionNodes(index, treeSize), treeSize);
    }

    /** The tiles a client needs to compute the consistency proof from {@code oldSize} to {@code newSize}. */
    public static List<TileCoordinates> forConsistencyProof(long oldSize, long newSize) {
        return forNodes(MerkleProofs.consistencyNodes(oldSize, newSize), newSize);
    }
}
