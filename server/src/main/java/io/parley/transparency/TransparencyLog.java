package io.parley.transparency;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

import io.parley.identity.SigningKey;
import io.parley.log.EntryBundle;
import io.parley.log.HashReader;
import io.parley.log.LogEntry;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteSigner;
import io.parley.log.SignedNote;
import io.parley.log.TileCoordinates;
import io.parley.log.TlogProof;
import io.parley.receipt.Receipt;
import io.parley.store.Database;
import io.parley.store.Dialect;
import io.parley.store.Leadership;
import io.parley.worker.Ticker;

/**
 * A node's transparency log: appends (queued durably, sequenced in batches), the published checkpoint with its
 * cosignatures, tiles and entry bundles, and inclusion and consistency proofs. Every entry is the commitment
 * {@link LogEntry#of} of an item, so what is public is sizes, hashes and timing; a log of the old format (item bytes
 * as entries) is refused when opened.
 */
public final class TransparencyLog implements AutoCloseable {
    /**
     * Settings with their reasons; the defaults suit both an idle and a busy node. {@code tileCacheBytes} bounds the
     * heap of the tile cache that proofs are served from (64 MiB: every tile of a log of a million entries, see
     * {@link TileSource}).
     */
    public record Settings(int maxBatch, Duration idlePoll, long tileCacheBytes) {
        public static final Settings DEFAULT = new Settings(1024, Duration.ofMillis(25), 64L << 20);
    }

    private final String origin;
    private final LogStore store;
    private final TileSource tiles;
    private final Sequencer sequencer;
    private final Clock clock;
    private final Ticker ticker;
    /**
     * ref → waiters for its sequencing; completed by the sequencer thread after this instance commits it, or with
     * {@link #RECHECK} when another instance committed a checkpoint (which may cover it).
     */
    private final ConcurrentHashMap<String, CompletableFuture<Long>> waiters = new ConcurrentHashMap<>();
    /** Told whenever new entries are in the log ({@link #onSequenced}). */
    private final List<Runnable> sequenced = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** A waiter's answer meaning "another instance published a checkpoint: look in the database". */
    private static final long RECHECK = -1;
    /** How often a waiter looks in the database even without news: the safety net when news is lost. */
    private static final long WAITER_POLL_MILLIS = 50;

    /**
     * Opens the log and starts its sequencer. {@code clock} dates checkpoints; {@code random} jitters the sequencer's
     * retries; {@code ticker} measures {@link #awaitIndex} waits (real time even when a test stops the clock).
     */
    public TransparencyLog(Database db, SigningKey key, Clock clock, RandomGenerator random, Ticker ticker, Settings settings) {
        this.origin = key.name();
        this.clock = clock;
        this.ticker = ticker;
        this.store = new LogStore(db);
        store.oldFormatEntry().ifPresent(which -> {
            throw new OldLogFormatException(which);
        });
        this.tiles = new TileSource(store, settings.tileCacheBytes());
        boolean shared = db.dialect() == Dialect.POSTGRESQL;
        Leadership leadership = Leadership.of(db, Leadership.Role.SEQUENCER);
        LogBell bell = shared ? new PostgresLogBell(db, random) : LogBell.none();
        this.sequencer = new Sequencer(store, tiles, leadership, bell, origin, NoteSigner.ed25519(key), clock, random, settings.maxBatch(),
                settings.idlePoll(), this::committed, this::recheckWaiters);
    }

    public String origin() {
        return origin;
    }

    public LogStore store() {
        return store;
    }

    /**
     * Queues, in its own transaction, the entry for an item given by its canonical bytes (for appends not tied to
     * another write, e.g. a party card). The log holds the item's commitment, not the item.
     */
    public void append(byte[] itemCanonicalBytes, String ref) {
        store.enqueue(itemCanonicalBytes, ref, clock.instant());
        sequencer.poke();
    }

    /** Tells the sequencer that something was queued inside another store's transaction. */
    public void poke() {
        sequencer.poke();
    }

    private void committed(List<LogStore.Entry> entries) {
        for (LogStore.Entry e : entries) {
            CompletableFuture<Long> f = waiters.remove(e.ref());
            if (f != null) f.complete(e.index());
        }
        sequenced.forEach(Runnable::run);
    }

    /**
     * Runs {@code listener} whenever new entries are in the log: sequenced here, or announced by the instance that
     * sequences. It runs on the sequencer's or the bell's thread, so it must only hand work off (wake a worker).
     */
    public void onSequenced(Runnable listener) {
        sequenced.add(listener);
    }

    /** Another instance sequenced: every waiter looks whether its entry is in (one indexed query each). */
    private void recheckWaiters() {
        for (String ref : waiters.keySet()) {
            CompletableFuture<Long> f = waiters.remove(ref);
            if (f != null) f.complete(RECHECK);
        }
        sequenced.forEach(Runnable::run);
    }

    /** The log index of {@code ref}, waiting up to {@code timeout} for the sequencer (this or another instance's) to include it. */
    public Optional<Long> awaitIndex(String ref, Duration timeout) {
        long start = ticker.nanoTime();
        try {
            while (true) {
                CompletableFuture<Long> future = waiters.computeIfAbsent(ref, r -> new CompletableFuture<>());
                try {
                    Optional<Long> known = store.indexOf(ref); // after registering, so a commit in between is not missed
                    if (known.isPresent()) return known;
                    long left = timeout.toMillis() - (ticker.nanoTime() - start) / 1_000_000;
                    if (left <= 0) return Optional.empty();
                    long index = future.get(Math.min(left, WAITER_POLL_MILLIS), TimeUnit.MILLISECONDS);
                    if (index != RECHECK) return Optional.of(index);
                } catch (TimeoutException e) {
                    // look again
                } finally {
                    waiters.remove(ref, future);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The newest committed checkpoint, or empty for a log that has none yet. */
    public Optional<StoredCheckpoint> latest() {
        StoredCheckpoint p = sequencer.published();
        if (p == null) return store.latestCheckpoint();
        return Optional.of(p);
    }

    /** The newest checkpoint as a signed note with every cosignature gathered for it. */
    public Optional<SignedNote> cosignedCheckpoint() {
        return latest().map(this::withCosignatures);
    }

    /** A stored checkpoint's note with the cosignature lines peers returned for that size. */
    public SignedNote withCosignatures(StoredCheckpoint c) {
        return LogView.withCosignatures(store, c);
    }

    /** This log read without the sequencer (for checks that need only what is stored). */
    public LogView view() {
        return new LogView(store, tiles);
    }

    /** A receipt for {@code ref} against the newest checkpoint, preferring the newest cosigned one covering it. */
    public Optional<Receipt> receipt(String ref) {
        Optional<Long> index = store.indexOf(ref);
        if (index.isEmpty()) return Optional.empty();
        Optional<StoredCheckpoint> latest = latest();
        // The entry is committed with its checkpoint, but the sequencer publishes in memory only after the commit
        // returns: read the committed one rather than answer "pending" in that instant.
        if (latest.isEmpty() || latest.get().size() <= index.get()) latest = store.latestCheckpoint();
        if (latest.isEmpty() || latest.get().size() <= index.get()) return Optional.empty();
        StoredCheckpoint at = latest.get();
        Optional<Long> cosigned = store.newestCosignedSize();
        if (cosigned.isPresent() && cosigned.get() > index.get()) at = store.checkpoint(cosigned.get()).orElse(at);
        List<byte[]> proof = MerkleProofs.inclusionProof(tiles.reader(at.size(), latest.get().size()), index.get(), at.size());
        return Optional.of(new Receipt(origin, ref, index.get(), new TlogProof(index.get(), proof, withCosignatures(at))));
    }

    /**
     * Receipts for many refs at once (an inbox batch), as {@link #receipt} gives each: waits up to {@code wait} for
     * the log to cover those not yet logged, then looks their indices up together and proves every one against the
     * same checkpoint (the newest cosigned one that covers it, else the newest). Refs still not logged are absent.
     */
    public java.util.Map<String, Receipt> receipts(List<String> refs, Duration wait) {
        java.util.Map<String, Long> indexes = store.indexesOf(refs);
        List<String> missing = refs.stream().filter(r -> !indexes.containsKey(r)).toList();
        if (!missing.isEmpty()) {
            // One deadline for the batch. The sequencer works in queue order, so once the first is logged the others
            // usually are too; but another instance sharing the database may have queued some in another order.
            long deadline = ticker.nanoTime() + wait.toNanos();
            for (String ref : missing) {
                long left = deadline - ticker.nanoTime();
                if (left <= 0) break;
                awaitIndex(ref, Duration.ofNanos(left)).ifPresent(i -> indexes.put(ref, i));
            }
        }
        java.util.Map<String, Receipt> out = new java.util.LinkedHashMap<>();
        if (indexes.isEmpty()) return out;
        long highest = java.util.Collections.max(indexes.values());
        Optional<StoredCheckpoint> latest = latest();
        if (latest.isEmpty() || latest.get().size() <= highest) latest = store.latestCheckpoint();
        if (latest.isEmpty()) return out;
        Optional<StoredCheckpoint> cosigned = store.newestCosignedSize().flatMap(store::checkpoint);
        java.util.Map<Long, SignedNote> notes = new java.util.HashMap<>();
        for (String ref : refs) {
            Long index = indexes.get(ref);
            if (index == null || latest.get().size() <= index) continue;
            StoredCheckpoint at = cosigned.filter(c -> c.size() > index).orElse(latest.get());
            SignedNote note = notes.computeIfAbsent(at.size(), size -> withCosignatures(at));
            List<byte[]> proof = MerkleProofs.inclusionProof(tiles.reader(at.size(), latest.get().size()), index, at.size());
            out.put(ref, new Receipt(origin, ref, index, new TlogProof(index, proof, note)));
        }
        return out;
    }

    public List<byte[]> inclusionProof(long index, long size) {
        return MerkleProofs.inclusionProof(reader(size), index, size);
    }

    public List<byte[]> consistencyProof(long oldSize, long newSize) {
        return MerkleProofs.consistencyProof(reader(newSize), oldSize, newSize);
    }

    /** Stored hashes of the tree of {@code size}, read from tiles as the newest checkpoint has them. */
    private HashReader reader(long size) {
        long have = latest().map(StoredCheckpoint::size).orElse(0L);
        if (size > have) throw new IllegalArgumentException("the log has " + have + " entries, not " + size);
        return tiles.reader(size, have);
    }

    /** Hash tile bytes at exactly the coordinates' width, if the published tree has them. */
    public Optional<byte[]> tile(TileCoordinates c) {
        long size = latest().map(StoredCheckpoint::size).orElse(0L);
        if (io.parley.log.Tiles.width(c.level(), c.index(), size) < c.width()) return Optional.empty();
        return tiles.read(c, size);
    }

    /** Exports the tile cache's hits, misses and size to {@code registry} (the node's {@code /metrics}). */
    public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
        tiles.bindTo(registry);
    }

    /** An entry bundle at exactly the coordinates' width, if the published tree has those entries. */
    public Optional<byte[]> entryBundle(TileCoordinates c) {
        long size = latest().map(StoredCheckpoint::size).orElse(0L);
        // A path may name an index up to 10^21 - 1; index * 256 would wrap (2^56 * 256 is 0) and serve bundle 0 under
        // another bundle's immutable path. No tree holds entries that far out.
        if (c.index() > (Long.MAX_VALUE - TileCoordinates.FULL_WIDTH) / TileCoordinates.FULL_WIDTH) return Optional.empty();
        long first = c.index() * TileCoordinates.FULL_WIDTH;
        if (first + c.width() > size) return Optional.empty();
        List<LogStore.Entry> entries = store.entries(first, first + c.width());
        if (entries.size() != c.width()) return Optional.empty();
        for (LogStore.Entry e : entries) {
            // Unreachable after the check at open; kept because serving item bytes here would publish message text.
            if (!LogEntry.isCommitment(e.data())) throw new OldLogFormatException("entry " + e.index() + " is " + e.data().length + " bytes");
        }
        return Optional.of(EntryBundle.encode(entries.stream().map(LogStore.Entry::data).toList()));
    }

    @Override
    public void close() {
        sequencer.close();
    }
}
