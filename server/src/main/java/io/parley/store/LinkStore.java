package io.parley.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The history of the line to each peer: every delivery attempt, and outages from the first failure after a success
 * to the next success, so that "the line was frozen from T1 to T2" can be shown and recomputed.
 *
 * <p>Contract, besides the package's: {@link #success} and {@link #failure} each record the attempt, update the peer's
 * counters and open or close its outage in one transaction, so the counters, the attempts and the outages never
 * disagree; at most one outage per peer is open at a time. Each also ages out the peer's attempts beyond
 * {@link #MAX_ATTEMPTS_PER_PEER} in that transaction. {@link #outages} is in the order they started.
 */
public final class LinkStore {

    /** The line to one peer now. */
    public record Link(String peer, Instant lastSuccess, Instant lastFailure, Instant downSince, Duration totalDowntime,
                       long attempts, long failures) {
        public boolean down() {
            return downSince != null;
        }
    }

    /** One outage; {@code endedAt} is null while it lasts. */
    public record Outage(String peer, Instant startedAt, Instant endedAt, String firstError) {}

    /** Attempts kept per peer (newest first); older ones are summed up in the peer's counters. */
    public static final int MAX_ATTEMPTS_PER_PEER = 1_000;
    private final Database db;

    public LinkStore(Database db) {
        this.db = db;
    }

    /** Records a successful exchange: ends an ongoing outage and adds its length to the total. */
    public void success(String peer, int envelopes, Instant at) {
        db.inTransaction(c -> {
            ensure(c, peer);
            Database.update(c, "INSERT INTO delivery_attempts (peer, at, envelopes, ok, detail) VALUES (?, ?, ?, 1, NULL)", peer, at.toEpochMilli(), envelopes);
            List<Long> since = Database.query(c, "SELECT down_since FROM peer_links WHERE peer = ? AND down_since IS NOT NULL", rs -> rs.getLong(1), peer);
            long downMs = since.isEmpty() ? 0 : Math.max(0, at.toEpochMilli() - since.get(0));
            Database.update(c, "UPDATE peer_links SET last_success = ?, down_since = NULL, total_down_ms = total_down_ms + ?, attempts = attempts + 1 WHERE peer = ?",
                    at.toEpochMilli(), downMs, peer);
            if (!since.isEmpty()) Database.update(c, "UPDATE outages SET ended_at = ? WHERE peer = ? AND ended_at IS NULL", at.toEpochMilli(), peer);
            return null;
        });
    }

    /** Records a failed attempt; the first failure after a success opens an outage. */
    public void failure(String peer, int envelopes, String error, Instant at) {
        db.inTransaction(c -> {
            ensure(c, peer);
            Database.update(c, "INSERT INTO delivery_attempts (peer, at, envelopes, ok, detail) VALUES (?, ?, ?, 0, ?)", peer, at.toEpochMilli(), envelopes, error);
            int opened = Database.update(c, "UPDATE peer_links SET down_since = ? WHERE peer = ? AND down_since IS NULL", at.toEpochMilli(), peer);
            if (opened == 1) Database.update(c, "INSERT INTO outages (peer, started_at, first_error) VALUES (?, ?, ?)", peer, at.toEpochMilli(), error);
            Database.update(c, "UPDATE peer_links SET last_failure = ?, attempts = attempts + 1, failures = failures + 1 WHERE peer = ?", at.toEpochMilli(), peer);
            return null;
        });
    }

    private static void ensure(java.sql.Connection c, String peer) throws java.sql.SQLException {
        Database.update(c, "INSERT INTO peer_links (peer) VALUES (?) ON CONFLICT DO NOTHING", peer);
        // Every batch and every retry adds an attempt, so a peer that keeps failing (or just a busy line) would grow
        // this table forever; the counters in peer_links and the outages keep the long-run record.
        Database.update(c, "DELETE FROM delivery_attempts WHERE peer = ? AND id <= (SELECT id FROM delivery_attempts WHERE peer = ? "
                + "ORDER BY id DESC LIMIT 1 OFFSET ?)", peer, peer, MAX_ATTEMPTS_PER_PEER);
    }

    public Optional<Link> link(String peer) {
        return db.queryOne("SELECT peer, last_success, last_failure, down_since, total_down_ms, attempts, failures FROM peer_links WHERE peer = ?", LinkStore::map, peer);
    }

    public List<Link> links() {
        return db.query("SELECT peer, last_success, last_failure, down_since, total_down_ms, attempts, failures FROM peer_links ORDER BY peer", LinkStore::map);
    }

    public List<Outage> outages(String peer) {
        return db.query("SELECT peer, started_at, ended_at, first_error FROM outages WHERE peer = ? ORDER BY started_at", rs -> {
            long end = rs.getLong(3);
            Instant ended = rs.wasNull() ? null : Instant.ofEpochMilli(end);
            return new Outage(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), ended, rs.getString(4));
        }, peer);
    }

    private static Link map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Link(rs.getString(1), instant(rs, 2), instant(rs, 3), instant(rs, 4), Duration.ofMillis(rs.getLong(5)), rs.getLong(6), rs.getLong(7));
    }

    private static Instant instant(java.sql.ResultSet rs, int col) throws java.sql.SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
