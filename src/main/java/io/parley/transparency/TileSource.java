package io.parley.transparency;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.parley.log.HashReader;
import io.parley.log.TileCoordinates;
import io.parley.log.TileHashReader;

/**
 * Reads hash tiles from the database, keeping recently used full tiles in memory. Full tiles never change, so the
 * cache needs no invalidation; partial tiles are always read fresh (their rows grow).
 */
public final class TileSource {
    private static final int FULL_WIDTH = 256;
    private static final int HASH = 32;

    private final LogStore store;
    /** Guarded by itself. ~32 MiB at the default capacity: enough for the upper levels and the hot right edge. */
    private final Map<Long, byte[]> fullTiles;

    public TileSource(LogStore store, int capacity) {
        this.store = store;
        this.fullTiles = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The bytes of tile {@code c} (exactly {@code c.width()} hashes), if the log has that many hashes there. */
    public Optional<byte[]> read(TileCoordinates c) {
        long key = ((long) c.level() << 56) ^ c.index();
        byte[] full;
        synchronized (fullTiles) {
            full = fullTiles.get(key);
        }
        if (full == null) {
            Optional<LogStore.TileRow> row = store.tile(c.level(), c.index());
            if (row.isEmpty()) return Optional.empty();
            full = row.get().data();
            if (full.length == FULL_WIDTH * HASH) {
                synchronized (fullTiles) {
                    fullTiles.put(key, full);
                }
            }
        }
        int bytes = c.width() * HASH;
        if (full.length < bytes) return Optional.empty();
        return Optional.of(full.length == bytes ? full : Arrays.copyOf(full, bytes));
    }

    /** A hash reader over the tree of {@code size}, reading tiles from here. */
    public HashReader reader(long size) {
        return new TileHashReader(size, c -> read(c).orElseThrow(
                () -> new IllegalStateException("tile " + c.path() + " is missing for tree size " + size)));
    }
}
