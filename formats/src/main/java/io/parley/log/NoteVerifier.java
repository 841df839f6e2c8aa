package io.parley.log;

import java.util.Arrays;
import java.util.Base64;

import io.parley.identity.VerifierKey;

/**
 * A trusted key that can check note signatures, identified — as signed-note requires — by the pair of key name and
 * key id. Implementations: {@link Ed25519Verifier} for plain note signatures (type 0x01, e.g. a log's checkpoint key) and
 * {@link CosignatureVerifier} for timestamped witness cosignatures (type 0x04).
 */
public interface NoteVerifier {

    /** The key name signature lines must carry. */
    String name();

    /** The 32-bit key id signature lines must carry. */
    int keyId();

    /**
     * Whether {@code signature} (the bytes after the key id) is valid over the note text. Must not throw for
     * malformed signatures: they are simply invalid.
     */
    boolean verify(byte[] text, byte[] signature);

    /** The signed-note verifier for an Ed25519 key (signature type 0x01): signatures over the note text itself. */
    static NoteVerifier ed25519(VerifierKey key) {
        return new Ed25519Verifier(key);
    }

    /**
     * Parses a vkey {@code <name>+<hex key id>+<base64(type || public key)>} of a type this package supports: 0x01
     * (Ed25519 note signatures) or 0x04 (Ed25519 cosignature/v1). The key id is recomputed and must match. Stricter
     * than {@code VerifierKey.parse}: the key id must be lowercase hex and the base64 canonical.
     */
    static NoteVerifier parse(String vkey) throws FormatException {
        // Split at the first two '+' only: the base64 key may itself contain '+'.
        String[] parts = vkey == null ? new String[0] : vkey.split("\\+", 3);
        if (parts.length != 3) throw new FormatException("a verifier key has the form name+keyid+base64key");
        if (!Text.isKeyName(parts[0])) throw new FormatException("verifier key has an invalid name");
        if (!parts[1].matches("[0-9a-f]{8}")) throw new FormatException("verifier key id must be 8 lowercase hex digits");
        byte[] key = Text.decodeBase64(parts[2]);
        if (key == null || key.length == 0) throw new FormatException("verifier key: the key part is not base64");
        NoteVerifier v = switch (key[0]) {
            case VerifierKey.ALG_ED25519 -> {
                if (key.length != 33) throw new FormatException("an Ed25519 verifier key has 32 bytes after the type");
                try {
                    yield ed25519(new VerifierKey(parts[0], Arrays.copyOfRange(key, 1, 33)));
                } catch (IllegalArgumentException e) {
                    throw new FormatException("verifier key: " + e.getMessage());
                }
            }
            case CosignatureVerifier.ALG_COSIGNATURE_V1 -> CosignatureVerifier.parse(vkey);
            default -> throw new FormatException("verifier key: unsupported signature type 0x" + String.format("%02x", key[0]));
        };
        if (!parts[1].equals(String.format("%08x", v.keyId()))) {
            throw new FormatException("verifier key id " + parts[1] + " does not match the key");
        }
        return v;
    }

    /** Plain Ed25519 note signatures (signed-note "Ed25519 signatures"). */
    record Ed25519Verifier(VerifierKey key) implements NoteVerifier {
        @Override
        public String name() {
            return key.name();
        }

        @Override
        public int keyId() {
            return key.keyIdInt();
        }

        @Override
        public boolean verify(byte[] text, byte[] signature) {
            return key.verify(text, signature);
        }

        @Override
        public String toString() {
            return key.encoded();
        }
    }

    /** Base64 helper for implementations' vkey strings. */
    static String vkey(String name, int keyId, byte type, byte[] publicKey) {
        byte[] withType = new byte[1 + publicKey.length];
        withType[0] = type;
        System.arraycopy(publicKey, 0, withType, 1, publicKey.length);
        return name + "+" + String.format("%08x", keyId) + "+" + Base64.getEncoder().encodeToString(withType);
    }
}
