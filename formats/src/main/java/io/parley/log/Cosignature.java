package io.parley.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A C2SP tlog-cosignature v1 Ed25519 cosignature: a witness's statement that, at {@code timestamp} (POSIX seconds),
 * the checkpoint was the largest consistent tree it had seen for the log.
 *
 * <p>On the note it is an ordinary signature line whose signature bytes are the {@code timestamped_signature}
 * structure — {@code u64 timestamp} big-endian, then the 64-byte Ed25519 signature — over the message
 * {@code "cosignature/v1\ntime <timestamp>\n"} followed by the whole checkpoint body, extension lines included.
 * The key id is computed with signature type 0x04 (see {@link CosignatureVerifier}).
 */
public record Cosignature(String name, int keyId, long timestamp, byte[] signature) {

    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_SIZE = 64;
    /** Length of the signature bytes after the key id on the note line: timestamp and signature. */
    public static final int PAYLOAD_SIZE = 8 + SIGNATURE_SIZE;

    static final String HEADER = "cosignature/v1\n";

    public Cosignature {
        if (!Text.isKeyName(name)) throw new IllegalArgumentException("invalid cosigner name '" + name + "'");
        // As a signed Java long, a negative value is exactly a timestamp above the spec's 2^63 - 1 limit.
        if (timestamp < 0) throw new IllegalArgumentException("cosignature timestamp must be in 0..2^63-1");
        if (signature == null || signature.length != SIGNATURE_SIZE) {
            throw new IllegalArgumentException("an Ed25519 signature has 64 bytes");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * The signed message (tlog-cosignature "Ed25519 signed message"): two header lines, then the checkpoint body
     * including its final newline and any extension lines.
     */
    public static byte[] signedMessage(long timestamp, String checkpointBody) {
        return signedMessage(timestamp, checkpointBody.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #signedMessage(long, String)} over the checkpoint body's UTF-8 bytes. */
    public static byte[] signedMessage(long timestamp, byte[] checkpointBody) {
        if (timestamp < 0) throw new IllegalArgumentException("cosignature timestamp must be in 0..2^63-1");
        byte[] header = (HEADER + "time " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[header.length + checkpointBody.length];
        System.arraycopy(header, 0, message, 0, header.length);
        System.arraycopy(checkpointBody, 0, message, header.length, checkpointBody.length);
        return message;
    }

    /** The {@code timestamped_signature} bytes that follow the key id. */
    public byte[] payload() {
        return ByteBuffer.allocate(PAYLOAD_SIZE).putLong(timestamp).put(signature).array();
    }

    public NoteSignature toNoteSignature() {
        return new NoteSignature(name, keyId, payload());
    }

    /** Reads a note signature line as a cosignature; does not verify it. */
    public static Cosignature of(NoteSignature line) throws FormatException {
        byte[] payload = line.signatureUnsafe();
        if (payload.length != PAYLOAD_SIZE) {
            throw new FormatException("a cosignature/v1 signature has " + PAYLOAD_SIZE + " bytes after the key id, got "
                    + payload.length);
        }
        long timestamp = ByteBuffer.wrap(payload).getLong();
        if (timestamp < 0) throw new FormatException("cosignature timestamp exceeds 2^63 - 1");
        return new Cosignature(line.name(), line.keyId(), timestamp, Arrays.copyOfRange(payload, 8, PAYLOAD_SIZE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cosignature c && c.name.equals(name) && c.keyId == keyId && c.timestamp == timestamp
                && Arrays.equals(c.signature, signature);
    }

    @Override
    public int hashCode() {
        return ((name.hashCode() * 31 + keyId) * 31 + Long.hashCode(timestamp)) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return toNoteSignature().toString();
    }
}
