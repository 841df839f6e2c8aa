package io.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.parley.json.Json;

/**
 * Bearer tokens of the API, the CLI and TAXII ({@code api_tokens}). Holds the SHA-256 of each token's secret, never
 * the secret; a token is found by that hash, and named everywhere else by its public id.
 *
 * <p>Contract, besides the package's: every method is one statement. {@link #insert} never replaces a token (false when
 * its id or its hash is taken); {@link #revoke} is true once, and a revocation is never undone here. {@link #list} is
 * newest first.
 */
public final class TokenStore {

    /**
     * A token as stored: who owns it, what it may do ({@code scope} {@code read} or {@code write}, {@code channels}
     * ids or {@code *}), when it stops working, and whether it was revoked. Carries no secret and no hash.
     */
    public record Token(String id, String username, String label, String scope, List<String> channels, Instant created,
            Instant expires, Optional<Instant> revoked, Optional<String> revokedBy, Optional<Instant> lastUsed) {
        public Token {
            channels = List.copyOf(channels);
        }

        /** "active", "revoked" or "expired" at {@code now}. */
        public String state(Instant now) {
            return revoked.isPresent() ? "revoked" : now.isBefore(expires) ? "active" : "expired";
        }

        /** What the audit trail says of the token: never its secret. */
        public String summary() {
            return "label " + label + "; scope " + scope + ", channels " + String.join(",", channels) + ", expires " + expires;
        }
    }

    private static final String COLUMNS = "id, username, label, scope, channels, created_at, expires_at, revoked_at, revoked_by, last_used_at";

    private final Database db;

    public TokenStore(Database db) {
        this.db = db;
    }

    /** Stores a new token under the SHA-256 (hex) of its secret; false if the id or the hash is taken already. */
    public boolean insert(Token t, String secretSha256) {
        ArrayNode channels = Json.MAPPER.createArrayNode();
        t.channels().forEach(channels::add);
        try {
            db.update("INSERT INTO api_tokens (id, secret_sha256, username, label, scope, channels, created_at, expires_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", t.id(), secretSha256, t.username(), t.label(), t.scope(),
                    Json.write(channels), t.created().toEpochMilli(), t.expires().toEpochMilli());
            return true;
        } catch (RuntimeException e) {
            if (db.isUniqueViolation(e)) return false;
            throw e;
        }
    }

    /** The token whose secret hashes to {@code secretSha256}, revoked and expired ones included. */
    public Optional<Token> bySecretHash(String secretSha256) {
        return db.queryOne("SELECT " + COLUMNS + " FROM api_tokens WHERE secret_sha256 = ?", TokenStore::row, secretSha256);
    }

    public Optional<Token> byId(String id) {
        return db.queryOne("SELECT " + COLUMNS + " FROM api_tokens WHERE id = ?", TokenStore::row, id);
    }

    /** The tokens of {@code username}, or of every account when it is null; newest first. */
    public List<Token> list(String username) {
        return username == null
                ? db.query("SELECT " + COLUMNS + " FROM api_tokens ORDER BY created_at DESC, id", TokenStore::row)
                : db.query("SELECT " + COLUMNS + " FROM api_tokens WHERE username = ? ORDER BY created_at DESC, id", TokenStore::row, username);
    }

    /** Revokes token {@code id} if it is not revoked yet; true if this call revoked it. */
    public boolean revoke(String id, Instant at, String by) {
        return db.update("UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                at.toEpochMilli(), by, id) == 1;
    }

    /** How many of {@code username}'s tokens still work at {@code now}: neither revoked nor expired. */
    public long countLive(String username, Instant now) {
        return db.queryOne("SELECT COUNT(*) FROM api_tokens WHERE username = ? AND revoked_at IS NULL AND expires_at > ?",
                rs -> rs.getLong(1), username, now.toEpochMilli()).orElse(0L);
    }

    /** Forgets tokens that stopped working (revoked or expired) before {@code cutoff}; the audit trail keeps their story. */
    public int purgeEndedBefore(Instant cutoff) {
        long ms = cutoff.toEpochMilli();
        return db.update("DELETE FROM api_tokens WHERE expires_at < ? OR revoked_at < ?", ms, ms);
    }

    /** Records a use of token {@code id} at {@code at}. */
    public void touch(String id, Instant at) {
        db.update("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", at.toEpochMilli(), id);
    }

    private static Token row(ResultSet rs) throws SQLException {
        List<String> channels = new ArrayList<>();
        for (JsonNode c : Json.parse(rs.getString(5))) channels.add(c.asText());
        return new Token(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), channels,
                Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)), instant(rs, 8),
                Optional.ofNullable(rs.getString(9)), instant(rs, 10));
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }
}
