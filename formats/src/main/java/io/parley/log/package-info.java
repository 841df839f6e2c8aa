/**
 * The storage-free core of a node's transparency log: RFC 6962 / RFC 9162 Merkle hashing and proofs, the stored-hash
 * model for an append-only tree, C2SP tlog-tiles, and the C2SP text formats (signed-note, tlog-checkpoint,
 * tlog-cosignature v1, tlog-proof, tlog-witness add-checkpoint).
 *
 * <p>Invariants:
 * <ul>
 * <li><b>A node's log entry is a commitment.</b> {@link io.parley.log.LogEntry} is the one place that says the entry
 * for an item is the SHA-256 of its canonical bytes; everything that logs an item or derives its leaf hash goes
 * through it. The rest of this package is format-generic (entry bundles carry any entries, as C2SP allows).</li>
 * <li><b>A proof verifier never trusts the size or root that came with the proof; it recomputes.</b>
 * {@link io.parley.log.MerkleProofs} takes the index, sizes and roots as separate arguments that must come from a
 * trusted source (a verified checkpoint, a leaf hash the caller computed), recomputes the root from the proof and
 * compares. A {@link io.parley.log.TlogProof} verifies its embedded checkpoint's signatures before using its size and
 * root.</li>
 * <li><b>Stored hashes are write-once.</b> Only complete subtrees are stored, addressed by
 * {@link io.parley.log.TreeNode} (level, index); the hash at an address is the same for every tree size that contains
 * it. {@link io.parley.log.TreeAppender} only ever emits new addresses, so storage is append-only, full tiles are
 * immutable, and roots and proofs for any earlier size can be computed from today's store.</li>
 * <li><b>One value, one encoding.</b> Parsers accept exactly what the encoders produce (canonical base64 and
 * decimals, strict UTF-8, the exact line structure), because signatures and hashes are over bytes: two readers must
 * never disagree about what a signed text says.</li>
 * <li><b>Text is ignored until verified.</b> A {@link io.parley.log.SignedNote} is only meaningful after
 * {@link io.parley.log.SignedNote#verify} returned; unknown keys are ignored, a known key's bad signature rejects the
 * note, and at least one trusted signature is required.</li>
 * <li><b>Key ids are derived, never trusted.</b> Note keys (type 0x01) and cosigner keys (type 0x04) hash their
 * type byte into the key id, so a plain signature can never be mistaken for a cosignature or vice versa.</li>
 * <li><b>Nothing here does I/O.</b> Storage implements {@link io.parley.log.HashReader} and persists
 * {@link io.parley.log.StoredHash}es; clients wrap fetched tiles in {@link io.parley.log.TileHashReader}.</li>
 * </ul>
 *
 * <p>Failures: malformed encodings throw the checked {@link io.parley.log.FormatException}; proofs and signatures that
 * do not verify throw a {@link io.parley.log.VerificationException} ({@link io.parley.log.ProofException} or
 * {@link io.parley.log.NoteException}) carrying a reason; misuse by the caller (negative sizes, an index outside the
 * tree when generating a proof) throws {@link java.lang.IllegalArgumentException}.
 *
 * <p>Test vectors: {@code formats/src/test/resources/log/fixture-log} holds a log, its tiles, checkpoints,
 * cosignatures and tlog-proofs made by an independent implementation written from the RFC and C2SP texts
 * ({@code generate_fixtures.py} beside it, Python's hashlib and Ed25519 only); {@code FixtureLogTest} reads them.
 */
package io.parley.log;
