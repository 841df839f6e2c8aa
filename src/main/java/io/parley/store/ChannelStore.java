package io.parley.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.parley.channel.Charter;
import io.parley.json.Json;

/** Channel charters this node takes part in or has seen. */
public final class ChannelStore {
    private final Database db;

    public ChannelStore(Database db) {
        this.db = db;
    }

    /** Stores a new channel and queues its charter for the log; false if a channel with that id exists already. */
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

    public Optional<Charter> charter(String id) {
        return db.queryOne("SELECT charter FROM channels WHERE id = ?", rs -> Charter.fromJson(Json.parse(rs.getString(1))), id);
    }

    public Optional<String> state(String id) {
        return db.queryOne("SELECT state FROM channels WHERE id = ?", rs -> rs.getString(1), id);
    }

    public List<Charter> all() {
        return db.query("SELECT charter FROM channels ORDER BY created_at, id", rs -> Charter.fromJson(Json.parse(rs.getString(1))));
    }
}
