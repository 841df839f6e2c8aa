package io.parley.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * TOTP secrets (already encrypted by {@code auth.SecondFactor}) and recovery-code hashes. Rules live in
 * {@code auth.SecondFactor}; this class only keeps the rows, with the compare-and-set updates that make a code and a
 * recovery code usable once even when several instances share the database.
 *
 * <p>Contract, besides the package's: {@link #acceptStep}, {@link #useRecoveryCode} and {@link #reserveAttempt} are
 * compare-and-set writes, each true (or counted) for exactly one of any number of concurrent callers, on any instance.
 * {@link #putPending}, {@link #replaceRecoveryCodes} and {@link #remove} are one transaction each: a batch of codes is
 * stored whole or not at all, and a factor goes with its codes.
 */
public final class SecondFactorStore {

    public record Totp(String username, String sealedSecret, boolean confirmed, long lastStep, int failures, Instant lockedUntil) {}

    private final Database db;

    public SecondFactorStore(Database db) {
        this.db = db;
    }

    public Optional<Totp> find(String username) {
        return db.queryOne("SELECT username, secret, confirmed, last_step, failures, locked_until FROM user_totp WHERE username = ?",
                rs -> new Totp(rs.getString(1), rs.getString(2), rs.getInt(3) != 0, rs.getLong(4), rs.getInt(5), Instant.ofEpochMilli(rs.getLong(6))), username);
    }

    /** A new, unconfirmed secret for {@code username}, replacing an unconfirmed one; a confirmed one is kept (false). */
    public boolean putPending(String username, String sealedSecret, Instant at) {
        return db.inTransaction(c -> {
            var existing = Database.query(c, "SELECT confirmed FROM user_totp WHERE username = ?", rs -> rs.getInt(1), username);
            if (!existing.isEmpty() && existing.get(0) != 0) return false;
            Database.update(c, "DELETE FROM user_totp WHERE username = ?", username);
            Database.update(c, "INSERT INTO user_totp (username, secret, confirmed, last_step, created_at) VALUES (?, ?, 0, -1, ?)",
                    username, sealedSecret, at.toEpochMilli());
            return true;
        });
    }

    /**
     * Records that the code of {@code step} was accepted, only if no code of that step or a later one was before: the
     * compare-and-set that refuses a replayed code, also across instances. Confirms a pending secret.
     */
    public boolean acceptStep(String username, long step) {
        return db.update("UPDATE user_totp SET last_step = ?, confirmed = 1 WHERE username = ? AND last_step < ?", step, username, step) == 1;
    }

    /**
     * Counts an attempt at the code step of {@code username} before it is checked, unless the step is closed at
     * {@code now}: the count and the lock it brings ({@code lock}: until when, or null) change in the same transaction
     * that saw the step open, so guesses sent in parallel are counted one by one and none slips past a lock another
     * has just set, on any instance. Returns the count including this attempt, or -1 if the step is closed (or there is
     * no confirmed factor). A right code then calls {@link #clearFailures}.
     */
    public int reserveAttempt(String username, Instant now, java.util.function.IntFunction<Instant> lock) {
        return db.inTransaction(c -> {
            int open = Database.update(c, "UPDATE user_totp SET failures = failures + 1 WHERE username = ? AND confirmed = 1 AND locked_until <= ?",
                    username, now.toEpochMilli());
            if (open != 1) return -1;
            var n = Database.query(c, "SELECT failures FROM user_totp WHERE username = ?", rs -> rs.getInt(1), username);
            Instant until = lock.apply(n.get(0));
            if (until != null) Database.update(c, "UPDATE user_totp SET locked_until = ? WHERE username = ?", until.toEpochMilli(), username);
            return n.get(0);
        });
    }

    /** A right code or recovery code: the count of wrong ones starts again. */
    public void clearFailures(String username) {
        db.update("UPDATE user_totp SET failures = 0, locked_until = 0 WHERE username = ? AND failures > 0", username);
    }

    /** Confirms the secret without a code (an operator enrolled it on the command line). */
    public void confirm(String username) {
        db.update("UPDATE user_totp SET confirmed = 1 WHERE username = ?", username);
    }

    /** Replaces the recovery codes of {@code username} by these hashes. */
    public void replaceRecoveryCodes(String username, List<String> hashes) {
        db.inTransaction(c -> {
            Database.update(c, "DELETE FROM user_recovery_codes WHERE username = ?", username);
            for (String h : hashes) Database.update(c, "INSERT INTO user_recovery_codes (username, code_hash, used_at) VALUES (?, ?, NULL)", username, h);
            return null;
        });
    }

    /** Marks an unused recovery code used; true only for the one caller that did so. */
    public boolean useRecoveryCode(String username, String hash, Instant at) {
        return db.update("UPDATE user_recovery_codes SET used_at = ? WHERE username = ? AND code_hash = ? AND used_at IS NULL",
                at.toEpochMilli(), username, hash) == 1;
    }

    public long unusedRecoveryCodes(String username) {
        return db.queryOne("SELECT COUNT(*) FROM user_recovery_codes WHERE username = ? AND used_at IS NULL", rs -> rs.getLong(1), username).orElse(0L);
    }

    /** Removes the factor and its recovery codes; true if there was a secret. */
    public boolean remove(String username) {
        return db.inTransaction(c -> {
            Database.update(c, "DELETE FROM user_recovery_codes WHERE username = ?", username);
            return Database.update(c, "DELETE FROM user_totp WHERE username = ?", username) == 1;
        });
    }
}
