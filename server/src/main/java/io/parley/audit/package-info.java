/**
 * The node's audit trail: who did what to access and trust, when and from where (sign-ins and their failures,
 * accounts and roles, charter proposals, signatures and amendments, exports, TLP:RED grants, tokens, peer pinning,
 * refused requests of signed-in accounts).
 *
 * <p>Invariants:
 * <ul>
 * <li>Records form a hash chain: each record's canonical JSON (RFC 8785) names the hash of the one before it, and its
 * own hash is the SHA-256 of those bytes. {@link io.parley.audit.AuditTrail#record} appends atomically and serialised
 * (SQLite's write lock; a PostgreSQL advisory lock), so concurrent writers, in one process or several, never fork it.</li>
 * <li>A record never holds a secret (password, token, second-factor code, message text); its fields are bounded and
 * free of control characters ({@link io.parley.audit.AuditEvent}), whatever a client sent.</li>
 * <li>The head is committed to the node's own transparency log ({@link io.parley.audit.AuditCommitter}), as the
 * commitment of an {@link io.parley.audit.AuditHead}, at most once per interval and at shutdown, and the trail records
 * which log index holds which head. The log is witnessed by peers, so a rewrite of any record up to a committed head
 * fails {@link io.parley.audit.AuditVerifier}, even one that recomputed every later hash.</li>
 * <li>One verifier, {@link io.parley.audit.AuditVerifier}, for the API, the admin page and {@code parley audit verify}.</li>
 * </ul>
 */
package io.parley.audit;
