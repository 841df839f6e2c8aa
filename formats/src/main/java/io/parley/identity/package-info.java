/**
 * Node identity: the Ed25519 log key, its C2SP signed-note verifier key string, fingerprints and the signed party card.
 *
 * <p>Invariants: private keys only ever live in files of mode 0600 (see {@link io.parley.identity.KeyFiles});
 * every signature this code accepts has been verified with Bouncy Castle's Ed25519 under a key whose key id matches
 * the C2SP rule (first four bytes of SHA-256(name || 0x0A || 0x01 || public key)).
 *
 * <p>Test vectors: RFC 8032 §7.1 ({@code Rfc8032VectorsTest}) and the malleability and small-order cases
 * ({@code Ed25519StrictnessTest}), under {@code formats/src/test}.
 */
package io.parley.identity;
