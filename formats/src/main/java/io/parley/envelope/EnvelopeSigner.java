package io.parley.envelope;

import java.util.Base64;

import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;

/** Signs drafts and checks signatures; the only place that knows what bytes an envelope signature covers. */
public final class EnvelopeSigner {
    private EnvelopeSigner() {}

    public static Envelope sign(Envelope draft, SigningKey key) {
        if (!draft.from().equals(key.name())) {
            throw new IllegalArgumentException("envelope is from " + draft.from() + " but the key belongs to " + key.name());
        }
        return draft.withSig(Base64.getEncoder().encodeToString(key.sign(draft.signingBytes())));
    }

    public static boolean verify(Envelope envelope, VerifierKey key) {
        return envelope.signed() && key.verify(envelope.signingBytes(), envelope.signatureBytes());
    }
}
