package io.parley.log;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import io.parley.log.ProofException.Reason;

/**
 * Merkle audit paths and consistency proofs: generation from stored hashes (RFC 6962 §2.1.1 PATH and §2.1.2
 * PROOF/SUBPROOF) and verification (RFC 9162 §2.1.3.2 and §2.1.4.2).
 *
 * <p>Verification takes the leaf index, tree sizes and roots as separate arguments that the caller must get from a
 * trusted source (a verified checkpoint, the leaf it computed itself); nothing that travels with a proof is trusted,
 * and the roots are always recomputed and compared. Failures throw {@link ProofException} with a {@link Reason}.
 *
 * <p>Edge cases, decided once here: an index {@code >= size} never verifies (so nothing is included in the empty
 * tree); a tree of one leaf has an empty inclusion proof and its root is the leaf hash; consistency between equal
 * sizes needs an empty proof and equal roots; consistency from size 0 needs an empty proof and the old root must be
 * the empty tree's root SHA-256("") (tlog-witness: "the empty tree is consistent with any tree").
 */
public final class MerkleProofs {
    private MerkleProofs() {}

    // ---------------------------------------------------------------- generation

    /**
     * The audit path for leaf {@code index} in the tree of {@code size} leaves, ordered from the leaf's sibling up
     * to the root's child, as RFC 6962 §2.1.1 PATH(m, D[n]) defines it.
     *
     * @throws IllegalArgumentException if {@code index} is not in {@code [0, size)}
     */
    public static List<byte[]> inclusionProof(HashReader reader, long index, long size) {
        return ProofPlan.forThisThread().inclusion(index, size).hash(reader);
    }

    /**
     * The consistency proof between the trees of {@code oldSize} and {@code newSize} leaves, as RFC 6962 §2.1.2
     * PROOF(m, D[n]) defines it; empty when {@code oldSize} is 0 or equal to {@code newSize}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= oldSize <= newSize}
     */
    public static List<byte[]> consistencyProof(HashReader reader, long oldSize, long newSize) {
        return ProofPlan.forThisThread().consistency(oldSize, newSize).hash(reader);
    }

    /** Every stored node an inclusion proof reads, in order (what a client must fetch tiles for). */
    static List<TreeNode> inclusionNodes(long index, long size) {
        return nodesOf(ProofPlan.forThisThread().inclusion(index, size));
    }

    /** Every stored node a consistency proof reads, in order. */
    static List<TreeNode> consistencyNodes(long oldSize, long newSize) {
        return nodesOf(ProofPlan.forThisThread().consistency(oldSize, newSize));
    }

    private static List<TreeNode> nodesOf(ProofPlan plan) {
        List<TreeNode> nodes = new ArrayList<>(plan.nodes());
        for (int i = 0; i < plan.nodes(); i++) nodes.add(plan.node(i));
        return nodes;
    }

    // ---------------------------------------------------------------- verification

    /**
     * Verifies that {@code leafHash} is leaf {@code index} of the tree of {@code size} leaves whose root is
     * {@code root}, following RFC 9162 §2.1.3.2 step by step.
     */
    public static void verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root)
            throws ProofException {
        requireHashes(leafHash, root, proof);
        byte[] computed = rootFromInclusionProof(leafHash, index, size, proof);
        if (!MessageDigest.isEqual(computed, root)) {
            throw new ProofException(Reason.ROOT_MISMATCH, "inclusion proof for leaf " + index + " in tree size "
                    + size + " leads to a different root");
        }
    }

    /**
     * The root that {@code proof} binds {@code leafHash} to at {@code index} in a tree of {@code size} leaves. Only
     * useful to compare against a trusted root; {@link #verifyInclusion} does that.
     */
    public static byte[] rootFromInclusionProof(byte[] leafHash, long index, long size, List<byte[]> proof)
            throws ProofException {
        requireHashes(leafHash, leafHash, proof);
        if (index < 0 || size <= 0 || index >= size) {
            throw new ProofException(Reason.INDEX_OUT_OF_RANGE, "leaf index " + index + " is not in a tree of size "
                    + size);
        }
        Rfc6962 hasher = Rfc6962.forThisThread();
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) throw wrongLength("inclusion", proof.size(), "too long");
            if ((fn & 1) == 1 || fn == sn) {
                r = hasher.hashChildren(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = hasher.hashChildren(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) throw wrongLength("inclusion", proof.size(), "too short");
        return r;
    }

    /**
     * Verifies that the tree of {@code oldSize} leaves with root {@code oldRoot} is a prefix of the tree of
     * {@code newSize} leaves with root {@code newRoot}, following RFC 9162 §2.1.4.2, with the edge cases described
     * on this class.
     */
    public static void verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
                                         List<byte[]> proof) throws ProofException {
        requireHashes(oldRoot, newRoot, proof);
        if (oldSize < 0 || oldSize > newSize) {
            throw new ProofException(Reason.SIZES_OUT_OF_ORDER, "old size " + oldSize + " is not between 0 and new size "
                    + newSize);
        }
        if (oldSize == 0 || oldSize == newSize) {
            if (!proof.isEmpty()) {
                throw new ProofException(Reason.PROOF_NOT_EMPTY, "a consistency proof from size " + oldSize
                        + " to size " + newSize + " must be empty, got " + proof.size() + " hashes");
            }
            if (oldSize == 0 && !Rfc6962.isEmptyRoot(oldRoot)) {
                throw new ProofException(Reason.ROOT_MISMATCH, "the root of the empty tree must be SHA-256(\"\")");
            }
            if (oldSize == newSize && !MessageDigest.isEqual(oldRoot, newRoot)) {
                throw new ProofException(Reason.ROOT_MISMATCH, "trees of equal size " + newSize
                        + " have different roots");
            }
            return;
        }
        if (proof.isEmpty()) throw wrongLength("consistency", 0, "empty");

        // Step 2: if the old size is a power of two, the old root itself is the first node of the path.
        List<byte[]> path = proof;
        if (Long.bitCount(oldSize) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(oldRoot);
            path.addAll(proof);
        }
        ConsistencyRoots roots = rootsOfPath(oldSize, newSize, path, proof.size());
        if (!MessageDigest.isEqual(roots.oldRoot(), oldRoot)) {
            throw new ProofException(Reason.ROOT_MISMATCH, "consistency proof does not lead to the old root of size "
                    + oldSize);
        }
        if (!MessageDigest.isEqual(roots.newRoot(), newRoot)) {
            throw new ProofException(Reason.ROOT_MISMATCH, "consistency proof does not lead to the new root of size "
                    + newSize);
        }
    }

    /** The two roots a consistency path binds together. */
    public record ConsistencyRoots(byte[] oldRoot, byte[] newRoot) {}

    /**
     * The roots of sizes {@code oldSize} and {@code newSize} that a full consistency path commits to: RFC 9162
     * §2.1.4.2 run without comparing. A full path is the consistency proof with, when {@code oldSize} is a power of
     * two, the old tree's root prepended (the proof omits it because a verifier normally supplies it).
     *
     * <p>Why this proves something: every hash of the path stands for a fixed subtree of the new tree, and the new
     * root is computed from all of them; so if the computed new root equals a root the log signed, the hashes are
     * (barring a SHA-256 collision) that tree's real subtrees, and the computed old root is the real root of its first
     * {@code oldSize} leaves. A witness can therefore convict a log that also signed another root for
     * {@code oldSize}, whoever supplied the path.
     *
     * @throws ProofException if the sizes are not {@code 0 < oldSize < newSize} or the path has the wrong length
     */
    public static ConsistencyRoots rootsFromFullPath(long oldSize, long newSize, List<byte[]> fullPath) throws ProofException {
        if (oldSize <= 0 || oldSize >= newSize) {
            throw new ProofException(Reason.SIZES_OUT_OF_ORDER, "a consistency path binds two roots only for 0 < old size < new size, got "
                    + oldSize + " and " + newSize);
        }
        if (fullPath == null || fullPath.isEmpty()) throw wrongLength("consistency", 0, "empty");
        for (byte[] p : fullPath) {
            if (!Rfc6962.isHash(p)) throw new ProofException(Reason.MALFORMED_HASH, "proof elements must be 32-byte hashes");
        }
        return rootsOfPath(oldSize, newSize, fullPath, fullPath.size());
    }

    private static ConsistencyRoots rootsOfPath(long oldSize, long newSize, List<byte[]> path, int reportedLength) throws ProofException {
        Rfc6962 hasher = Rfc6962.forThisThread();
        long fn = oldSize - 1;
        long sn = newSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) throw wrongLength("consistency", reportedLength, "too long");
            if ((fn & 1) == 1 || fn == sn) {
                fr = hasher.hashChildren(c, fr);
                sr = hasher.hashChildren(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = hasher.hashChildren(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) throw wrongLength("consistency", reportedLength, "too short");
        return new ConsistencyRoots(fr, sr);
    }

    private static ProofException wrongLength(String kind, int length, String how) {
        return new ProofException(Reason.WRONG_PROOF_LENGTH, kind + " proof of " + length + " hashes is " + how);
    }

    private static void requireHashes(byte[] a, byte[] b, List<byte[]> proof) throws ProofException {
        if (!Rfc6962.isHash(a) || !Rfc6962.isHash(b)) {
            throw new ProofException(Reason.MALFORMED_HASH, "leaf hashes and roots must be 32 bytes");
        }
        if (proof == null) throw new ProofException(Reason.MALFORMED_HASH, "proof is missing");
        for (byte[] p : proof) {
            if (!Rfc6962.isHash(p)) {
                throw new ProofException(Reason.MALFORMED_HASH, "proof elements must be 32-byte hashes");
            }
        }
    }
}
