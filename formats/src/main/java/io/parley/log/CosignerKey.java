package io.parley.log;

import java.nio.ByteBuffer;

import io.parley.identity.SigningKey;

/**
 * A witness's signing key for tlog-cosignature v1 Ed25519 cosignatures, wrapping an Ed25519 {@link SigningKey}
 * whose name becomes the cosigner name.
 *
 * <p>Use a key dedicated to cosigning: signed-note says the same public key "SHOULD NOT be reused for different
 * signature types", and tlog-cosignature requires distinct keys for distinct cosigners because the v1 message does
 * not commit to the cosigner name.
 */
public final class CosignerKey {

    private final SigningKey key;
    private final CosignatureVerifier verifier;

    public CosignerKey(SigningKey key) {
        this.key = key;
        this.verifier = new CosignatureVerifier(key.name(), key.verifierKey().publicKey());
    }

    public String name() {
        return key.name();
    }

    public int keyId() {
        return verifier.keyId();
    }

    /** The matching verifier, to hand to clients. */
    public CosignatureVerifier verifier() {
        return verifier;
    }

    /** The vkey {@code <name>+<hex key id>+base64(0x04 || public key)}. */
    public String vkey() {
        return verifier.encoded();
    }

    /** Cosigns a checkpoint at {@code timestamp} (POSIX seconds, 0..2^63-1). */
    public Cosignature cosign(Checkpoint checkpoint, long timestamp) {
        byte[] sig = key.sign(Cosignature.signedMessage(timestamp, checkpoint.body()));
        return new Cosignature(name(), keyId(), timestamp, sig);
    }

    /** A {@link NoteSigner} adding this key's cosignature at {@code timestamp} to a checkpoint note. */
    public NoteSigner signerAt(long timestamp) {
        if (timestamp < 0) throw new IllegalArgumentException("cosignature timestamp must be in 0..2^63-1");
        return new NoteSigner() {
            @Override
            public String name() {
                return CosignerKey.this.name();
            }

            @Override
            public int keyId() {
                return CosignerKey.this.keyId();
            }

            @Override
            public byte[] sign(byte[] text) {
                byte[] sig = key.sign(Cosignature.signedMessage(timestamp, text));
                return ByteBuffer.allocate(Cosignature.PAYLOAD_SIZE).putLong(timestamp).put(sig).array();
            }
        };
    }

    @Override
    public String toString() {
        return "CosignerKey[" + vkey() + "]";
    }
}
