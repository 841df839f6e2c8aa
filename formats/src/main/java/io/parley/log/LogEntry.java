package io.parley.log;

import io.parley.identity.Sha256;

/**
 * The one rule for what a node's log holds (DESIGN §3): <b>the entry for an item is the 32-byte SHA-256 of the item's
 * canonical bytes</b>, never the item. Envelopes, charters and party cards are all logged this way, so the public
 * entry bundles reveal hashes and nothing else, while anyone who holds an item can recompute its entry and leaf hash
 * and check an inclusion proof.
 *
 * <p>Every place that appends to the log or derives a leaf from an item goes through here; no other code computes
 * an entry from content.
 */
public final class LogEntry {
    private LogEntry() {}

    /** Every entry of a node's log is exactly this long. */
    public static final int SIZE = Rfc6962.HASH_SIZE;

    /** The log entry for an item: {@code SHA-256(canonical bytes)}. */
    public static byte[] of(byte[] itemCanonicalBytes) {
        return Sha256.hash(itemCanonicalBytes);
    }

    /** The RFC 6962 leaf hash of the item's entry: {@code SHA-256(0x00 || SHA-256(canonical bytes))}. */
    public static byte[] leafHash(byte[] itemCanonicalBytes) {
        return Rfc6962.leafHash(of(itemCanonicalBytes));
    }

    /** Whether {@code entry} has the shape of a commitment; a log entry of any other length is of the old format. */
    public static boolean isCommitment(byte[] entry) {
        return entry != null && entry.length == SIZE;
    }
}
