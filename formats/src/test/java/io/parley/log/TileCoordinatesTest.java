package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TileCoordinatesTest {

    @Test
    void indexIsEncodedInThreeDigitGroupsPrefixedWithXAsInTheSpecExample() throws Exception {
        // tlog-tiles: "index 1234067 will be encoded as x001/x234/067".
        assertEquals("tile/0/x001/x234/067", TileCoordinates.hashes(0, 1234067, 256).path());
        assertEquals("tile/3/x001/x234/067.p/8", TileCoordinates.hashes(3, 1234067, 8).path());
        assertEquals("tile/entries/x001/x234/067", TileCoordinates.entryBundle(1234067, 256).path());
        assertEquals(TileCoordinates.hashes(0, 1234067, 256), TileCoordinates.parse("tile/0/x001/x234/067"));
    }

    @Test
    void smallAndLargeIndexesEncodeCanonically() {
        assertEquals("tile/0/000", TileCoordinates.hashes(0, 0, 256).path());
        assertEquals("tile/0/007.p/1", TileCoordinates.hashes(0, 7, 1).path());
        assertEquals("tile/63/999.p/255", TileCoordinates.hashes(63, 999, 255).path());
        assertEquals("tile/1/x001/000", TileCoordinates.hashes(1, 1000, 256).path());
        assertEquals("tile/entries/x999/999.p/17", TileCoordinates.entryBundle(999999, 17).path());
        assertEquals("tile/0/x009/x223/x372/x036/x854/x775/807", TileCoordinates.hashes(0, Long.MAX_VALUE, 256).path());
    }

    @Test
    void pathsParseBackToTheSameCoordinates() throws Exception {
        long[] indexes = {0, 1, 9, 10, 99, 100, 999, 1000, 1001, 99999, 100000, 123456789, 1L << 40, Long.MAX_VALUE};
        for (long index : indexes) {
            for (int width : new int[] {1, 2, 100, 255, 256}) {
                for (int level : new int[] {0, 1, 2, 9, 10, 63}) {
                    TileCoordinates t = TileCoordinates.hashes(level, index, width);
                    assertEquals(t, TileCoordinates.parse(t.path()));
                }
                TileCoordinates e = TileCoordinates.entryBundle(index, width);
                assertEquals(e, TileCoordinates.parse(e.path()));
            }
        }
    }

    @Test
    void fullTilesHaveNoPartialSuffix() throws Exception {
        TileCoordinates t = TileCoordinates.parse("tile/2/005");
        assertTrue(t.isFull());
        assertEquals(256, t.width());
        assertFalse(TileCoordinates.parse("tile/2/005.p/255").isFull());
        assertEquals(t, TileCoordinates.parse("tile/2/005.p/3").full());
    }

    @Test
    void malformedPathsAreRejected() {
        String[] bad = {
            "", "tile", "tile/", "tile/0", "tile/0/", "/tile/0/000", "tiles/0/000", "tile/0/000/",
            "tile/0/1", "tile/0/01", "tile/0/0000", "tile/0/00a", "tile/0/+01", "tile/0/-01", "tile/0/ 01",
            "tile/0/\u0660\u0660\u0660",
            "tile/00/000", "tile/01/000", "tile/64/000", "tile/-1/000", "tile/a/000", "tile/ 0/000", "tile/100/000",
            "tile/0/x000/001", "tile/0/x000/x001/000", "tile/0/001/000", "tile/0/x1/000", "tile/0/x0001/000",
            "tile/0/X001/000", "tile/0/x001", "tile/0/x001/x002",
            "tile/0/001.p/0", "tile/0/001.p/256", "tile/0/001.p/08", "tile/0/001.p/", "tile/0/001.p", "tile/0/001.p/1000",
            "tile/0/001.p/-1", "tile/0/001.q/5", "tile/0/001.p/5/", "tile/0/001.p/5.p/3", "tile/0/001p/5",
            "tile/entries/000.p/256", "tile/entries/", "tile/data/000", "tile/entries/x000/000", "tile/Entries/000",
            "tile/0/x009/x223/x372/x036/x854/x775/808",
            "tile/0/x001/x002/x003/x004/x005/x006/x007/008",
            "tile/0/000?x=1", "tile/0/000\n", "tile//000",
        };
        for (String path : bad) {
            assertThrows(FormatException.class, () -> TileCoordinates.parse(path), path);
        }
        assertThrows(FormatException.class, () -> TileCoordinates.parse(null));
    }

    @Test
    void coordinatesOutsideTheSpecRangesCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> TileCoordinates.hashes(64, 0, 256));
        assertThrows(IllegalArgumentException.class, () -> TileCoordinates.hashes(-1, 0, 256));
        assertThrows(IllegalArgumentException.class, () -> TileCoordinates.hashes(0, -1, 256));
        assertThrows(IllegalArgumentException.class, () -> TileCoordinates.hashes(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TileCoordinates.hashes(0, 0, 257));
        assertThrows(IllegalArgumentException.class, () -> new TileCoordinates(1, 0, 5, true));
    }

    @Test
    void startIndexIsNTimes256ToTheLevelPlusOne() {
        assertEquals(0, TileCoordinates.hashes(5, 0, 1).startIndex());
        assertEquals(256 * 3, TileCoordinates.hashes(0, 3, 256).startIndex());
        assertEquals(65536L * 3, TileCoordinates.hashes(1, 3, 256).startIndex());
        assertEquals(1L << 56, TileCoordinates.hashes(6, 1, 256).startIndex());
        assertEquals(Long.MAX_VALUE, TileCoordinates.hashes(7, 1, 256).startIndex());
        assertEquals(Long.MAX_VALUE, TileCoordinates.hashes(0, Long.MAX_VALUE, 256).startIndex());
    }

    @Test
    void tileHashesAreStoredHashesAtEightTimesTheTileLevel() {
        TileCoordinates t = TileCoordinates.hashes(2, 3, 10);
        assertEquals(new TreeNode(16, 3 * 256 + 9), t.node(9));
        assertThrows(IndexOutOfBoundsException.class, () -> t.node(10));
        assertEquals(TileCoordinates.entryBundle(4, 7), TileCoordinates.hashes(0, 4, 7).asEntryBundle());
        assertThrows(IllegalStateException.class, () -> TileCoordinates.hashes(1, 4, 7).asEntryBundle());
    }
}
