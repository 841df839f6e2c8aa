package io.parley.transparency;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.parley.identity.SigningKey;
import io.parley.log.Checkpoint;
import io.parley.log.InMemoryHashStore;
import io.parley.log.LogEntry;
import io.parley.log.NoteSigner;
import io.parley.log.TileCoordinates;
import io.parley.log.Tiles;

/**
 * Grows a node's stored log (entries, changed tiles, a signed checkpoint) through the sequencer's own write,
 * {@link LogStore#commitBatch}, with the tree computed beside it in an {@link InMemoryHashStore}: a large log in
 * seconds for proof tests and benchmarks, and the reference tree to compare proofs with. Entry {@code i} is the
 * commitment of {@link #item(long)}.
 */
public final class StoredLogBuilder {
    private final LogStore store;
    private final NoteSigner signer;
    private final String origin;
    private final InMemoryHashStore reference = new InMemoryHashStore();
    private final boolean withEntries;

    public StoredLogBuilder(LogStore store, SigningKey key) {
        this(store, key, true);
    }

    /** @param withEntries false to write only tiles and checkpoints (all that proofs read; a benchmark's quick build) */
    public StoredLogBuilder(LogStore store, SigningKey key, boolean withEntries) {
        this.store = store;
        this.signer = NoteSigner.ed25519(key);
        this.origin = key.name();
        this.withEntries = withEntries;
    }

    /** The item logged at {@code index}: deterministic, so a leaf hash can be recomputed from its index. */
    public static byte[] item(long index) {
        return ByteBuffer.allocate(16).putLong(index).putLong(index * 0x9E3779B97F4A7C15L).array();
    }

    public InMemoryHashStore reference() {
        return reference;
    }

    public long size() {
        return reference.size();
    }

    /** Appends {@code n} entries as one committed batch with its checkpoint. */
    public void grow(long n) {
        long oldSize = reference.size();
        List<byte[]> commitments = new ArrayList<>((int) n);
        List<LogStore.Entry> entries = new ArrayList<>(withEntries ? (int) n : 0);
        for (long i = oldSize; i < oldSize + n; i++) {
            byte[] c = LogEntry.of(item(i));
            commitments.add(c);
            if (withEntries) entries.add(new LogStore.Entry(i, c, "item-" + i));
        }
        reference.appendEntries(commitments);
        long newSize = reference.size();
        List<LogStore.TileRow> rows = new ArrayList<>();
        for (TileCoordinates t : Tiles.changed(oldSize, newSize)) {
            rows.add(new LogStore.TileRow(t.level(), t.index(), Tiles.read(reference, t)));
        }
        byte[] root = reference.root();
        String note = new Checkpoint(origin, newSize, root).sign(signer).encode();
        Instant now = Instant.now();
        store.commitBatch(entries, rows, new StoredCheckpoint(newSize, root, note, now), List.of(), now);
    }

    /** Grows to {@code size} in batches of at most {@code batch} entries. */
    public void growTo(long size, int batch) {
        while (size() < size) grow(Math.min(batch, size - size()));
    }
}
