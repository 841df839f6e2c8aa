package io.parley.transparency;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.parley.log.FormatException;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteSignature;
import io.parley.log.SignedNote;
import io.parley.store.Database;

/**
 * A node's log as stored, read without sequencing anything: for checks that run offline against the node's database
 * (the audit trail's committed heads), where starting a sequencer would be wrong.
 */
public final class LogView {
    private final LogStore store;
    private final TileSource tiles;

    public LogView(Database db) {
        this(new LogStore(db), new TileSource(new LogStore(db), 4L << 20));
    }

    LogView(LogStore store, TileSource tiles) {
        this.store = store;
        this.tiles = tiles;
    }

    /** The entry (a 32-byte commitment) at {@code index}, if sequenced. */
    public Optional<byte[]> entry(long index) {
        return store.entries(index, index + 1).stream().findFirst().map(LogStore.Entry::data);
    }

    /** Sequenced entries whose local ref starts with {@code prefix}. */
    public List<LogStore.Entry> entriesWithRefPrefix(String prefix) {
        return store.entriesWithRefPrefix(prefix);
    }

    /** The newest checkpoint the node signed. */
    public Optional<StoredCheckpoint> latest() {
        return store.latestCheckpoint();
    }

    /** The newest checkpoint that peers cosigned, if any. */
    public Optional<StoredCheckpoint> newestCosigned() {
        return store.newestCosignedSize().flatMap(store::checkpoint);
    }

    /** A stored checkpoint's note with the cosignature lines peers returned for that size. */
    public SignedNote withCosignatures(StoredCheckpoint c) {
        return withCosignatures(store, c);
    }

    static SignedNote withCosignatures(LogStore store, StoredCheckpoint c) {
        SignedNote note = c.signedNote();
        List<String> lines = store.cosignatureLines(c.size());
        if (lines.isEmpty()) return note;
        List<NoteSignature> extra = new ArrayList<>();
        for (String line : lines) {
            try {
                extra.addAll(SignedNote.parseSignatureLines(line));
            } catch (FormatException e) {
                throw new IllegalStateException("stored cosignature does not parse", e);
            }
        }
        return note.withSignatures(extra);
    }

    /** The inclusion proof of entry {@code index} in the tree of {@code size}, from the stored tiles. */
    public List<byte[]> inclusionProof(long index, long size) {
        long committed = latest().map(StoredCheckpoint::size).orElse(size);
        return MerkleProofs.inclusionProof(tiles.reader(size, Math.max(size, committed)), index, size);
    }
}
