package io.parley.log;

/**
 * A Merkle inclusion or consistency proof (RFC 9162 §2.1.3.2, §2.1.4.2), or a proof bundle built on one, did not
 * verify. {@link #reason()} says which check failed, so callers (for example a witness choosing between HTTP 400,
 * 409 and 422 per tlog-witness) can react without parsing messages.
 */
public final class ProofException extends VerificationException {

    /** Why a proof was rejected. */
    public enum Reason {
        /** A leaf hash, root or proof element is not a 32-byte hash. */
        MALFORMED_HASH,
        /** The leaf index is not below the tree size (this includes every index in the empty tree). */
        INDEX_OUT_OF_RANGE,
        /** The old tree size of a consistency proof is larger than the new one, or a size is negative. */
        SIZES_OUT_OF_ORDER,
        /** The proof has a different number of hashes than the tree shape requires. */
        WRONG_PROOF_LENGTH,
        /** A proof that must be empty (equal sizes, or from the empty tree) is not. */
        PROOF_NOT_EMPTY,
        /** The recomputed root does not match the trusted root. */
        ROOT_MISMATCH,
        /** A tlog-proof's checkpoint is for an origin the verifier did not ask for. */
        ORIGIN_MISMATCH,
        /** A tlog-proof has fewer valid witness cosignatures than the verifier's policy requires. */
        WITNESS_QUORUM_NOT_MET
    }

    private final Reason reason;

    public ProofException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
