package io.parley.taxii;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.parley.identity.CanonicalBase64;
import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;

/**
 * What a node signs when it serves a bundle that one of its envelopes names by hash: "I, {@code sender}, served
 * {@code requester} these bytes (by their SHA-256) for reference {@code refSha256} of my envelope
 * {@code envelopeHash}, at {@code at}". Sent in the {@value #SIGNATURE} and {@value #AT} headers of the answer.
 *
 * <p>Why: an honest node only ever serves the bytes its envelope names, so a signed statement for other bytes is proof,
 * checkable by anyone holding the sender's key, that the sender showed this recipient something other than what it
 * signed for everyone. Without the signature, bytes that do not match could as well come from whoever sits on the
 * path, so an unsigned or badly signed answer is treated as a failed fetch, never held against the sender.
 *
 * <p>The text starts with its own type line, so it can never be read as an envelope (JSON), a peer request
 * ({@code parley-request/v1}) or a checkpoint (whose second line is a tree size).
 */
public record ServedEvidence(String sender, String requester, String envelopeHash, String refSha256, String bodySha256, String at) {
    public static final String AT = "Parley-Served-At";
    public static final String SIGNATURE = "Parley-Served-Signature";
    private static final String TYPE = "parley-evidence-served/v1";

    /** The signed text: one field per line. */
    public String text() {
        return TYPE + "\n" + sender + "\n" + requester + "\n" + envelopeHash + "\n" + refSha256 + "\n" + bodySha256 + "\n" + at + "\n";
    }

    /** The signature of {@link #text()} by {@code key}, base64. */
    public String sign(SigningKey key) {
        return CanonicalBase64.encode(key.sign(text().getBytes(StandardCharsets.UTF_8)));
    }

    /** True when {@code signature} (canonical base64 only) is {@code key}'s signature of {@link #text()}. */
    public boolean verifies(VerifierKey key, String signature) {
        byte[] sig = CanonicalBase64.signature(signature);
        return sig != null && key.verify(text().getBytes(StandardCharsets.UTF_8), sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServedEvidence s && Arrays.equals(new String[] {sender, requester, envelopeHash, refSha256, bodySha256, at},
                new String[] {s.sender, s.requester, s.envelopeHash, s.refSha256, s.bodySha256, s.at});
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }
}
