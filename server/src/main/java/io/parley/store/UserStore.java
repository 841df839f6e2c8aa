package io.parley.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Local accounts for the web UI, the API and TAXII, with their channel grants. Holds password hashes only (see
 * {@code auth.Passwords}).
 *
 * <p>Contract, besides the package's: {@link #put} creates or replaces an account in one statement, so two concurrent
 * creations of one name both succeed and one of them is kept (an account's creation time and disabled flag stay).
 * {@link #replaceHash} is a compare-and-set. {@link #setChannels} replaces the grants in one transaction: a reader sees
 * the old grants or the new ones, never none in between. {@link #disable} disables the account and revokes its live
 * tokens in one transaction. Lists are in name order.
 */
public final class UserStore {

    public record User(String username, String passwordHash, String role) {}

    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    /** Creates or replaces an account. */
    public void put(String username, String passwordHash, String role, Instant at) {
        db.update("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role",
                username, passwordHash, role, at.toEpochMilli());
    }

    /**
     * Replaces {@code username}'s password hash by {@code newHash} only if it is still {@code oldHash}: a rehash at
     * sign-in must not undo a password change made meanwhile. True if it replaced it.
     */
    public boolean replaceHash(String username, String oldHash, String newHash) {
        return db.update("UPDATE users SET password_hash = ? WHERE username = ? AND password_hash = ?", newHash, username, oldHash) == 1;
    }

    /**
     * An account that may sign in, or empty: a disabled one is not found, so its password and tokens stop working at
     * once. A name with a NUL character is no account (none can be created
     * with one) and is not sent to the database: PostgreSQL refuses NUL in text, and every sign-in looks up the name
     * an anonymous client typed, so that would be a 500 instead of a refusal.
     */
    public Optional<User> find(String username) {
        if (username == null || username.indexOf('\u0000') >= 0) return Optional.empty();
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
        java.util.Set<String> sorted = new java.util.TreeSet<>(channels);
        db.inTransaction(c -> {
            Database.update(c, "DELETE FROM user_channels WHERE username = ?", username);
            for (String channel : sorted) Database.update(c, "INSERT INTO user_channels (username, channel) VALUES (?, ?)", username, channel);
            return null;
        });
    }

    /** Enables ({@code false}) or disables an account; disabling is {@link #disable} at the current time. */
    public boolean setDisabled(String username, boolean disabled) {
        if (disabled) return disable(username, java.time.Instant.now());
        return db.update("UPDATE users SET disabled = 0 WHERE username = ?", username) > 0;
    }

    /**
     * Disables an account and, in the same transaction, revokes its API tokens that are still live (at {@code at},
     * "by" {@link #DISABLED_BY}). A disabled owner's tokens stop anyway, but enabling the account again ('parley user
     * add', the users page: how an operator hands an account back after taking it from an intruder, with a new
     * password) must not bring back the tokens minted before. False if there is no such account.
     */
    public boolean disable(String username, java.time.Instant at) {
        return db.inTransaction(c -> {
            if (Database.update(c, "UPDATE users SET disabled = 1 WHERE username = ?", username) == 0) return false;
            Database.update(c, "UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE username = ? AND revoked_at IS NULL",
                    at.toEpochMilli(), DISABLED_BY, username);
            return true;
        });
    }

    /** Who revoked the tokens of a disabled account, as their listing shows it. */
    public static final String DISABLED_BY = "(account disabled)";

    /** The language {@code username} chose for the desk and its notifications (a code of web.i18n.Lang), if any. */
    public Optional<String> language(String username) {
        return db.queryOne("SELECT lang FROM users WHERE username = ?", rs -> rs.getString(1), username)
                .filter(java.util.Objects::nonNull);
    }

    /** Records {@code username}'s language; false if there is no such account. */
    public boolean setLanguage(String username, String lang) {
        return db.update("UPDATE users SET lang = ? WHERE username = ?", lang, username) > 0;
    }
}
