package io.parley.transparency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.parley.identity.Sha256;
import io.parley.identity.VerifierKey;
import io.parley.log.AddCheckpointRequest;
import io.parley.log.Checkpoint;
import io.parley.log.CosignerKey;
import io.parley.log.FormatException;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteException;
import io.parley.log.NoteVerifier;
import io.parley.log.ProofException;
import io.parley.log.Rfc6962;
import io.parley.log.SignedNote;
import io.parley.transparency.WitnessStore.Held;

/**
 * This node as a C2SP tlog-witness for its peers' logs: checks a submitted checkpoint against the latest one it
 * cosigned for that origin and, if consistent, records it and returns a cosignature. The check and the update are
 * one transaction (serialised per origin), as the spec requires, so concurrent submissions cannot roll a log back.
 *
 * <h2>What a witness can prove, and what it records</h2>
 * The add-checkpoint endpoint is unauthenticated: anyone may submit any log's checkpoint with any proof. A conflict
 * row is an accusation that the log's operator signed two histories, so it is written only when the submission
 * itself proves that, independently of who sent it:
 * <ul>
 * <li>Both checkpoints verify under the log key we pinned for the origin: the held one when we cosigned it, the
 * offered one now. Nothing unsigned by the log can contribute to an accusation.</li>
 * <li><b>Same size, different roots</b>: two signed trees of one size cannot both be the log's history. Proven by the
 * two notes alone.</li>
 * <li><b>Larger size</b>: a consistency proof that fails to verify proves nothing about the log: anyone can send
 * random bytes. It is refused (422) and nothing is recorded. The log is convicted only by a path that computes the
 * offered, signed root (so its hashes are, barring a SHA-256 collision, the real subtrees of the tree the log signed)
 * and from the same hashes a root for the held size that differs from the held, signed root
 * ({@link MerkleProofs#rootsFromFullPath}). When the held size is a power of two RFC 9162 leaves that subtree out of
 * the proof, so the accuser puts it first. The path is kept with the notes so that a third party can check it.</li>
 * <li>A smaller or older checkpoint, or one from an old size we do not hold, is answered 409 or 400 and never
 * compared: proving a rollback would need a proof from the offered size to the held one, which the protocol does
 * not carry.</li>
 * </ul>
 * Rows are unique per (origin, offered checkpoint body), so replaying an accusation adds nothing, and at most
 * {@link #MAX_CONFLICTS_PER_ORIGIN} are kept per log: one proof convicts, and only the log key's holder can make more.
 */
public final class Witness {
    /** One proof of a split view suffices; the cap keeps a log that signs forks in bulk from filling our database. */
    public static final int MAX_CONFLICTS_PER_ORIGIN = WitnessStore.MAX_CONFLICTS_PER_ORIGIN;

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

    /**
     * A peer's checkpoint that contradicts one we cosigned: evidence that the peer shows different histories.
     * {@code proof} holds the consistency path (base64 lines) when the sizes differ, and is empty when they are equal.
     */
    public record Conflict(String origin, String heldNote, String offeredNote, String reason, List<String> proof, Instant detectedAt) {}

    /** How an offered checkpoint relates to the held one. */
    private sealed interface Judgement {
        record Consistent() implements Judgement {}

        /** Not shown consistent, and not shown inconsistent either: the submitter's fault, nothing against the log. */
        record Unproven(String why) implements Judgement {}

        /** Proven to contradict the held checkpoint; {@code proof} is what proves it (empty for equal sizes). */
        record SplitView(String why, List<byte[]> proof) implements Judgement {}
    }

    private final WitnessStore store;
    private final CosignerKey key;
    private final Function<String, Optional<VerifierKey>> trustedLogKey;
    private final Clock clock;

    public Witness(WitnessStore store, CosignerKey key, Function<String, Optional<VerifierKey>> trustedLogKey, Clock clock) {
        this.store = store;
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
        return store.<Result>decide(checkpoint.origin(), clock.instant(), found -> {
            Held held = found.orElse(null);
            long heldSize = held == null ? 0 : held.size();
            if (req.oldSize() != heldSize) return refuse(new Result.Refused(409, heldSize + "\n", "text/x.tlog.size"));
            if (checkpoint.size() == 0 && !Rfc6962.isEmptyRoot(checkpoint.rootHash())) {
                return refuse(Result.Refused.text(422, "a checkpoint of size 0 must have the empty tree's root"));
            }
            return switch (judge(req, checkpoint, held)) {
                case Judgement.Consistent ok -> new WitnessStore.Decision<>(new WitnessStore.Write.Hold(checkpoint.size(), checkpoint.rootHash(), offered),
                        new Result.Cosigned(key.cosign(checkpoint, Math.max(1, clock.millis() / 1000)).toNoteSignature().line()));
                case Judgement.Unproven u -> refuse(Result.Refused.text(422, u.why()));
                case Judgement.SplitView v -> new WitnessStore.Decision<>(accusation(held.note(), req.checkpoint(), v), Result.Refused.text(422, v.why()));
            };
        });
    }

    private static WitnessStore.Decision<Result> refuse(Result.Refused refusal) {
        return new WitnessStore.Decision<>(new WitnessStore.Write.Nothing(), refusal);
    }

    /** Relates the offered checkpoint to the held one (both already verified under the log's key). */
    private static Judgement judge(AddCheckpointRequest req, Checkpoint offered, Held held) {
        if (req.oldSize() == 0) {
            // Nothing held (or the empty tree): every tree extends the empty one, and a stray proof proves nothing.
            return req.consistencyProof().isEmpty() ? new Judgement.Consistent()
                    : new Judgement.Unproven("a consistency proof from size 0 must be empty");
        }
        if (req.oldSize() == offered.size()) {
            // The two signed notes are the whole proof; whatever proof lines came along add nothing to it.
            if (!MessageDigest.isEqual(held.root(), offered.rootHash())) {
                return new Judgement.SplitView("same size " + offered.size() + " as the checkpoint we cosigned but a different root: split view", List.of());
            }
            return req.consistencyProof().isEmpty() ? new Judgement.Consistent()
                    : new Judgement.Unproven("a consistency proof between equal sizes must be empty");
        }
        try {
            MerkleProofs.verifyConsistency(req.oldSize(), offered.size(), held.root(), offered.rootHash(), req.consistencyProof());
            return new Judgement.Consistent();
        } catch (ProofException notConsistent) {
            try {
                var roots = MerkleProofs.rootsFromFullPath(req.oldSize(), offered.size(), req.consistencyProof());
                if (MessageDigest.isEqual(roots.newRoot(), offered.rootHash()) && !MessageDigest.isEqual(roots.oldRoot(), held.root())) {
                    return new Judgement.SplitView("checkpoint " + offered.size() + " commits to a first " + held.size()
                            + " entries whose root differs from the checkpoint " + held.size() + " we cosigned: split view", req.consistencyProof());
                }
            } catch (ProofException ignored) {
                // not a path at all: it proves nothing either way
            }
            return new Judgement.Unproven("the consistency proof from " + held.size() + " to " + offered.size()
                    + " does not verify (" + notConsistent.getMessage() + "); a proof that does not verify proves nothing about the log");
        }
    }

    private static WitnessStore.Write.Accuse accusation(String heldNote, SignedNote offered, Judgement.SplitView v) {
        List<String> proof = v.proof().stream().map(h -> Base64.getEncoder().encodeToString(h)).toList();
        return new WitnessStore.Write.Accuse(heldNote, offered.encode(), v.why(), proof, Sha256.hex(offered.textBytes()));
    }

    /** The latest checkpoint size we cosigned for {@code origin} (0 if none). */
    public long heldSize(String origin) {
        return store.heldSize(origin);
    }

    public List<Conflict> conflicts() {
        return store.conflicts();
    }

    public String vkey() {
        return key.vkey();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
