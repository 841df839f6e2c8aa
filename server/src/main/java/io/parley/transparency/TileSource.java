package io.parley.transparency;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.parley.log.HashReader;
import io.parley.log.TileCoordinates;
import io.parley.log.TileHashReader;

/**
 * Reads hash tiles from the database, keeping recently used tiles in memory. A tile's bytes at a given width never
 * change (hashes are write-once), so entries are keyed by (level, index, width) and need no invalidation.
 */
public final class TileSource {
    private static final int HASH = 32;

    private final LogStore store;
    private record Key(int level, long index, int width) {}

    /** Guarded by itself. At most 8 KiB a tile: 8 MiB at the default 1,024 tiles (upper levels and the hot right edge). */
    private final Map<Key, byte[]> cache;

    public TileSource(LogStore store, int capacity) {
        this.store = store;
        this.cache = new LinkedHashMap<>(capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The bytes of tile {@code c} (exactly {@code c.width()} hashes), if the log has that many hashes there. */
    public Optional<byte[]> read(TileCoordinates c) {
        Key key = new Key(c.level(), c.index(), c.width());
        byte[] hit;
        synchronized (cache) {
            hit = cache.get(key);
        }
        if (hit != null) return Optional.of(hit);
        Optional<LogStore.TileRow> row = store.tile(c.level(), c.index());
        if (row.isEmpty()) return Optional.empty();
        byte[] stored = row.get().data();
        int bytes = c.width() * HASH;
        if (stored.length < bytes) return Optional.empty();
        byte[] tile = stored.length == bytes ? stored : Arrays.copyOf(stored, bytes);
        synchronized (cache) {
            cache.put(key, tile);
        }
        return Optional.of(tile);
    }

    /** A hash reader over the tree of {@code size}, reading tiles from here. */
    public HashReader reader(long size) {
        return new TileHashReader(size, c -> read(c).orElseThrow(
                () -> new IllegalStateException("tile " + c.path() + " is missing for tree size " + size)));
    }
}
