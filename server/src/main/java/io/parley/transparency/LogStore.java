package io.parley.transparency;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.parley.log.LogEntry;
import io.parley.log.TileCoordinates;
import io.parley.store.Database;

/**
 * SQL for the log tables; appends enter through {@link io.parley.store.LogQueue} in the caller's transaction.
 *
 * <p>Contract, besides {@link io.parley.store}'s: {@link #commitBatch} writes a batch's entries, tiles and checkpoint
 * and removes the queue rows they came from in one transaction, so the log never holds entries without their
 * checkpoint nor loses or repeats a queued item. Only the sequencer that holds {@link io.parley.store.Leadership} calls it.
 * {@link #saveCosignature} is idempotent per (size, witness).
 */
public final class LogStore {

    /** An append waiting for the sequencer. */
    public record Queued(long id, byte[] data, String ref) {}

    /** A sequenced entry. */
    public record Entry(long index, byte[] data, String ref) {}

    /** A hash tile row: the stored hashes of one tile (possibly partial). */
    public record TileRow(int level, long index, byte[] data) {}

    private final Database db;

    public LogStore(Database db) {
        this.db = db;
    }

    /** Queues the entry for an item given by its canonical bytes (the queue stores its commitment). */
    public void enqueue(byte[] itemCanonicalBytes, String ref, Instant at) {
        db.inTransaction(c -> {
            io.parley.store.LogQueue.enqueue(c, itemCanonicalBytes, ref, at);
            return null;
        });
    }

    public List<Queued> queued(int limit) {
        return db.query("SELECT id, data, ref FROM log_queue ORDER BY id LIMIT ?", rs -> new Queued(rs.getLong(1), rs.getBytes(2), rs.getString(3)), limit);
    }

    public long queueLength() {
        return db.queryOne("SELECT COUNT(*) FROM log_queue", rs -> rs.getLong(1)).orElse(0L);
    }

    public Optional<StoredCheckpoint> latestCheckpoint() {
        return db.queryOne("SELECT size, root, note, created_at FROM log_checkpoints ORDER BY size DESC LIMIT 1", LogStore::checkpoint);
    }

    public Optional<StoredCheckpoint> checkpoint(long size) {
        return db.queryOne("SELECT size, root, note, created_at FROM log_checkpoints WHERE size = ?", LogStore::checkpoint, size);
    }

    /** Every checkpoint in size order (for audits and tests; a long-lived log has one per batch). */
    public List<StoredCheckpoint> checkpoints(long fromSize, int limit) {
        return db.query("SELECT size, root, note, created_at FROM log_checkpoints WHERE size >= ? ORDER BY size LIMIT ?",
                LogStore::checkpoint, fromSize, limit);
    }

    /** The first checkpoint that includes entry {@code index}. */
    public Optional<StoredCheckpoint> firstCheckpointCovering(long index) {
        return db.queryOne("SELECT size, root, note, created_at FROM log_checkpoints WHERE size > ? ORDER BY size LIMIT 1",
                LogStore::checkpoint, index);
    }

    public Optional<TileRow> tile(int level, long index) {
        return db.queryOne("SELECT level, idx, data FROM log_tiles WHERE level = ? AND idx = ?",
                rs -> new TileRow(rs.getInt(1), rs.getLong(2), rs.getBytes(3)), level, index);
    }

    public List<Entry> entries(long fromIndex, long toIndexExclusive) {
        return db.query("SELECT idx, data, ref FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx",
                rs -> new Entry(rs.getLong(1), rs.getBytes(2), rs.getString(3)), fromIndex, toIndexExclusive);
    }

    /**
     * Entries that are not 32-byte commitments, from a log written before entries became commitments: the first and
     * the newest sequenced entry (such a log holds item bytes in every entry, and this version never writes one, so
     * the ends decide without a scan) and anything still queued. Returns a description of the first found.
     */
    public Optional<String> oldFormatEntry() {
        Optional<String> sequenced = db.query("SELECT idx, data FROM log_entries WHERE idx = 0 OR idx = (SELECT MAX(idx) FROM log_entries) ORDER BY idx",
                rs -> LogEntry.isCommitment(rs.getBytes(2)) ? null : "entry " + rs.getLong(1) + " is " + rs.getBytes(2).length + " bytes")
                .stream().filter(java.util.Objects::nonNull).findFirst();
        if (sequenced.isPresent()) return sequenced;
        // the queue is short (drained every round), so every row is checked
        return db.query("SELECT id, data FROM log_queue ORDER BY id", rs -> LogEntry.isCommitment(rs.getBytes(2)) ? null
                        : "queued append " + rs.getLong(1) + " is " + rs.getBytes(2).length + " bytes")
                .stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /** Sequenced entries whose ref starts with {@code prefix} (a kind of item, e.g. audit heads), in index order. */
    public List<Entry> entriesWithRefPrefix(String prefix) {
        return db.query("SELECT idx, data, ref FROM log_entries WHERE substr(ref, 1, " + prefix.length() + ") = ? ORDER BY idx",
                rs -> new Entry(rs.getLong(1), rs.getBytes(2), rs.getString(3)), prefix);
    }

    /** The first index of each of {@code refs} that is logged, looked up in chunks (an inbox batch's worth at once). */
    public java.util.Map<String, Long> indexesOf(java.util.Collection<String> refs) {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        db.queryIn("SELECT ref, MIN(idx) FROM log_entries WHERE ref IN (%s) GROUP BY ref", refs, rs -> out.put(rs.getString(1), rs.getLong(2)));
        return out;
    }

    public Optional<Long> indexOf(String ref) {
        return db.queryOne("SELECT MIN(idx) FROM log_entries WHERE ref = ?", rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }, ref).filter(java.util.Objects::nonNull);
    }

    /** Writes one sequenced batch and its checkpoint, and removes the batch from the queue, in one transaction. */
    public void commitBatch(List<Entry> entries, List<TileRow> tiles, StoredCheckpoint checkpoint, List<Long> queuedIds, Instant at) {
        db.inTransaction(c -> {
            try (var ps = c.prepareStatement("INSERT INTO log_entries (idx, data, ref, sequenced_at) VALUES (?, ?, ?, ?)")) {
                for (Entry e : entries) {
                    ps.setLong(1, e.index());
                    ps.setBytes(2, e.data());
                    ps.setString(3, e.ref());
                    ps.setLong(4, at.toEpochMilli());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            for (TileRow t : tiles) {
                Database.update(c, "INSERT INTO log_tiles (level, idx, data) VALUES (?, ?, ?) "
                        + "ON CONFLICT (level, idx) DO UPDATE SET data = excluded.data", t.level(), t.index(), t.data());
            }
            Database.update(c, "INSERT INTO log_checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)",
                    checkpoint.size(), checkpoint.root(), checkpoint.note(), checkpoint.createdAt().toEpochMilli());
            // Exactly the rows sequenced: PostgreSQL assigns ids at insert, not at commit, so a lower id may still be
            // in flight when the batch was read; "id <= max" would delete it unlogged.
            try (var ps = c.prepareStatement("DELETE FROM log_queue WHERE id = ?")) {
                for (long id : queuedIds) {
                    ps.setLong(1, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public void saveCosignature(long size, String witness, String line, Instant at) {
        db.update("INSERT INTO log_cosignatures (size, witness, line, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                size, witness, line, at.toEpochMilli());
    }

    public List<String> cosignatureLines(long size) {
        return db.query("SELECT line FROM log_cosignatures WHERE size = ? ORDER BY witness", rs -> rs.getString(1), size);
    }

    /** The newest checkpoint size that has at least one cosignature, if any. */
    public Optional<Long> newestCosignedSize() {
        return db.queryOne("SELECT MAX(size) FROM log_cosignatures", rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? null : v;
        }).filter(java.util.Objects::nonNull);
    }

    static TileCoordinates coordinates(TileRow row) {
        return TileCoordinates.hashes(row.level(), row.index(), row.data().length / 32);
    }

    private static StoredCheckpoint checkpoint(java.sql.ResultSet rs) throws SQLException {
        return new StoredCheckpoint(rs.getLong(1), rs.getBytes(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)));
    }
}
