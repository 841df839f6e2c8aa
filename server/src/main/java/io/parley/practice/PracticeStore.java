package io.parley.practice;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.parley.store.Database;

/**
 * The {@code scheduled_acts} claims (which scheduled slot this node, or another instance on the same database, has
 * taken) and the {@code contact_confirmations} projection (each member's newest signed re-confirmation per channel).
 *
 * <p>Contract, the same on SQLite and PostgreSQL: every write is one statement in its own transaction, atomic and
 * durable when it returns. {@link #claim} is the only way to take a slot and succeeds for exactly one caller however
 * many instances race for it (the primary key decides). A confirmation row only ever moves forward in time. Database
 * faults surface as {@link io.parley.store.StoreException}. Thread-safe.
 */
public final class PracticeStore {
    private final Database db;

    public PracticeStore(Database db) {
        this.db = db;
    }

    /** Takes slot {@code slot} of {@code act} in {@code channel}: true for the one caller that took it, false for all others. */
    public boolean claim(String channel, String act, Instant slot, Instant at) {
        return db.update("INSERT INTO scheduled_acts (channel, act, slot, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                channel, act, slot.toEpochMilli(), at.toEpochMilli()) == 1;
    }

    /** Notes the envelope that carried out a claimed slot (none when the act was a local reminder or was refused). */
    public void done(String channel, String act, Instant slot, String envelopeHash) {
        db.update("UPDATE scheduled_acts SET envelope_hash = ? WHERE channel = ? AND act = ? AND slot = ?", envelopeHash, channel, act, slot.toEpochMilli());
    }

    /** Whether slot {@code slot} of {@code act} in {@code channel} has been taken. */
    public boolean claimed(String channel, String act, Instant slot) {
        return db.queryOne("SELECT 1 FROM scheduled_acts WHERE channel = ? AND act = ? AND slot = ?", rs -> true, channel, act, slot.toEpochMilli())
                .orElse(false);
    }

    /** A member's newest re-confirmation in a channel. */
    public record Confirmation(String origin, Instant confirmedAt, String envelopeHash, String cardSha256) {}

    /** Records a re-confirmation, unless a later one of the same member in the same channel is on record already. */
    public void confirm(String channel, Confirmation c) {
        db.update("INSERT INTO contact_confirmations (channel, origin, confirmed_at, envelope_hash, card_sha256) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (channel, origin) DO UPDATE SET confirmed_at = excluded.confirmed_at, envelope_hash = excluded.envelope_hash, "
                        + "card_sha256 = excluded.card_sha256 WHERE excluded.confirmed_at > contact_confirmations.confirmed_at",
                channel, c.origin(), c.confirmedAt().toEpochMilli(), c.envelopeHash(), c.cardSha256());
    }

    /** The newest re-confirmation of each member of {@code channel} that has one, by origin. */
    public Map<String, Confirmation> confirmations(String channel) {
        Map<String, Confirmation> out = new TreeMap<>();
        db.query("SELECT origin, confirmed_at, envelope_hash, card_sha256 FROM contact_confirmations WHERE channel = ?",
                rs -> new Confirmation(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4)), channel)
                .forEach(c -> out.put(c.origin(), c));
        return out;
    }
}
