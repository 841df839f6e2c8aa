/**
 * Case evidence bundles, verified offline (DESIGN §6): {@link io.parley.bundle.CaseBundleVerifier} checks a
 * {@code parley-case-bundle/v1} file with no network and no database; the standalone verifier jar and
 * {@code parley verify} both run it.
 *
 * <p>Format: one JSON object with the party cards, the channel charter and every member's signature of it, the
 * case's envelopes (and, for TLP:RED envelopes of other conversations inside a chain stretch, only their senders'
 * signed withheld notices), the contiguous chain segment per sender, each node's log checkpoints with inclusion and
 * consistency proofs and witness cosignatures, the receipts, the recipients' signed log times ({@code log_times},
 * {@link io.parley.receipt.LogTime}), and ({@code silence}, when a deadline was missed) per party and missed deadline
 * either a silence proof or the reason there is none ({@link io.parley.bundle.SilenceChecks}).
 * {@link io.parley.bundle.TimelineJson} writes the recomputed timeline, with its {@code clock_findings} when there are any.
 *
 * <p>Invariant: the verifier trusts nothing in the bundle but the keys in the party cards it carries (whose
 * fingerprints a reader compares out of band): every signature, chain link, proof, cosignature and receipt is
 * checked, and the case timeline is recomputed with the same code the nodes use ({@link io.parley.timeline}), from
 * the envelopes and the log times whose signatures verify under the members' keys.
 */
package io.parley.bundle;
