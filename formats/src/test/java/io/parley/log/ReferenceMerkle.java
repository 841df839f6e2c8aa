package io.parley.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A brute-force RFC 6962 §2.1 Merkle tree, written straight from the RFC's recursive definitions of MTH, PATH,
 * PROOF and SUBPROOF and independent of the production code (its own MessageDigest, no shared helpers). Tests compare
 * the production code's stored-hash, tile and proof computations with it. MTH results are memoized per leaf range
 * only to keep large comparisons fast; the recursion is the RFC's.
 */
final class ReferenceMerkle {

    private final List<byte[]> leaves; // leaf hashes D[0:n] already hashed, so MTH({d}) = d
    private final Map<Long, byte[]> memo = new HashMap<>();

    ReferenceMerkle(List<byte[]> leafHashes) {
        this.leaves = List.copyOf(leafHashes);
    }

    /** A reference tree over the leaf hashes of {@code n} distinct test entries. */
    static ReferenceMerkle ofEntries(int n) {
        return new ReferenceMerkle(leafHashes(n));
    }

    static byte[] entry(int i) {
        return ("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static List<byte[]> leafHashes(int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(leaf(entry(i)));
        return out;
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) md.update(p);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** MTH({d(0)}) = SHA-256(0x00 || d(0)). */
    static byte[] leaf(byte[] data) {
        return sha256(new byte[] {0}, data);
    }

    /** SHA-256(0x01 || MTH(left) || MTH(right)). */
    static byte[] node(byte[] left, byte[] right) {
        return sha256(new byte[] {1}, left, right);
    }

    /** k: the largest power of two smaller than n. */
    static int k(int n) {
        int k = 1;
        while (k * 2 < n) k *= 2;
        return k;
    }

    int size() {
        return leaves.size();
    }

    List<byte[]> leafHashList() {
        return leaves;
    }

    /** MTH(D[lo:hi]). */
    byte[] mth(int lo, int hi) {
        int n = hi - lo;
        if (n == 0) return sha256();
        if (n == 1) return leaves.get(lo);
        long key = ((long) lo << 32) | hi;
        byte[] cached = memo.get(key);
        if (cached != null) return cached;
        int k = k(n);
        byte[] h = node(mth(lo, lo + k), mth(lo + k, hi));
        memo.put(key, h);
        return h;
    }

    byte[] root(int n) {
        return mth(0, n);
    }

    /** PATH(m, D[0:n]). */
    List<byte[]> path(int m, int n) {
        return path(m, 0, n);
    }

    private List<byte[]> path(int m, int lo, int hi) {
        int n = hi - lo;
        List<byte[]> out = new ArrayList<>();
        if (n == 1) return out;
        int k = k(n);
        if (m < k) {
            out.addAll(path(m, lo, lo + k));
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(path(m - k, lo + k, hi));
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    /** PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true); empty for m = 0 by this project's definition. */
    List<byte[]> proof(int m, int n) {
        if (m == 0) return new ArrayList<>();
        return subproof(m, 0, n, true);
    }

    private List<byte[]> subproof(int m, int lo, int hi, boolean b) {
        int n = hi - lo;
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) out.add(mth(lo, hi));
            return out;
        }
        int k = k(n);
        if (m <= k) {
            out.addAll(subproof(m, lo, lo + k, b));
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(subproof(m - k, lo + k, hi, false));
            out.add(mth(lo, lo + k));
        }
        return out;
    }
}
