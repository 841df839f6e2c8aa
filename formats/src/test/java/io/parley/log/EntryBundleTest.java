package io.parley.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class EntryBundleTest {

    @Test
    void entriesAreBigEndianUint16LengthPrefixed() {
        byte[] bundle = EntryBundle.encode(List.of(new byte[] {7}, new byte[0], new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {0, 1, 7, 0, 0, 0, 3, 1, 2, 3}, bundle);
        byte[] big = new byte[300];
        assertArrayEquals(new byte[] {1, 44}, Arrays.copyOf(EntryBundle.encode(List.of(big)), 2));
    }

    @Test
    void bundlesRoundTripIncludingEmptyAndMaximalEntries() throws Exception {
        List<byte[]> entries = new ArrayList<>();
        entries.add(new byte[0]);
        entries.add(new byte[EntryBundle.MAX_ENTRY_SIZE]);
        for (int i = 0; i < 254; i++) entries.add(ReferenceMerkle.entry(i));
        List<byte[]> back = EntryBundle.decode(EntryBundle.encode(entries));
        assertEquals(entries.size(), back.size());
        for (int i = 0; i < entries.size(); i++) assertArrayEquals(entries.get(i), back.get(i));
        assertEquals(256, EntryBundle.decode(EntryBundle.encode(entries), TileCoordinates.entryBundle(0, 256)).size());
    }

    @Test
    void malformedBundlesAreRejected() {
        assertThrows(FormatException.class, () -> EntryBundle.decode(new byte[0]));
        assertThrows(FormatException.class, () -> EntryBundle.decode(new byte[] {0}));
        assertThrows(FormatException.class, () -> EntryBundle.decode(new byte[] {0, 3, 1, 2}));
        assertThrows(FormatException.class, () -> EntryBundle.decode(new byte[] {0, 1, 9, 0}));
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 256; i++) many.add(new byte[] {1});
        byte[] full = EntryBundle.encode(many);
        byte[] tooMany = Arrays.copyOf(full, full.length + 3);
        tooMany[full.length + 1] = 1;
        assertThrows(FormatException.class, () -> EntryBundle.decode(tooMany));
        assertThrows(FormatException.class, () -> EntryBundle.decode(full, TileCoordinates.entryBundle(0, 255)));
    }

    @Test
    void encodingRefusesWhatTheFormatCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> EntryBundle.encode(List.of()));
        assertThrows(IllegalArgumentException.class, () -> EntryBundle.encode(List.of(new byte[65536])));
        List<byte[]> tooMany = new ArrayList<>();
        for (int i = 0; i < 257; i++) tooMany.add(new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> EntryBundle.encode(tooMany));
    }

    @Test
    void entriesHashToTheMatchingLevel0Tile() {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) entries.add(ReferenceMerkle.entry(i));
        InMemoryHashStore store = new InMemoryHashStore();
        store.appendEntries(entries);
        assertArrayEquals(Tiles.read(store, TileCoordinates.hashes(0, 0, 256)), EntryBundle.leafHashTile(entries.subList(0, 256)));
        assertArrayEquals(Tiles.read(store, TileCoordinates.hashes(0, 1, 44)), EntryBundle.leafHashTile(entries.subList(256, 300)));
    }
}
