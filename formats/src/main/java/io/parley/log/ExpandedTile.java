package io.parley.log;

import java.util.Arrays;

/**
 * One hash tile with every complete subtree inside it: the tile's {@code width} hashes at Merkle level {@code 8L}
 * and, above them, the hashes at levels {@code 8L+1 ... 8L+7} that tlog-tiles leaves to readers ("the Merkle Tree
 * levels between those expressed by the tile hashes are reconstructed by hashing the leaves"). Expanding costs
 * {@code width - 1} hashes once; afterwards every stored hash the tile covers is a copy. Recomputing them from the
 * bare tile instead costs up to 127 hashes per proof element, which is what bounded tile-backed proofs at 14 k/s.
 *
 * <p>Layout: one flat array, level by level within the tile: {@code width} hashes, then {@code width / 2}, ...,
 * then {@code width / 128}. A level holds only the subtrees complete at this width; those are the only ones a
 * reader working with a tree size that gives the tile this width may ask for. Immutable after construction, so it
 * can be shared by any number of threads.
 */
public final class ExpandedTile {
    private static final int HASH = Rfc6962.HASH_SIZE;
    private static final int LEVELS = TileCoordinates.HEIGHT;

    private final TileCoordinates tile;
    private final byte[] hashes;
    /** Where each level within the tile starts in {@link #hashes}, counted in hashes. */
    private final int[] offsets = new int[LEVELS];

    private ExpandedTile(TileCoordinates tile, byte[] hashes) {
        this.tile = tile;
        this.hashes = hashes;
        int at = 0;
        for (int k = 0; k < LEVELS; k++) {
            offsets[k] = at;
            at += tile.width() >> k;
        }
    }

    /**
     * Expands {@code data}, the bytes of hash tile {@code tile} (at least {@code tile.width()} hashes; any beyond
     * that width are ignored, which is what serving an earlier tree size from a wider stored row needs).
     */
    public static ExpandedTile of(TileCoordinates tile, byte[] data) {
        if (tile.entries()) throw new IllegalArgumentException("entry bundles hold entries, not hashes: " + tile);
        int width = tile.width();
        if (data.length < width * HASH) {
            throw new IllegalArgumentException("tile " + tile.path() + " needs " + width * HASH + " bytes, got " + data.length);
        }
        int total = 0;
        for (int k = 0; k < LEVELS; k++) total += width >> k;
        byte[] out = new byte[total * HASH];
        System.arraycopy(data, 0, out, 0, width * HASH);
        Rfc6962 hasher = Rfc6962.forThisThread();
        int below = 0;
        for (int k = 1; k < LEVELS; k++) {
            int at = below + (width >> (k - 1));
            for (int i = 0; i < width >> k; i++) {
                hasher.hashChildren(out, (below + 2 * i) * HASH, out, (below + 2 * i + 1) * HASH, out, (at + i) * HASH);
            }
            below = at;
        }
        return new ExpandedTile(tile, out);
    }

    public TileCoordinates coordinates() {
        return tile;
    }

    public int width() {
        return tile.width();
    }

    /** The tile's own bytes at {@code width} hashes (its full width or any narrower, earlier width). */
    public byte[] bytes(int width) {
        if (width < 1 || width > tile.width()) throw new IllegalArgumentException("width " + width + " of tile " + tile);
        return Arrays.copyOf(hashes, width * HASH);
    }

    /** Heap this tile holds, for a cache's weight: the hash array and the objects around it. */
    public int retainedBytes() {
        return hashes.length + 128;
    }

    /**
     * Copies the stored hash {@code (level, index)} to {@code out[offset]}.
     *
     * @throws IllegalArgumentException if this tile at its width does not hold that complete subtree
     */
    public void copyHash(int level, long index, byte[] out, int offset) {
        System.arraycopy(hashes, slot(level, index) * HASH, out, offset, HASH);
    }

    /** The stored hash {@code (level, index)}, a fresh copy. */
    public byte[] hash(int level, long index) {
        int at = slot(level, index) * HASH;
        return Arrays.copyOfRange(hashes, at, at + HASH);
    }

    private int slot(int level, long index) {
        int k = level - tile.merkleLevel();
        long i = k < 0 || k >= LEVELS ? -1 : index - (tile.index() << (LEVELS - k));
        if (i < 0 || i >= tile.width() >> k) {
            throw new IllegalArgumentException("tile " + tile.path() + " does not hold node (" + level + ", " + index + ")");
        }
        return offsets[k] + (int) i;
    }
}
