package io.parley.taxii;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.parley.envelope.Tlp;
import io.parley.store.Database;

/**
 * Evidence bundles (content-addressed), the envelopes that carried or named them, the observables they hold, RED
 * grants, and the indexer's cursor over the envelopes table. SQL runs unchanged on SQLite and PostgreSQL.
 *
 * <p>Contract, besides {@link io.parley.store}'s: bundles are content-addressed and written once ({@link #putBundle}
 * false after); a link and a mismatch are written once per (envelope, reference), the first record standing.
 * {@link #putObservables} and {@link #setRedScopes} are one transaction each, a batch stored or replaced whole.
 * {@link #advance} only moves a cursor forward, in one statement, however calls interleave.
 */
public final class EvidenceStore {
    private final Database db;

    public EvidenceStore(Database db) {
        this.db = db;
    }

    public Database db() {
        return db;
    }

    // --- bundles ----------------------------------------------------------------------------------------------------

    /** A stored bundle. {@code json} is its JCS form, whose SHA-256 is {@code sha256}. */
    public record Bundle(String sha256, String json, long bytes, int objectCount, Tlp unmarked, String source, String addedBy,
                         String caseId, Instant createdAt) {}

    /** Stores a bundle; false (changing nothing) when one with that hash is already held. */
    public boolean putBundle(Bundle b) {
        return db.update("INSERT INTO evidence_bundles (sha256, bundle, bytes, object_count, unmarked_tlp, source, added_by, case_id, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                b.sha256(), b.json(), b.bytes(), b.objectCount(), b.unmarked().wire(), b.source(), b.addedBy(), b.caseId(),
                b.createdAt().toEpochMilli()) == 1;
    }

    public Optional<Bundle> bundle(String sha256) {
        return db.queryOne("SELECT sha256, bundle, bytes, object_count, unmarked_tlp, source, added_by, case_id, created_at FROM evidence_bundles WHERE sha256 = ?",
                rs -> new Bundle(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4), Tlp.fromWire(rs.getString(5)).orElse(Tlp.RED),
                        rs.getString(6), rs.getString(7), rs.getString(8), Instant.ofEpochMilli(rs.getLong(9))), sha256);
    }

    public boolean hasBundle(String sha256) {
        return db.queryOne("SELECT 1 FROM evidence_bundles WHERE sha256 = ?", rs -> 1, sha256).isPresent();
    }

    // --- links ------------------------------------------------------------------------------------------------------

    /** An envelope that carried or named a bundle. {@code recipients} null: every member of the channel. */
    public record Link(String envelopeHash, String refSha256, String channel, String sender, String caseId, Tlp tlp,
                       Set<String> recipients, String name, boolean inline, String state, String storedSha256, int attempts,
                       long nextAttemptAt, String detail) {}

    public static final String STORED = "stored";
    public static final String PENDING = "pending";
    public static final String FAILED = "failed";
    public static final String INVALID = "invalid";

    /** Records a link; false when this envelope already names this hash (the first record stands). */
    public boolean putLink(Link l, Instant at) {
        return db.update("INSERT INTO evidence_links (envelope_hash, ref_sha256, channel, sender, case_id, tlp, recipients, name, inline_bundle, "
                        + "state, stored_sha256, attempts, next_attempt_at, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT DO NOTHING",
                l.envelopeHash(), l.refSha256(), l.channel(), l.sender(), l.caseId(), l.tlp().wire(), encodeSet(l.recipients()), l.name(),
                l.inline() ? 1 : 0, l.state(), l.storedSha256(), l.attempts(), l.nextAttemptAt(), l.detail(), at.toEpochMilli()) == 1;
    }

    private static final String LINK_COLUMNS = "envelope_hash, ref_sha256, channel, sender, case_id, tlp, recipients, name, inline_bundle, "
            + "state, stored_sha256, attempts, next_attempt_at, detail";

    private static Link link(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Link(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Tlp.fromWire(rs.getString(6)).orElse(Tlp.RED), decodeSet(rs.getString(7)), rs.getString(8), rs.getInt(9) == 1,
                rs.getString(10), rs.getString(11), rs.getInt(12), rs.getLong(13), rs.getString(14));
    }

    /** Links whose held bundle is {@code sha256}: every context a held bundle was shared in. */
    public List<Link> linksHolding(String sha256) {
        return db.query("SELECT " + LINK_COLUMNS + " FROM evidence_links WHERE stored_sha256 = ? AND state = 'stored'", EvidenceStore::link, sha256);
    }

    /** A link and when this node recorded it (when the envelope carrying or naming the bundle arrived or was sent). */
    public record DatedLink(Link link, Instant at) {}

    /** The links of case {@code caseId} in {@code channel} whose bundle is held, oldest first. */
    public List<DatedLink> linksOfCase(String channel, String caseId) {
        return db.query("SELECT " + LINK_COLUMNS + ", created_at FROM evidence_links WHERE channel = ? AND case_id = ? AND state = 'stored' "
                        + "ORDER BY created_at, envelope_hash, ref_sha256",
                rs -> new DatedLink(link(rs), Instant.ofEpochMilli(rs.getLong(15))), channel, caseId);
    }

    /** A bundle held for channel {@code channel}, and when it was first shared there (as this node recorded it). */
    public record SharedBundle(String sha256, Instant firstSharedAt) {}

    /** The bundles held that were shared in {@code channel}, most recently first shared first, at most {@code limit}. */
    public List<SharedBundle> sharedIn(String channel, int limit) {
        return db.query("SELECT stored_sha256, MIN(created_at) FROM evidence_links WHERE channel = ? AND state = 'stored' AND stored_sha256 IS NOT NULL "
                        + "GROUP BY stored_sha256 ORDER BY MIN(created_at) DESC, stored_sha256 LIMIT ?",
                rs -> new SharedBundle(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))), channel, limit);
    }

    /** Links naming {@code refSha256}. */
    public List<Link> linksNaming(String refSha256) {
        return db.query("SELECT " + LINK_COLUMNS + " FROM evidence_links WHERE ref_sha256 = ?", EvidenceStore::link, refSha256);
    }

    public Optional<Link> link(String envelopeHash, String refSha256) {
        return db.queryOne("SELECT " + LINK_COLUMNS + " FROM evidence_links WHERE envelope_hash = ? AND ref_sha256 = ?",
                EvidenceStore::link, envelopeHash, refSha256);
    }

    /** Pending fetches whose next attempt is due. */
    public List<Link> due(long nowMillis, int limit) {
        return db.query("SELECT " + LINK_COLUMNS + " FROM evidence_links WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
                EvidenceStore::link, nowMillis, limit);
    }

    public void settle(String envelopeHash, String refSha256, String state, String storedSha256, String detail) {
        db.update("UPDATE evidence_links SET state = ?, stored_sha256 = ?, detail = ? WHERE envelope_hash = ? AND ref_sha256 = ?",
                state, storedSha256, detail, envelopeHash, refSha256);
    }

    public void retryLater(String envelopeHash, String refSha256, long nextAttemptAt, String detail) {
        db.update("UPDATE evidence_links SET attempts = attempts + 1, next_attempt_at = ?, detail = ? WHERE envelope_hash = ? AND ref_sha256 = ?",
                nextAttemptAt, detail, envelopeHash, refSha256);
    }

    /** The sender asked us to wait (429): fetch again at {@code nextAttemptAt}, without counting an attempt. */
    public void postpone(String envelopeHash, String refSha256, long nextAttemptAt, String detail) {
        db.update("UPDATE evidence_links SET next_attempt_at = ?, detail = ? WHERE envelope_hash = ? AND ref_sha256 = ?",
                nextAttemptAt, detail, envelopeHash, refSha256);
    }

    // --- proofs against senders and indexing failures ---------------------------------------------------------------

    /**
     * A sender's signed envelope naming {@code refSha256} and the bytes it then served for it under its signed
     * statement ({@link ServedEvidence}): proof that it showed this node something other than what it signed.
     */
    public record Mismatch(long id, String envelopeHash, String refSha256, String sender, String envelope, byte[] served, String servedSha256,
                           String bundleSha256, String statement, String signature, String servedAt, Instant detectedAt) {}

    /** Keeps a mismatch as proof; the first one per (envelope, reference) stands. */
    public void putMismatch(Mismatch m) {
        db.update("INSERT INTO evidence_mismatches (envelope_hash, ref_sha256, sender, envelope, served, served_sha256, bundle_sha256, statement, "
                        + "signature, served_at, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                m.envelopeHash(), m.refSha256(), m.sender(), m.envelope(), java.util.Base64.getEncoder().encodeToString(m.served()), m.servedSha256(),
                m.bundleSha256(), m.statement(), m.signature(), m.servedAt(), m.detectedAt().toEpochMilli());
    }

    /** Every mismatch kept, newest first. */
    public List<Mismatch> mismatches(int limit) {
        return db.query("SELECT id, envelope_hash, ref_sha256, sender, envelope, served, served_sha256, bundle_sha256, statement, signature, served_at, "
                + "detected_at FROM evidence_mismatches ORDER BY id DESC LIMIT ?", rs -> new Mismatch(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), java.util.Base64.getDecoder().decode(rs.getString(6)), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getString(10), rs.getString(11), Instant.ofEpochMilli(rs.getLong(12))), limit);
    }

    /** Records that the evidence of envelope {@code envelopeHash} could not be indexed, and why (the last failure stands). */
    public void putIndexFailure(String envelopeHash, String detail, Instant at) {
        String d = detail.length() > 1000 ? detail.substring(0, 1000) : detail;
        int n = db.update("UPDATE evidence_index_failures SET detail = ?, failed_at = ? WHERE envelope_hash = ?", d, at.toEpochMilli(), envelopeHash);
        if (n == 0) {
            db.update("INSERT INTO evidence_index_failures (envelope_hash, detail, failed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    envelopeHash, d, at.toEpochMilli());
        }
    }

    /** Why the evidence of {@code envelopeHash} was not indexed, if it failed. */
    public Optional<String> indexFailure(String envelopeHash) {
        return db.queryOne("SELECT detail FROM evidence_index_failures WHERE envelope_hash = ?", rs -> rs.getString(1), envelopeHash);
    }

    // --- observables ------------------------------------------------------------------------------------------------

    /** One observable of one bundle in one sharing context. {@code envelopeHash} and {@code channel} are "" when none. */
    public record ObservableRow(String type, String value, String sha256, String envelopeHash, String channel, String caseId,
                                String sender, Set<String> recipients, Tlp tlp, Instant seenAt) {}

    public void putObservables(List<ObservableRow> rows) {
        if (rows.isEmpty()) return;
        db.inTransaction(c -> {
            for (ObservableRow r : rows) {
                Database.update(c, "INSERT INTO observables (obs_type, value, sha256, envelope_hash, channel, case_id, sender, recipients, tlp_rank, seen_at) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        r.type(), r.value(), r.sha256(), r.envelopeHash(), r.channel(), r.caseId(), r.sender(), encodeSet(r.recipients()),
                        r.tlp().ordinal(), r.seenAt().toEpochMilli());
            }
            return null;
        });
    }

    private static final String OBS_COLUMNS = "o.obs_type, o.value, o.sha256, o.envelope_hash, o.channel, o.case_id, o.sender, o.recipients, o.tlp_rank, o.seen_at";

    private static ObservableRow observable(java.sql.ResultSet rs, int base) throws java.sql.SQLException {
        return new ObservableRow(rs.getString(base), rs.getString(base + 1), rs.getString(base + 2), rs.getString(base + 3),
                rs.getString(base + 4), rs.getString(base + 5), rs.getString(base + 6), decodeSet(rs.getString(base + 7)),
                Tlp.values()[rs.getInt(base + 8)], Instant.ofEpochMilli(rs.getLong(base + 9)));
    }

    /** Where an observable appeared, newest first, at most {@code limit} rows (before visibility filtering). */
    public List<ObservableRow> sightings(String type, String value, int limit) {
        return db.query("SELECT " + OBS_COLUMNS + " FROM observables o WHERE o.obs_type = ? AND o.value = ? ORDER BY o.seen_at DESC, o.id DESC LIMIT ?",
                rs -> observable(rs, 1), type, value, limit);
    }

    /** Observables recorded for case {@code caseId}. */
    public List<ObservableRow> ofCase(String caseId, int limit) {
        return db.query("SELECT " + OBS_COLUMNS + " FROM observables o WHERE o.case_id = ? ORDER BY o.id LIMIT ?",
                rs -> observable(rs, 1), caseId, limit);
    }

    /** Pairs (an observable of the case, the same observable recorded for another case). */
    public record Pair(ObservableRow mine, ObservableRow other) {}

    /**
     * The observables of case {@code caseId} of {@code channel} (null: no channel) paired with the same observables of
     * other cases. A case is named by (channel, id): what envelopes of another channel carry under the same id belongs
     * to another case. Evidence filed here by hand under the id (uploads, MISP imports: no channel) is the case's too.
     */
    public List<Pair> sharedWithOtherCases(String channel, String caseId, int limit) {
        String ch = channel == null ? "" : channel;
        return db.query("SELECT " + OBS_COLUMNS + ", " + OBS_COLUMNS.replace("o.", "p.") + " FROM observables o JOIN observables p "
                        + "ON p.obs_type = o.obs_type AND p.value = o.value WHERE o.case_id = ? AND (o.channel = ? OR o.channel = '') "
                        + "AND p.case_id IS NOT NULL AND NOT (p.case_id = ? AND (p.channel = ? OR p.channel = '')) "
                        + "ORDER BY p.channel, p.case_id, p.obs_type, p.value LIMIT ?",
                rs -> new Pair(observable(rs, 1), observable(rs, 11)), caseId, ch, caseId, ch, limit);
    }

    // --- RED grants -------------------------------------------------------------------------------------------------

    public Set<String> redScopes(String username) {
        return new TreeSet<>(db.query("SELECT scope FROM evidence_red_grants WHERE username = ?", rs -> rs.getString(1), username));
    }

    /** Replaces {@code username}'s grants with {@code scopes}. */
    public void setRedScopes(String username, Set<String> scopes, String grantedBy, Instant at) {
        db.inTransaction(c -> {
            Database.update(c, "DELETE FROM evidence_red_grants WHERE username = ?", username);
            for (String s : scopes) {
                Database.update(c, "INSERT INTO evidence_red_grants (username, scope, granted_by, granted_at) VALUES (?, ?, ?, ?)",
                        username, s, grantedBy, at.toEpochMilli());
            }
            return null;
        });
    }

    public record Grant(String username, String scope, String grantedBy, Instant grantedAt) {}

    public List<Grant> grants() {
        return db.query("SELECT username, scope, granted_by, granted_at FROM evidence_red_grants ORDER BY username, scope",
                rs -> new Grant(rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))));
    }

    // --- indexer cursor over the envelopes table ---------------------------------------------------------------------

    public long cursor(String name) {
        return db.queryOne("SELECT last_id FROM evidence_cursor WHERE name = ?", rs -> rs.getLong(1), name).orElse(0L);
    }

    /** Moves cursor {@code name} to {@code lastId} unless it is there or beyond already. */
    public void advance(String name, long lastId) {
        db.update("INSERT INTO evidence_cursor (name, last_id) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id "
                + "WHERE evidence_cursor.last_id < excluded.last_id", name, lastId);
    }

    /** Envelopes stored after local id {@code afterId}: (id, canonical JSON). Read-only use of the envelopes table. */
    public record RawEnvelope(long id, String hash, String canonical, Instant receivedAt) {}

    public List<RawEnvelope> envelopesAfter(long afterId, int limit) {
        return db.query("SELECT id, hash, canonical, received_at FROM envelopes WHERE id > ? AND kind <> '" + io.parley.store.EnvelopeStore.WITHHELD + "' ORDER BY id LIMIT ?",
                rs -> new RawEnvelope(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))), afterId, limit);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    static String encodeSet(Set<String> s) {
        if (s == null) return null;
        var arr = io.parley.json.Json.MAPPER.createArrayNode();
        new TreeSet<>(s).forEach(arr::add);
        return io.parley.json.Json.write(arr);
    }

    static Set<String> decodeSet(String json) {
        if (json == null) return null;
        Set<String> out = new TreeSet<>();
        io.parley.json.Json.parse(json.getBytes(StandardCharsets.UTF_8)).forEach(n -> out.add(n.asText()));
        return out;
    }
}
