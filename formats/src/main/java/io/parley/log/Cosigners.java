package io.parley.log;

import java.util.Map;
import java.util.TreeMap;

/**
 * Who cosigned a checkpoint note, and when: the witnesses among {@code witnesses} (by any name the caller keys them,
 * e.g. a member's origin) whose tlog-cosignature line on the note verifies, with the timestamp each signed. Lines by
 * other keys are ignored here; whoever must refuse them checks the note's signatures itself.
 */
public final class Cosigners {
    private Cosigners() {}

    /** Witness name to cosignature timestamp (POSIX seconds), in name order. */
    public static Map<String, Long> of(SignedNote note, Map<String, CosignatureVerifier> witnesses) {
        Map<String, Long> out = new TreeMap<>();
        for (NoteSignature s : note.signatures()) {
            for (var w : witnesses.entrySet()) {
                CosignatureVerifier v = w.getValue();
                if (!s.name().equals(v.name()) || s.keyId() != v.keyId() || !v.verify(note.textBytes(), s.signature())) continue;
                try {
                    out.merge(w.getKey(), Cosignature.of(s).timestamp(), Math::min);
                } catch (FormatException e) {
                    // verify() already refused a payload of the wrong size; nothing else can fail here
                }
            }
        }
        return out;
    }
}
