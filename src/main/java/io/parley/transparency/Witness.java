package io.parley.transparency;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.parley.identity.VerifierKey;
import io.parley.log.AddCheckpointRequest;
import io.parley.log.Checkpoint;
import io.parley.log.Cosignature;
import io.parley.log.CosignerKey;
import io.parley.log.FormatException;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteException;
import io.parley.log.NoteVerifier;
import io.parley.log.ProofException;
import io.parley.log.Rfc6962;
import io.parley.store.Database;
import io.parley.store.Dialect;

/**
 * This node as a C2SP tlog-witness for its peers' logs: checks a submitted checkpoint against the latest one it
 * cosigned for that origin and, if consistent, records it and returns a cosignature. The check and the update are
 * one transaction (serialised per origin), as the spec requires, so concurrent submissions cannot roll a log back.
 */
public final class Witness {

    /** The answer to an add-checkpoint call, with the HTTP status the spec prescribes. */
    public sealed interface Result {
        int status();

        String body();

        String contentType();

        record Cosigned(String body) implements Result {
            public int status() { return 200; }
            public String contentType() { return "text/plain; charset=utf-8"; }
        }

        record Refused(int status, String body, String contentType) implements Result {
            static Refused text(int status, String message) {
                return new Refused(status, message + "\n", "text/plain; charset=utf-8");
            }
        }
    }

    /** A peer's checkpoint that contradicts one we cosigned: evidence that the peer shows different histories. */
    public record Conflict(String origin, String heldNote, String offeredNote, String reason, java.time.Instant detectedAt) {}

    private record Held(long size, byte[] root, String note) {}

    private final Database db;
    private final CosignerKey key;
    private final Function<String, Optional<VerifierKey>> trustedLogKey;
    private final Clock clock;

    public Witness(Database db, CosignerKey key, Function<String, Optional<VerifierKey>> trustedLogKey, Clock clock) {
        this.db = db;
        this.key = key;
        this.trustedLogKey = trustedLogKey;
        this.clock = clock;
    }

    public Result addCheckpoint(byte[] body) {
        AddCheckpointRequest req;
        Checkpoint checkpoint;
        try {
            req = AddCheckpointRequest.parse(body);
            checkpoint = req.checkpointBody();
        } catch (FormatException | IllegalArgumentException e) {
            return Result.Refused.text(400, "malformed add-checkpoint request: " + e.getMessage());
        }
        Optional<VerifierKey> logKey = trustedLogKey.apply(checkpoint.origin());
        if (logKey.isEmpty()) return Result.Refused.text(404, "unknown log origin " + checkpoint.origin());
        try {
            req.checkpoint().verify(List.of(NoteVerifier.ed25519(logKey.get())));
        } catch (NoteException e) {
            return Result.Refused.text(403, "checkpoint signature does not verify under the key of " + checkpoint.origin());
        }
        if (req.oldSize() > checkpoint.size()) return Result.Refused.text(400, "old size " + req.oldSize() + " exceeds the checkpoint size " + checkpoint.size());
        String offered = req.checkpoint().encode();
        return db.inTransaction(c -> {
            if (db.dialect() == Dialect.POSTGRESQL) {
                Database.query(c, "SELECT pg_advisory_xact_lock(?)", rs -> null, (long) checkpoint.origin().hashCode() ^ 0x5769746eL);
            }
            Held held = Database.query(c, "SELECT size, root, note FROM witness_state WHERE origin = ?",
                    rs -> new Held(rs.getLong(1), rs.getBytes(2), rs.getString(3)), checkpoint.origin()).stream().findFirst().orElse(null);
            long heldSize = held == null ? 0 : held.size();
            if (req.oldSize() != heldSize) return new Result.Refused(409, heldSize + "\n", "text/x.tlog.size");
            if (checkpoint.size() == 0 && !Rfc6962.isEmptyRoot(checkpoint.rootHash())) {
                return Result.Refused.text(422, "a checkpoint of size 0 must have the empty tree's root");
            }
            String why = inconsistency(req, checkpoint, held);
            if (why != null) {
                if (held != null) {
                    Database.update(c, "INSERT INTO witness_conflicts (origin, held_note, offered_note, reason, detected_at) VALUES (?, ?, ?, ?, ?)",
                            checkpoint.origin(), held.note(), offered, why, clock.millis());
                }
                return Result.Refused.text(422, why);
            }
            int n = Database.update(c, "UPDATE witness_state SET size = ?, root = ?, note = ?, updated_at = ? WHERE origin = ?",
                    checkpoint.size(), checkpoint.rootHash(), offered, clock.millis(), checkpoint.origin());
            if (n == 0) {
                Database.update(c, "INSERT INTO witness_state (origin, size, root, note, updated_at) VALUES (?, ?, ?, ?, ?)",
                        checkpoint.origin(), checkpoint.size(), checkpoint.rootHash(), offered, clock.millis());
            }
            Cosignature cosignature = key.cosign(checkpoint, Math.max(1, clock.millis() / 1000));
            return new Result.Cosigned(cosignature.toNoteSignature().line());
        });
    }

    /** Why the offered checkpoint is not consistent with the held one, or null if it is. */
    private static String inconsistency(AddCheckpointRequest req, Checkpoint offered, Held held) {
        if (req.oldSize() == 0) {
            return req.consistencyProof().isEmpty() ? null : "a consistency proof from size 0 must be empty";
        }
        if (req.oldSize() == offered.size()) {
            return Arrays.equals(held.root(), offered.rootHash()) ? null
                    : "same size " + offered.size() + " as the checkpoint we cosigned but a different root: split view";
        }
        try {
            MerkleProofs.verifyConsistency(req.oldSize(), offered.size(), held.root(), offered.rootHash(), req.consistencyProof());
            return null;
        } catch (ProofException e) {
            return "checkpoint " + offered.size() + " is not consistent with the checkpoint " + held.size() + " we cosigned: " + e.getMessage();
        }
    }

    /** The latest checkpoint size we cosigned for {@code origin} (0 if none). */
    public long heldSize(String origin) {
        return db.queryOne("SELECT size FROM witness_state WHERE origin = ?", rs -> rs.getLong(1), origin).orElse(0L);
    }

    public List<Conflict> conflicts() {
        return db.query("SELECT origin, held_note, offered_note, reason, detected_at FROM witness_conflicts ORDER BY id",
                rs -> new Conflict(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), java.time.Instant.ofEpochMilli(rs.getLong(5))));
    }

    public String vkey() {
        return key.vkey();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
