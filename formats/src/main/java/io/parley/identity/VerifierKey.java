package io.parley.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A C2SP signed-note verifier key for an Ed25519 signer: {@code <name>+<key id hex>+<base64(0x01 || public key)>}.
 *
 * <p>The key id is derived, never trusted from the string: {@link #parse} recomputes it and refuses a mismatch, so a
 * key string cannot claim another key's id.
 */
public record VerifierKey(String name, byte[] publicKey) {

    /** Signature algorithm identifier for Ed25519 in C2SP signed-note. */
    public static final byte ALG_ED25519 = 0x01;

    public VerifierKey {
        KeyNames.requireValid(name);
        if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + publicKey.length);
        }
        // Canonical encoding, on the curve, not of small order: a small-order key would let one signature verify
        // for many messages, and a second spelling of a key would be a second identity for it.
        if (!Ed25519.validatePublicKeyFull(publicKey, 0)) {
            throw new IllegalArgumentException("not a valid Ed25519 public key (non-canonical encoding, not on the curve, or of small order)");
        }
        publicKey = publicKey.clone();
    }

    /** Parses and checks a verifier key string; throws {@link IllegalArgumentException} saying what is wrong. */
    public static VerifierKey parse(String text) {
        if (text == null) throw new IllegalArgumentException("verifier key is missing");
        String[] parts = text.split("\\+", 3);
        if (parts.length != 3) throw new IllegalArgumentException("a verifier key has the form name+keyid+base64key");
        // One key, one spelling: the key's text is signed inside charters and cards and compared as text.
        byte[] keyBytes = CanonicalBase64.decode(parts[2]);
        if (keyBytes == null) throw new IllegalArgumentException("verifier key: the key part is not canonical base64");
        if (keyBytes.length != 33 || keyBytes[0] != ALG_ED25519) {
            throw new IllegalArgumentException("verifier key: only Ed25519 keys (algorithm 0x01, 32 bytes) are supported");
        }
        VerifierKey key = new VerifierKey(parts[0], Arrays.copyOfRange(keyBytes, 1, 33));
        if (!parts[1].equals(key.keyIdHex())) {
            throw new IllegalArgumentException("verifier key: key id " + parts[1] + " does not match the key (expected " + key.keyIdHex() + ")");
        }
        return key;
    }

    /** The 4-byte key id: SHA-256(name || 0x0A || 0x01 || public key)[:4]. */
    public byte[] keyId() {
        MessageDigest sha = Sha256.newDigest();
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x0A);
        sha.update(ALG_ED25519);
        sha.update(publicKey);
        return Arrays.copyOf(sha.digest(), 4);
    }

    public String keyIdHex() {
        return HexFormat.of().formatHex(keyId());
    }

    /** The key id as the big-endian uint32 used to match signature lines. */
    public int keyIdInt() {
        byte[] id = keyId();
        return ((id[0] & 0xff) << 24) | ((id[1] & 0xff) << 16) | ((id[2] & 0xff) << 8) | (id[3] & 0xff);
    }

    public String encoded() {
        byte[] withAlg = new byte[33];
        withAlg[0] = ALG_ED25519;
        System.arraycopy(publicKey, 0, withAlg, 1, 32);
        return name + "+" + keyIdHex() + "+" + Base64.getEncoder().encodeToString(withAlg);
    }

    /** Human-comparable fingerprint of the public key, in the style of SSH: {@code SHA256:<base64 without padding>}. */
    public String fingerprint() {
        return Fingerprints.of(publicKey);
    }

    /** Verifies an Ed25519 signature over {@code message}. Never throws for malformed input: it is simply invalid. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != Ed25519.SIGNATURE_SIZE) return false;
        return new Ed25519PublicKeyParameters(publicKey, 0).verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifierKey other && name.equals(other.name) && Arrays.equals(publicKey, other.publicKey);
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
