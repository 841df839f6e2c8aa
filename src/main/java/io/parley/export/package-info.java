/**
 * Case evidence bundles: one self-contained JSON file with everything needed to prove, offline and to anyone, what
 * was said in a case, when, and that it was received — and {@link io.parley.export.CaseBundleVerifier}, which checks
 * it with no network and no database.
 *
 * <p>Invariant: the verifier trusts nothing in the bundle but the keys in the party cards it carries (whose
 * fingerprints a reader compares out of band): every envelope, charter signature, checkpoint, cosignature, inclusion
 * and consistency proof is checked, and the case timeline is recomputed with the same code the nodes use.
 */
package io.parley.export;
