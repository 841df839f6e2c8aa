/**
 * Transport security: the node's TLS certificate and key (PEM files named in {@code parley.json}), the certificates
 * {@code parley init --tls-self-signed} and {@code parley demo --tls} make, and the SSL contexts servers and clients use.
 *
 * <p>Invariants: a TLS private key is only read from a file of mode 0600 and only written as one; only TLS 1.2 and 1.3
 * are spoken; clients trust the system store plus the operator's optional CA file, never "trust all"; a server asking
 * for client certificates accepts any well-formed, currently valid one at the handshake and leaves the decision to
 * the pin check of the route ({@link io.parley.tls.NodeTls#fingerprint}), since peers' certificates are pinned, not
 * issued by a shared authority.
 */
package io.parley.tls;
