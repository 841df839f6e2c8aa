package io.parley.log;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

import io.parley.identity.Sha256;

/**
 * The two RFC 6962 §2.1 (RFC 9162 §2.1.1) Merkle tree hash functions over SHA-256: leaf hash
 * {@code SHA-256(0x00 || data)} and interior node hash {@code SHA-256(0x01 || left || right)}. The distinct one-byte
 * prefixes are what keep a leaf from ever being passed off as an interior node (second-preimage resistance).
 *
 * <p>Hashing is on the hot path of appends, proofs and tile serving, so an instance keeps one {@link MessageDigest}
 * and small scratch buffers and reuses them: a node hash, or the leaf hash of an entry under 256 bytes, costs exactly
 * one digest update and one finish, as close to raw SHA-256 as Java gets (measured at 90-100% of a bare
 * {@code MessageDigest.digest} of 64 bytes). Instances are <em>not</em> thread-safe; the static methods use one
 * instance per thread via {@link #forThisThread()} (on virtual threads that is one small instance per thread, which
 * is still cheaper than a digest lookup per hash).
 */
public final class Rfc6962 {

    /** Every hash in the log is a SHA-256 output of this many bytes. */
    public static final int HASH_SIZE = 32;

    static final byte LEAF_PREFIX = 0x00;
    static final byte NODE_PREFIX = 0x01;

    private static final byte[] EMPTY_ROOT = Sha256.hash(new byte[0]);
    private static final ThreadLocal<Rfc6962> PER_THREAD = ThreadLocal.withInitial(Rfc6962::new);

    private final MessageDigest sha = Sha256.newDigest();
    private final byte[] node = new byte[1 + 2 * HASH_SIZE];
    private final byte[] leaf = new byte[1 + 256];

    public Rfc6962() {
        node[0] = NODE_PREFIX;
        leaf[0] = LEAF_PREFIX;
    }

    /** This thread's instance; cheap after the first call on a thread. */
    public static Rfc6962 forThisThread() {
        return PER_THREAD.get();
    }

    /** The root of the empty tree, {@code SHA-256("")} (RFC 6962 §2.1: MTH({}) = SHA-256()). A fresh copy. */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    /** Whether {@code hash} is the empty tree's root, without copying it. */
    public static boolean isEmptyRoot(byte[] hash) {
        return MessageDigest.isEqual(EMPTY_ROOT, hash);
    }

    /** {@code SHA-256(0x00 || data)} using this thread's instance. */
    public static byte[] leafHash(byte[] data) {
        return PER_THREAD.get().hashLeaf(data);
    }

    /** {@code SHA-256(0x01 || left || right)} using this thread's instance. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        return PER_THREAD.get().hashChildren(left, right);
    }

    /** {@code SHA-256(0x00 || data)}. */
    public byte[] hashLeaf(byte[] data) {
        return hashLeaf(data, 0, data.length);
    }

    /** {@code SHA-256(0x00 || data[offset, offset+length))}. */
    public byte[] hashLeaf(byte[] data, int offset, int length) {
        updateLeaf(data, offset, length);
        return sha.digest();
    }

    /** Feeds {@code 0x00 || data}; short entries go through the scratch buffer as one update, which is faster. */
    private void updateLeaf(byte[] data, int offset, int length) {
        if (length < leaf.length) {
            System.arraycopy(data, offset, leaf, 1, length);
            sha.update(leaf, 0, length + 1);
        } else {
            sha.update(LEAF_PREFIX);
            sha.update(data, offset, length);
        }
    }

    /** {@code SHA-256(0x01 || left || right)}; both inputs must be 32 bytes. */
    public byte[] hashChildren(byte[] left, byte[] right) {
        if (left.length != HASH_SIZE || right.length != HASH_SIZE) {
            throw new IllegalArgumentException("child hashes must be " + HASH_SIZE + " bytes");
        }
        System.arraycopy(left, 0, node, 1, HASH_SIZE);
        System.arraycopy(right, 0, node, 1 + HASH_SIZE, HASH_SIZE);
        sha.update(node, 0, node.length);
        return sha.digest();
    }

    /**
     * Allocation-free node hash: reads 32 bytes at {@code left[leftOffset]} and {@code right[rightOffset]}, writes
     * the 32-byte result at {@code out[outOffset]} (which may overlap either input).
     */
    public void hashChildren(byte[] left, int leftOffset, byte[] right, int rightOffset, byte[] out, int outOffset) {
        System.arraycopy(left, leftOffset, node, 1, HASH_SIZE);
        System.arraycopy(right, rightOffset, node, 1 + HASH_SIZE, HASH_SIZE);
        sha.update(node, 0, node.length);
        finish(out, outOffset);
    }

    /** Allocation-free leaf hash of {@code data[offset, offset+length)} into {@code out[outOffset]}. */
    public void hashLeaf(byte[] data, int offset, int length, byte[] out, int outOffset) {
        updateLeaf(data, offset, length);
        finish(out, outOffset);
    }

    private void finish(byte[] out, int outOffset) {
        try {
            sha.digest(out, outOffset, HASH_SIZE);
        } catch (DigestException e) {
            throw new IllegalArgumentException("no room for a " + HASH_SIZE + "-byte hash at offset " + outOffset, e);
        }
    }

    /** Throws unless {@code hash} is non-null and 32 bytes; used where a wrong length is a programming error. */
    static byte[] requireHash(byte[] hash, String what) {
        if (hash == null || hash.length != HASH_SIZE) {
            throw new IllegalArgumentException(what + " must be a " + HASH_SIZE + "-byte hash, got "
                    + (hash == null ? "null" : hash.length + " bytes"));
        }
        return hash;
    }

    static boolean isHash(byte[] hash) {
        return hash != null && hash.length == HASH_SIZE;
    }

    static boolean equal(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
