package io.parley.log;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * One signature line of a C2SP signed note: {@code — <key name> base64(32-bit key ID || signature)}. The
 * {@code signature} here is what follows the key id: a bare Ed25519 signature for log keys (type 0x01), or
 * timestamp and signature for cosignatures (type 0x04, see {@link Cosignature}).
 */
public record NoteSignature(String name, int keyId, byte[] signature) {

    /** "em dash (U+2014), space (U+0020)" opening every signature line. */
    static final String LINE_PREFIX = "\u2014 ";

    public NoteSignature {
        if (!Text.isKeyName(name)) throw new IllegalArgumentException("invalid key name '" + name + "'");
        if (signature == null || signature.length == 0) throw new IllegalArgumentException("empty signature");
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Lets verifiers read the signature without a copy; never modify the result. */
    byte[] signatureUnsafe() {
        return signature;
    }

    /** The 4-byte key id followed by the signature, as base64-encoded on the line. */
    public byte[] encodedSignature() {
        return ByteBuffer.allocate(4 + signature.length).putInt(keyId).put(signature).array();
    }

    /** The line including its trailing newline. */
    public String line() {
        return LINE_PREFIX + name + " " + Base64.getEncoder().encodeToString(encodedSignature()) + "\n";
    }

    /** The key id as eight lowercase hex digits, as in vkeys. */
    public String keyIdHex() {
        return String.format("%08x", keyId);
    }

    /** Parses one signature line without its newline. */
    static NoteSignature parseLine(String line) throws FormatException {
        if (!line.startsWith(LINE_PREFIX)) throw new FormatException("signature line does not start with '\u2014 '");
        String rest = line.substring(LINE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) throw new FormatException("signature line has no signature");
        String name = rest.substring(0, space);
        if (!Text.isKeyName(name)) throw new FormatException("signature line has an invalid key name");
        byte[] raw = Text.decodeBase64(rest.substring(space + 1));
        if (raw == null || raw.length < 5) {
            throw new FormatException("signature of '" + name + "' is not base64 of a key id and a signature");
        }
        int keyId = ByteBuffer.wrap(raw).getInt();
        return new NoteSignature(name, keyId, Arrays.copyOfRange(raw, 4, raw.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature s && s.name.equals(name) && s.keyId == keyId
                && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return line().stripTrailing();
    }
}
