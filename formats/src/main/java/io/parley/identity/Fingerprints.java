package io.parley.identity;

import java.util.Base64;

/** Fingerprints that humans read aloud to each other to compare keys out of band. */
public final class Fingerprints {
    private Fingerprints() {}

    /** {@code SHA256:} followed by unpadded base64 of the SHA-256 of the raw public key, as OpenSSH shows keys. */
    public static String of(byte[] publicKey) {
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(Sha256.hash(publicKey));
    }
}
