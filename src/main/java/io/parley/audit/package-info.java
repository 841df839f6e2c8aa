/**
 * The node's audit trail: who did what to access and trust, when and from where (sign-ins and their failures,
 * accounts and roles, charter signatures, exports, TLP:RED grants, tokens).
 *
 * <p>Records form a hash chain: each record's canonical JSON (RFC 8785) names the hash of the one before it, and its own
 * hash is the SHA-256 of those bytes. Rewriting or removing a record changes every later hash, so a head that has left
 * the node (committed to the transparency log, which peers witness) pins everything before it.
 */
package io.parley.audit;
