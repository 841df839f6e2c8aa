package io.parley.identity;

import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * An Ed25519 private key with the signed-note name it signs under. Thread-safe: Bouncy Castle's Ed25519 private key
 * parameters are immutable and signing allocates its own state.
 */
public final class SigningKey {

    private final String name;
    private final Ed25519PrivateKeyParameters privateKey;
    private final VerifierKey verifierKey;

    public SigningKey(String name, byte[] seed) {
        KeyNames.requireValid(name);
        if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 private key has 32 bytes, got " + seed.length);
        }
        this.name = name;
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        Ed25519PublicKeyParameters pub = privateKey.generatePublicKey();
        this.verifierKey = new VerifierKey(name, pub.getEncoded());
    }

    public static SigningKey generate(String name) {
        return generate(name, new SecureRandom());
    }

    public static SigningKey generate(String name, SecureRandom random) {
        byte[] seed = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
        random.nextBytes(seed);
        try {
            return new SigningKey(name, seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    public String name() {
        return name;
    }

    public VerifierKey verifierKey() {
        return verifierKey;
    }

    /** The 32-byte seed; callers must not keep it longer than needed. */
    byte[] seed() {
        return privateKey.getEncoded();
    }

    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519PrivateKeyParameters.SIGNATURE_SIZE];
        privateKey.sign(org.bouncycastle.math.ec.rfc8032.Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        return signature;
    }

    @Override
    public String toString() {
        return "SigningKey[" + verifierKey.encoded() + "]";
    }
}
