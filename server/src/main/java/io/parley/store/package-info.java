/**
 * Storage: SQLite (embedded default) and PostgreSQL (production, shareable by several instances) behind one
 * {@link io.parley.store.Database}, migrated by one set of Flyway migrations that both run
 * ({@code db/migration}, set up by {@code Migrations}): where the dialects need different words a
 * migration says {@code ${autoinc}}, {@code ${blob}} or {@code ${now_millis}}, and {@link io.parley.store.Dialect}
 * gives each dialect's value. {@code db/migration/README.md} says how to add a migration; {@code SchemaParityTest}
 * fails when the two live schemas differ.
 *
 * <h2>Stores</h2>
 * Every table is read and written by exactly one store, and only stores hold SQL. The stores of the node's core live
 * here; a feature's own tables have their store in the feature's package ({@code cases.CaseStore},
 * {@code cases.NotificationStore}, {@code transparency.LogStore}, {@code transparency.WitnessStore},
 * {@code taxii.EvidenceStore}, {@code taxii.TaxiiStore}, {@code audit.AuditStore}). Domain classes receive the stores
 * they need; none builds SQL. {@code node.Node} creates the shared store instances.
 *
 * <h2>The contract every store keeps, unless its own documentation says more</h2>
 * <ul>
 * <li><b>Atomic.</b> Each write method is one transaction (a single statement, or several in
 * {@link io.parley.store.Database#inTransaction}); it commits before it returns and rolls back entirely when it
 * throws, so a failing batch leaves nothing behind. A method that reads and then writes says how it is serialised.</li>
 * <li><b>Durable.</b> What a write method wrote is on disk when it returns: SQLite runs in WAL mode with
 * {@code synchronous=FULL}, PostgreSQL commits synchronously. Callers acknowledge nothing (a receipt, an HTTP 2xx)
 * before that.</li>
 * <li><b>Visible.</b> A read sees every write that returned before it began, on this instance and on any other
 * instance sharing the database.</li>
 * <li><b>Errors.</b> Database faults (disk, connection, a constraint the store does not expect) throw the unchecked
 * {@link io.parley.store.StoreException}, never a checked {@code SQLException}. Expected outcomes (a taken key, a lost
 * race, a row that is not there) are return values: {@code false}, an empty {@code Optional}, a count.</li>
 * <li><b>Thread-safe</b>, and safe across processes and instances: uniqueness rests on the database's keys, not on
 * Java locks.</li>
 * </ul>
 *
 * <h2>One SQL for both databases</h2>
 * The stores' SQL is the same on both backends (standard SQL plus {@code ON CONFLICT}, which both support), so each
 * store is one final class, not an interface with one implementation. What differs lives in one place each:
 * {@link io.parley.store.Dialect} (URL, pool size, the migrations' placeholders), {@link io.parley.store.Database#open}
 * (SQLite's pragmas), {@link io.parley.store.Database#serialise} (PostgreSQL's advisory lock where SQLite's write lock
 * already serialises) and {@link io.parley.store.Database#isUniqueViolation}. The one seam with an implementation per
 * database is {@link io.parley.store.Leadership} (PostgreSQL's session advisory locks, one for the log's sequencer and
 * one for the node's duties, or a single instance on SQLite), with its companion {@code transparency.LogBell}
 * (PostgreSQL's LISTEN/NOTIFY between instances, or silence on SQLite). The contract tests run every store on both
 * backends ({@code -Dparley.test.backends}).
 *
 * <p>No table grows without limit from input nobody we trust signed: refusal summaries, equivocation proofs, split-view
 * proofs, delivery attempts and peer-request nonces each have a cap or an expiry, enforced in the transaction that
 * writes them (so it holds across instances sharing a database).
 */
package io.parley.store;
