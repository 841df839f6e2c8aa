package io.parley.transparency;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.parley.store.Database;

/**
 * What this node holds as a witness of its peers' logs: the latest checkpoint it cosigned per origin
 * ({@code witness_state}) and the proven split views ({@code witness_conflicts}).
 *
 * <p>Contract, the same on SQLite and PostgreSQL:
 * <ul>
 * <li>{@link #decide} is one transaction, serialised per origin (across instances sharing a PostgreSQL, and across
 * processes on one SQLite file): the held checkpoint it reads is still the held one when its write lands, so two
 * concurrent submissions can never roll the witness back. The write is atomic and durable when the call returns; if
 * the decision or the write throws, nothing is written.</li>
 * <li>Conflicts are unique per (origin, offered note), so recording one again adds nothing, and at most
 * {@link #MAX_CONFLICTS_PER_ORIGIN} are kept per origin, checked in the writing transaction.</li>
 * <li>Database faults surface as {@link io.parley.store.StoreException}.</li>
 * </ul>
 * Thread-safe.
 */
public final class WitnessStore {
    /** One proof of a split view suffices; the cap keeps a log that signs forks in bulk from filling our database. */
    public static final int MAX_CONFLICTS_PER_ORIGIN = 16;
    /** Mixed into an origin's hash to name its advisory lock ("Witn"), apart from the other users of advisory locks. */
    private static final long LOCK_SALT = 0x5769746eL;

    /** The latest checkpoint we cosigned for an origin: its size, root hash and the signed note as received. */
    public record Held(long size, byte[] root, String note) {}

    /** What a decision writes. */
    public sealed interface Write {
        /** Nothing: the offer was refused without proving anything. */
        record Nothing() implements Write {}

        /** The offered checkpoint becomes the held one. */
        record Hold(long size, byte[] root, String note) implements Write {}

        /** A proven split view: the held note, the offered note, why they conflict and the path that proves it. */
        record Accuse(String heldNote, String offeredNote, String reason, List<String> proof, String offeredSha256) implements Write {}
    }

    /** A decision on an offered checkpoint: what to write, and the answer to give once it is written. */
    public record Decision<T>(Write write, T answer) {}

    private final Database db;

    public WitnessStore(Database db) {
        this.db = db;
    }

    /**
     * Reads the checkpoint held for {@code origin} (empty if none), lets {@code decide} judge against it, writes what
     * it decided at {@code now}, and returns its answer, all in one transaction serialised per origin.
     */
    public <T> T decide(String origin, Instant now, Function<Optional<Held>, Decision<T>> decide) {
        return db.inTransaction(c -> {
            db.serialise(c, origin.hashCode() ^ LOCK_SALT);
            Optional<Held> held = Database.query(c, "SELECT size, root, note FROM witness_state WHERE origin = ?",
                    rs -> new Held(rs.getLong(1), rs.getBytes(2), rs.getString(3)), origin).stream().findFirst();
            Decision<T> d = decide.apply(held);
            switch (d.write()) {
                case Write.Nothing nothing -> { }
                case Write.Hold h -> Database.update(c, "INSERT INTO witness_state (origin, size, root, note, updated_at) VALUES (?, ?, ?, ?, ?) "
                                + "ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root, note = excluded.note, updated_at = excluded.updated_at",
                        origin, h.size(), h.root(), h.note(), now.toEpochMilli());
                case Write.Accuse a -> {
                    long kept = Database.query(c, "SELECT COUNT(*) FROM witness_conflicts WHERE origin = ?", rs -> rs.getLong(1), origin).getFirst();
                    if (kept < MAX_CONFLICTS_PER_ORIGIN) {
                        StringBuilder proof = new StringBuilder();
                        for (String line : a.proof()) proof.append(line).append('\n');
                        Database.update(c, "INSERT INTO witness_conflicts (origin, held_note, offered_note, reason, proof, offered_sha256, detected_at) "
                                        + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                                origin, a.heldNote(), a.offeredNote(), a.reason(), proof.toString(), a.offeredSha256(), now.toEpochMilli());
                    }
                }
            }
            return d.answer();
        });
    }

    /** The size of the latest checkpoint we cosigned for {@code origin} (0 if none). */
    public long heldSize(String origin) {
        return db.queryOne("SELECT size FROM witness_state WHERE origin = ?", rs -> rs.getLong(1), origin).orElse(0L);
    }

    /** Every recorded split view, in the order they were recorded. */
    public List<Witness.Conflict> conflicts() {
        return db.query("SELECT origin, held_note, offered_note, reason, proof, detected_at FROM witness_conflicts ORDER BY id",
                rs -> new Witness.Conflict(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5) == null ? List.of() : rs.getString(5).lines().toList(), Instant.ofEpochMilli(rs.getLong(6))));
    }
}
