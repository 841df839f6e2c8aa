package io.parley.store;

import java.time.Instant;
import java.util.List;

/**
 * The store-and-forward outbox: one row per (envelope, recipient). A row is {@code queued} until the recipient
 * returns a receipt that verifies ({@code delivered}), or {@code failed} when the recipient refused it for good.
 * Rows are created with their envelope, in {@link EnvelopeStore#insert}'s transaction.
 *
 * <p>Contract, besides the package's: every write is one statement on one row (or one recipient's rows for
 * {@link #wake}), and {@link #settle} writes a whole batch's outcomes, one statement per row, in one transaction: all
 * of them or, if it fails, none, so a crash leaves the batch queued to be sent again (the peer then answers
 * {@code duplicate} with a receipt). {@link #postpone} and {@link #wake} touch queued rows only, so a delivered or
 * failed row never goes back to the queue. {@link #due} returns a recipient's queued rows in the order they were
 * stored, and none while the oldest is not due: retries never reorder a chain.
 */
public final class OutboxStore {

    /**
     * A pending delivery: the envelope's canonical text, or for a member a TLP:RED envelope does not name, the text
     * of our signed withheld notice for it ({@code withheld} true). For a named recipient of a TLP:RED envelope,
     * {@code companion} is our signed notice for it, delivered right after the envelope so the recipient can put it
     * in a case bundle in the envelope's place; null otherwise.
     */
    public record Pending(long id, String envelopeHash, String recipient, int attempts, String canonical, boolean withheld, String companion) {
        /** A pending delivery of the envelope itself. */
        public Pending(long id, String envelopeHash, String recipient, int attempts, String canonical) {
            this(id, envelopeHash, recipient, attempts, canonical, false, null);
        }

        public Pending(long id, String envelopeHash, String recipient, int attempts, String canonical, boolean withheld) {
            this(id, envelopeHash, recipient, attempts, canonical, withheld, null);
        }
    }

    /** The delivery state of one envelope to one recipient. */
    public record Status(String envelopeHash, String recipient, String state, int attempts, Instant nextAttemptAt,
                         Instant lastAttemptAt, String lastError, Instant failedSince, Instant deliveredAt, String receipt) {}

    private final Database db;

    public OutboxStore(Database db) {
        this.db = db;
    }

    /**
     * The recipient's queued deliveries, oldest first, if the oldest is due by {@code now}. The backoff is per peer,
     * kept on the oldest row: later rows wait behind it, so envelopes reach a peer in the order we stored them (each
     * chain's order) even after retries.
     */
    public List<Pending> due(String recipient, Instant now, int limit) {
        var head = nextDue(recipient);
        if (head.isEmpty() || head.get().isAfter(now)) return List.of();
        return db.query("SELECT o.id, o.envelope_hash, o.recipient, o.attempts, COALESCE(o.notice, e.canonical), o.notice, o.companion FROM outbox o "
                        + "JOIN envelopes e ON e.hash = o.envelope_hash "
                        + "WHERE o.recipient = ? AND o.state = 'queued' ORDER BY o.id LIMIT ?",
                rs -> new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6) != null, rs.getString(7)),
                recipient, limit);
    }

    /** When the oldest queued delivery to {@code recipient} is due (the peer's backoff), if any is queued. */
    public java.util.Optional<Instant> nextDue(String recipient) {
        return db.queryOne("SELECT next_attempt_at FROM outbox WHERE recipient = ? AND state = 'queued' ORDER BY id LIMIT 1",
                rs -> Instant.ofEpochMilli(rs.getLong(1)), recipient);
    }

    public List<String> recipientsWithQueued() {
        return db.query("SELECT DISTINCT recipient FROM outbox WHERE state = 'queued'", rs -> rs.getString(1));
    }

    /** What became of one row of a batch sent, to be written with the rest of the batch's by {@link #settle}. */
    public sealed interface Outcome {
        long id();

        /** The recipient's receipt for it verified (the caller's duty): delivered, with {@code receipt} kept. */
        record Delivered(long id, String receipt, Instant at) implements Outcome {}

        /** The recipient refused the envelope for a reason retrying cannot fix (e.g. a bad signature). */
        record Failed(long id, String error, Instant at) implements Outcome {}

        /** Not delivered this time; try again at {@code next}. */
        record Retry(long id, String error, Instant at, Instant next) implements Outcome {}
    }

    /** Writes the outcomes of one batch in one transaction (see the class comment). */
    public void settle(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) return;
        db.inTransaction(c -> {
            for (Outcome o : outcomes) {
                switch (o) {
                    case Outcome.Delivered d -> Database.update(c, "UPDATE outbox SET state = 'delivered', delivered_at = ?, last_attempt_at = ?, "
                            + "attempts = attempts + 1, receipt = ?, last_error = NULL WHERE id = ?", d.at().toEpochMilli(), d.at().toEpochMilli(), d.receipt(), d.id());
                    case Outcome.Failed f -> Database.update(c, "UPDATE outbox SET state = 'failed', last_error = ?, last_attempt_at = ?, attempts = attempts + 1, "
                            + "failed_since = COALESCE(failed_since, ?) WHERE id = ?", f.error(), f.at().toEpochMilli(), f.at().toEpochMilli(), f.id());
                    case Outcome.Retry r -> Database.update(c, "UPDATE outbox SET last_error = ?, last_attempt_at = ?, attempts = attempts + 1, next_attempt_at = ?, "
                            + "failed_since = COALESCE(failed_since, ?) WHERE id = ?", r.error(), r.at().toEpochMilli(), r.next().toEpochMilli(), r.at().toEpochMilli(), r.id());
                }
            }
            return null;
        });
    }

    public void delivered(long id, String receipt, Instant at) {
        settle(List.of(new Outcome.Delivered(id, receipt, at)));
    }

    public void failed(long id, String error, Instant at) {
        settle(List.of(new Outcome.Failed(id, error, at)));
    }

    public void retry(long id, String error, Instant at, Instant next) {
        settle(List.of(new Outcome.Retry(id, error, at, next)));
    }

    /**
     * The recipient asked us to wait (429, Retry-After): try again at {@code next}. Not a failed attempt, so neither
     * the attempt count (and with it the backoff) nor the time since the first failure changes.
     */
    public void postpone(long id, String note, Instant next) {
        db.update("UPDATE outbox SET last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'queued'", note, next.toEpochMilli(), id);
    }

    /** Makes every queued delivery to {@code recipient} due now (e.g. the peer came back). */
    public void wake(String recipient, Instant now) {
        // Asked at every batch a peer posts us: read first, so the usual answer (nothing postponed) takes no write lock.
        if (db.queryOne("SELECT 1 FROM outbox WHERE recipient = ? AND state = 'queued' AND next_attempt_at > ? LIMIT 1", rs -> true,
                recipient, now.toEpochMilli()).isEmpty()) return;
        db.update("UPDATE outbox SET next_attempt_at = ? WHERE recipient = ? AND state = 'queued' AND next_attempt_at > ?",
                now.toEpochMilli(), recipient, now.toEpochMilli());
    }

    public List<Status> forEnvelope(String envelopeHash) {
        return db.query("SELECT envelope_hash, recipient, state, attempts, next_attempt_at, last_attempt_at, last_error, failed_since, delivered_at, receipt "
                + "FROM outbox WHERE envelope_hash = ? ORDER BY recipient", OutboxStore::status, envelopeHash);
    }

    public long count(String recipient, String state) {
        return db.queryOne("SELECT COUNT(*) FROM outbox WHERE recipient = ? AND state = ?", rs -> rs.getLong(1), recipient, state).orElse(0L);
    }

    private static Status status(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Status(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), instant(rs, 5), instant(rs, 6),
                rs.getString(7), instant(rs, 8), instant(rs, 9), rs.getString(10));
    }

    private static Instant instant(java.sql.ResultSet rs, int col) throws java.sql.SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }
}
