package io.parley.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.parley.envelope.Envelope;
import io.parley.json.Json;

/**
 * Envelopes, equivocation proofs and rejections. The unique key (channel, sender, seq) is what serialises competing
 * writers, including several Parley instances on one PostgreSQL: {@link #insert} reports a lost race instead of
 * overwriting, and the caller re-reads the chain.
 *
 * <p>Contract, besides the package's:
 * <ul>
 * <li>{@link #insert} writes the envelope, its log entry ({@link LogQueue}) and its outbox rows (one per recipient,
 * with the withheld notice where one is given) in one transaction: a receipt given after it returns is backed by all
 * three, and a failure leaves none. It returns false, writing nothing, when the hash or the chain position is taken:
 * an envelope is stored once, and a rival for its position never replaces it. {@link #insertWithheld} likewise for a
 * placeholder link.</li>
 * <li>{@link #attachNotice} sets a notice once (false after).</li>
 * <li>{@link #recordEquivocation} is idempotent per conflicting statement and keeps at most
 * {@link #MAX_EQUIVOCATIONS_PER_SENDER} per (channel, sender), counted under a lock on that pair, so the cap holds
 * across instances. {@link #recordRejection} writes the record and ages out rows beyond the caps in one
 * transaction.</li>
 * <li>Reads: {@link #chain} in seq order, {@link #inChannel} and {@link #inCase} in the order this node stored them;
 * placeholder links are not messages and appear only in {@link #link} and {@link #links}.</li>
 * </ul>
 */
public final class EnvelopeStore {
    private static final String COLUMNS = "id, hash, canonical, received_at";
    /**
     * The kind column of a placeholder link: the signed notice of a TLP:RED envelope withheld from this node. No
     * envelope kind has this name, and every reader of envelopes excludes it, so a placeholder is never taken for a
     * message; only the chain ({@link #head}, {@link #link}, {@link #links}) sees it.
     */
    public static final String WITHHELD = "withheld";
    private static final String MESSAGES = " kind <> '" + WITHHELD + "' ";
    /** Summaries of refused input nobody we know signed: anyone can post it, so only the newest are kept. */
    public static final int MAX_UNVERIFIED_REJECTIONS = 1_000;
    /** Full records of refused envelopes a known sender signed, per sender. */
    public static final int MAX_VERIFIED_REJECTIONS_PER_SENDER = 1_000;
    /** Equivocation proofs kept per (channel, sender); the first convicts. */
    public static final int MAX_EQUIVOCATIONS_PER_SENDER = 32;
    private final Database db;

    public EnvelopeStore(Database db) {
        this.db = db;
    }

    public Optional<ChainHead> head(String channel, String sender) {
        return db.queryOne("SELECT seq, hash FROM envelopes WHERE channel = ? AND sender = ? ORDER BY seq DESC LIMIT 1",
                rs -> new ChainHead(rs.getLong(1), rs.getString(2)), channel, sender);
    }

    public Optional<StoredEnvelope> at(String channel, String sender, long seq) {
        return db.queryOne("SELECT " + COLUMNS + " FROM envelopes WHERE channel = ? AND sender = ? AND seq = ? AND" + MESSAGES,
                EnvelopeStore::map, channel, sender, seq);
    }

    /** What holds (channel, sender, seq) in the chain: an envelope or a placeholder link. */
    public record Link(long seq, String hash, boolean withheld, String canonical) {}

    public Optional<Link> link(String channel, String sender, long seq) {
        return db.queryOne("SELECT seq, hash, kind, canonical FROM envelopes WHERE channel = ? AND sender = ? AND seq = ?",
                rs -> new Link(rs.getLong(1), rs.getString(2), WITHHELD.equals(rs.getString(3)), rs.getString(4)), channel, sender, seq);
    }

    /** One sender's chain after {@code afterSeq}, envelopes and placeholder links alike: what catch-up serves from. */
    public List<Link> links(String channel, String sender, long afterSeq, int limit) {
        return db.query("SELECT seq, hash, kind, canonical FROM envelopes WHERE channel = ? AND sender = ? AND seq > ? ORDER BY seq LIMIT ?",
                rs -> new Link(rs.getLong(1), rs.getString(2), WITHHELD.equals(rs.getString(3)), rs.getString(4)), channel, sender, afterSeq, limit);
    }

    /** When this node first stored each of {@code hashes} it holds as a message (looked up in chunks). */
    public java.util.Map<String, Instant> receivedAt(java.util.Collection<String> hashes) {
        java.util.Map<String, Instant> out = new java.util.HashMap<>();
        db.queryIn("SELECT hash, received_at FROM envelopes WHERE hash IN (%s) AND" + MESSAGES, hashes,
                rs -> out.put(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))));
        return out;
    }

    public Optional<StoredEnvelope> byHash(String hash) {
        return db.queryOne("SELECT " + COLUMNS + " FROM envelopes WHERE hash = ? AND" + MESSAGES, EnvelopeStore::map, hash);
    }

    /**
     * Stores the envelope durably and queues its log entry (the SHA-256 of its canonical bytes, which is its hash;
     * see {@link LogQueue}) for the transparency log in the same transaction,
     * so an acknowledged envelope can never be missing from the log. Returns false, storing nothing, when its hash or
     * its (channel, sender, seq) is already taken.
     */
    public boolean insert(Envelope e, String hash, Instant receivedAt) {
        return insert(e, hash, receivedAt, java.util.List.of());
    }

    /**
     * As {@link #insert(Envelope, String, Instant)}, and also queues the envelope in the outbox for each of
     * {@code recipients} in the same transaction, so a stored envelope of ours is never left undelivered by a crash.
     */
    public boolean insert(Envelope e, String hash, Instant receivedAt, java.util.List<String> recipients) {
        return insert(e, hash, receivedAt, recipients, java.util.List.of(), null);
    }

    /**
     * As {@link #insert(Envelope, String, Instant, List)}, and also queues {@code notice} (the signed withheld
     * notice of a TLP:RED envelope) for each of {@code withheldFrom}, the members that are not its named recipients.
     * A given {@code notice} is also kept with the envelope (a case bundle carries it in place of the envelope when the
     * envelope is not part of the case) and delivered to each named recipient right after the envelope, so they can
     * do the same.
     */
    public boolean insert(Envelope e, String hash, Instant receivedAt, java.util.List<String> recipients,
                          java.util.List<String> withheldFrom, String notice) {
        return write(w -> w.insert(e, e.canonicalBytes(), hash, receivedAt, recipients, withheldFrom, notice).isPresent());
    }

    /** Work on one {@link Writer}, in one transaction. */
    @FunctionalInterface
    public interface WriterWork<T> {
        T run(Writer w) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: everything it inserts commits together (a batch of chain extensions, each
     * with its log entry and outbox rows) or not at all.
     */
    public <T> T write(WriterWork<T> work) {
        return db.inTransaction(c -> work.run(new Writer(c)));
    }

    /**
     * Reads and writes on one transaction's connection, so a batch sees its own uncommitted links: the chain reads a
     * batch judges by, and the one insert every stored envelope goes through.
     */
    public static final class Writer {
        private final java.sql.Connection c;

        private Writer(java.sql.Connection c) {
            this.c = c;
        }

        public Optional<ChainHead> head(String channel, String sender) throws SQLException {
            List<ChainHead> rows = Database.query(c, "SELECT seq, hash FROM envelopes WHERE channel = ? AND sender = ? ORDER BY seq DESC LIMIT 1",
                    rs -> new ChainHead(rs.getLong(1), rs.getString(2)), channel, sender);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
        }

        public Optional<Link> link(String channel, String sender, long seq) throws SQLException {
            List<Link> rows = Database.query(c, "SELECT seq, hash, kind, canonical FROM envelopes WHERE channel = ? AND sender = ? AND seq = ?",
                    rs -> new Link(rs.getLong(1), rs.getString(2), WITHHELD.equals(rs.getString(3)), rs.getString(4)), channel, sender, seq);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
        }

        /**
         * Inserts the envelope ({@code canonical} its canonical bytes, {@code hash} their SHA-256), its log entry and its
         * outbox rows (see {@link EnvelopeStore#insert(Envelope, String, Instant, List, List, String)}); returns its row
         * id, or empty, writing nothing, when its hash or chain position is taken.
         */
        public java.util.OptionalLong insert(Envelope e, byte[] canonical, String hash, Instant receivedAt, List<String> recipients,
                                             List<String> withheldFrom, String notice) throws SQLException {
            if (!withheldFrom.isEmpty() && notice == null) throw new IllegalArgumentException("members the envelope is withheld from need its notice");
            List<Long> ids = Database.query(c, "INSERT INTO envelopes (hash, channel, sender, seq, kind, case_id, created, tlp, canonical, received_at, sender_notice) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id", rs -> rs.getLong(1),
                    hash, e.channel(), e.from(), e.seq(), e.kind().wire(), e.caseId(), e.created(), e.tlp().wire(),
                    new String(canonical, java.nio.charset.StandardCharsets.UTF_8), receivedAt.toEpochMilli(), notice);
            if (ids.isEmpty()) return java.util.OptionalLong.empty();
            LogQueue.enqueue(c, canonical, hash, receivedAt);
            for (String r : recipients) {
                Database.update(c, "INSERT INTO outbox (envelope_hash, recipient, state, next_attempt_at, companion) VALUES (?, ?, 'queued', ?, ?)",
                        hash, r, receivedAt.toEpochMilli(), notice);
            }
            for (String r : withheldFrom) {
                Database.update(c, "INSERT INTO outbox (envelope_hash, recipient, state, next_attempt_at, notice) VALUES (?, ?, 'queued', ?, ?)",
                        hash, r, receivedAt.toEpochMilli(), notice);
            }
            return java.util.OptionalLong.of(ids.getFirst());
        }
    }

    /**
     * Stores a placeholder link for a TLP:RED envelope withheld from this node: the sender's signed notice, under the
     * withheld envelope's hash and chain position, with no case and no content. The log commits to the envelope's
     * hash (its 32 bytes), the same commitment a recipient's log makes, so the receipt proves the link was recorded.
     * Returns false, storing nothing, when the hash or the (channel, sender, seq) is already taken.
     */
    public boolean insertWithheld(io.parley.envelope.WithheldNotice notice, Instant receivedAt) {
        return db.inTransaction(c -> {
            int n = Database.update(c, "INSERT INTO envelopes (hash, channel, sender, seq, kind, case_id, created, tlp, canonical, received_at) "
                            + "VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    notice.hash(), notice.channel(), notice.from(), notice.seq(), WITHHELD, notice.created(),
                    io.parley.envelope.Tlp.RED.wire(), notice.canonical(), receivedAt.toEpochMilli());
            if (n == 1) LogQueue.enqueueCommitment(c, notice.hashBytes(), notice.hash(), receivedAt);
            return n == 1;
        });
    }

    /**
     * Keeps the sender's signed withheld notice with a TLP:RED envelope this node holds in full (as a named
     * recipient). The caller has verified the notice and that it names exactly this envelope. Returns false when the
     * envelope is not held or already has its notice.
     */
    public boolean attachNotice(String hash, String noticeCanonical) {
        return db.update("UPDATE envelopes SET sender_notice = ? WHERE hash = ? AND" + MESSAGES + "AND sender_notice IS NULL",
                noticeCanonical, hash) == 1;
    }

    /** The sender's signed withheld notice kept with the envelope {@code hash}, if this node holds one. */
    public Optional<String> senderNotice(String hash) {
        return db.queryOne("SELECT sender_notice FROM envelopes WHERE hash = ? AND" + MESSAGES + "AND sender_notice IS NOT NULL",
                rs -> rs.getString(1), hash);
    }

    /** One sender's chain in a channel after {@code afterSeq}, in seq order: the catch-up query. */
    public List<StoredEnvelope> chain(String channel, String sender, long afterSeq, int limit) {
        return db.query("SELECT " + COLUMNS + " FROM envelopes WHERE channel = ? AND sender = ? AND seq > ? AND" + MESSAGES + "ORDER BY seq LIMIT ?",
                EnvelopeStore::map, channel, sender, afterSeq, limit);
    }

    /** A channel's envelopes in the order this node stored them, after local id {@code afterId}. */
    public List<StoredEnvelope> inChannel(String channel, long afterId, int limit) {
        return db.query("SELECT " + COLUMNS + " FROM envelopes WHERE channel = ? AND id > ? AND" + MESSAGES + "ORDER BY id LIMIT ?",
                EnvelopeStore::map, channel, afterId, limit);
    }

    /** The envelopes of the case {@code caseId} in {@code channel}: a case id means nothing outside its channel. */
    public List<StoredEnvelope> inCase(String channel, String caseId) {
        return db.query("SELECT " + COLUMNS + " FROM envelopes WHERE channel = ? AND case_id = ? AND" + MESSAGES + "ORDER BY id", EnvelopeStore::map, channel, caseId);
    }

    public long count() {
        return db.queryOne("SELECT COUNT(*) FROM envelopes WHERE" + MESSAGES, rs -> rs.getLong(1)).orElse(0L);
    }

    /**
     * Keeps the second envelope of an equivocating pair; idempotent per conflicting envelope. The caller has verified
     * both signatures. One pair convicts a sender, and only the sender can sign more, so at most
     * {@link #MAX_EQUIVOCATIONS_PER_SENDER} pairs are kept per (channel, sender): a dishonest member signing variants in
     * bulk cannot fill our database with its proof.
     */
    public void recordEquivocation(Envelope conflicting, String conflictingHash, String keptHash, Instant at) {
        recordEquivocation(conflicting.channel(), conflicting.from(), conflicting.seq(), keptHash, conflictingHash,
                new String(conflicting.canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8), at);
    }

    /**
     * Keeps a second signed statement for an occupied chain position given as text (an envelope, or a withheld notice
     * against an envelope or another notice); idempotent per {@code conflictingId}, capped like the above.
     */
    public void recordEquivocation(String channel, String sender, long seq, String keptHash, String conflictingId, String conflictingText, Instant at) {
        db.inTransaction(c -> {
            db.serialise(c, ("equivocations " + channel + " " + sender).hashCode());
            long kept = Database.query(c, "SELECT COUNT(*) FROM equivocations WHERE channel = ? AND sender = ?", rs -> rs.getLong(1),
                    channel, sender).getFirst();
            if (kept >= MAX_EQUIVOCATIONS_PER_SENDER) return null;
            Database.update(c, "INSERT INTO equivocations (channel, sender, seq, kept_hash, conflicting_hash, conflicting, detected_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    channel, sender, seq, keptHash, conflictingId, conflictingText, at.toEpochMilli());
            return null;
        });
    }

    public List<EquivocationRecord> equivocations() {
        return db.query("SELECT channel, sender, seq, kept_hash, conflicting_hash, conflicting, detected_at FROM equivocations ORDER BY id",
                rs -> new EquivocationRecord(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
    }

    /**
     * Records a refusal and, in the same transaction, ages out the oldest rows beyond the caps: at most
     * {@link #MAX_UNVERIFIED_REJECTIONS} summaries of unverified input in all (anyone can post those), and at most
     * {@link #MAX_VERIFIED_REJECTIONS_PER_SENDER} full records per known sender (a member can misbehave at length, and
     * its newest refusals say most). Equivocation proofs are kept elsewhere and never aged out.
     */
    public void recordRejection(RejectionRecord r) {
        db.inTransaction(c -> {
            Database.update(c, "INSERT INTO rejections (received_at, remote, channel, sender, seq, code, detail, envelope, verified, envelope_sha256, envelope_bytes) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    r.receivedAt().toEpochMilli(), r.remote(), r.channel(), r.sender(), r.seq(), r.code(), r.detail(), r.envelope(),
                    r.verified() ? 1 : 0, r.envelopeSha256(), r.envelopeBytes());
            if (r.verified()) {
                Database.update(c, "DELETE FROM rejections WHERE verified = 1 AND sender = ? AND id <= (SELECT id FROM rejections "
                        + "WHERE verified = 1 AND sender = ? ORDER BY id DESC LIMIT 1 OFFSET ?)", r.sender(), r.sender(), MAX_VERIFIED_REJECTIONS_PER_SENDER);
            } else {
                Database.update(c, "DELETE FROM rejections WHERE verified = 0 AND id <= (SELECT id FROM rejections "
                        + "WHERE verified = 0 ORDER BY id DESC LIMIT 1 OFFSET ?)", MAX_UNVERIFIED_REJECTIONS);
            }
            return null;
        });
    }

    public List<RejectionRecord> rejections(int limit) {
        return db.query("SELECT id, received_at, remote, channel, sender, seq, code, detail, envelope, verified, envelope_sha256, envelope_bytes "
                        + "FROM rejections ORDER BY id DESC LIMIT ?",
                rs -> new RejectionRecord(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getObject(6) == null ? null : rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getInt(10) == 1, rs.getString(11), rs.getObject(12) == null ? null : rs.getLong(12)),
                limit);
    }

    private static StoredEnvelope map(ResultSet rs) throws SQLException {
        Envelope e = Envelope.fromJson(Json.parse(rs.getString(3)));
        return new StoredEnvelope(rs.getLong(1), e, rs.getString(2), Instant.ofEpochMilli(rs.getLong(4)));
    }
}
