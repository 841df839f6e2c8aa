/**
 * Storage: SQLite (embedded default) and PostgreSQL (production, shareable by several instances) behind one
 * {@link io.parley.store.Database} with versioned Flyway migrations per vendor.
 *
 * <p>Invariants: a write method returns only after its transaction committed (SQLite runs in WAL mode with
 * {@code synchronous=FULL}, so a commit is on disk); callers acknowledge nothing before that. The SQL of the stores
 * is the same for both backends (standard SQL plus {@code ON CONFLICT DO NOTHING}, which both support), so each seam
 * has one JDBC implementation and {@link io.parley.store.Dialect} holds the few differences; the contract tests run
 * every store against both backends.
 *
 * <p>No table grows without limit from input nobody we trust signed: refusal summaries, equivocation proofs, split-view
 * proofs, delivery attempts and peer-request nonces each have a cap or an expiry, enforced in the transaction that
 * writes them (so it holds across instances sharing a database).
 */
package io.parley.store;
