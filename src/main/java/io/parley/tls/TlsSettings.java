package io.parley.tls;

/**
 * The {@code tls} object of {@code parley.json}: the node's certificate (chain) and private key as PEM files, an
 * optional PEM file of extra certificate authorities its clients trust besides the system store. Paths are relative to the node directory.
 */
public record TlsSettings(String cert, String key, String ca) {
    public TlsSettings {
        if (cert == null || cert.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("tls needs both cert and key (PEM files)");
        }
        if (ca != null && ca.isBlank()) ca = null;
    }
}
