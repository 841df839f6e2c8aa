/**
 * The node's running transparency log (DESIGN §3) on top of the pure {@link io.parley.log} core: the durable queue,
 * the group-committing {@link io.parley.transparency.Sequencer}, tiles and checkpoints in the database, receipts,
 * and the witness that cosigns peers' checkpoints.
 *
 * <p>Invariants:
 * <ul>
 * <li><b>An entry is a commitment, never content.</b> What is logged for an envelope, charter or card is
 * {@link io.parley.log.LogEntry#of} its canonical bytes (32 bytes), queued only through
 * {@link io.parley.store.LogQueue}; the public tiles and entry bundles therefore reveal sizes, hashes and timing and
 * nothing else. A database whose log holds anything else (the old format) is refused when the log is opened.</li>
 * <li>A checkpoint is published only after the entries and tiles it commits to are durable: the sequencer writes
 * entries, tiles and the signed checkpoint in one transaction and publishes the checkpoint only after commit. After a
 * crash at any moment the newest checkpoint row is therefore consistent with every checkpoint ever published.</li>
 * <li>Exactly one sequencer writes at a time. On PostgreSQL it holds a session advisory lock; the primary keys on
 * entry index and checkpoint size make a second writer's transaction fail rather than fork the log, should two ever
 * believe they lead. Instances wake each other through the {@link io.parley.transparency.LogBell} (PostgreSQL
 * LISTEN/NOTIFY): a ring is sent only after what it announces committed, and is a hint; every waiter also polls, so
 * a lost ring delays and never loses anything.</li>
 * <li>Proofs are served from {@link io.parley.transparency.TileSource}'s cache of expanded tiles, keyed by (level,
 * index, width) and read at a committed checkpoint's widths: a cached tile only ever holds hashes that were committed,
 * and a partial tile is never taken for the wider tile of a grown tree. The cache is bounded in bytes.</li>
 * <li>An append is acknowledged (queued) in the same transaction as the thing it records, so nothing acknowledged can
 * be missing from the log later.</li>
 * <li>The witness checks and updates a peer's latest cosigned checkpoint atomically (C2SP tlog-witness), and records
 * a split view only on proof that verifies: two checkpoints signed by the log's key that cannot both hold (see
 * {@link io.parley.transparency.Witness}). A proof that fails to verify accuses nobody.</li>
 * </ul>
 */
package io.parley.transparency;
