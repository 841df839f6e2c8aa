package io.parley.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.parley.charter.Charter;
import io.parley.json.Json;

/**
 * Channel charters this node takes part in or has seen ({@code channels}, with the amendment awaiting signatures) and
 * who signed which charter ({@code charter_signatures}).
 *
 * <p>Contract, besides the package's: {@link #create} stores the channel and queues its charter's commitment for the
 * log in one transaction, so no channel exists without its log entry; a channel id is created once (false after, the
 * first charter kept). {@link #recordSignature} is idempotent per (channel, charter, member). The other writes are one
 * statement each on an existing channel, and change nothing when there is none. {@link #all} is in creation order.
 */
public final class ChannelStore {
    private final Database db;
    /**
     * Charters parsed from their stored text, keyed by that text: every envelope judged or indexed looks its charter
     * up, and parsing one (every member's key included) cost more than the rest of the lookup. Keyed by the text, an
     * entry can never be stale, whichever instance changed the row; bounded, as peers can propose channels.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Charter> parsed =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(512).build();

    public ChannelStore(Database db) {
        this.db = db;
    }

    /** Stores a new channel and queues its charter's commitment for the log; false if a channel with that id exists already. */
    public boolean create(Charter charter, String state, Instant at) {
        byte[] canonical = io.parley.json.Jcs.canonicalize(charter.toJson());
        return db.inTransaction(c -> {
            int n = Database.update(c, "INSERT INTO channels (id, charter, state, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    charter.channel(), Json.write(charter.toJson()), state, at.toEpochMilli());
            if (n == 1) LogQueue.enqueue(c, canonical, "charter:" + io.parley.identity.Sha256.hex(canonical), at);
            return n == 1;
        });
    }

    public void update(Charter charter, String state) {
        db.update("UPDATE channels SET charter = ?, state = ? WHERE id = ?", Json.write(charter.toJson()), state, charter.channel());
    }

    /** Puts an amendment up for signature (or clears it with null); the charter in force is unchanged. */
    public void setPending(String channel, Charter pending) {
        db.update("UPDATE channels SET pending_charter = ? WHERE id = ?", pending == null ? null : Json.write(pending.toJson()), channel);
    }

    /** The amendment awaiting signatures, if any. */
    public Optional<Charter> pending(String id) {
        return db.queryOne("SELECT pending_charter FROM channels WHERE id = ?",
                rs -> rs.getString(1) == null ? null : parse(rs.getString(1)), id);
    }

    /** Puts {@code charter} in force and clears any pending amendment. */
    public void activate(Charter charter) {
        db.update("UPDATE channels SET charter = ?, state = 'active', pending_charter = NULL WHERE id = ?", Json.write(charter.toJson()), charter.channel());
    }

    /** Records that {@code origin} signed the charter with {@code charterHash}; idempotent. */
    public void recordSignature(String channel, String charterHash, String origin, String envelopeHash, Instant at) {
        db.update("INSERT INTO charter_signatures (channel, charter_hash, origin, envelope_hash, signed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                channel, charterHash, origin, envelopeHash, at.toEpochMilli());
    }

    /** The members that signed the charter with {@code charterHash}. */
    public java.util.Set<String> signers(String channel, String charterHash) {
        return new java.util.TreeSet<>(db.query("SELECT origin FROM charter_signatures WHERE channel = ? AND charter_hash = ?",
                rs -> rs.getString(1), channel, charterHash));
    }

    /** When {@code origin} signed the charter with {@code charterHash}, by its signature's record here; empty if it has not. */
    public Optional<Instant> signedAt(String channel, String charterHash, String origin) {
        return db.queryOne("SELECT signed_at FROM charter_signatures WHERE channel = ? AND charter_hash = ? AND origin = ?",
                rs -> Instant.ofEpochMilli(rs.getLong(1)), channel, charterHash, origin);
    }

    public Optional<Charter> charter(String id) {
        return db.queryOne("SELECT charter FROM channels WHERE id = ?", rs -> parse(rs.getString(1)), id);
    }

    public Optional<String> state(String id) {
        return db.queryOne("SELECT state FROM channels WHERE id = ?", rs -> rs.getString(1), id);
    }

    public List<Charter> all() {
        return db.query("SELECT charter FROM channels ORDER BY created_at, id", rs -> parse(rs.getString(1)));
    }

    private Charter parse(String text) {
        return parsed.get(text, t -> Charter.fromJson(Json.parse(t)));
    }
}
