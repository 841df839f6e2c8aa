package io.parley.log;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** An expanded tile answers every complete subtree it covers exactly as the full stored-hash tree does. */
class ExpandedTileTest {
    private static final InMemoryHashStore STORE = new InMemoryHashStore();

    static {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 256 * 256 + 300; i++) entries.add(("e" + i).getBytes());
        STORE.appendEntries(entries);
    }

    @Test
    void everyCompleteSubtreeOfEveryWidthMatchesTheStoredTree() {
        for (int level = 0; level <= 1; level++) {
            for (int width : new int[] {1, 2, 3, 7, 128, 129, 200, 255, 256}) {
                TileCoordinates t = TileCoordinates.hashes(level, level == 0 ? 256 : 0, width);
                ExpandedTile tile = ExpandedTile.of(t, Tiles.read(STORE, t));
                byte[] out = new byte[32];
                for (int k = 0; k < 8; k++) {
                    long first = t.index() << (8 - k);
                    for (long i = first; i < first + (width >> k); i++) {
                        byte[] expected = STORE.hash(8 * level + k, i);
                        assertArrayEquals(expected, tile.hash(8 * level + k, i), t + " node " + (8 * level + k) + "/" + i);
                        tile.copyHash(8 * level + k, i, out, 0);
                        assertArrayEquals(expected, out);
                    }
                    long incomplete = first + (width >> k);
                    int at = 8 * level + k;
                    assertThrows(IllegalArgumentException.class, () -> tile.hash(at, incomplete), "not complete at width " + width);
                }
                int above = 8 * level + 8;
                assertThrows(IllegalArgumentException.class, () -> tile.hash(above, 0), "above the tile");
                assertArrayEquals(Tiles.read(STORE, t), tile.bytes(width));
            }
        }
    }

    @Test
    void aWiderStoredRowIsCutToTheTileWidthAndAShortOneRefused() {
        TileCoordinates full = TileCoordinates.hashes(0, 3, 256);
        byte[] data = Tiles.read(STORE, full);
        ExpandedTile narrow = ExpandedTile.of(TileCoordinates.hashes(0, 3, 10), data);
        assertArrayEquals(java.util.Arrays.copyOf(data, 320), narrow.bytes(10));
        assertThrows(IllegalArgumentException.class, () -> narrow.hash(0, 3 * 256 + 10));
        assertThrows(IllegalArgumentException.class, () -> ExpandedTile.of(full, java.util.Arrays.copyOf(data, 255 * 32)));
    }
}
