/**
 * Node-to-node federation (DESIGN §4): peering with pinned fingerprints and key rotation, the store-and-forward
 * outbox with per-peer delivery workers, receipts checked on arrival, catch-up by pull, the line's outage record, and
 * key rotations followed in band ({@link io.parley.federation.KeyHandOver}): a peer's new key is taken only with a
 * hand-over signature by the key we knew for it.
 *
 * <p>Invariants: a delivery counts only when the recipient's receipt verifies under the recipient's log key we hold;
 * each peer has its own worker, so a slow or dead peer never delays delivery to the others; envelopes go to a peer
 * in the order we stored them, which is each chain's order; every attempt and outage is recorded (the newest attempts
 * per peer in detail, all of them in the link's counters). A signed peer request
 * ({@link io.parley.federation.PeerRequestAuth}) is good once, at the one node it names, for the exact method, path,
 * query and body it was signed for, within seconds. Every answer read from a peer goes through
 * {@link io.parley.federation.CappedResponses}: bounded in size and time, decoded as UTF-8.
 *
 * <p>Rate limits ({@link io.parley.federation.PeerRateLimits}): every route peers call charges its caller, the peer
 * that signed the request or else the client address, and answers 429 with Retry-After past the caller's allowance.
 * Deliveries are signed so they count against our own allowance. A 429 received is never a failure: the outbox,
 * catch-up, evidence fetch and cosigner wait as asked and send the same again, without spending an attempt.
 */
package io.parley.federation;
