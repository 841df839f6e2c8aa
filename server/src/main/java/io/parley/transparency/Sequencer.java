package io.parley.transparency;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.parley.log.AppendResult;
import io.parley.log.Checkpoint;
import io.parley.log.Frontier;
import io.parley.log.LogEntry;
import io.parley.log.NoteSigner;
import io.parley.log.Rfc6962;
import io.parley.log.StoredHash;
import io.parley.log.TileCoordinates;
import io.parley.log.Tiles;
import io.parley.log.TreeAppender;
import io.parley.store.Leadership;
import io.parley.worker.Backoff;
import io.parley.worker.Worker;

/**
 * Group-commits queued appends into the log. Each round takes whatever queued since the previous round (up to
 * {@code maxBatch}), hashes it into the tree, writes entries, changed tiles and a newly signed checkpoint in one
 * transaction, and only then publishes the checkpoint. An idle node therefore checkpoints a single append within a
 * round trip to its database; a busy one amortises commit and signing over large batches.
 *
 * <p>Wake-ups. An append made in this process wakes the sequencer at once ({@link #poke()}). One made by another
 * instance sharing the database reaches the leader through the {@link LogBell}: the instance that queued it rings
 * once per round of its own (non-leading) sequencer, however many appends that covers, and the leader's bell wakes
 * it. Likewise the leader rings after each commit so that the other instances publish the checkpoint and answer
 * their receipts at once. Polling stays as the safety net: every {@code idlePoll} while the bell is not listening
 * (always on SQLite, whose bell is silent) and for an instance that does not lead (so that it takes over within
 * {@code idlePoll} when the leader dies); every {@link #SAFETY_POLLS} times that for a leader whose bell listens.
 *
 * <p>Threading: all fields but {@link #published}, {@link #leading}, {@link #forward} and the {@link Worker} (whose
 * wake-up any thread may give) are owned by the sequencer thread.
 */
public final class Sequencer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sequencer.class);
    private static final int HASHES_PER_TILE = TileCoordinates.FULL_WIDTH;
    /** A leader whose bell listens polls this many times less often: rings wake it, the poll is only a safety net. */
    static final int SAFETY_POLLS = 40;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final LogStore store;
    private final TileSource tiles;
    private final Leadership leadership;
    private final String origin;
    private final NoteSigner signer;
    private final Clock clock;
    private final int maxBatch;
    private final Consumer<List<LogStore.Entry>> onCommitted;
    private final Runnable onPublishedElsewhere;
    private final LogBell bell;
    private final Duration idlePoll;
    /** The newest checkpoint this instance knows to be committed; read by any thread. */
    private volatile StoredCheckpoint published;
    /** Whether this instance led in its latest round; written by the sequencer thread, read by the bell's. */
    private volatile boolean leading;
    /** Set by {@link #poke()}: appends were queued here; a round that does not lead rings the leader for them. */
    private final AtomicBoolean forward = new AtomicBoolean();

    /** Sequencer-thread state; null until this instance leads and has loaded the tree. */
    private Frontier frontier;
    /** Sequencer-thread state: the stored hashes of each level's partial (right-edge) tile. */
    private final Map<Integer, byte[]> partialTiles = new HashMap<>();
    private final Worker worker;

    /**
     * Starts sequencing: a round at every {@link #poke()} and every ring of {@code bell}, and polls as the class
     * comment says. {@code onCommitted} is told of each batch this instance commits; {@code onPublishedElsewhere}
     * of each newer checkpoint it finds that another instance committed.
     */
    public Sequencer(LogStore store, TileSource tiles, Leadership leadership, LogBell bell, String origin, NoteSigner signer, Clock clock,
                     RandomGenerator random, int maxBatch, Duration idlePoll, Consumer<List<LogStore.Entry>> onCommitted,
                     Runnable onPublishedElsewhere) {
        this.store = store;
        this.tiles = tiles;
        this.leadership = leadership;
        this.bell = bell;
        this.origin = origin;
        this.signer = signer;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.idlePoll = idlePoll;
        this.onCommitted = onCommitted;
        this.onPublishedElsewhere = onPublishedElsewhere;
        this.published = store.latestCheckpoint().orElse(null);
        // A platform thread: the sequencer is busy whenever the node is. The grace lets a commit under way finish.
        // The period is the longest wait (a listening leader's); each round asks for idlePoll when it must poll.
        this.worker = Worker.named("parley-sequencer").platformThread().every(idlePoll.multipliedBy(SAFETY_POLLS)).random(random).log(LOG)
                .backoff(new Backoff(min(idlePoll.multipliedBy(5), MAX_BACKOFF), MAX_BACKOFF)).stopGrace(Duration.ofSeconds(5))
                .build(this::round);
        worker.start();
        bell.listen(new LogBell.Listener() {
            @Override
            public void queued() {
                if (leading) worker.wake();
            }

            @Override
            public void checkpointed() {
                if (!leading) worker.wake();
            }
        });
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Tells the sequencer that appends were queued by this process (and, if another instance leads, to ring it). */
    public void poke() {
        forward.set(true);
        worker.wake();
    }

    public StoredCheckpoint published() {
        return published;
    }

    /** One round as the leader (or, while another instance leads, a ring for our appends and a look at what it published). */
    private Duration round() {
        try {
            // Not leading as of the last round: ring before the lock check, which costs a round trip the leader need not wait for.
            if (!leading && forward.getAndSet(false)) bell.ringQueued();
            if (!leadership.acquire()) {
                leading = false;
                frontier = null;
                if (forward.getAndSet(false)) bell.ringQueued();
                StoredCheckpoint before = published;
                StoredCheckpoint now = store.latestCheckpoint().orElse(null);
                if (now != null && (before == null || now.size() > before.size())) {
                    published = now;
                    onPublishedElsewhere.run();
                }
                return idlePoll; // to take over soon after the leader dies
            }
            leading = true;
            forward.set(false); // we lead: our own appends are ours to sequence, nobody to ring
            if (frontier == null) load();
            if (sequenceOnce()) return Worker.AGAIN;
            return bell.listening() ? Worker.IDLE : idlePoll;
        } catch (RuntimeException | Error e) {
            // Most likely another writer committed first (a lost lease) or the database is away: the next round starts
            // over from what is committed, never from what we believed.
            frontier = null;
            throw e;
        }
    }

    /** Rebuilds the right edge from committed tiles and checks it against the newest committed checkpoint. */
    private void load() {
        StoredCheckpoint latest = store.latestCheckpoint().orElse(null);
        long size = latest == null ? 0 : latest.size();
        Frontier f = size == 0 ? Frontier.empty() : Frontier.read(tiles.reader(size), size);
        if (latest != null && !java.util.Arrays.equals(f.root(), latest.root())) {
            throw new IllegalStateException("stored tiles do not match checkpoint " + size + "; refusing to extend the log");
        }
        partialTiles.clear();
        for (int level = 0; Tiles.width(level, 0, size) > 0; level++) {
            long count = size >>> (8 * level);
            long index = count / HASHES_PER_TILE;
            int width = (int) (count % HASHES_PER_TILE);
            if (width > 0) {
                byte[] data = tiles.read(TileCoordinates.hashes(level, index, width))
                        .orElseThrow(() -> new IllegalStateException("partial tile missing"));
                partialTiles.put(level, data);
            }
        }
        frontier = f;
        published = latest;
    }

    /** One round; returns false if there was nothing to do. */
    private boolean sequenceOnce() {
        List<LogStore.Queued> batch = store.queued(maxBatch);
        if (batch.isEmpty()) return false;
        long oldSize = frontier.size();
        Rfc6962 hasher = Rfc6962.forThisThread();
        List<byte[]> leafHashes = new ArrayList<>(batch.size());
        List<LogStore.Entry> entries = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            LogStore.Queued q = batch.get(i);
            // LogQueue only ever queues commitments; anything else is an old-format row and must never be published.
            if (!LogEntry.isCommitment(q.data())) throw new OldLogFormatException("queued append " + q.id() + " is " + q.data().length + " bytes");
            leafHashes.add(hasher.hashLeaf(q.data()));
            entries.add(new LogStore.Entry(oldSize + i, q.data(), q.ref()));
        }
        AppendResult result = TreeAppender.append(frontier, leafHashes);
        long newSize = result.frontier().size();
        Map<Integer, byte[]> newPartials = new HashMap<>();
        List<LogStore.TileRow> rows = changedTiles(oldSize, newSize, result.newHashes(), newPartials);
        String note = new Checkpoint(origin, newSize, result.root()).sign(signer).encode();
        StoredCheckpoint checkpoint = new StoredCheckpoint(newSize, result.root(), note, clock.instant());
        store.commitBatch(entries, rows, checkpoint, batch.stream().map(LogStore.Queued::id).toList(), clock.instant());
        // Committed: only now does the new state become ours and the checkpoint public.
        frontier = result.frontier();
        partialTiles.putAll(newPartials);
        newPartials.forEach((level, data) -> {
            if (data.length == 0) partialTiles.remove(level);
        });
        published = checkpoint;
        onCommitted.accept(entries);
        bell.ringCheckpointed();
        return true;
    }

    /**
     * The rows of every tile that changed between the two sizes: the previous partial hashes (kept in memory) plus
     * the new stored hashes at that tile level.
     */
    private List<LogStore.TileRow> changedTiles(long oldSize, long newSize, List<StoredHash> newHashes, Map<Integer, byte[]> newPartials) {
        Map<Integer, Map<Long, byte[]>> byLevel = new HashMap<>();
        for (StoredHash h : newHashes) {
            if (h.level() % 8 == 0) byLevel.computeIfAbsent(h.level() / 8, k -> new HashMap<>()).put(h.index(), h.hash());
        }
        List<LogStore.TileRow> rows = new ArrayList<>();
        for (TileCoordinates t : Tiles.changed(oldSize, newSize)) {
            if (t.entries()) continue;
            long first = t.index() * HASHES_PER_TILE;
            byte[] data = new byte[t.width() * 32];
            int have = 0;
            byte[] previous = partialTiles.get(t.level());
            long previousCount = oldSize >>> (8 * t.level());
            if (previous != null && previousCount / HASHES_PER_TILE == t.index()) {
                System.arraycopy(previous, 0, data, 0, previous.length);
                have = previous.length / 32;
            }
            Map<Long, byte[]> fresh = byLevel.getOrDefault(t.level(), Map.of());
            for (int i = have; i < t.width(); i++) {
                byte[] h = fresh.get(first + i);
                if (h == null) throw new IllegalStateException("no hash for tile " + t.path() + " position " + i);
                System.arraycopy(h, 0, data, i * 32, 32);
            }
            rows.add(new LogStore.TileRow(t.level(), t.index(), data));
            newPartials.put(t.level(), t.width() == HASHES_PER_TILE ? new byte[0] : data);
        }
        return rows;
    }

    @Override
    public void close() {
        bell.close();
        worker.close();
        leadership.close();
    }
}
