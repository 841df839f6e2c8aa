/**
 * The one loop every background thread of a node runs on: delivery, sequencing, catch-up, cosignature collection,
 * evidence processing, the deadline clock and the audit committer.
 *
 * <p>Invariants: a failing round or item never ends its loop, is logged once per distinct failure and is retried
 * with jittered exponential backoff ({@link io.parley.worker.Backoff}); a wake-up is never lost (one given during a
 * round runs the next round at once); {@code close()} returns only when the loop has stopped, so a node closes its
 * database after its loops. Time and randomness come in from outside: the loop waits through a
 * {@link io.parley.worker.Waiter} and jitters with the node's random source, both replaceable in tests.
 */
package io.parley.worker;
