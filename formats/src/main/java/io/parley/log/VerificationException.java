package io.parley.log;

/**
 * Something that came from outside did not verify: a Merkle proof ({@link ProofException}) or a signed note
 * ({@link NoteException}). Checked, because untrusted input failing is an expected outcome every caller must handle,
 * never a bug.
 */
public abstract sealed class VerificationException extends Exception permits ProofException, NoteException {

    protected VerificationException(String message) {
        super(message);
    }
}
