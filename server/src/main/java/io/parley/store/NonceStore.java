package io.parley.store;

import java.time.Instant;

/**
 * The replay cache of signed peer requests: a (keyid, nonce) pair is admitted once. The primary key does the work,
 * so it holds across several instances sharing one PostgreSQL database, and SQLite alike.
 *
 * <p>Contract, besides the package's: {@link #firstUse} is one insert, true for exactly one of any number of
 * concurrent callers with the same pair; the pair stays until {@link #prune} passes its expiry.
 */
public final class NonceStore {
    private final Database db;

    public NonceStore(Database db) {
        this.db = db;
    }

    /** True the first time {@code (keyid, nonce)} is seen; the pair is kept until {@code keepUntil}. */
    public boolean firstUse(String keyid, String nonce, Instant keepUntil) {
        return db.update("INSERT INTO peer_request_nonces (keyid, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                keyid, nonce, keepUntil.toEpochMilli()) == 1;
    }

    /** Forgets nonces whose requests can no longer be accepted anyway; returns how many. */
    public int prune(Instant now) {
        return db.update("DELETE FROM peer_request_nonces WHERE expires_at < ?", now.toEpochMilli());
    }

    public long count() {
        return db.queryOne("SELECT COUNT(*) FROM peer_request_nonces", rs -> rs.getLong(1)).orElse(0L);
    }
}
