package io.parley.transparency;

import java.time.Instant;

import io.parley.log.Checkpoint;
import io.parley.log.FormatException;
import io.parley.log.SignedNote;

/** A checkpoint this node signed, as stored: the signed note text and when it was made. */
public record StoredCheckpoint(long size, byte[] root, String note, Instant createdAt) {

    public SignedNote signedNote() {
        try {
            return SignedNote.parse(note);
        } catch (FormatException e) {
            throw new IllegalStateException("stored checkpoint " + size + " does not parse: " + e.getMessage(), e);
        }
    }

    public Checkpoint checkpoint() {
        try {
            return Checkpoint.of(signedNote());
        } catch (FormatException e) {
            throw new IllegalStateException("stored checkpoint " + size + " does not parse: " + e.getMessage(), e);
        }
    }
}
