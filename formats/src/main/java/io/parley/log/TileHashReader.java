package io.parley.log;

import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A {@link HashReader} over tiles a client fetched, so the same {@link MerkleProofs} and {@link TreeHash} code that
 * serves proofs on the log also computes them on the client (the point of tlog-tiles: "clients can fetch all the
 * tiles they need in parallel and compute any desired proof").
 *
 * <p>Hashes at Merkle levels between tile levels are recomputed from the tile's hashes ("the Merkle Tree levels
 * between those expressed by the tile hashes are reconstructed by hashing the leaves"). Nothing read here is
 * trusted: tile bytes only become meaningful once a root or proof computed from them is checked against a verified
 * checkpoint for the same {@code treeSize}.
 *
 * <p>Throws {@link NoSuchElementException} if a needed tile is missing and {@link IllegalArgumentException} if a tile
 * has the wrong length.
 */
public final class TileHashReader implements HashReader {

    private final long treeSize;
    private final Function<TileCoordinates, byte[]> tiles;

    /**
     * @param treeSize the size of the checkpoint the tiles were fetched for; it fixes every tile's width
     * @param tiles    the fetched tile bytes by coordinates (for example {@code map::get}); null if not fetched
     */
    public TileHashReader(long treeSize, Function<TileCoordinates, byte[]> tiles) {
        if (treeSize < 0) throw new IllegalArgumentException("tree size must not be negative");
        this.treeSize = treeSize;
        this.tiles = tiles;
    }

    @Override
    public byte[] hash(int level, long index) {
        TreeNode node = new TreeNode(level, index);
        TileCoordinates tile = Tiles.containing(node, treeSize);
        byte[] data = tiles.apply(tile);
        if (data == null) throw new NoSuchElementException("tile " + tile.path() + " is needed for node " + node);
        if (data.length != tile.width() * Rfc6962.HASH_SIZE) {
            throw new IllegalArgumentException("tile " + tile.path() + " has " + data.length + " bytes, expected "
                    + tile.width() * Rfc6962.HASH_SIZE);
        }
        int below = level - tile.merkleLevel();
        int count = 1 << below;
        int offset = (int) ((index << below) - tile.index() * TileCoordinates.FULL_WIDTH);
        if (count == 1) return Tiles.hashAt(data, offset);
        byte[] work = new byte[count * Rfc6962.HASH_SIZE];
        System.arraycopy(data, offset * Rfc6962.HASH_SIZE, work, 0, work.length);
        Rfc6962 hasher = Rfc6962.forThisThread();
        for (int n = count; n > 1; n >>= 1) {
            for (int i = 0; i < n / 2; i++) {
                hasher.hashChildren(work, 2 * i * Rfc6962.HASH_SIZE, work, (2 * i + 1) * Rfc6962.HASH_SIZE,
                        work, i * Rfc6962.HASH_SIZE);
            }
        }
        return Tiles.hashAt(work, 0);
    }
}
