/**
 * Case evidence bundles: one self-contained JSON file with everything needed to prove, offline and to anyone, what
 * was said in a case, when, and that it was received — and {@link io.parley.bundle.CaseBundleVerifier}, which checks
 * it with no network and no database.
 *
 * <p>Invariant: the verifier trusts nothing in the bundle but the keys in the party cards it carries (whose
 * fingerprints a reader compares out of band): every envelope, charter signature, checkpoint, cosignature, inclusion
 * and consistency proof is checked, and the case timeline is recomputed with the same code the nodes use.
 *
 * <p>Invariant: a bundle is made to be handed on, so it carries in full only the case's own envelopes and the charter
 * signatures; any TLP:RED envelope of another conversation inside a sender's chain stretch is carried only as its
 * sender's signed withheld notice, and when the exporting node has no such notice the export is refused (409
 * {@code notice-missing}) rather than carry the envelope. The marking policy then judges only what is carried in full.
 *
 * <p>Provable silence ({@link io.parley.export.SilenceProofs}): for each party that let a deadline of a case this node
 * opened pass, the bundle carries that party's chain stretch from before the request to its first message signed after
 * the deadline (other conversations' non-RED messages in it in full, RED ones as notices), the cosigned checkpoint that
 * holds that message, or the reason it cannot prove the silence yet; it claims a silence only where the offline
 * verifier, running the same rule ({@link io.parley.timeline.Silence}), finds it proven.
 */
package io.parley.export;
