package io.parley.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Web sessions, by the SHA-256 of their cookie value (see {@code auth.Sessions}, which owns the rules). Shared by every
 * instance of a node on one database, so a session signed in at one is known, timed out and ended at all.
 *
 * <p>Contract, besides the package's: every method is one statement. {@link #insert} never replaces a session (a
 * taken id throws); {@link #delete} is true for exactly one of two concurrent ends of a session, and
 * {@link #countAttempt} grants exactly {@code max} attempts however many ask at once.
 */
public final class SessionStore {

    /** A stored session. stage: {@code code} (second factor awaited) or {@code full}. */
    public record Row(String idHash, String username, String stage, String credential, Instant createdAt, Instant lastSeen, int codeAttempts) {}

    private final Database db;

    public SessionStore(Database db) {
        this.db = db;
    }

    public void insert(Row r) {
        db.update("INSERT INTO web_sessions (id_hash, username, stage, credential, created_at, last_seen, code_attempts) VALUES (?, ?, ?, ?, ?, ?, ?)",
                r.idHash(), r.username(), r.stage(), r.credential(), r.createdAt().toEpochMilli(), r.lastSeen().toEpochMilli(), r.codeAttempts());
    }

    public Optional<Row> find(String idHash) {
        return db.queryOne("SELECT id_hash, username, stage, credential, created_at, last_seen, code_attempts FROM web_sessions WHERE id_hash = ?",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Instant.ofEpochMilli(rs.getLong(5)),
                        Instant.ofEpochMilli(rs.getLong(6)), rs.getInt(7)), idHash);
    }

    public void touch(String idHash, Instant at) {
        db.update("UPDATE web_sessions SET last_seen = ? WHERE id_hash = ?", at.toEpochMilli(), idHash);
    }

    /**
     * Counts one more second-factor attempt, atomically: true if it was still under {@code max} (the attempt may be
     * checked), false if the session had used them all (or is gone).
     */
    public boolean countAttempt(String idHash, int max) {
        return db.update("UPDATE web_sessions SET code_attempts = code_attempts + 1 WHERE id_hash = ? AND code_attempts < ?", idHash, max) == 1;
    }

    /** Ends a session; true if it existed (so only one of two concurrent uses of a half-signed-in session wins). */
    public boolean delete(String idHash) {
        return db.update("DELETE FROM web_sessions WHERE id_hash = ?", idHash) == 1;
    }

    /** Ends every session of {@code username} (its second factor was reset, say); returns how many. */
    public int deleteUser(String username) {
        return db.update("DELETE FROM web_sessions WHERE username = ?", username);
    }

    /** Forgets sessions idle since before {@code idleBefore} or created before {@code createdBefore}: dead either way. */
    public int deleteExpired(Instant idleBefore, Instant createdBefore) {
        return db.update("DELETE FROM web_sessions WHERE last_seen < ? OR created_at < ?", idleBefore.toEpochMilli(), createdBefore.toEpochMilli());
    }

    public long count(String username) {
        return db.queryOne("SELECT COUNT(*) FROM web_sessions WHERE username = ?", rs -> rs.getLong(1), username).orElse(0L);
    }
}
