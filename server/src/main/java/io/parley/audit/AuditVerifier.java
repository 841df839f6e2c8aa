package io.parley.audit;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.parley.identity.VerifierKey;
import io.parley.json.Json;
import io.parley.log.CosignatureVerifier;
import io.parley.log.LogEntry;
import io.parley.log.NoteVerifier;
import io.parley.log.ProofException;
import io.parley.log.Rfc6962;
import io.parley.log.TlogProof;
import io.parley.log.VerificationException;
import io.parley.transparency.LogStore;
import io.parley.transparency.LogView;
import io.parley.transparency.StoredCheckpoint;

/**
 * The one check of an audit trail: the hash chain, and every head committed to the node's transparency log.
 *
 * <p>The chain alone cannot tell a rewrite that recomputed every later hash from the truth. A committed head can: the
 * log entry at the index a {@link AuditAction#HEAD_COMMITTED} record names must be the commitment of exactly that
 * head, included (by an inclusion proof) in a checkpoint signed with the node's log key; and every audit-head entry in
 * the log must name a record the trail still has, with that hash, so cutting the trail back past a commitment shows
 * too. Where a peer-cosigned checkpoint covers a head, the proof is checked against it as well, with the peers'
 * witness keys: that is what an insider holding the node's key cannot forge, since peers keep the checkpoints they
 * cosigned and refuse a log that is not consistent with them.
 */
public final class AuditVerifier {
    private static final String NOT_WITNESSED = "not witnessed: ";

    private AuditVerifier() {}

    /**
     * What a verification found.
     *
     * @param fault            the first fault, or null when the trail verifies
     * @param records          how many records the trail holds (its head's seq)
     * @param committedHeads   heads committed to the log and checked
     * @param committedThrough the newest record a checked commitment covers (0 for none)
     * @param witnessedThrough the newest record covered by a head in a checkpoint that peers cosigned (0 for none)
     */
    public record Result(String fault, long records, int committedHeads, long committedThrough, long witnessedThrough) {
        public boolean ok() {
            return fault == null;
        }

        public ObjectNode toJson() {
            ObjectNode o = Json.object().put("ok", ok());
            if (fault != null) o.put("fault", fault);
            o.put("records", records).put("committed_heads", committedHeads).put("committed_through", committedThrough)
                    .put("witnessed_through", witnessedThrough);
            return o;
        }

        /** One line for the CLI and logs. */
        public String line() {
            if (!ok()) return "audit trail BROKEN: " + fault;
            return "audit trail verifies: " + records + " records, " + committedHeads + " heads committed to the log (through record "
                    + committedThrough + "), witnessed by peers through record " + witnessedThrough;
        }
    }

    /**
     * Verifies {@code trail} against the log of {@code origin}, whose checkpoints one of {@code logKeys} signs (the
     * current key, and the previous one after a rotation); {@code witnesses} are the peers' cosigner keys.
     */
    public static Result verify(AuditTrail trail, LogView log, String origin, Collection<VerifierKey> logKeys, Collection<CosignatureVerifier> witnesses) {
        List<NoteVerifier> logKey = logKeys.stream().map(NoteVerifier::ed25519).toList();
        long records = trail.head().map(AuditRecord::seq).orElse(0L);
        Optional<String> chain = trail.verify();
        if (chain.isPresent()) return new Result(chain.get(), records, 0, 0, 0);

        Optional<StoredCheckpoint> latest = log.latest();
        Optional<StoredCheckpoint> cosigned = log.newestCosigned();
        int heads = 0;
        long through = 0, witnessed = 0;
        long after = 0;
        while (true) {
            List<AuditRecord> page = trail.list(new AuditQuery(after, 0, null, AuditAction.HEAD_COMMITTED.code(), AuditQuery.MAX_LIMIT, false));
            if (page.isEmpty()) break;
            for (AuditRecord r : page) {
                after = r.seq();
                Optional<AuditHead.Commitment> c = AuditHead.fromRecord(origin, r);
                if (c.isEmpty()) return new Result("record " + r.seq() + " claims a commitment in a form that cannot be checked", records, heads, through, witnessed);
                AuditHead head = c.get().head();
                Optional<String> fault = checkHead(trail, head, r.seq());
                if (fault.isEmpty()) fault = checkInLog(log, head, c.get().logIndex(), latest, origin, logKey, List.of());
                if (fault.isPresent()) return new Result(fault.get(), records, heads, through, witnessed);
                heads++;
                through = Math.max(through, head.seq());
                if (cosigned.isPresent() && cosigned.get().size() > c.get().logIndex() && !witnesses.isEmpty()) {
                    fault = checkInLog(log, head, c.get().logIndex(), cosigned, origin, logKey, witnesses);
                    if (fault.isEmpty()) {
                        witnessed = Math.max(witnessed, head.seq());
                    } else if (!fault.get().startsWith(NOT_WITNESSED)) {
                        return new Result(fault.get(), records, heads, through, witnessed);
                    }
                    // cosigned only by witnesses we no longer know: checked against our own signature above, not counted
                }
            }
        }
        // every audit head the log holds must still be in the trail: a trail cut back (with its commitment records)
        // past a committed head, then regrown, fails here
        for (LogStore.Entry e : log.entriesWithRefPrefix(AuditHead.REF_PREFIX)) {
            Optional<AuditHead> head = AuditHead.fromRef(origin, e.ref());
            if (head.isEmpty()) return new Result("log entry " + e.index() + " has a malformed audit-head ref", records, heads, through, witnessed);
            if (!Arrays.equals(e.data(), LogEntry.of(head.get().canonical()))) {
                return new Result("log entry " + e.index() + " does not hold the audit head its ref names", records, heads, through, witnessed);
            }
            Optional<String> fault = checkHead(trail, head.get(), Long.MAX_VALUE);
            if (fault.isPresent()) return new Result(fault.get() + " (log entry " + e.index() + ")", records, heads, through, witnessed);
        }
        return new Result(null, records, heads, through, witnessed);
    }

    /** The trail still has the committed record, with the committed hash, and the commitment came after it. */
    private static Optional<String> checkHead(AuditTrail trail, AuditHead head, long committedBy) {
        if (head.seq() >= committedBy) return Optional.of("record " + committedBy + " commits to record " + head.seq() + ", which came after it");
        Optional<AuditRecord> r = trail.at(head.seq());
        if (r.isEmpty()) return Optional.of("record " + head.seq() + " was committed to the log but is missing from the trail");
        if (!r.get().hash().equals(head.hash())) {
            return Optional.of("record " + head.seq() + " differs from the head committed to the log: the trail was rewritten up to it");
        }
        return Optional.empty();
    }

    /** The log entry at {@code index} is this head's commitment, included in {@code checkpoint} as signed (and cosigned). */
    private static Optional<String> checkInLog(LogView log, AuditHead head, long index, Optional<StoredCheckpoint> checkpoint, String origin,
                                               List<NoteVerifier> logKey, Collection<CosignatureVerifier> witnesses) {
        Optional<byte[]> entry = log.entry(index);
        byte[] expected = LogEntry.of(head.canonical());
        if (entry.isEmpty()) return Optional.of("log entry " + index + ", committing record " + head.seq() + ", is missing from the log");
        if (!Arrays.equals(entry.get(), expected)) {
            return Optional.of("log entry " + index + " does not hold the head of record " + head.seq() + ": the trail or the log was rewritten");
        }
        if (checkpoint.isEmpty() || checkpoint.get().size() <= index) {
            return Optional.of("no checkpoint covers log entry " + index + " (record " + head.seq() + ")");
        }
        StoredCheckpoint at = checkpoint.get();
        try {
            TlogProof proof = new TlogProof(index, log.inclusionProof(index, at.size()), log.withCosignatures(at));
            proof.verify(Rfc6962.leafHash(expected), origin, logKey, witnesses, witnesses.isEmpty() ? 0 : 1);
        } catch (ProofException e) {
            if (e.reason() == ProofException.Reason.WITNESS_QUORUM_NOT_MET) return Optional.of(NOT_WITNESSED + e.getMessage());
            return Optional.of("the log does not prove entry " + index + " (record " + head.seq() + ") in its checkpoint of size "
                    + at.size() + ": " + e.getMessage());
        } catch (VerificationException | RuntimeException e) {
            return Optional.of("the log does not prove entry " + index + " (record " + head.seq() + ") in its checkpoint of size "
                    + at.size() + ": " + e.getMessage());
        }
        return Optional.empty();
    }
}
