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

    /** An account that may sign in: a disabled one is not found, so its password and tokens stop working at once. */
    public Optional<User> find(String username) {
        return db.queryOne("SELECT username, password_hash, role FROM users WHERE username = ? AND disabled = 0",
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

    /** An account as {@code parley user list} and the users page show it: never the password hash. */
    public record Account(String username, String role, java.util.Set<String> channels, boolean disabled) {}

    /** Every account, disabled ones included, with its channel grants. */
    public List<Account> accounts() {
        return db.query("SELECT username, role, disabled FROM users ORDER BY username",
                rs -> new Account(rs.getString(1), rs.getString(2), channels(rs.getString(1)), rs.getInt(3) != 0));
    }

    /** The channels an officer handles ({@code *}: every channel). */
    public java.util.Set<String> channels(String username) {
        return new java.util.TreeSet<>(db.query("SELECT channel FROM user_channels WHERE username = ?", rs -> rs.getString(1), username));
    }

    /** Replaces the channel grants of {@code username}. */
    public void setChannels(String username, java.util.Collection<String> channels) {
        db.update("DELETE FROM user_channels WHERE username = ?", username);
        for (String c : new java.util.TreeSet<>(channels)) {
            db.update("INSERT INTO user_channels (username, channel) VALUES (?, ?)", username, c);
        }
    }

    /** Disables or re-enables an account; false if there is no such account. */
    public boolean setDisabled(String username, boolean disabled) {
        return db.update("UPDATE users SET disabled = ? WHERE username = ?", disabled ? 1 : 0, username) > 0;
    }
}
