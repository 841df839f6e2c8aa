package io.parley.receipt;

import java.util.Collection;
import java.util.List;

import io.parley.identity.VerifierKey;
import io.parley.log.CosignatureVerifier;
import io.parley.log.FormatException;
import io.parley.log.LogEntry;
import io.parley.log.NoteVerifier;
import io.parley.log.TlogProof;
import io.parley.log.VerificationException;

/**
 * Checks a receipt offline: the envelope's log entry (its commitment, {@link LogEntry#of}) is included in a checkpoint signed by the recipient's
 * log key (and cosigned by at least {@code quorum} of the given witnesses). Shared by the sender's delivery code, the
 * CLI and {@code parley verify}, so there is exactly one definition of "a valid receipt".
 */
public final class ReceiptVerifier {
    private ReceiptVerifier() {}

    /** Thrown with a one-line reason when a receipt does not prove what it claims. */
    public static final class InvalidReceipt extends Exception {
        public InvalidReceipt(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Verifies a receipt for the item with these canonical bytes, whose log entry is their SHA-256 ({@link LogEntry}). */
    public static TlogProof.Verified verify(byte[] envelopeCanonical, String tlogProofText, VerifierKey logKey,
                                            Collection<CosignatureVerifier> witnesses, int quorum) throws InvalidReceipt {
        return verifyCommitment(LogEntry.of(envelopeCanonical), tlogProofText, logKey, witnesses, quorum);
    }

    /**
     * Verifies a receipt for the log entry {@code sha256} itself: all that a member a TLP:RED envelope was withheld
     * from holds (the envelope's hash, from the sender's notice), and what {@link #verify} reduces to.
     */
    public static TlogProof.Verified verifyCommitment(byte[] sha256, String tlogProofText, VerifierKey logKey,
                                                      Collection<CosignatureVerifier> witnesses, int quorum) throws InvalidReceipt {
        TlogProof proof;
        try {
            proof = TlogProof.parse(tlogProofText);
        } catch (FormatException e) {
            throw new InvalidReceipt("receipt is not a tlog-proof: " + e.getMessage(), e);
        }
        try {
            return proof.verify(io.parley.log.Rfc6962.leafHash(sha256), logKey.name(), List.of(NoteVerifier.ed25519(logKey)), witnesses, quorum);
        } catch (VerificationException e) {
            throw new InvalidReceipt("receipt does not verify: " + e.getMessage(), e);
        }
    }
}
