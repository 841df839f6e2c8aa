package io.parley.log;

import io.parley.identity.SigningKey;

/**
 * A key that adds signature lines to notes: the counterpart of {@link NoteVerifier}. {@link #sign} returns the bytes
 * that follow the key id on the signature line.
 */
public interface NoteSigner {

    String name();

    int keyId();

    /** The signature bytes (after the key id) over the note text. */
    byte[] sign(byte[] text);

    /** Plain Ed25519 note signatures (type 0x01) with a node's {@link SigningKey}. */
    static NoteSigner ed25519(SigningKey key) {
        return new NoteSigner() {
            private final int keyId = key.verifierKey().keyIdInt();

            @Override
            public String name() {
                return key.name();
            }

            @Override
            public int keyId() {
                return keyId;
            }

            @Override
            public byte[] sign(byte[] text) {
                return key.sign(text);
            }
        };
    }
}
