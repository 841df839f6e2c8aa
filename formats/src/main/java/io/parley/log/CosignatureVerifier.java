package io.parley.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

import io.parley.identity.Sha256;

/**
 * A trusted witness (cosigner) key for tlog-cosignature v1 Ed25519 cosignatures, usable wherever a
 * {@link NoteVerifier} is: {@code SignedNote.verify(List.of(witness))} accepts the witness's cosignature lines.
 *
 * <p>Its key id is {@code SHA-256(name || "\n" || 0x04 || public key)[:4]} — type 0x04, not the 0x01 of plain note
 * signatures — so the same name and key can never be confused between the two signature types. Its vkey is
 * {@code <name>+<hex key id>+base64(0x04 || public key)}.
 */
public final class CosignatureVerifier implements NoteVerifier {

    /** signed-note signature type for "Timestamped Ed25519 checkpoint cosignatures". */
    public static final byte ALG_COSIGNATURE_V1 = 0x04;

    private final String name;
    private final byte[] publicKey;
    private final int keyId;

    public CosignatureVerifier(String name, byte[] publicKey) {
        if (!Text.isKeyName(name)) throw new IllegalArgumentException("invalid cosigner name '" + name + "'");
        if (publicKey == null || publicKey.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
        }
        // As for log keys (identity.VerifierKey): canonical, on the curve, not of small order; Bouncy Castle would
        // otherwise throw at the first verify.
        if (!Ed25519.validatePublicKeyFull(publicKey, 0)) throw new IllegalArgumentException("not a valid Ed25519 public key");
        this.name = name;
        this.publicKey = publicKey.clone();
        this.keyId = keyId(name, publicKey);
    }

    /** {@code SHA-256(name || 0x0A || 0x04 || public key)[:4]} as a big-endian int. */
    static int keyId(String name, byte[] publicKey) {
        MessageDigest sha = Sha256.newDigest();
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        sha.update(ALG_COSIGNATURE_V1);
        sha.update(publicKey);
        return ByteBuffer.wrap(sha.digest()).getInt();
    }

    /** Parses a type-0x04 vkey; the key id is recomputed and must match. */
    public static CosignatureVerifier parse(String vkey) throws FormatException {
        String[] parts = vkey == null ? new String[0] : vkey.split("\\+", 3); // base64 may contain '+'
        if (parts.length != 3) throw new FormatException("a verifier key has the form name+keyid+base64key");
        if (!Text.isKeyName(parts[0])) throw new FormatException("verifier key has an invalid name");
        byte[] key = Text.decodeBase64(parts[2]);
        if (key == null || key.length != 33 || key[0] != ALG_COSIGNATURE_V1) {
            throw new FormatException("not an Ed25519 cosignature/v1 verifier key (type 0x04, 32-byte key)");
        }
        CosignatureVerifier v;
        try {
            v = new CosignatureVerifier(parts[0], Arrays.copyOfRange(key, 1, 33));
        } catch (IllegalArgumentException e) {
            throw new FormatException("verifier key: " + e.getMessage());
        }
        if (!parts[1].equals(String.format("%08x", v.keyId))) {
            throw new FormatException("verifier key id " + parts[1] + " does not match the key (expected "
                    + String.format("%08x", v.keyId) + ")");
        }
        return v;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int keyId() {
        return keyId;
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The vkey string {@code <name>+<hex key id>+base64(0x04 || public key)}. */
    public String encoded() {
        return NoteVerifier.vkey(name, keyId, ALG_COSIGNATURE_V1, publicKey);
    }

    /** Checks a {@code timestamped_signature} (the bytes after the key id) over a checkpoint body. */
    @Override
    public boolean verify(byte[] text, byte[] signature) {
        if (signature == null || signature.length != Cosignature.PAYLOAD_SIZE) return false;
        long timestamp = ByteBuffer.wrap(signature).getLong();
        if (timestamp < 0) return false;
        byte[] message = Cosignature.signedMessage(timestamp, text);
        return new Ed25519PublicKeyParameters(publicKey, 0)
                .verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 8);
    }

    /** Checks a cosignature over a checkpoint; false if it is by another key or does not verify. */
    public boolean verify(Checkpoint checkpoint, Cosignature cosignature) {
        return cosignature.name().equals(name) && cosignature.keyId() == keyId
                && verify(checkpoint.body().getBytes(StandardCharsets.UTF_8), cosignature.payload());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CosignatureVerifier v && v.name.equals(name) && Arrays.equals(v.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return encoded();
    }
}
