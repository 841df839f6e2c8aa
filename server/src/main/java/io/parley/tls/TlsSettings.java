package io.parley.tls;

/**
 * The {@code tls} object of {@code parley.json}: the node's certificate (chain) and private key as PEM files, an
 * optional PEM file of extra certificate authorities its clients trust besides the system store, and whether
 * node-to-node routes ({@code /federation/*}, {@code /log/witness/*}) require a pinned peer's client certificate. Paths are relative to the node directory.
 */
public record TlsSettings(String cert, String key, String ca, boolean mutual) {
    public TlsSettings {
        if (cert == null || cert.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("tls needs both cert and key (PEM files)");
        }
        if (ca != null && ca.isBlank()) ca = null;
    }
}
