package io.parley.log;

/**
 * A signed note did not verify against the caller's trusted keys (C2SP signed-note "Signatures"). Malformed notes
 * are a {@link FormatException} instead; this is about signatures on a well-formed note.
 */
public final class NoteException extends VerificationException {

    /** Why a note was rejected. */
    public enum Reason {
        /** No signature from a known key verified ("clients MUST reject the note"). */
        NO_VERIFIED_SIGNATURE,
        /** A signature whose key name and id match a known key failed to verify ("SHOULD reject the whole note"). */
        INVALID_SIGNATURE,
        /** Two different trusted keys share a name and key id, so a signature cannot be attributed. */
        AMBIGUOUS_KEY
    }

    private final Reason reason;

    public NoteException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
