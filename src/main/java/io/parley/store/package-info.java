/**
 * Storage: SQLite (embedded default) and PostgreSQL (production, shareable by several instances) behind one
 * {@link io.parley.store.Database} with versioned Flyway migrations per vendor.
 *
 * <p>Invariants: a write method returns only after its transaction committed (SQLite runs in WAL mode with
 * {@code synchronous=FULL}, so a commit is on disk); callers acknowledge nothing before that. The SQL of the stores
 * is the same for both backends (standard SQL plus {@code ON CONFLICT DO NOTHING}, which both support), so each seam
 * has one JDBC implementation and {@link io.parley.store.Dialect} holds the few differences; the contract tests run
 * every store against both backends.
 */
package io.parley.store;
