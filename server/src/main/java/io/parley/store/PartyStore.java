package io.parley.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Party cards this node has seen, their pinned TLS certificates, and which parties it has flagged (e.g. for
 * equivocation).
 *
 * <p>Contract, besides the package's: {@link #put} inserts or replaces a party's card in one statement (the later
 * write wins; the flag is kept). {@link #flag} is one statement too and keeps the first reason, whether or not the
 * party's card is known yet. {@link #all} is in origin order.
 */
public final class PartyStore {

    /** A known party: its current card (JSON text) and, if flagged, why. */
    public record Party(String origin, String verifierKey, String fingerprint, String card, String flaggedReason, Instant updatedAt) {}

    private final Database db;

    public PartyStore(Database db) {
        this.db = db;
    }

    public void put(String origin, String verifierKey, String fingerprint, String card, Instant at) {
        db.update("INSERT INTO parties (origin, verifier_key, fingerprint, card, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (origin) DO UPDATE "
                        + "SET verifier_key = excluded.verifier_key, fingerprint = excluded.fingerprint, card = excluded.card, updated_at = excluded.updated_at",
                origin, verifierKey, fingerprint, card, at.toEpochMilli());
    }

    /** Pins the TLS certificate (SHA-256 of its DER) a party's accepted card names; null when it names none. */
    public void pinTls(String origin, String certSha256) {
        db.update("UPDATE parties SET tls_cert_sha256 = ? WHERE origin = ?", certSha256, origin);
    }

    /** True if {@code certSha256} is the pinned TLS certificate of some party we hold a key for. */
    public boolean isPinnedTlsCertificate(String certSha256) {
        return db.queryOne("SELECT origin FROM parties WHERE tls_cert_sha256 = ? AND verifier_key <> ''", rs -> rs.getString(1), certSha256).isPresent();
    }

    /** Flags a party; the first reason is kept, since it is the first proof of misbehaviour. */
    public void flag(String origin, String reason, Instant at) {
        db.update("INSERT INTO parties (origin, verifier_key, fingerprint, card, flagged_reason, updated_at) VALUES (?, '', '', '{}', ?, ?) "
                + "ON CONFLICT (origin) DO UPDATE SET flagged_reason = COALESCE(parties.flagged_reason, excluded.flagged_reason)", origin, reason, at.toEpochMilli());
    }

    public Optional<Party> find(String origin) {
        return db.queryOne("SELECT origin, verifier_key, fingerprint, card, flagged_reason, updated_at FROM parties WHERE origin = ?",
                PartyStore::map, origin);
    }

    public List<Party> all() {
        return db.query("SELECT origin, verifier_key, fingerprint, card, flagged_reason, updated_at FROM parties ORDER BY origin", PartyStore::map);
    }

    private static Party map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Party(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)));
    }
}
