/**
 * Receipts (DESIGN §4): a peer's proof that it logged an envelope.
 *
 * <p>Format: {@link io.parley.receipt.Receipt} names the receiving node, the envelope's hash and its log index, and
 * carries a C2SP tlog-proof: the receiver's signed-note checkpoint (with any witness cosignatures, C2SP
 * tlog-cosignature) and the RFC 6962 inclusion proof of the envelope's log entry, which is its commitment (the SHA-256
 * of its canonical bytes, {@link io.parley.log.LogEntry}), never its text.
 *
 * <p>Invariant: {@link io.parley.receipt.ReceiptVerifier} is the one definition of a valid receipt, shared by the
 * sender's delivery code, the CLI and the offline verifier: the checkpoint's signature verifies under the receiver's
 * log key, at least {@code quorum} of the given witnesses cosigned it, and the inclusion proof recomputes the signed
 * root from exactly the envelope's commitment. A receipt therefore proves, to anyone holding the receiver's key, that
 * the receiver committed to having that envelope at that tree size.
 *
 * <p>A receipt from a node that gives one also carries {@code logged}, the receiver's {@link io.parley.receipt.LogTime}
 * ({@code parley-receipt/v1}): its signed word of when it logged the envelope, since a checkpoint says what, not when.
 * Receipts without it stay valid; for them the sender's {@code created} stands.
 */
package io.parley.receipt;
