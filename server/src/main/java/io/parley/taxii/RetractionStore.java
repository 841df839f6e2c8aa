package io.parley.taxii;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.parley.envelope.Tlp;
import io.parley.store.Database;

/**
 * What retract envelopes withdrew on this node ({@code evidence_retractions}), and the SQL that finds and withdraws
 * a sender's shared STIX objects and observables.
 *
 * <p>Contract: every query is scoped to one channel and one sender, so nothing here can reach evidence another party
 * shared; {@link #record} is idempotent by (retract envelope, bundle).
 */
final class RetractionStore {
    /** {@code ref_sha256} of a whole-case retraction: everything the sender shared in the case. */
    static final String WHOLE_CASE = "*";

    private final Database db;

    RetractionStore(Database db) {
        this.db = db;
    }

    Database db() {
        return db;
    }

    /** One withdrawal. */
    record Retraction(String retractHash, String channel, String sender, String caseId, String refSha256, String retractedAt, int objectsRevoked) {}

    /** A shared object version, with everything needed to store a later version of it. */
    record SharedObject(long id, String collection, String objectId, String type, String specVersion, String version, long versionKey,
                        Tlp tlp, boolean named, String channel, String envelopeHash, String sender, String recipients, String caseId, String json) {}

    /** Records a withdrawal; false when this envelope already withdrew this bundle. */
    boolean record(Retraction r, Instant at) {
        return db.update("INSERT INTO evidence_retractions (retract_hash, channel, sender, case_id, ref_sha256, retracted_at, objects_revoked, recorded_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", r.retractHash(), r.channel(), r.sender(), r.caseId(), r.refSha256(),
                r.retractedAt(), r.objectsRevoked(), at.toEpochMilli()) == 1;
    }

    /** Withdrawals in case {@code caseId} of {@code channel}, oldest first. */
    List<Retraction> inCase(String channel, String caseId) {
        return db.query("SELECT retract_hash, channel, sender, case_id, ref_sha256, retracted_at, objects_revoked FROM evidence_retractions "
                + "WHERE channel = ? AND case_id = ? ORDER BY retracted_at, retract_hash, ref_sha256", RetractionStore::retraction, channel, caseId);
    }

    /** Withdrawals of bundle {@code sha256} (by name or whole case), anywhere. */
    List<Retraction> ofBundle(String sha256) {
        return db.query("SELECT DISTINCT r.retract_hash, r.channel, r.sender, r.case_id, r.ref_sha256, r.retracted_at, r.objects_revoked "
                + "FROM evidence_retractions r JOIN evidence_links l ON l.channel = r.channel AND l.sender = r.sender "
                + "AND (l.ref_sha256 = r.ref_sha256 OR l.stored_sha256 = r.ref_sha256 OR (r.ref_sha256 = '*' AND l.case_id = r.case_id)) "
                + "WHERE l.ref_sha256 = ? OR l.stored_sha256 = ? ORDER BY r.retracted_at", RetractionStore::retraction, sha256, sha256);
    }

    /**
     * Whether what {@code sender} shared of bundle {@code sha256} in case {@code caseId} of {@code channel} was
     * withdrawn: so a bundle fetched after its retraction is never indexed.
     */
    boolean withdrawn(String channel, String sender, String caseId, String sha256) {
        return !db.query("SELECT 1 FROM evidence_retractions WHERE channel = ? AND sender = ? AND ((ref_sha256 = ? AND (case_id IS NULL OR case_id = ?)) "
                + "OR (ref_sha256 = '*' AND case_id = ?))", rs -> 1, channel, sender, sha256, caseId, caseId).isEmpty();
    }

    /**
     * The envelopes by which {@code sender} shared evidence in {@code channel}: those naming one of {@code shas}
     * (within case {@code caseId} when not null), or every one of the case when {@code shas} is null.
     */
    List<String> sharingEnvelopes(String channel, String sender, String caseId, Collection<String> shas) {
        List<Object> args = new ArrayList<>(List.of(channel, sender));
        StringBuilder sql = new StringBuilder("SELECT DISTINCT envelope_hash FROM evidence_links WHERE channel = ? AND sender = ?");
        if (caseId != null) {
            sql.append(" AND case_id = ?");
            args.add(caseId);
        }
        if (shas != null) {
            if (shas.isEmpty()) return List.of();
            String in = String.join(", ", java.util.Collections.nCopies(shas.size(), "?"));
            sql.append(" AND (ref_sha256 IN (").append(in).append(") OR stored_sha256 IN (").append(in).append("))");
            args.addAll(shas);
            args.addAll(shas);
        }
        sql.append(" ORDER BY envelope_hash");
        return db.query(sql.toString(), rs -> rs.getString(1), args.toArray());
    }

    /** Every stored version of the objects {@code sender} shared in {@code channel} by {@code envelopes}. */
    List<SharedObject> sharedBy(String channel, String sender, List<String> envelopes) {
        if (envelopes.isEmpty()) return List.of();
        List<Object> args = new ArrayList<>(List.of(channel, sender));
        args.addAll(envelopes);
        return db.query("SELECT id, collection, object_id, type, spec_version, version, version_key, tlp_rank, red_named, channel, envelope_hash, "
                + "sender, recipients, case_id, object FROM stix_objects WHERE channel = ? AND sender = ? AND envelope_hash IN ("
                + String.join(", ", java.util.Collections.nCopies(envelopes.size(), "?")) + ") ORDER BY collection, object_id, version_key",
                rs -> new SharedObject(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getLong(7),
                        Tlp.values()[rs.getInt(8)], rs.getInt(9) == 1, rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
                        rs.getString(14), rs.getString(15)), args.toArray());
    }

    /** Stops serving one stored object version (an object STIX gives no way to revoke). */
    void drop(long id) {
        db.update("DELETE FROM stix_objects WHERE id = ?", id);
    }

    /** Takes {@code sender}'s observables shared by {@code envelopes} out of correlation. */
    int dropObservables(String channel, String sender, List<String> envelopes) {
        if (envelopes.isEmpty()) return 0;
        List<Object> args = new ArrayList<>(List.of(channel, sender));
        args.addAll(envelopes);
        return db.update("DELETE FROM observables WHERE channel = ? AND sender = ? AND envelope_hash IN ("
                + String.join(", ", java.util.Collections.nCopies(envelopes.size(), "?")) + ")", args.toArray());
    }

    private static Retraction retraction(java.sql.ResultSet rs) throws SQLException {
        return new Retraction(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7));
    }
}
