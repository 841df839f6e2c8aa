package io.parley.taxii;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.parley.envelope.Tlp;
import io.parley.evidence.MarkingPolicy;
import io.parley.store.Database;

/**
 * STIX objects per TAXII collection and TAXII status resources.
 *
 * <h2>Paging</h2>
 * Every object version gets a {@code date_added} (epoch microseconds) that is strictly greater than every other in its
 * collection: it is taken inside the inserting transaction while that transaction holds the collection's write lock
 * (SQLite: the database write lock, which Parley takes at BEGIN; PostgreSQL: a transaction-scoped advisory lock on the
 * collection). So commit order equals {@code date_added} order, and a reader paging by the keyset
 * {@code (date_added, id)} can never have a row appear behind its cursor: pages are stable under concurrent inserts,
 * with no duplicate and no gap. Queries are keyset queries in SQL ({@code (date_added, id) > (?, ?) ORDER BY
 * date_added, id LIMIT n}), never OFFSET and never filtered in memory: visibility is part of the WHERE clause
 * ({@link MarkingPolicy.Clearance#sql}).
 *
 * <h2>Contract</h2>
 * Besides {@link io.parley.store}'s: {@link #insert} stores a batch of objects in one transaction (all or none) and
 * skips a version the collection already holds, returning how many it added; {@link #putStatus} writes a status
 * resource once (a second one under a taken id throws).
 */
public final class TaxiiStore {
    /** Lock class for PostgreSQL's two-key advisory locks ("TAXI"); the two-key space never meets the one-key space. */
    private static final int LOCK_CLASS = 0x54415849;

    private final Database db;

    public TaxiiStore(Database db) {
        this.db = db;
    }

    public Database db() {
        return db;
    }

    /** One object version to store. {@code versionKey} is the version as epoch microseconds, for ordering. */
    public record NewObject(String objectId, String type, String specVersion, String version, long versionKey, Tlp tlp,
                            boolean named, String channel, String envelopeHash, String sender, String recipients,
                            String caseId, String json) {}

    /** A stored object version as TAXII serves it. */
    public record StoredObject(long id, String objectId, String version, long dateAdded, String json) {}

    /** A keyset position: the last row a page returned. */
    public record Cursor(long dateAdded, long id) {}

    /** One page and whether more rows follow it. */
    public record Page(List<StoredObject> rows, boolean more) {}

    /** Which versions of each object a query returns (TAXII {@code match[version]}); several are OR-ed. */
    public record Versions(boolean all, boolean last, boolean first, List<Long> exact) {
        public static final Versions LAST = new Versions(false, true, false, List.of());
        public static final Versions ALL = new Versions(true, false, false, List.of());

        public Versions {
            exact = List.copyOf(exact);
        }
    }

    /** A query over one collection. Null or empty lists mean "no filter". */
    public record Query(Long addedAfter, Cursor after, int limit, List<String> ids, List<String> types,
                        List<String> specVersions, Versions versions) {}

    /**
     * Stores object versions in {@code collection}; a version already there (same id and version) is left as it was.
     * Returns how many were new.
     */
    public int insert(String collection, List<NewObject> objects, Instant now) {
        if (objects.isEmpty()) return 0;
        return db.inTransaction(c -> {
            lockCollection(c, collection);
            long max = Database.query(c, "SELECT COALESCE(MAX(date_added), 0) FROM stix_objects WHERE collection = ?",
                    rs -> rs.getLong(1), collection).get(0);
            long next = Math.max(micros(now), max + 1);
            int added = 0;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO stix_objects (collection, object_id, type, spec_version, version, "
                    + "version_key, date_added, tlp_rank, red_named, channel, envelope_hash, sender, recipients, case_id, object) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                int pending = 0;
                for (NewObject o : objects) {
                    ps.setString(1, collection);
                    ps.setString(2, o.objectId());
                    ps.setString(3, o.type());
                    ps.setString(4, o.specVersion());
                    ps.setString(5, o.version());
                    ps.setLong(6, o.versionKey());
                    ps.setLong(7, next++);
                    ps.setInt(8, o.tlp().ordinal());
                    ps.setInt(9, o.named() ? 1 : 0);
                    ps.setString(10, o.channel());
                    ps.setString(11, o.envelopeHash());
                    ps.setString(12, o.sender());
                    ps.setString(13, o.recipients());
                    ps.setString(14, o.caseId());
                    ps.setString(15, o.json());
                    ps.addBatch();
                    if (++pending == 1000) {
                        added += sum(ps.executeBatch());
                        pending = 0;
                    }
                }
                if (pending > 0) added += sum(ps.executeBatch());
            }
            return added;
        });
    }

    private static int sum(int[] counts) {
        int n = 0;
        for (int x : counts) n += x == PreparedStatement.SUCCESS_NO_INFO ? 1 : Math.max(x, 0);
        return n;
    }

    /** Serialises writers of one collection so that commit order is {@code date_added} order (see class comment). */
    private void lockCollection(Connection c, String collection) throws SQLException {
        int key = (int) UUID.nameUUIDFromBytes(collection.getBytes(java.nio.charset.StandardCharsets.UTF_8)).getMostSignificantBits();
        db.serialise(c, ((long) LOCK_CLASS << 32) | (key & 0xffffffffL));
    }

    /** Objects of {@code collection} visible under {@code clearance}, filtered and paged by keyset. */
    public Page objects(String collection, MarkingPolicy.Clearance clearance, Query q) {
        List<Object> args = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT s.id, s.object_id, s.version, s.date_added, s.object FROM stix_objects s WHERE s.collection = ? AND ");
        args.add(collection);
        sql.append(clearance.sql("s.tlp_rank", "s.red_named"));
        filters(sql, args, q, clearance);
        return page(sql, args, q.limit());
    }

    /** The versions of one object visible under {@code clearance}, oldest added first. */
    public Page versions(String collection, String objectId, MarkingPolicy.Clearance clearance, Query q) {
        Query only = new Query(q.addedAfter(), q.after(), q.limit(), List.of(objectId), null, q.specVersions(), Versions.ALL);
        return objects(collection, clearance, only);
    }

    private static void filters(StringBuilder sql, List<Object> args, Query q, MarkingPolicy.Clearance clearance) {
        if (q.after() != null) {
            sql.append(" AND (s.date_added, s.id) > (?, ?)");
            args.add(q.after().dateAdded());
            args.add(q.after().id());
        }
        if (q.addedAfter() != null) {
            sql.append(" AND s.date_added > ?");
            args.add(q.addedAfter());
        }
        in(sql, args, "s.object_id", q.ids());
        in(sql, args, "s.type", q.types());
        in(sql, args, "s.spec_version", q.specVersions());
        Versions v = q.versions() == null ? Versions.LAST : q.versions();
        if (!v.all()) {
            List<String> alternatives = new ArrayList<>();
            String vis2 = clearance.sql("s2.tlp_rank", "s2.red_named");
            // "last"/"first" are among the versions the requester may see, so a hidden newer version hides nothing else
            if (v.last()) alternatives.add("NOT EXISTS (SELECT 1 FROM stix_objects s2 WHERE s2.collection = s.collection "
                    + "AND s2.object_id = s.object_id AND s2.version_key > s.version_key AND " + vis2 + ")");
            if (v.first()) alternatives.add("NOT EXISTS (SELECT 1 FROM stix_objects s2 WHERE s2.collection = s.collection "
                    + "AND s2.object_id = s.object_id AND s2.version_key < s.version_key AND " + vis2 + ")");
            if (!v.exact().isEmpty()) {
                alternatives.add("s.version_key IN (" + placeholders(v.exact().size()) + ")");
                args.addAll(v.exact());
            }
            sql.append(" AND (").append(alternatives.isEmpty() ? "1 = 0" : String.join(" OR ", alternatives)).append(")");
        }
    }

    private static void in(StringBuilder sql, List<Object> args, String column, List<String> values) {
        if (values == null || values.isEmpty()) return;
        sql.append(" AND ").append(column).append(" IN (").append(placeholders(values.size())).append(")");
        args.addAll(values);
    }

    private static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private Page page(StringBuilder sql, List<Object> args, int limit) {
        sql.append(" ORDER BY s.date_added, s.id LIMIT ?");
        args.add(limit + 1);
        List<StoredObject> rows = db.query(sql.toString(),
                rs -> new StoredObject(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)), args.toArray());
        boolean more = rows.size() > limit;
        return new Page(more ? rows.subList(0, limit) : rows, more);
    }

    /** Rows (in any collection) holding any of {@code objectIds}: where else an object has been seen, for sharing-on checks. */
    public record Holding(String collection, String objectId, Tlp tlp, String channel, String sender, String recipients) {}

    public List<Holding> holdings(java.util.Collection<String> objectIds) {
        List<Holding> out = new ArrayList<>();
        List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(objectIds));
        for (int i = 0; i < ids.size(); i += 500) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
            out.addAll(db.query("SELECT collection, object_id, tlp_rank, channel, sender, recipients FROM stix_objects WHERE object_id IN ("
                            + placeholders(chunk.size()) + ")",
                    rs -> new Holding(rs.getString(1), rs.getString(2), Tlp.values()[rs.getInt(3)], rs.getString(4), rs.getString(5), rs.getString(6)),
                    chunk.toArray()));
        }
        return out;
    }

    /** Which of {@code objectIds} exist in {@code collection} (for resolving references of objects added by TAXII). */
    public java.util.Set<String> existing(String collection, java.util.Collection<String> objectIds) {
        java.util.Set<String> out = new java.util.HashSet<>();
        List<String> ids = new ArrayList<>(new java.util.LinkedHashSet<>(objectIds));
        for (int i = 0; i < ids.size(); i += 500) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
            List<Object> args = new ArrayList<>();
            args.add(collection);
            args.addAll(chunk);
            out.addAll(db.query("SELECT DISTINCT object_id FROM stix_objects WHERE collection = ? AND object_id IN (" + placeholders(chunk.size()) + ")",
                    rs -> rs.getString(1), args.toArray()));
        }
        return out;
    }

    public long count(String collection) {
        return db.queryOne("SELECT COUNT(*) FROM stix_objects WHERE collection = ?", rs -> rs.getLong(1), collection).orElse(0L);
    }

    // --- status resources -------------------------------------------------------------------------------------------

    public void putStatus(String id, String username, String collection, String json, Instant at) {
        db.update("INSERT INTO taxii_status (id, username, collection, body, created_at) VALUES (?, ?, ?, ?, ?)",
                id, username, collection, json, at.toEpochMilli());
    }

    /** The status resource {@code id} if {@code username} created it. */
    public Optional<String> status(String id, String username) {
        return db.queryOne("SELECT body FROM taxii_status WHERE id = ? AND username = ?", rs -> rs.getString(1), id, username);
    }

    // --- time -------------------------------------------------------------------------------------------------------

    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** TAXII timestamps: RFC 3339 UTC with microseconds, e.g. {@code 2026-01-02T03:04:05.123456Z}. */
    public static String format(long micros) {
        return TIMESTAMP.format(instant(micros));
    }

    private static final java.time.format.DateTimeFormatter TIMESTAMP =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);
}
