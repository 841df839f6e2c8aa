package io.parley.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Local accounts for the web UI, the API and TAXII. Holds password hashes only (see {@code auth.Passwords}). */
public final class UserStore {

    public record User(String username, String passwordHash, String role) {}

    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    /** Creates or replaces an account. */
    public void put(String username, String passwordHash, String role, Instant at) {
        if (db.update("UPDATE users SET password_hash = ?, role = ? WHERE username = ?", passwordHash, role, username) == 0) {
            db.update("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)", username, passwordHash, role, at.toEpochMilli());
        }
    }

    /**
     * Replaces {@code username}'s password hash by {@code newHash} only if it is still {@code oldHash}: a rehash at
     * sign-in must not undo a password change made meanwhile. True if it replaced it.
     */
    public boolean replaceHash(String username, String oldHash, String newHash) {
        return db.update("UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ?", newHash, username, oldHash) == 1;
    }

    public Optional<User> find(String username) {
        return db.queryOne("SELECT username, password_hash, role FROM users WHERE username = ?",
                rs -> new User(rs.getString(1), rs.getString(2), rs.getString(3)), username);
    }

    public List<User> all() {
        return db.query("SELECT username, password_hash, role FROM users ORDER BY username",
                rs -> new User(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /**
     * The channels (or {@code *}) in which {@code username} was granted TLP:RED ({@code PUT /api/v1/red-grants/{user}},
     * kept in the evidence schema's grants table): read here so messages and evidence are judged on the same grants.
     */
    public java.util.Set<String> redScopes(String username) {
        return new java.util.TreeSet<>(db.query("SELECT scope FROM evidence_red_grants WHERE username = ?", rs -> rs.getString(1), username));
    }
}
