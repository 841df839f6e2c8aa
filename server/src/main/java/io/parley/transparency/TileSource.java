package io.parley.transparency;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.parley.log.ExpandedTile;
import io.parley.log.HashReader;
import io.parley.log.Rfc6962;
import io.parley.log.TileCoordinates;
import io.parley.log.Tiles;

/**
 * Reads hash tiles from the database through an in-memory cache of {@link ExpandedTile}s, so proofs are served at
 * memory speed: a cached tile answers every stored hash it covers, interior levels included, without a query or a
 * hash.
 *
 * <p>Why entries are keyed by (level, index, width): a tile's bytes at a given width never change (stored hashes are
 * write-once), so a key that includes the width needs no invalidation, and a reader for a larger tree asks for the
 * wider tile under another key: a stale partial (right-edge) tile can never be served for a tree that has grown past
 * it. A full tile (width 256) is final and stays until evicted. Each checkpoint therefore costs at most one miss per
 * tile level for its new right edge; superseded partial entries are never asked for again and age out.
 *
 * <p>Memory is bounded by weight, in bytes of hashes held: a full expanded tile is 511 hashes (about 16 KiB), so the
 * default 64 MiB holds about 4,000 full tiles, every tile of a log of one million entries, and for larger logs the
 * frequently used upper levels and right edge (W-TinyLFU admission keeps the tiles every proof passes through).
 * Hits, misses, evictions and the weight held are exported as {@code cache_*{cache="parley_log_tiles"}} and
 * {@code parley_log_tile_cache_*} metrics.
 *
 * <p>Thread-safe: the cache is Caffeine's; a reader from {@link #reader} belongs to the one thread that asked for it.
 */
public final class TileSource {
    /** The cache's name in metrics. */
    public static final String CACHE_NAME = "parley_log_tiles";

    private final LogStore store;
    private final long maxBytes;
    private final Cache<Key, ExpandedTile> cache;

    private record Key(int level, long index, int width) {}

    /** @param maxBytes the most heap the cached tiles may hold, counting hashes and per-tile overhead */
    public TileSource(LogStore store, long maxBytes) {
        if (maxBytes < 0) throw new IllegalArgumentException("tile cache size must not be negative");
        this.store = store;
        this.maxBytes = maxBytes;
        // Maintenance (eviction) on the reading thread, not a pool: the bound then holds whenever a read returns.
        this.cache = Caffeine.newBuilder().maximumWeight(maxBytes).executor(Runnable::run)
                .weigher((Key k, ExpandedTile t) -> t.retainedBytes()).recordStats().build();
    }

    /** The bytes of tile {@code c} (exactly {@code c.width()} hashes), if the log has that many hashes there. */
    public Optional<byte[]> read(TileCoordinates c) {
        return expanded(c.level(), c.index(), c.width()).map(t -> t.bytes(c.width()));
    }

    /**
     * The bytes of tile {@code c} as the tree of {@code treeSize} (whose tile there is at least as wide) holds them:
     * read through the tile at its width in that tree and cut to {@code c.width()}. A client naming narrower widths
     * of a tile (any 1..255 is a valid path) thus reuses one cache entry instead of filling the cache with variants.
     */
    public Optional<byte[]> read(TileCoordinates c, long treeSize) {
        int width = Tiles.width(c.level(), c.index(), treeSize);
        if (width < c.width()) return Optional.empty();
        return expanded(c.level(), c.index(), width).map(t -> t.bytes(c.width()));
    }

    /** Tile {@code (level, index)} at {@code width}, from the cache or loaded and expanded once. */
    private Optional<ExpandedTile> expanded(int level, long index, int width) {
        // A load that finds too few hashes caches nothing (the function returns null), so a later, larger tree loads again.
        return Optional.ofNullable(cache.get(new Key(level, index, width), k -> load(level, index, width)));
    }

    private ExpandedTile load(int level, long index, int width) {
        Optional<LogStore.TileRow> row = store.tile(level, index);
        if (row.isEmpty() || row.get().data().length < width * Rfc6962.HASH_SIZE) return null;
        return ExpandedTile.of(TileCoordinates.hashes(level, index, width), row.get().data());
    }

    /** A hash reader over the tree of {@code size}, reading tiles from here; for one thread. */
    public HashReader reader(long size) {
        return new Reader(size, size);
    }

    /**
     * A hash reader over the tree of {@code size} that reads each tile at its width in the larger tree of
     * {@code committedSize}, whose tiles are stored (a committed checkpoint's size). Its tiles hold every node of the
     * smaller tree, and the same (wider or full) cache entries then serve proofs for every earlier size, where reading
     * at the smaller tree's widths would load a differently cut right-edge tile for each size asked for.
     */
    public HashReader reader(long size, long committedSize) {
        if (committedSize < size) throw new IllegalArgumentException("tree size " + size + " is beyond " + committedSize);
        return new Reader(size, committedSize);
    }

    /** Exports the cache's hit and miss counts, hit ratio and the bytes it holds against its bound. */
    public void bindTo(MeterRegistry registry) {
        CaffeineCacheMetrics.monitor(registry, cache, CACHE_NAME);
        Gauge.builder("parley_log_tile_cache_hit_ratio", cache, c -> c.stats().hitRate())
                .description("share of tile reads answered from memory since start").register(registry);
        Gauge.builder("parley_log_tile_cache_bytes", cache, c -> c.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L))
                .description("heap held by cached tiles").baseUnit("bytes").register(registry);
        Gauge.builder("parley_log_tile_cache_max_bytes", this, s -> s.maxBytes)
                .description("bound on the heap cached tiles may hold").baseUnit("bytes").register(registry);
    }

    /**
     * Stored hashes of one tree size from cached tiles. Remembers the last tile it used, since consecutive nodes of a
     * proof mostly lie in the same tile.
     */
    private final class Reader implements HashReader {
        private final long size;
        private final long committedSize;
        private ExpandedTile last;

        Reader(long size, long committedSize) {
            if (size < 0) throw new IllegalArgumentException("tree size must not be negative");
            this.size = size;
            this.committedSize = committedSize;
        }

        @Override
        public byte[] hash(int level, long index) {
            return tileFor(level, index).hash(level, index);
        }

        @Override
        public void copyHashes(int[] levels, long[] indexes, int count, byte[] out) {
            for (int i = 0; i < count; i++) tileFor(levels[i], indexes[i]).copyHash(levels[i], indexes[i], out, i * Rfc6962.HASH_SIZE);
        }

        private ExpandedTile tileFor(int level, long index) {
            if (level < 0 || level > 63 || index < 0 || index >= (size >>> level)) {
                throw new IllegalArgumentException("node (" + level + ", " + index + ") is not complete in a tree of size " + size);
            }
            int tileLevel = level / TileCoordinates.HEIGHT;
            long tileIndex = (index << (level % TileCoordinates.HEIGHT)) / TileCoordinates.FULL_WIDTH;
            ExpandedTile t = last;
            if (t != null && t.coordinates().level() == tileLevel && t.coordinates().index() == tileIndex) return t;
            // Only nodes complete in size get here, and the tile at its committed width holds all of them.
            int width = Tiles.width(tileLevel, tileIndex, committedSize);
            t = expanded(tileLevel, tileIndex, width).orElseThrow(() -> new IllegalStateException(
                    "tile " + TileCoordinates.hashes(tileLevel, tileIndex, width).path() + " is missing for tree size " + committedSize));
            last = t;
            return t;
        }
    }
}
