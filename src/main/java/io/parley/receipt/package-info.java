/**
 * Receipts (DESIGN §4): a peer's signed statement that it logged an envelope.
 *
 * <p>Format: {@link io.parley.receipt.Receipt} holds the receiving node's C2SP signed-note checkpoint, the
 * RFC 6962 leaf index of the envelope's log entry and the inclusion proof from that leaf to the checkpoint's root,
 * plus the witnesses' cosignatures (C2SP tlog-cosignature) of that checkpoint.
 *
 * <p>Invariant: {@link io.parley.receipt.ReceiptVerifier} accepts a receipt only if the checkpoint's signature
 * verifies under the receiver's pinned log key, the log entry is the commitment of exactly the envelope in question,
 * and the inclusion proof recomputes the signed root. A receipt therefore proves, to anyone holding the receiver's
 * key, that the receiver committed to having that envelope at that tree size; it cannot be made for an envelope the
 * receiver never logged.
 */
package io.parley.receipt;
